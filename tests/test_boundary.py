"""The project folder is a boundary: real symlinks to files outside it are errors that name
the link and its target, and no byte of the target reaches a message, a page or the
preview's status; symlinks that stay inside the project work as the files they point at."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefsite.build.builder import Builder
from briefsite.build.store import Store
from briefsite.cli.main import main
from briefsite.errors import Diagnostic, SourceLocation
from briefsite.serve.preview import error_entries
from tests.helpers import build_site, check, errors

# What a machine's secrets look like to YAML: a mapping whose every key would be echoed as
# an unknown key, and text that would be published as a seed or a static file.
SECRET = "hunter2-do-not-publish"
SECRET_TEXT = "".join(
    f"{user}: x:{uid}:{uid}:{SECRET}:/home/{user}:/bin/sh\n"
    for uid, user in enumerate(("root", "daemon", "alice"))
)
CLI = Callable[..., tuple[int, str, str]]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project, as /etc/passwd is."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    path = folder / "passwd"
    path.write_text(SECRET_TEXT, encoding="utf-8")
    (folder / "leak.yaml").write_text(SECRET_TEXT, encoding="utf-8")
    (folder / "base.html").write_text(f"<p>{SECRET}</p>{{{{ page }}}}\n", encoding="utf-8")
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CLI:
    def run(*argv: str | Path) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _link(root: Path, relative: str, target: Path) -> Path:
    link = root / relative
    if link.is_dir() and not link.is_symlink():
        raise AssertionError(f"{relative} is a real folder; remove it before linking")
    if link.exists() or link.is_symlink():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    assert os.path.realpath(link) == os.path.realpath(link.parent / target)
    return link


def _every_byte(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


# Each case: the link made in the project, what it points at (relative to the folder of
# the secret), and the name the error gives the link.
OUTSIDE = {
    "seed": ("seeds/agency-move.txt", "passwd", "seeds/agency-move.txt"),
    "topic": ("content/topics/leak.yaml", "leak.yaml", "content/topics/leak.yaml"),
    "site": ("content/site.yaml", "leak.yaml", "content/site.yaml"),
    "entities folder": ("content/entities", ".", "content/entities"),
    "static file": ("layouts/static/passwd.txt", "passwd", "layouts/static/passwd.txt"),
    "template": ("layouts/base.html", "base.html", "layouts/base.html"),
    "layouts folder": ("layouts", ".", "layouts"),
}


@pytest.mark.parametrize("case", sorted(OUTSIDE))
def test_a_symlink_out_of_the_project_is_a_located_error_that_quotes_nothing(
    make_project: Callable[..., Path], secret: Path, tmp_path: Path, cli: CLI, case: str
) -> None:
    root = make_project()
    relative, target_name, shown = OUTSIDE[case]
    if target_name == ".":  # a folder of the project replaced by a link to one outside
        shutil.rmtree(root / relative, ignore_errors=True)
    target = (secret.parent / target_name).resolve()
    _link(root, relative, target)
    output = tmp_path / "site"

    code, out, err = cli("build", "--project", root, "--output", output)
    assert code == 1
    expected = f"{shown}:1:1: error: symlink to a file outside the project: {shown} -> {target}"
    assert expected in err.splitlines()
    assert SECRET not in out + err and "daemon" not in out + err
    assert not output.exists(), "a failed build publishes nothing"

    code, out, err = cli("check", "--project", root, "--format", "json")
    assert code == 1
    report = json.loads(out)
    errors = [
        (d["path"], d["line"], d["col"], d["message"])
        for d in report["diagnostics"]
        if d["severity"] == "error"
    ]
    assert (shown, 1, 1, f"symlink to a file outside the project: {shown} -> {target}") in errors
    assert SECRET not in out + err


def test_a_symlinked_file_is_never_quoted_under_an_error_located_in_it(
    make_project: Callable[..., Path], secret: Path, cli: CLI
) -> None:
    # A message located in a file that is (now) a link out must not show that file's line.
    root = make_project()
    _link(root, "content/topics/leak.yaml", secret.parent / "leak.yaml")
    d = Diagnostic(
        SourceLocation("content/topics/leak.yaml", 2, 1), "unknown key 'daemon'", "remove the key"
    )
    (entry,) = error_entries([d], root)
    assert entry["source"] is None
    inside = Diagnostic(SourceLocation("content/topics/staffing.yaml", 1, 1), "x", "")
    assert error_entries([inside], root)[0]["source"] == "name: Staffing"


def test_nothing_of_an_outside_file_is_published_when_the_rest_is_fine(
    make_project: Callable[..., Path], secret: Path, tmp_path: Path
) -> None:
    root = make_project()
    _link(root, "layouts/static/passwd.txt", secret)
    run = check(root)
    assert [(e.location.path, e.message) for e in errors(run)] == [
        (
            "layouts/static/passwd.txt",
            f"symlink to a file outside the project: layouts/static/passwd.txt -> {secret}",
        )
    ]
    (root / "layouts/static/passwd.txt").unlink()
    files = build_site(root, tmp_path / "site")
    assert "passwd.txt" not in files
    assert SECRET.encode() not in _every_byte(tmp_path / "site")


def test_symlinks_inside_the_project_keep_working(
    make_project: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_project()
    shared = root / "shared"
    shared.mkdir()
    seed = root / "seeds/agency-move.txt"
    (shared / "seed.txt").write_bytes(seed.read_bytes())
    _link(root, "seeds/agency-move.txt", Path("../shared/seed.txt"))
    entity = root / "content/entities/agency.yaml"
    (shared / "agency.yaml").write_bytes(entity.read_bytes().replace(b"The Agency", b"The Bureau"))
    _link(root, "content/entities/agency.yaml", Path("../../shared/agency.yaml"))
    (shared / "extra.css").write_text("p { color: teal }\n", encoding="utf-8")
    _link(root, "layouts/static/assets/extra.css", Path("../../../shared/extra.css"))
    assert errors(check(root)) == []
    files = build_site(root, tmp_path / "site")
    assert files["assets/extra.css"] == b"p{color:teal}", (
        "published, minified, as the link's target"
    )
    assert b"The Bureau" in files["entities/agency/index.html"]
    assert b"move 40 staff" in files["briefs/agency-move/index.html"]


def test_a_layouts_folder_linked_inside_the_project_is_used(
    make_project: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_project()
    theme = root / "themes/plain/static"
    theme.mkdir(parents=True)
    (theme / "humans.txt").write_text("User-agent: *\n", encoding="utf-8")
    _link(root, "layouts", Path("themes/plain"))
    files = build_site(root, tmp_path / "site")
    assert files["humans.txt"] == b"User-agent: *\n"


def test_a_file_replaced_by_a_link_out_between_two_runs_is_not_read(
    make_project: Callable[..., Path], secret: Path, tmp_path: Path
) -> None:
    # The preview rebuilds from the watcher's list of changed files, without listing the
    # project again: the link must be caught where the file is read.
    root = make_project()
    builder = Builder(root, Store.none())
    output = tmp_path / "site"
    assert builder.build(output).ok
    before = _every_byte(output)
    topic = _link(root, "content/topics/staffing.yaml", secret.parent / "leak.yaml")
    built = builder.build(output, {topic})
    assert not built.ok
    assert [(d.location.path, d.message) for d in built.diagnostics if d.severity == "error"] == [
        (
            "content/topics/staffing.yaml",
            "symlink to a file outside the project: content/topics/staffing.yaml -> "
            f"{secret.parent / 'leak.yaml'}",
        )
    ]
    assert SECRET not in repr(built.diagnostics)
    assert _every_byte(output) == before
