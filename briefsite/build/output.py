"""The output folder: which folders a build may replace, the lock on them, and the build
each one holds (the id written in its marker)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefsite.errors import BriefsiteError, SourceLocation

MARKER = ".briefsite"


def output_problem(output: Path, project: Path) -> str | None:
    """Why `output` must not be written to, or None when it is safe."""
    out = output.resolve()
    root = project.resolve()
    if out == root:
        return f"--output {output} is the project folder itself"
    if out in root.parents:
        return f"--output {output} contains the project folder"
    for folder in ("seeds", "content", "layouts"):
        if out == root / folder or root / folder in out.parents:
            return f"--output {output} is inside the project's {folder}/ folder"
    if out.exists() and not out.is_dir():
        return f"--output {output} is a file, not a folder"
    if out.is_dir():
        if (out / "seeds").exists() or (out / "content").exists():
            return f"--output {output} contains seeds/ or content/: it looks like a project"
        if not (out / MARKER).is_file() and any(out.iterdir()):
            return (
                f"--output {output} is a folder briefsite did not make and is not empty; "
                "every build replaces the whole output folder, so choose an empty or new one"
            )
    return None


def live_build(output: Path) -> str | None:
    """The build id written in the output's marker, if the output is one of ours."""
    try:
        text = (output / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith("build: "):
            return line[len("build: ") :]
    return None


@contextmanager
def output_lock(output: Path, waiting: str = "") -> Iterator[None]:
    """Hold the lock of the folder the output is in: a second build into it waits for the
    first (printing `waiting` once when it has to). The folder itself is locked, so no
    lock file is left beside the output."""
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(output.parent, os.O_RDONLY)
    except OSError as exc:
        raise cannot(output, "lock", exc) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                print(waiting, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def write_file_atomically(path: Path, text: str) -> None:
    """Replace a text file through a temporary file in its folder and a rename."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def cannot(output: Path, what: str, exc: OSError, hint_tail: str = "") -> BriefsiteError:
    where = f" ({exc.filename})" if exc.filename else ""
    return BriefsiteError.at(
        SourceLocation(str(output)),
        f"cannot {what} the site: {exc.strerror or exc}{where}",
        f"check free disk space and permissions{hint_tail}",
    )
