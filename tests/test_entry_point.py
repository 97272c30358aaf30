"""`./build.py` runs as written, whatever Python starts it, and `make serve PORT=N` serves on N.

The script starts itself again with the `.venv`'s Python when there is one and it is not
already running in it, so the README's commands work on a fresh clone after `make setup`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "fixtures" / "golden"
# The Python the venv was made from: it has none of briefsite's dependencies.
BARE_PYTHON: str = getattr(sys, "_base_executable", sys.executable)


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # A `make test` run passes its own make's settings down; the commands here start afresh.
    # Output is buffered, as it is for a user (a flush left out would lose it).
    outer = (
        "PYTHONPATH",
        "BRIEFSITE_IN_VENV",
        "MAKEFLAGS",
        "MAKELEVEL",
        "MFLAGS",
        "PYTHONUNBUFFERED",
    )
    env = {k: v for k, v in os.environ.items() if k not in outer}
    return subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_build_py_started_by_another_python_runs_in_the_venv(tmp_path: Path) -> None:
    folder = tmp_path / "clone"
    folder.mkdir()
    shutil.copy2(REPO / "build.py", folder / "build.py")
    fake = folder / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text('#!/bin/sh\necho "venv python: $*"\n')
    fake.chmod(0o755)
    done = _run(BARE_PYTHON, "build.py", "check", "--project", "x", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"venv python: {folder / 'build.py'} check --project x\n"


def test_build_py_of_this_repository_works_from_a_bare_python(tmp_path: Path) -> None:
    venv = REPO / ".venv"
    assert Path(sys.prefix).resolve() == venv.resolve(), (
        "the tests must run in the repository's .venv (make test does), as this test starts "
        "build.py from the Python that venv was made from"
    )
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    done = _run(BARE_PYTHON, REPO / "build.py", "check", "--project", root, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Checked 3 briefs, "), done.stdout
    executable = (REPO / "build.py").stat().st_mode & 0o111
    assert executable, "build.py must be executable: the README runs it as ./build.py"


def test_build_py_without_a_venv_or_dependencies_says_how_to_set_up(tmp_path: Path) -> None:
    folder = tmp_path / "clone"
    folder.mkdir()
    shutil.copy2(REPO / "build.py", folder / "build.py")
    done = _run(BARE_PYTHON, "build.py", "check", cwd=folder)
    assert done.returncode == 2
    assert done.stderr == (
        "./build.py: error: briefsite's dependencies are not installed (briefsite is missing)\n"
        "  hint: run `make setup` once: it creates .venv with them, and ./build.py uses it "
        "from then on\n"
    )


def test_make_serve_passes_the_port_on() -> None:
    # -n prints the commands without running them; -o takes the venv, and the layouts
    # compiled ahead of time, as set up already.
    made = ("-o", ".venv/.installed", "-o", "briefsite/render/compiled")
    done = _run("make", "-n", *made, "serve", "PORT=8001", cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [".venv/bin/python build.py serve --port 8001"]
    default = _run("make", "-n", *made, "serve", cwd=REPO)
    assert default.stdout.splitlines() == [".venv/bin/python build.py serve --port 8000"]


def test_build_py_ends_with_its_commands_code_once_all_it_printed_is_out(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    (root / "content/briefs/bus-depot.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    done = _run(
        sys.executable,
        REPO / "build.py",
        "check",
        "--project",
        root,
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert done.returncode == 1
    report = json.loads(done.stdout)  # whole: nothing printed was left in a buffer
    assert report["ok"] is False
    assert report["counts"]["error"] >= 1
