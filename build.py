#!/usr/bin/env python3
"""The command line, `./build.py COMMAND [options]`: a thin shim over the briefsite package.

Whatever Python starts it (`./build.py`, `python3 build.py`, an editor's runner), it runs in
this folder's `.venv`, where `make setup` installed the pinned dependencies: when that venv
exists and this is not its Python, the script starts again with it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
# Set on the second start, so that a venv that is somehow not recognised as itself cannot
# make the script start again and again.
_STARTED_AGAIN = "BRIEFSITE_IN_VENV"


def venv_python() -> Path | None:
    """The `.venv`'s Python to start again with, or None: there is none, or it is this one."""
    python = VENV / "bin" / "python"
    if os.environ.get(_STARTED_AGAIN) or not python.exists():
        return None
    if Path(sys.prefix).resolve() == VENV.resolve():
        return None
    return python


def run() -> int:
    """Start the command line in the venv, or say how to set it up."""
    python = venv_python()
    if python is not None:
        os.environ[_STARTED_AGAIN] = "1"
        os.execv(python, [str(python), str(HERE / "build.py"), *sys.argv[1:]])
    try:
        from briefsite.cli.main import main
    except ModuleNotFoundError as exc:
        print(
            f"./build.py: error: briefsite's dependencies are not installed ({exc.name} is "
            "missing)\n  hint: run `make setup` once: it creates .venv with them, and "
            "./build.py uses it from then on",
            file=sys.stderr,
        )
        return 2
    return main()


def end(code: int) -> NoReturn:
    """Exit with `code` once what was printed is out, without freeing the command's objects
    one by one: everything it opened is closed by then, and Python's own exit took 50 ms of
    a one-note build of 1,000 briefs to tear down the objects of a build."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader went away: as Python reports a failed flush at exit
        code = code or 120
    os._exit(code)


if __name__ == "__main__":
    end(run())
