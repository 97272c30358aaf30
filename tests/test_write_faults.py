"""Writing the output where the system cannot exchange two folders atomically, and the
modes of what is written: killed between the two renames of the fallback, the next run
puts the old site back; files and folders follow the umask, kept ones included."""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from briefsite.build.write import FAULT_VARIABLE
from tests.helpers import build, site_files

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "fixtures" / "golden"
BUS = "content/briefs/bus-depot.yaml"
# The build command line, run where renameat2's exchange is unavailable (as on macOS).
NO_EXCHANGE = (
    "import sys\n"
    "from briefsite.build import write\n"
    "from briefsite.cli.main import main\n"
    "write._exchange = lambda a, b: False\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _build(root: Path, output: Path, fault: str | None = None) -> int:
    env = {k: v for k, v in os.environ.items() if k != FAULT_VARIABLE}
    if fault is not None:
        env[FAULT_VARIABLE] = fault
    command = [sys.executable, "-c", NO_EXCHANGE, "build", "--project", str(root)]
    done = subprocess.run(
        [*command, "--output", str(output), "--no-cache"],
        capture_output=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    return done.returncode


@pytest.mark.parametrize("step", ["staged", "synced", "aside", "swapped", "cleaned"])
def test_a_build_killed_during_the_fallback_swap_is_recovered_by_the_next(
    tmp_path: Path, step: str
) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    output = tmp_path / "site"
    assert _build(root, output) == 0
    before = site_files(output)
    path = root / BUS
    path.write_text(path.read_text("utf-8").replace("since 1974", "since 1975"), "utf-8")
    assert _build(root, output, step) == -signal.SIGKILL
    if step == "aside":  # the one moment with no output/: the old one is beside it, whole
        (aside,) = tmp_path.glob(".site-old-*")
        assert site_files(aside) == before and not output.exists()
    else:
        assert site_files(output) in (before, site_files(_clean(root, tmp_path)))
    # The next run, even one that fails, first puts the old site back.
    path.write_text(path.read_text("utf-8").replace("quote:", "qoute:", 1), "utf-8")
    assert _build(root, output) == 1
    assert site_files(output) in (before, site_files(_clean_edit(root, tmp_path)))
    beside = {p.name for p in tmp_path.iterdir() if not p.name.startswith((".clean", "clean"))}
    assert beside - {".site-spare"} == {"project", "site"}


def _clean(root: Path, tmp_path: Path) -> Path:
    out = tmp_path / "clean"
    if not out.exists():
        build(root, out)
    return out


def _clean_edit(root: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "clean-project"
    shutil.copytree(root, copy)
    path = copy / BUS
    path.write_text(path.read_text("utf-8").replace("qoute:", "quote:", 1), "utf-8")
    out = tmp_path / "clean-edit"
    build(copy, out)
    shutil.rmtree(copy)
    return out


def _modes(folder: Path) -> set[tuple[str, int]]:
    return {
        ("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode))
        for p in [folder, *folder.rglob("*")]
    }


def _build_with_umask(root: Path, output: Path, umask: int) -> int:
    """Build in a process of its own whose umask is `umask`; the count of files kept."""
    script = (
        "import os, sys\n"
        f"os.umask({umask:#o})\n"
        "from briefsite.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    command = [sys.executable, "-c", script, "build", "--project", str(root), "-v"]
    done = subprocess.run(
        [*command, "--output", str(output)], capture_output=True, text=True, cwd=REPO, check=True
    )
    found = re.search(r"(\d+) unchanged", done.stdout)
    assert found is not None, done.stdout
    return int(found.group(1))


def test_modes_follow_the_umask_for_written_and_kept_files_alike(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    output = tmp_path / "site"
    path = root / BUS
    _build_with_umask(root, output, 0o022)
    assert _modes(output) == {("dir", 0o755), ("file", 0o644)}
    path.write_text(path.read_text("utf-8").replace("since 1974", "since 1975"), "utf-8")
    assert _build_with_umask(root, output, 0o077) > 0, "some files were kept"
    assert _modes(output) == {("dir", 0o700), ("file", 0o600)}
    path.write_text(path.read_text("utf-8").replace("since 1975", "since 1974"), "utf-8")
    assert _build_with_umask(root, output, 0o002) > 0
    assert _modes(output) == {("dir", 0o775), ("file", 0o664)}
    assert not any(mode & (stat.S_ISUID | stat.S_ISGID) for _, mode in _modes(output))
