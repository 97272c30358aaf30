"""The command line, `briefsite.cli.main([...])`, on copies of the golden fixture project.

Covers the default command, `--project`/`--output`, `check` (text and JSON), exit codes
(0 ok, 1 content errors, 2 usage errors), `--quiet`/`--verbose`, the build summary line,
and what a build leaves on disk: the previous output intact after a failure, unchanged
files kept as hard links after a rebuild, and no staging folders either way. One test runs
`build.py` as a real process to prove the shim works.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from briefsite.build.search import BUNDLE, DELTA
from briefsite.cli.main import main

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURE = TESTS / "fixtures" / "golden"
GOLDEN = TESTS / "golden"
SUMMARY = re.compile(r"Built (\d+) (briefs?), (\d+) notes, (\d+) pages in \d+\.\d+ s -> (.+)")
STAGING = re.compile(r"\.[^/]*-(staging|old)-")
BRIEF_SLUGS = ["bus-depot", "library-sundays", "parking-fees"]
BROKEN_QUOTE = (
    "quote: cut empty running by 15 per cent",
    # Nothing in the seed is close to it: a mistyped figure alone would be placed as fuzzy.
    "quote: cut empty parking spaces by half",
)

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the golden fixture project."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the command line; return (exit code, stdout, stderr) of that run alone."""

    def run(*argv: str | Path) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse exits on its own for malformed command lines
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _files(folder: Path) -> list[Path]:
    # The search index aside: Pagefind's file names are not reproducible.
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] not in (BUNDLE, DELTA)
    ]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones included, the search index aside) and its
    bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in _files(folder)}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in _files(folder)}


def leftovers(folder: Path) -> list[str]:
    """Staging or old-output folders a build left in `folder`."""
    return sorted(p.name for p in folder.iterdir() if STAGING.match(p.name))


def document_text(seed: Path) -> str:
    """The document text of a seed as DESIGN.md defines it, computed independently."""
    text = seed.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    paragraphs = re.split(r"\n[ \t]*\n", text.strip())
    return "\n\n".join(
        " ".join(line.strip() for line in p.splitlines() if line.strip()) for p in paragraphs
    )


def break_brief(root: Path) -> int:
    """Make the quote of `empty-running` unfindable; return the line it is on."""
    path = root / "content/briefs/bus-depot.yaml"
    text = path.read_text(encoding="utf-8")
    old, new = BROKEN_QUOTE
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


# --- build: defaults, options and what it prints --------------------------------------------


def test_no_command_means_build(cli: Run, project: Path) -> None:
    code, out, err = cli("--project", project)
    assert (code, err) == (0, "")
    assert SUMMARY.fullmatch(out.strip())
    assert snapshot(project / "output") == snapshot(GOLDEN)


def test_build_writes_to_project_output_by_default(cli: Run, project: Path) -> None:
    code, _, _ = cli("build", "--project", project)
    assert code == 0
    assert snapshot(project / "output") == snapshot(GOLDEN)


def test_project_defaults_to_the_current_folder(
    cli: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    code, _, _ = cli()
    assert code == 0
    assert (project / "output/briefs/bus-depot/index.html").is_file()


def test_output_option_writes_elsewhere_and_not_in_the_project(
    cli: Run, project: Path, tmp_path: Path
) -> None:
    target = tmp_path / "public" / "site"
    code, out, _ = cli("build", "--project", project, "--output", target)
    assert code == 0
    assert snapshot(target) == snapshot(GOLDEN)
    assert not (project / "output").exists()
    match = SUMMARY.fullmatch(out.strip())
    assert match and Path(match.group(5)).resolve() == target.resolve()


def test_build_prints_one_summary_line(cli: Run, project: Path) -> None:
    code, out, err = cli("build", "--project", project)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 1
    match = SUMMARY.fullmatch(lines[0])
    assert match, lines[0]
    briefs, noun, notes, pages, shown = match.groups()
    html_pages = [p for p in snapshot(project / "output") if p.endswith(".html")]
    assert (int(briefs), noun, int(notes), int(pages)) == (3, "briefs", 14, len(html_pages))
    assert Path(shown).resolve() == (project / "output").resolve()


def test_summary_says_brief_in_the_singular_for_one(cli: Run, project: Path) -> None:
    for slug in ("library-sundays", "parking-fees"):
        (project / f"content/briefs/{slug}.yaml").unlink()
    code, out, _ = cli("--project", project)
    assert code == 0
    match = SUMMARY.fullmatch(out.strip())
    assert match and match.group(1, 2, 3) == ("1", "brief", "9")


def test_quiet_build_prints_nothing(cli: Run, project: Path) -> None:
    assert cli("--project", project, "--quiet") == (0, "", "")
    assert (project / "output/index.html").is_file()
    assert cli("build", "-q", "--project", project) == (0, "", "")


def test_verbose_build_prints_more(cli: Run, project: Path) -> None:
    _, plain, _ = cli("--project", project)
    code, verbose, _ = cli("build", "--project", project, "--verbose")
    assert code == 0
    lines = verbose.splitlines()
    assert SUMMARY.fullmatch(lines[0])
    assert len(lines) > len(plain.splitlines())
    assert all(line.strip() for line in lines)


def test_quiet_and_verbose_together_is_a_usage_error(cli: Run, project: Path) -> None:
    code, _, err = cli("--project", project, "--quiet", "--verbose")
    assert code == 2 and err
    assert not (project / "output").exists()


# --- check ----------------------------------------------------------------------------------


def test_check_writes_nothing_but_its_cache(cli: Run, project: Path) -> None:
    before = snapshot(project)
    code, out, err = cli("check", "--project", project)
    assert (code, err) == (0, "")
    assert "no errors" in out
    after = snapshot(project)
    assert {p for p in after if p.startswith(".briefsite-cache/")}, "what it learned is kept"
    assert {p: d for p, d in after.items() if not p.startswith(".briefsite-cache/")} == before
    assert not (project / "output").exists()
    assert sorted(p.name for p in project.parent.iterdir()) == ["project"]


def test_check_quiet_prints_nothing(cli: Run, project: Path) -> None:
    assert cli("check", "--project", project, "--quiet") == (0, "", "")


def test_check_json_report(cli: Run, project: Path) -> None:
    code, out, err = cli("check", "--project", project, "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert set(report) == {"version", "ok", "counts", "diagnostics", "briefs"}
    assert (report["version"], report["ok"], report["diagnostics"]) == (1, True, [])
    assert report["counts"] == {"error": 0, "warning": 0, "note": 0}
    assert sorted(b["brief"] for b in report["briefs"]) == BRIEF_SLUGS
    by_brief = {b["brief"]: b for b in report["briefs"]}
    for entry in report["briefs"]:
        assert set(entry) == {"brief", "path", "seed", "anchored", "seed_changed", "notes"}
        assert entry["path"] == f"content/briefs/{entry['brief']}.yaml"
        assert entry["seed_changed"] is False
        brief = yaml.safe_load((project / f"content/briefs/{entry['brief']}.yaml").read_text())
        doc = document_text(project / "seeds" / f"{brief['seed']}.txt")
        assert sorted(n["id"] for n in entry["notes"]) == sorted(
            a["id"] for a in brief["annotations"]
        )
        for note in entry["notes"]:
            assert set(note) == {"id", "type", "status", "start", "end", "text", "score"}
            assert note["status"] == "exact"
            assert note["score"] == 1.0
            assert isinstance(note["start"], int) and isinstance(note["end"], int)
            assert 0 <= note["start"] < note["end"] <= len(doc)
            assert note["text"] == doc[note["start"] : note["end"]]

    notes = {n["id"]: n for n in by_brief["bus-depot"]["notes"]}
    doc = document_text(project / "seeds/millbrook-bus-depot.txt")
    # Straight quotes and `--` in the YAML found the typographic text of the seed.
    assert notes["homes-claim"]["text"] == "“free up space for 120 new homes” and cost £4.2 million"
    assert notes["who-pays"]["text"] == "the council — not the bus operator — would pay"
    # occurrence, prefix and suffix chose the right repeat.
    assert notes["quarry-lane"]["start"] == doc.index("Quarry Lane")
    assert notes["quarry-lane"]["start"] != doc.rindex("Quarry Lane")
    assert notes["close-date"]["start"] == doc.index("2026")
    assert notes["open-date"]["start"] == doc.rindex("2026")
    library = {n["id"]: n for n in by_brief["library-sundays"]["notes"]}
    assert library["survey-method"]["text"] == "the library itself – not by an independent firm"


def test_check_json_lists_errors_and_exits_1(cli: Run, project: Path) -> None:
    line = break_brief(project)
    code, out, _ = cli("check", "--project", project, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert (report["ok"], report["counts"]["error"]) == (False, 1)
    (error,) = report["diagnostics"]
    assert set(error) == {"severity", "path", "line", "col", "message", "hint"}
    assert error["severity"] == "error"
    assert error["hint"].startswith("the closest passage")
    source = (project / "content/briefs/bus-depot.yaml").read_text().splitlines()[line - 1]
    assert (error["path"], error["line"], error["col"]) == (
        "content/briefs/bus-depot.yaml",
        line,
        source.index("cut empty") + 1,
    )
    assert "not found" in error["message"]
    (depot,) = [b for b in report["briefs"] if b["brief"] == "bus-depot"]
    notes = {n["id"]: n for n in depot["notes"]}
    assert set(notes["empty-running"]) == {
        "id",
        "type",
        "status",
        "start",
        "end",
        "text",
        "score",
    }
    assert notes["empty-running"]["status"] == "orphan"
    assert notes["empty-running"]["text"] is None
    assert notes["empty-running"]["score"] is None
    assert notes["who-pays"]["status"] == "exact"
    assert not (project / "output").exists()


def test_check_text_reports_error_location_and_exits_1(cli: Run, project: Path) -> None:
    line = break_brief(project)
    code, out, err = cli("check", "--project", project)
    assert code == 1 and out == ""
    assert re.search(rf"^content/briefs/bus-depot\.yaml:{line}:\d+: error: ", err, re.M)


# --- usage errors ---------------------------------------------------------------------------


def test_unknown_option_is_a_usage_error(cli: Run, project: Path) -> None:
    code, out, err = cli("--project", project, "--no-such-option")
    assert code == 2 and "--no-such-option" in err and out == ""
    assert not (project / "output").exists()


def test_unknown_check_format_is_a_usage_error(cli: Run, project: Path) -> None:
    code, _, err = cli("check", "--project", project, "--format", "xml")
    assert code == 2 and err


def test_missing_project_is_a_usage_error(cli: Run, tmp_path: Path) -> None:
    code, out, err = cli("--project", tmp_path / "nowhere")
    assert code == 2 and out == "" and "nowhere" in err
    assert not (tmp_path / "nowhere").exists()
    code, _, _ = cli("check", "--project", tmp_path / "nowhere")
    assert code == 2


def test_project_that_is_a_file_is_a_usage_error(cli: Run, tmp_path: Path) -> None:
    file = tmp_path / "project.txt"
    file.write_text("not a project")
    code, _, err = cli("--project", file)
    assert code == 2 and err


def test_output_that_is_the_project_is_a_usage_error(cli: Run, project: Path) -> None:
    before = snapshot(project)
    code, out, err = cli("--project", project, "--output", project)
    assert code == 2 and out == "" and err
    assert snapshot(project) == before


@pytest.mark.parametrize("inner", ["seeds", "content"])
def test_output_that_looks_like_a_project_is_a_usage_error(
    cli: Run, project: Path, tmp_path: Path, inner: str
) -> None:
    other = tmp_path / "other"
    (other / inner).mkdir(parents=True)
    (other / inner / "keep.txt").write_text("keep me")
    (other / ".briefsite").write_text("even with a marker")
    before = snapshot(other)
    code, _, err = cli("--project", project, "--output", other)
    assert code == 2 and err
    assert snapshot(other) == before


def test_output_that_contains_the_project_is_a_usage_error(cli: Run, project: Path) -> None:
    before = snapshot(project.parent)
    code, _, err = cli("--project", project, "--output", project.parent)
    assert code == 2 and err
    assert snapshot(project.parent) == before


def test_output_inside_the_projects_content_is_a_usage_error(cli: Run, project: Path) -> None:
    before = snapshot(project)
    code, _, err = cli("--project", project, "--output", project / "content" / "site")
    assert code == 2 and err
    assert snapshot(project) == before


def test_output_that_is_a_file_is_a_usage_error(cli: Run, project: Path, tmp_path: Path) -> None:
    file = tmp_path / "site.html"
    file.write_text("a file")
    code, _, err = cli("--project", project, "--output", file)
    assert code == 2 and err
    assert file.read_text() == "a file"


def test_output_that_is_a_foreign_non_empty_folder_is_a_usage_error(
    cli: Run, project: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.txt").write_text("irreplaceable")
    code, out, err = cli("--project", project, "--output", folder)
    assert code == 2 and out == "" and err
    assert snapshot(folder) == {"thesis.txt": b"irreplaceable"}
    assert leftovers(tmp_path) == []


def test_output_that_is_an_empty_folder_is_fine(cli: Run, project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    code, _, _ = cli("--project", project, "--output", folder)
    assert code == 0
    assert snapshot(folder) == snapshot(GOLDEN)


# --- what builds leave on disk --------------------------------------------------------------


def test_failed_build_leaves_previous_output_untouched(cli: Run, project: Path) -> None:
    assert cli("--project", project)[0] == 0
    output = project / "output"
    before, before_inodes = snapshot(output), inodes(output)
    line = break_brief(project)
    code, out, err = cli("--project", project)
    assert code == 1 and out == ""
    assert re.search(
        rf"^content/briefs/bus-depot\.yaml:{line}:\d+: error: quote not found", err, re.M
    )
    assert "nothing was written" in err
    assert snapshot(output) == before
    assert inodes(output) == before_inodes
    assert leftovers(project) == []


def test_failed_first_build_creates_no_output(cli: Run, project: Path) -> None:
    break_brief(project)
    assert cli("--project", project)[0] == 1
    assert not (project / "output").exists()
    assert leftovers(project) == []


def test_rebuild_keeps_unchanged_files_as_hard_links(cli: Run, project: Path) -> None:
    assert cli("--project", project)[0] == 0
    output = project / "output"
    before = inodes(output)
    old_page = (output / "briefs/parking-fees/index.html").read_bytes()
    brief = project / "content/briefs/parking-fees.yaml"
    brief.write_text(
        brief.read_text().replace("the first since 2019.", "the first rise in six years.")
    )
    assert cli("--project", project)[0] == 0
    after = inodes(output)
    assert after.keys() == before.keys()
    # The `.briefsite` marker is left to test_unchanged_rebuild_keeps_every_file.
    changed = sorted(p for p in after if after[p] != before[p] and p != ".briefsite")
    # The brief's page, and its notes as annotations.
    assert changed == ["briefs/parking-fees/annotations.jsonld", "briefs/parking-fees/index.html"]
    new_page = (output / "briefs/parking-fees/index.html").read_bytes()
    assert new_page != old_page and b"the first rise in six years." in new_page
    assert leftovers(project) == []


def test_unchanged_rebuild_keeps_every_file(cli: Run, project: Path) -> None:
    """Nothing changed, so every file, the `.briefsite` marker too, keeps its inode and mtime:
    an upload tool that compares sizes and times then has nothing to send."""
    assert cli("--project", project)[0] == 0
    before = inodes(project / "output")
    assert cli("--project", project)[0] == 0
    after = inodes(project / "output")
    assert sorted(p for p in after if after[p] != before.get(p)) == []
    assert snapshot(project / "output") == snapshot(GOLDEN)


def test_no_staging_folders_are_left_beside_the_output(
    cli: Run, project: Path, tmp_path: Path
) -> None:
    parent = tmp_path / "public"
    parent.mkdir()
    target = parent / "site"
    beside = [".site-spare", "site"]  # the site, and the spare the next build writes into
    assert cli("--project", project, "--output", target)[0] == 0
    assert sorted(p.name for p in parent.iterdir()) == beside
    assert cli("--project", project, "--output", target)[0] == 0
    assert sorted(p.name for p in parent.iterdir()) == beside
    break_brief(project)
    assert cli("--project", project, "--output", target)[0] == 1
    assert sorted(p.name for p in parent.iterdir()) == beside


def test_a_first_build_without_the_cache_leaves_no_spare(
    cli: Run, project: Path, tmp_path: Path
) -> None:
    # No later build could trust it: a spare is known by its manifest, kept in the cache.
    target = tmp_path / "public" / "site"
    assert cli("--project", project, "--output", target, "--no-cache")[0] == 0
    assert sorted(p.name for p in target.parent.iterdir()) == ["site"]


def test_output_folder_gets_the_same_permissions_as_its_contents(cli: Run, project: Path) -> None:
    """A web server or an upload tool that keeps permissions (`rsync -a`) must be able to read
    the site's top folder just as it reads the folders inside it, which follow the umask."""
    assert cli("--project", project)[0] == 0
    output = project / "output"
    inner = stat.S_IMODE((output / "briefs").stat().st_mode)
    assert oct(stat.S_IMODE(output.stat().st_mode)) == oct(inner)


# --- the build.py shim, as a real process ---------------------------------------------------


def test_build_py_runs_as_a_script(tmp_path: Path) -> None:
    root = tmp_path / "main"
    shutil.copytree(FIXTURE, root)
    shutil.copy2(REPO / "build.py", root / "build.py")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "build.py"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert SUMMARY.fullmatch(done.stdout.strip()), done.stdout
    assert snapshot(root / "output") == snapshot(GOLDEN)
    usage = subprocess.run(
        [sys.executable, "build.py", "--no-such-option"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert usage.returncode == 2 and "--no-such-option" in usage.stderr
