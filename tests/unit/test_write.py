"""Writing the site: refusals, the atomic swap, kept files, leftovers, and failures."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from briefsite.build import write
from briefsite.build.output import MARKER, output_lock, output_problem
from briefsite.build.write import OutputStamp, Spare, Staging, WriteStats
from briefsite.errors import BriefsiteError


class _File(NamedTuple):
    """A file of a written site, as the builder's manifests record it."""

    digest: str
    stamp: OutputStamp | None


# What each output folder and its spare hold, as the builder's manifests record it.
_LIVE: dict[Path, Spare] = {}
_SPARE: dict[Path, Spare] = {}


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_site(
    files: dict[str, bytes], copies: dict[str, Path], out: Path, project: Path
) -> WriteStats:
    """Write a whole site as the builder does: bring the spare (or a new staging folder)
    up to date, keeping files whose bytes did not change, then swap it in."""
    out = out.resolve()
    live = _LIVE.get(out, {})
    with output_lock(out):
        staging = Staging(out, project, _SPARE.get(out) if out.exists() else None)
        made: dict[str, _File] = {}
        try:
            for relative, data in files.items():
                digest, known = _digest(data), live.get(relative)
                if known is not None and known.digest == digest and known.stamp is not None:
                    kept = staging.keep(relative, digest, known.stamp)
                    if kept is not None:
                        made[relative] = _File(digest, kept)
                        continue
                made[relative] = _File(digest, staging.write(relative, data))
            for relative, path in copies.items():
                stamp = staging.copy(relative, path)
                made[relative] = _File(_digest(path.read_bytes()), stamp)
            staging.prune(made.keys())
            staging.commit(_digest(repr(sorted(made.items())).encode()))
        except BaseException:
            staging.abandon()
            raise
    if out in _LIVE:
        _SPARE[out] = _LIVE[out]
    elif staging.primed:
        _SPARE[out] = made
    _LIVE[out] = made
    return WriteStats(staging.written, staging.unchanged)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("seeds", "content", "layouts"):
        (root / folder).mkdir(parents=True)
    (root / "seeds/a.txt").write_text("Head\n", encoding="utf-8")
    return root


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


SITE = {
    "index.html": b"<h1>Index</h1>",
    "briefs/a/index.html": b"<h1>A</h1>",
    "entities/x/index.html": b"<h1>X</h1>",
}


# --- output_problem -------------------------------------------------------------------------


def test_a_new_folder_beside_the_project_is_fine(project: Path) -> None:
    assert output_problem(project.parent / "site", project) is None


def test_the_default_output_inside_the_project_is_fine(project: Path) -> None:
    assert output_problem(project / "output", project) is None


def test_an_empty_existing_folder_is_fine(project: Path) -> None:
    (project / "output").mkdir()
    assert output_problem(project / "output", project) is None


def test_a_folder_briefsite_made_is_fine(project: Path) -> None:
    out = project / "output"
    out.mkdir()
    (out / MARKER).write_text("made by briefsite", encoding="utf-8")
    (out / "index.html").write_text("old", encoding="utf-8")
    assert output_problem(out, project) is None


def test_refuses_the_project_folder(project: Path) -> None:
    assert output_problem(project, project) == f"--output {project} is the project folder itself"


def test_refuses_the_project_folder_written_another_way(project: Path) -> None:
    other = project / "seeds" / ".."
    problem = output_problem(other, project)
    assert problem is not None
    assert "is the project folder itself" in problem


def test_refuses_a_symlink_to_the_project(project: Path) -> None:
    link = project.parent / "link"
    link.symlink_to(project)
    problem = output_problem(link, project)
    assert problem is not None
    assert "project folder itself" in problem


@pytest.mark.parametrize("levels", [1, 2])
def test_refuses_a_folder_containing_the_project(project: Path, levels: int) -> None:
    parent = project.parents[levels - 1]
    assert output_problem(parent, project) == f"--output {parent} contains the project folder"


@pytest.mark.parametrize(
    "inside", ["seeds", "content", "layouts", "content/briefs", "layouts/static/out"]
)
def test_refuses_the_project_sources(project: Path, inside: str) -> None:
    folder = inside.split("/")[0]
    assert output_problem(project / inside, project) == (
        f"--output {project / inside} is inside the project's {folder}/ folder"
    )


def test_refuses_a_file(project: Path) -> None:
    target = project / "output"
    target.write_text("not a folder", encoding="utf-8")
    assert output_problem(target, project) == f"--output {target} is a file, not a folder"


@pytest.mark.parametrize("marker_folder", ["seeds", "content"])
def test_refuses_another_project(project: Path, marker_folder: str) -> None:
    other = project.parent / "other-project"
    (other / marker_folder).mkdir(parents=True)
    (other / MARKER).write_text("even with a marker", encoding="utf-8")
    assert output_problem(other, project) == (
        f"--output {other} contains seeds/ or content/: it looks like a project"
    )


def test_refuses_a_non_empty_folder_briefsite_did_not_make(project: Path) -> None:
    home = project.parent / "documents"
    home.mkdir()
    (home / "thesis.docx").write_bytes(b"precious")
    problem = output_problem(home, project)
    assert problem is not None
    assert problem.startswith(f"--output {home} is a folder briefsite did not make")
    assert "choose an empty or new one" in problem


def test_a_hidden_file_also_makes_a_folder_not_empty(project: Path) -> None:
    folder = project.parent / "site"
    folder.mkdir()
    (folder / ".git").mkdir()
    assert output_problem(folder, project) is not None


# --- write_site: the happy path ---------------------------------------------------------------


def test_first_write_creates_the_site_and_its_marker(project: Path) -> None:
    out = project.parent / "site"
    stats = write_site(SITE, {}, out, project)
    tree = _tree(out)
    assert {k: v for k, v in tree.items() if k != MARKER} == SITE
    assert MARKER in tree
    assert stats.unchanged == 0
    assert stats.written >= len(SITE)


def test_creates_missing_parent_folders(project: Path) -> None:
    out = project.parent / "deep" / "er" / "site"
    write_site(SITE, {}, out, project)
    assert (out / "index.html").read_bytes() == b"<h1>Index</h1>"


def test_copies_static_files(project: Path, tmp_path: Path) -> None:
    css = tmp_path / "site.css"
    css.write_bytes(b"body { color: black }")
    out = project.parent / "site"
    write_site(SITE, {"assets/site.css": css}, out, project)
    assert (out / "assets/site.css").read_bytes() == b"body { color: black }"


def test_a_rebuild_replaces_the_whole_site(project: Path) -> None:
    out = project.parent / "site"
    write_site(SITE, {}, out, project)
    new = {"index.html": b"<h1>New</h1>", "topics/t/index.html": b"<h1>T</h1>"}
    write_site(new, {}, out, project)
    assert {k: v for k, v in _tree(out).items() if k != MARKER} == new
    assert not (out / "briefs").exists()


def test_unchanged_files_are_kept_as_the_same_file(project: Path) -> None:
    out = project.parent / "site"
    write_site(SITE, {}, out, project)
    before = {name: os.stat(out / name) for name in SITE}
    changed = {**SITE, "briefs/a/index.html": b"<h1>A, corrected</h1>"}
    stats = write_site(changed, {}, out, project)
    after = {name: os.stat(out / name) for name in SITE}
    assert after["index.html"].st_ino == before["index.html"].st_ino
    assert after["index.html"].st_mtime_ns == before["index.html"].st_mtime_ns
    assert after["entities/x/index.html"].st_ino == before["entities/x/index.html"].st_ino
    assert after["briefs/a/index.html"].st_ino != before["briefs/a/index.html"].st_ino
    assert (out / "briefs/a/index.html").read_bytes() == b"<h1>A, corrected</h1>"
    assert stats.written == 1
    assert stats.unchanged >= 2


def test_an_identical_rebuild_writes_nothing_new(project: Path) -> None:
    out = project.parent / "site"
    write_site(SITE, {}, out, project)
    stats = write_site(SITE, {}, out, project)
    assert stats.written == 0
    assert stats.unchanged >= len(SITE)


def test_same_size_different_bytes_is_rewritten(project: Path) -> None:
    out = project.parent / "site"
    write_site({"a.html": b"aaaa"}, {}, out, project)
    write_site({"a.html": b"bbbb"}, {}, out, project)
    assert (out / "a.html").read_bytes() == b"bbbb"


def test_a_kept_file_is_not_changed_by_a_later_build(project: Path) -> None:
    # Hard links share bytes: the next build must never write through them into the old site.
    out = project.parent / "site"
    write_site(SITE, {}, out, project)
    kept = out / "index.html"
    keep = project.parent / "keep.html"
    os.link(kept, keep)
    write_site({**SITE, "index.html": b"<h1>Changed</h1>"}, {}, out, project)
    assert keep.read_bytes() == b"<h1>Index</h1>"
    assert (out / "index.html").read_bytes() == b"<h1>Changed</h1>"


def test_the_site_is_readable_by_a_web_server(project: Path, umask_022: None) -> None:
    out = project.parent / "site"
    write_site(SITE, {}, out, project)
    assert out.stat().st_mode & 0o755 == 0o755
    assert (out / "briefs").stat().st_mode & 0o755 == 0o755
    assert (out / "index.html").stat().st_mode & 0o644 == 0o644


def test_writes_nothing_beside_the_output(project: Path) -> None:
    parent = project.parent
    (parent / "unrelated.txt").write_text("keep me", encoding="utf-8")
    before = _entries(parent)
    write_site(SITE, {}, parent / "site", project)
    write_site({"index.html": b"again"}, {}, parent / "site", project)
    assert _entries(parent) == before | {"site", ".site-spare"}  # the build before, kept
    assert (parent / "unrelated.txt").read_text(encoding="utf-8") == "keep me"


def test_writes_nothing_in_the_project_but_its_output(project: Path) -> None:
    before = _tree(project)
    write_site(SITE, {}, project / "output", project)
    after = {
        k: v for k, v in _tree(project).items() if not k.startswith(("output/", ".output-spare/"))
    }
    assert after == before
    assert _entries(project) == {"seeds", "content", "layouts", "output", ".output-spare"}


def test_removes_leftovers_of_interrupted_builds(project: Path) -> None:
    out = project / "output"
    write_site(SITE, {}, out, project)
    stale = [project / ".output-staging-abc123", project / ".output-old-xyz789"]
    for folder in stale:
        (folder / "briefs").mkdir(parents=True)
        (folder / "briefs/index.html").write_bytes(b"stale")
    write_site(SITE, {}, out, project)
    assert not any(folder.exists() for folder in stale)
    assert _entries(project) == {"seeds", "content", "layouts", "output", ".output-spare"}


def test_an_output_left_aside_by_a_killed_swap_is_put_back(project: Path) -> None:
    out = project / "output"
    write_site(SITE, {}, out, project)
    before = _tree(out)
    out.rename(project / ".output-old-killed")  # killed between the two renames of a swap
    write_site({"index.html": b"new"}, {}, out, project)
    assert not (project / ".output-old-killed").exists()
    assert _tree(project / ".output-spare") == before  # put back, then swapped out whole
    assert _tree(out)["index.html"] == b"new"


def test_the_spare_is_brought_up_to_date_rather_than_made_again(project: Path) -> None:
    out = project / "output"
    for version in (b"1", b"2", b"3"):
        stats = write_site({**SITE, "index.html": version}, {}, out, project)
    assert stats.written == 1  # only the page that changed; the spare had the rest
    assert _tree(out)["index.html"] == b"3"
    assert _tree(project / ".output-spare")["index.html"] == b"2"
    assert {k: v for k, v in _tree(out).items() if k != MARKER} == {**SITE, "index.html": b"3"}


def test_a_first_build_leaves_a_spare_so_the_next_links_nothing_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = project / "output"
    write_site(SITE, {}, out, project)
    spare = project / ".output-spare"
    assert _tree(spare) == _tree(out)
    assert all(os.path.samefile(spare / page, out / page) for page in SITE)  # not copies
    links: list[tuple[str, str]] = []
    link = os.link

    def counted(source: str, target: str) -> None:
        links.append((source, target))
        link(source, target)

    monkeypatch.setattr(os, "link", counted)
    stats = write_site({**SITE, "index.html": b"2"}, {}, out, project)
    assert (stats.written, links) == (1, [])  # the page that changed; the spare had the rest
    assert _tree(out) == {**_tree(spare), MARKER: _tree(out)[MARKER], "index.html": b"2"}
    assert _tree(spare)["index.html"] == SITE["index.html"]


def test_a_spare_left_half_updated_is_not_trusted(project: Path) -> None:
    out = project / "output"
    for version in (b"1", b"2"):
        write_site({**SITE, "index.html": version}, {}, out, project)
    spare = project / ".output-spare"
    (spare / ".briefsite-dirty").touch()  # a run was killed while updating it
    (spare / "briefs/a/index.html").write_bytes(b"half-written")
    write_site({**SITE, "index.html": b"3"}, {}, out, project)
    assert {k: v for k, v in _tree(out).items() if k != MARKER} == {**SITE, "index.html": b"3"}


def test_a_spare_file_changed_by_hand_is_not_kept(project: Path) -> None:
    out = project / "output"
    for version in (b"1", b"2"):
        write_site({**SITE, "index.html": version}, {}, out, project)
    tampered = project / ".output-spare/entities/x/index.html"
    tampered.unlink()
    tampered.write_bytes(b"<h1>Y</h1>")  # same size, different bytes and inode
    write_site({**SITE, "index.html": b"3"}, {}, out, project)
    assert _tree(out)["entities/x/index.html"] == SITE["entities/x/index.html"]


def test_leaves_other_hidden_folders_alone(project: Path) -> None:
    other = [project / ".git", project / ".other-staging-1", project / ".output-notes"]
    for folder in other:
        folder.mkdir()
    write_site(SITE, {}, project / "output", project)
    assert all(folder.is_dir() for folder in other)


# --- write_site: refusals and failures --------------------------------------------------------


def test_refusal_raises_a_located_error_and_touches_nothing(project: Path) -> None:
    before = _tree(project)
    with pytest.raises(BriefsiteError) as info:
        write_site(SITE, {}, project / "content", project)
    (d,) = info.value.diagnostics
    assert d.location.path == str(project / "content")
    assert "inside the project's content/ folder" in d.message
    assert _tree(project) == before


def test_refuses_to_replace_a_folder_it_did_not_make(project: Path) -> None:
    folder = project.parent / "documents"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(BriefsiteError):
        write_site(SITE, {}, folder, project)
    assert (folder / "thesis.docx").read_bytes() == b"precious"
    assert _entries(folder) == {"thesis.docx"}


def _assert_old_site_intact(out: Path, old: dict[str, bytes]) -> None:
    assert _tree(out) == old
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}-")]
    assert set(beside) <= {f".{out.name}-spare"}, "no staging folder or temporary file left"


def test_a_failed_write_leaves_the_old_site_whole(project: Path) -> None:
    out = project / "output"
    write_site(SITE, {}, out, project)
    old = _tree(out)
    broken = {"index.html": b"new", "briefs": b"a file", "briefs/a/index.html": b"under a file"}
    with pytest.raises(BriefsiteError) as info:
        write_site(broken, {}, out, project)
    (d,) = info.value.diagnostics
    assert d.message.startswith("cannot write the site: ")
    assert "previous output is unchanged" in d.hint
    _assert_old_site_intact(out, old)


def test_a_missing_static_file_fails_cleanly(project: Path, tmp_path: Path) -> None:
    out = project / "output"
    write_site(SITE, {}, out, project)
    old = _tree(out)
    with pytest.raises(BriefsiteError) as info:
        write_site(SITE, {"assets/gone.css": tmp_path / "gone.css"}, out, project)
    assert "gone.css" in info.value.diagnostics[0].message
    _assert_old_site_intact(out, old)


def test_a_failed_swap_puts_the_old_site_back(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = project / "output"
    write_site(SITE, {}, out, project)
    old = _tree(out)
    real_rename = Path.rename

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if self.name.startswith(".output-staging-") or self.name == ".output-spare":
            raise OSError(28, "No space left on device", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)  # no atomic exchange here
    with pytest.raises(BriefsiteError) as info:
        write_site({"index.html": b"new"}, {}, out, project)
    assert "No space left on device" in info.value.diagnostics[0].message
    monkeypatch.undo()
    _assert_old_site_intact(out, old)


def test_an_interrupted_write_leaves_the_old_site_whole(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = project / "output"
    write_site(SITE, {}, out, project)
    old = _tree(out)
    real_write = Staging.write
    calls = 0

    def interrupted(self: Staging, relative: str, data: bytes) -> write.OutputStamp:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt
        return real_write(self, relative, data)

    monkeypatch.setattr(Staging, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_site({"a.html": b"1", "b.html": b"2", "c.html": b"3"}, {}, out, project)
    monkeypatch.undo()
    _assert_old_site_intact(out, old)


def test_a_failed_first_write_leaves_no_output(project: Path) -> None:
    out = project / "output"
    with pytest.raises(BriefsiteError):
        write_site({"x": b"file", "x/y.html": b"under a file"}, {}, out, project)
    assert not out.exists()
    assert _entries(project) == {"seeds", "content", "layouts"}
