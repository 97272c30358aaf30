"""The files a build reads, what each one holds now, and their records, parsed on demand.

A file's bytes are read only when its stamp says it may have changed; its record is parsed
only when a step needs it, and kept in memory up to a bound. Beyond it, records are kept
packed (pickled and compressed: a fifth of their size, and five times faster to unpack
than to parse), up to a second bound. A record that is needed again after both let it go
is parsed again from the file, whose bytes must still have the digest the run started
with: otherwise the file changed during the run, and the run starts over.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cachetools import LRUCache

from briefsite.build.stamps import FileState, digest, file_state, stamp_of, still_valid
from briefsite.build.store import Store, keep_within
from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics, SourceLocation
from briefsite.read.sources import (
    Source,
    StaticFile,
    boundary_error,
    boundary_problem,
    list_sources,
    outside,
)
from briefsite.read.textfile import read_bytes
from briefsite.render.layouts import BUILTIN_LAYOUTS, layout_dirs

if TYPE_CHECKING:
    from briefsite.read.records import Item

Record = tuple["Item | None", tuple[Diagnostic, ...]]  # a file's record, or None, and its problems

# The largest file of each kind that is read; a larger one is an error, never a MemoryError.
MAX_BYTES = {
    "seed": 20_000_000,
    "brief": 5_000_000,
    "entity": 1_000_000,
    "topic": 1_000_000,
    "site": 1_000_000,
    "layout": 5_000_000,
    "static": 200_000_000,
}
# How many parsed briefs and seeds stay in memory (each brief with its seed is some 40 KB),
# and how many bytes of packed ones: together, every brief of a project of 10,000 briefs
# read once a run, in a bounded amount of memory (measured by benchmarks/build_speed.py).
RECORDS_KEPT = 2048
PACKED_BYTES = 96_000_000
# How many bytes read by a scan are kept for parsing; beyond that, a file is read again
# when it is parsed (a cold build of a large project would otherwise hold it all).
FRESH_BYTES = 32_000_000
SMALL_KINDS = ("site", "entity", "topic")  # the small records: read whole every run
_BUILTIN_KINDS = ("layout", "static")  # may be briefsite's own files, outside the project
_BUILTIN_REAL = Path(os.path.realpath(BUILTIN_LAYOUTS))


class Torn(Exception):
    """A file changed while the run was reading it: the run is started again."""


@dataclass(frozen=True, slots=True)
class Listing:
    """Every file of the project that a build reads, and the problems of their names."""

    sources: tuple[Source, ...]
    statics: tuple[StaticFile, ...]
    layouts: tuple[tuple[str, Path], ...]  # templates, as shown, and where they are
    problems: tuple[Diagnostic, ...]
    # Every file by the name shown to the user, with its kind; and the name of each path.
    by_shown: Mapping[str, tuple[str, str]] = field(init=False, repr=False, compare=False)
    by_path: Mapping[str, str] = field(init=False, repr=False, compare=False)
    source_of: Mapping[str, Source] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source_of", {s.shown: s for s in self.sources})
        found: dict[str, tuple[str, str]] = {s.shown: (s.what, s.path) for s in self.sources}
        found.update((s.source, ("static", str(s.path))) for s in self.statics)
        found.update((shown, ("layout", str(path))) for shown, path in self.layouts)
        object.__setattr__(self, "by_shown", found)
        object.__setattr__(self, "by_path", {p: shown for shown, (_, p) in found.items()})

    def files(self) -> Mapping[str, tuple[str, str]]:
        """Every file by the name shown to the user, with its kind."""
        return self.by_shown


def list_project(root: Path) -> Listing:
    """List the sources, the layouts' templates and their static files."""
    diagnostics = Diagnostics()
    sources = list_sources(root, diagnostics)
    statics: dict[str, StaticFile] = {}
    layouts: list[tuple[str, Path]] = []
    for directory in reversed(layout_dirs(root)):  # the project's files override built-ins
        own = directory != BUILTIN_LAYOUTS
        if own and outside(root, directory) is not None:
            boundary_error("layouts", Path(os.path.realpath(directory)), diagnostics)
            continue
        for path in sorted(directory.rglob("*")):
            relative = path.relative_to(directory)
            shown = f"layouts/{relative.as_posix()}" if own else os.path.normpath(path)
            if path.name.startswith(".") or not path.is_file():
                continue
            target = outside(root, path) if own else None
            if target is not None:
                boundary_error(shown, target, diagnostics)
                continue
            if relative.parts[0] == "static":
                output = relative.relative_to("static").as_posix()
                statics[output] = StaticFile(output, path, f"layouts/{relative.as_posix()}")
            elif path.suffix == ".html":
                layouts.append((shown, path))
    return Listing(
        tuple(sources), tuple(statics.values()), tuple(layouts), tuple(diagnostics.items)
    )


class Files:
    """The project's files as last read, and their parsed records."""

    def __init__(self, root: Path, store: Store) -> None:
        self.root = root
        self.store = store
        self.states: dict[str, FileState] = {}
        self.problems: dict[str, Diagnostic] = {}  # files that could not be read
        self._packed: LRUCache[tuple[str, str], bytes] = LRUCache(PACKED_BYTES, getsizeof=len)
        self._records = _Records(RECORDS_KEPT, self._pack)
        self._fresh: dict[str, bytes] = {}  # bytes read by this run's scan, not yet parsed
        self._fresh_bytes = 0
        self._scanned: Mapping[str, tuple[str, str]] | None = None  # the last scan's files
        self._unread: set[str] = set()  # those of them without a state when last looked at

    def scan(self, files: Mapping[str, tuple[str, str]], only: Collection[str] | None) -> None:
        """Bring every file's state up to date: those in `only` when given (and those that
        have no state), else all."""
        self._fresh.clear()
        self._fresh_bytes = 0
        if only is not None and files is self._scanned:
            # The same files as the last scan: a large site has tens of thousands, and
            # going through them all took milliseconds of every rebuild.
            for shown in sorted(self._unread.union(only)):
                if shown in files:
                    kind, path = files[shown]
                    self._look(shown, kind, path)
            return
        for shown in [s for s in self.states if s not in files]:
            del self.states[shown]
        for shown in [s for s in self.problems if s not in files]:
            del self.problems[shown]
        self._unread = set()
        for shown, (kind, path) in files.items():
            if only is not None and shown not in only and shown in self.states:
                continue
            self._look(shown, kind, path)
        self._scanned = files

    def state_now(self, shown: str, kind: str, path: str, known: FileState) -> FileState | None:
        """A file's state as it is now, given the one last recorded: read again when its
        stamp differs; None when it cannot be read (the run that follows says why)."""
        self.states[shown] = known
        self._look(shown, kind, path)
        return self.states.get(shown)

    def _look(self, shown: str, kind: str, path: str) -> None:
        self._read(shown, kind, path)
        if shown in self.states:
            self._unread.discard(shown)
        else:
            self._unread.add(shown)

    def _read(self, shown: str, kind: str, path: str) -> None:
        self.problems.pop(shown, None)
        for _ in range(3):  # a file rewritten while it is read is read again
            stamp = stamp_of(path)
            if stamp is None:
                break
            known = self.states.get(shown)
            if still_valid(known, stamp):
                return
            # Listed files were inside the project, but a watcher's hint skips the listing:
            # a file replaced by a symlink since then is caught here, before it is read.
            target = outside(self.root, path)
            if target is not None and not _builtin(kind, target):
                self.states.pop(shown, None)
                self.problems[shown] = boundary_problem(shown, target)
                return
            if stamp[1] > MAX_BYTES[kind]:
                self.states.pop(shown, None)
                self.problems[shown] = _too_large(shown, kind, stamp[1])
                return
            try:
                data = read_bytes(path, shown)
            except BriefsiteError as exc:
                self.states.pop(shown, None)
                self.problems[shown] = exc.diagnostics[0]
                return
            if stamp_of(path) == stamp:
                self.states[shown] = file_state(stamp, data)
                if self._fresh_bytes + len(data) <= FRESH_BYTES:
                    self._fresh[shown] = data
                    self._fresh_bytes += len(data)
                return
        self.states.pop(shown, None)
        try:
            read_bytes(path, shown)
        except BriefsiteError as exc:
            self.problems[shown] = exc.diagnostics[0]

    def forget_unparsed(self) -> None:
        """Let go of the bytes the scan read that no parse took (forked workers parsed
        them): reading a file again later costs less than holding every one."""
        self._fresh.clear()
        self._fresh_bytes = 0

    def digest(self, shown: str) -> str | None:
        """The digest of a file's bytes as this run found them."""
        state = self.states.get(shown)
        return state.digest if state is not None else None

    def record(self, source: Source) -> Record:
        """A source's record (None if it has errors) and its problems."""
        expected = self.digest(source.shown)
        if expected is None:
            return None, ()
        key = (source.shown, expected)
        found = self._records.get(key)
        if found is not None:
            return found
        packed = self._packed.get(key)
        if packed is not None:
            found = pickle.loads(zlib.decompress(packed))
        elif source.what in SMALL_KINDS and source.shown not in self._fresh:
            kept = self.store.get_record("record", f"{source.shown}\0{expected}")
            if kept is not None:
                found = (kept[0], tuple(kept[1]))
        if found is None:
            data = self._fresh.pop(source.shown, None)
            if data is None:
                try:
                    data = read_bytes(source.path, source.shown)
                except BriefsiteError as exc:
                    raise Torn(source.shown) from exc
                if digest(data) != expected:
                    raise Torn(source.shown)
            # Imported here: YAML and the records are not needed when nothing changed.
            from briefsite.read.records import parse_source

            found = parse_source(source, data)
            if source.what in SMALL_KINDS:
                self.store.put_record("record", f"{source.shown}\0{expected}", found)
        self._records[key] = found
        return found

    def _pack(self, key: tuple[str, str], found: Record) -> None:
        if key in self._packed:
            return
        keep_within(self._packed, key, zlib.compress(pickle.dumps(found, protocol=5), 1))


class _Records(LRUCache[tuple[str, str], "Record"]):
    """Parsed records, the least recently used handed to `evicted` (to be packed) as they
    make way for others."""

    def __init__(self, kept: int, evicted: Callable[[tuple[str, str], Record], None]) -> None:
        super().__init__(kept)
        self._evicted = evicted

    def popitem(self) -> tuple[tuple[str, str], Record]:
        """Drop the least recently used record, handing it on."""
        key, found = super().popitem()
        self._evicted(key, found)
        return key, found


def _builtin(kind: str, real: Path) -> bool:
    return kind in _BUILTIN_KINDS and (real == _BUILTIN_REAL or _BUILTIN_REAL in real.parents)


def _too_large(shown: str, kind: str, size: int) -> Diagnostic:
    limit = MAX_BYTES[kind]
    return Diagnostic(
        SourceLocation(shown),
        f"file is too large: {size:,} bytes, and a {kind} file may have at most {limit:,}",
        "split it, or remove what does not belong in it",
    )
