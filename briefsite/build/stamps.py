"""Telling whether a file changed without reading it: stamps, and content digests.

A file is read again only when its stamp (modification time, size, inode, change time)
differs from the one recorded with its digest. Whether it *changed* is then decided by its
bytes: a file touched but not modified has the same digest, and nothing is made again.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

# A file modified this close to when it was looked at may be modified again within the
# same clock tick without a new mtime: it is read again next time whatever its stamp (as
# git treats "racily clean" files).
RACY_NS = 2_000_000_000

Stamp = tuple[int, int, int, int]  # mtime_ns, size, inode, ctime_ns
_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class FileState:
    """A file as last read: its stamp, the digest of its bytes, and whether the stamp was
    taken too soon after a modification to be trusted next time."""

    stamp: Stamp
    digest: str
    racy: bool


def stamp_of(path: str | Path) -> Stamp | None:
    """The stamp of a file as it is now, or None when it cannot be looked at."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def digest(data: bytes) -> str:
    """The content digest used throughout the build (BLAKE2b, 128 bits, hexadecimal)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_text(*parts: str) -> str:
    """The digest of several strings, kept apart so that ("ab", "c") != ("a", "bc")."""
    # Each part's length goes before it: unambiguous, and three to four times faster than
    # hashing the tuple's repr, which escapes every character (a page's fingerprint joins
    # the names and digests of up to every brief).
    hashed = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hashed.update(len(data).to_bytes(8, "little"))
        hashed.update(data)
    return hashed.hexdigest()


def still_valid(known: FileState | None, stamp: Stamp) -> bool:
    """Whether a file's recorded digest can be trusted for its current stamp."""
    return known is not None and not known.racy and known.stamp == stamp


def file_state(stamp: Stamp, data: bytes) -> FileState:
    """The state of a file just read with the given stamp."""
    racy = time.time_ns() - stamp[0] < RACY_NS
    return FileState(stamp, digest(data), racy)


class SortedDigest(Generic[_V]):
    """The digest of named values in the order of their names, kept up to date: after a few
    values changed, only their parts are hashed again. A large site has tens of thousands
    of names, and sorting, joining and hashing them all took milliseconds of every rebuild.

    The parts are hashed in runs of `_RUN`, and the digest is that of the runs' digests: a
    changed value costs the hashing of its run, not of every part.
    """

    _RUN = 64

    def __init__(self, text: Callable[[_V], str]) -> None:
        self._text = text  # what of a value the digest is of
        self._index: dict[str, int] = {}  # each name's place among the parts
        self._parts: list[str] = []  # each name and its value's text, in the order of names
        self._runs: list[str] = []  # the digest of each run of parts

    def of(self, values: Mapping[str, _V], changed: Iterable[str] | None) -> str:
        """The digest of `values`; `changed` names every value that may differ since the
        last call (None: any of them)."""
        if changed is None or values.keys() != self._index.keys():
            names = sorted(values)
            self._index = {name: i for i, name in enumerate(names)}
            # NUL ends each name and text: no name holds one.
            self._parts = [f"{name}\0{self._text(values[name])}" for name in names]
            self._runs = [self._run(start) for start in range(0, len(names), self._RUN)]
        else:
            starts = set()
            for name in changed:
                at = self._index.get(name)  # a name that came and went since: not there
                if at is not None:
                    self._parts[at] = f"{name}\0{self._text(values[name])}"
                    starts.add(at - at % self._RUN)
            for start in starts:
                self._runs[start // self._RUN] = self._run(start)
        return digest(" ".join(self._runs).encode("ascii"))

    def _run(self, start: int) -> str:
        part = "\0".join(self._parts[start : start + self._RUN])
        return digest(part.encode("utf-8", "surrogatepass"))
