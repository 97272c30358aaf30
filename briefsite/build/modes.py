"""The modes of what a build writes follow the umask, as a new file's would: for files
written anew, kept from an older build (whose umask may have been another), or written by
another program (Pagefind)."""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from pathlib import Path


@functools.cache
def umask() -> int:
    """The process's umask (asked once: reading it means setting it)."""
    found = os.umask(0o022)
    os.umask(found)
    return found


def file_mode() -> int:
    """The mode a new file gets under the umask."""
    return 0o666 & ~umask()


def folders_follow_umask(spare: Path) -> None:
    """Give a spare's folders the mode of the current umask, if it was made under another
    (its files get theirs as they are kept or written). Every folder of a spare has the mode
    its top folder has, set when it was last staged, so only a changed umask costs a walk."""
    mode = 0o777 & ~umask()
    try:
        if stat.S_IMODE(os.lstat(spare).st_mode) == mode:
            return
    except OSError:
        return
    for folder, _, _ in os.walk(spare):
        with contextlib.suppress(OSError):
            if stat.S_IMODE(os.lstat(folder).st_mode) != mode:
                os.chmod(folder, mode)


def modes_follow_umask(folder: Path, mark: str) -> None:
    """Give every folder and file under `folder` the mode the current umask gives new ones:
    for what another program wrote, or what was copied from an older build. The file
    `mark` of `folder` is given its mode last, so that once it has it, so has the rest,
    and the walk is skipped: an unchanged umask costs one `lstat`."""
    folder_mode, files_mode = 0o777 & ~umask(), file_mode()
    last = folder / mark
    try:
        if stat.S_IMODE(os.lstat(last).st_mode) == files_mode:
            return
    except OSError:
        return  # nothing to follow: no index here
    for parent, _, files in os.walk(folder):
        places = [(Path(parent), folder_mode), *((Path(parent, f), files_mode) for f in files)]
        for path, mode in places:
            if path == last:
                continue
            with contextlib.suppress(OSError):
                if stat.S_IMODE(os.lstat(path).st_mode) != mode:
                    os.chmod(path, mode)
    with contextlib.suppress(OSError):
        os.chmod(last, files_mode)
