"""The persistent cache: what a build learned, kept on disk for the next one.

It lives in `.briefsite-cache/` in the project, as one SQLite database (SQLite does the
locking, the transactions and the detection of a damaged file). Every value is stored with
a checksum; values are plain data (`marshal`), or, for the few small records of entities,
topics and the site, pickles that may name only briefsite's own record types.

The cache is keyed by briefsite's code, its dependencies' versions and Python's. A cache
made by anything else, or one that is truncated, corrupt or unreadable, is dropped and
built again, with a note under `-v`; a value that fails its checksum is a miss. Nothing
read from the cache is trusted without its key matching: a wrong entry can cost time,
never a wrong page. A cache that cannot be written is a warning, never a failed build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import marshal
import pickle
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from cachetools import LRUCache

from briefsite.build.cachekey import cache_key

FOLDER = ".briefsite-cache"
_DATABASE = "cache.sqlite"
_BUSY_MS = 30_000
_CHECK = 16  # bytes of BLAKE2b checksum before every value
# Tables keyed by what their values were made from: a key that no run asks for again is
# garbage (an old version of a note's text, a card before an edit). Each run that writes
# is a generation; entries of these tables unused for `_KEPT_GENERATIONS` of them are
# swept, every `_SWEEP_EVERY` generations (the sweep reads the whole table).
_SWEPT = ("md", "fragment", "page", "record", "template")
_KEPT_GENERATIONS = 64
_SWEEP_EVERY = 16
_TABLES = ", ".join("?" * len(_SWEPT))
# Entries of those tables, and briefs' derived states and checks (each valid only with the
# key it holds), stand on their own: they are written as they pile up, not all at the end,
# or a cold build of a large project would hold its whole cache in memory.
_ON_THEIR_OWN = (*_SWEPT, "brief", "checked")
_PENDING_BYTES = 8_000_000
# Fragments read lately, kept decoded: a long-lived builder (serve) reads the same cards
# and notes for an entity's page after each edit. Their keys say what they were made from,
# so a text kept for a key is never out of date.
_RECENT_TABLES = ("fragment",)
_KEYS_PER_QUERY = 500  # below SQLite's least limit on a query's parameters (999)
_RECENT_BYTES = 8_000_000
_K = TypeVar("_K")
_V = TypeVar("_V")


def keep_within(cache: LRUCache[_K, _V], key: _K, value: _V) -> None:
    """Keep a value in a cache bounded by size, unless it alone is over the bound
    (`cachetools` refuses it; kept, it would push out every other value)."""
    if cache.getsizeof(value) <= cache.maxsize:
        cache[key] = value


@functools.cache
def _record_types() -> frozenset[tuple[str, str]]:
    from briefsite import model  # the records: needed only when something is read again

    named = {("briefsite.model", n) for n, t in vars(model).items() if dataclasses.is_dataclass(t)}
    return frozenset(named | {("briefsite.errors", "SourceLocation"), ("datetime", "date")})


class _Records(pickle.Unpickler):
    """Unpickles briefsite's records and nothing else: a cache file from an untrusted
    project can name no other class or function, so it cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _record_types():
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a briefsite record")


def _pack(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_CHECK).digest() + data


def _unpack(blob: bytes) -> bytes | None:
    check, data = blob[:_CHECK], blob[_CHECK:]
    return data if hashlib.blake2b(data, digest_size=_CHECK).digest() == check else None


class Store:
    """The cache's tables: get and put plain values by table and key; puts are written by
    `commit`, all at once. `Store.none()` keeps nothing (`build --no-cache`)."""

    def __init__(self, db: sqlite3.Connection | None, notes: list[str]) -> None:
        self._db = db
        self.notes = notes  # what happened to the cache, shown with -v
        self.warnings: list[str] = []  # what went wrong writing it, always shown
        self._pending: dict[tuple[str, str], bytes] = {}
        self._gone: set[tuple[str, str]] = set()
        self._used: set[tuple[str, str]] = set()  # entries of swept tables read since commit
        self._pending_bytes = 0  # of entries that stand on their own
        self._early = True  # whether to write them early: not after that failed once
        self._recent: LRUCache[tuple[str, str], str] = LRUCache(_RECENT_BYTES, getsizeof=len)

    @classmethod
    def none(cls) -> Store:
        """A cache that remembers nothing."""
        return cls(None, [])

    @classmethod
    def open(cls, project: Path, key: str | None = None) -> Store:
        """The project's cache, or a new empty one in place of a cache that does not check
        out; a cache folder that cannot be made leaves the build without a cache."""
        key = key or cache_key()
        folder = project / FOLDER
        notes: list[str] = []
        for attempt in (1, 2):
            try:
                folder.mkdir(exist_ok=True)
                db = _connect(folder / _DATABASE)
                found = db.execute("SELECT value FROM meta WHERE key = 'cache'").fetchone()
                if found is not None and found[0] == key:
                    return cls(db, notes)
                if found is not None:
                    notes.append("the cache was made by another version of briefsite: rebuilt")
                with _transaction(db):
                    db.execute("DROP TABLE entries")
                    _create(db)
                    db.execute("DELETE FROM meta")
                    db.execute("INSERT INTO meta VALUES ('cache', ?)", (key,))
                return cls(db, notes)
            except sqlite3.DatabaseError as exc:
                notes.append(f"the cache could not be read ({exc}): rebuilt")
                if attempt == 2 or not _drop(folder):
                    break
            except OSError as exc:
                notes.append(f"the cache folder cannot be used ({exc.strerror or exc})")
                break
        return cls(None, notes)

    @property
    def enabled(self) -> bool:
        """Whether anything is kept."""
        return self._db is not None

    def get(self, table: str, key: str) -> Any:
        """A plain value, or None when absent or damaged."""
        entry = (table, key)
        text = self._recent.get(entry)
        if text is not None:
            self._used.add(entry)
            return text
        return self._value(entry, self._get(table, key))

    def get_many(self, table: str, keys: Iterable[str]) -> dict[str, Any]:
        """The plain values of those keys that are present and intact, by key: what `get`
        gives each, read from the database in a few queries instead of one a key. A list
        read at once is not kept in memory: its caller holds it."""
        found: dict[str, Any] = {}
        unread: list[str] = []
        for key in keys:
            entry = (table, key)
            if entry in self._recent or entry in self._pending:
                value = self.get(table, key)
                if value is not None:
                    found[key] = value
            elif self._db is not None and entry not in self._gone:
                unread.append(key)
        for start in range(0, len(unread), _KEYS_PER_QUERY):
            chunk = unread[start : start + _KEYS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, value FROM entries WHERE tab = ? AND key IN ({marks})"
            try:
                assert self._db is not None
                rows = self._db.execute(query, (table, *chunk)).fetchall()
            except sqlite3.Error:
                break
            for key, blob in rows:
                if table in _SWEPT:
                    self._used.add((table, key))
                value = self._value((table, key), _unpack(blob), keep=False)
                if value is not None:
                    found[key] = value
        return found

    def _value(self, entry: tuple[str, str], blob: bytes | None, keep: bool = True) -> Any:
        """An entry's plain value, or None when absent or damaged; with `keep`, a fragment
        is kept in memory for the next ask."""
        if blob is None:
            return None
        try:
            value = marshal.loads(blob)
        except (EOFError, ValueError, TypeError):
            return None
        if keep and isinstance(value, str) and entry[0] in _RECENT_TABLES:
            keep_within(self._recent, entry, value)
        return value

    def get_all(self, table: str) -> dict[str, Any]:
        """Every plain value of a table that is intact, by key."""
        found: dict[str, Any] = {}
        if self._db is None:
            return found
        try:
            rows = self._db.execute("SELECT key, value FROM entries WHERE tab = ?", (table,))
            for key, blob in rows:
                data = _unpack(blob)
                if data is not None and (table, key) not in self._gone:
                    with contextlib.suppress(EOFError, ValueError, TypeError):
                        found[key] = marshal.loads(data)
        except sqlite3.Error:
            return {}
        for (t, key), blob in self._pending.items():
            data = _unpack(blob) if t == table else None
            if data is not None:
                found[key] = marshal.loads(data)
        return found

    def get_record(self, table: str, key: str) -> Any:
        """A record pickled by `put_record`, or None."""
        blob = self._get(table, key)
        if blob is None:
            return None
        try:
            return _Records(io.BytesIO(blob)).load()
        except Exception:  # any damage is a miss: the record is read from its file again
            return None

    def put(self, table: str, key: str, value: Any) -> None:
        """Keep a plain value (str, int, float, bytes, None, tuples, lists and dicts of them)."""
        if self._db is not None:
            self._keep(table, key, _pack(marshal.dumps(value)))

    def put_record(self, table: str, key: str, record: object) -> None:
        """Keep a record of briefsite's own types."""
        if self._db is not None:
            self._keep(table, key, _pack(pickle.dumps(record, protocol=5)))

    def _keep(self, table: str, key: str, blob: bytes) -> None:
        self._recent.pop((table, key), None)
        self._pending[(table, key)] = blob
        if table in _ON_THEIR_OWN:
            self._pending_bytes += len(blob)
            if self._pending_bytes > _PENDING_BYTES and self._early:
                self._write_early()

    def _write_early(self) -> None:
        """Write the pending entries that stand on their own now, in a transaction."""
        assert self._db is not None
        entries = [(t, k, v) for (t, k), v in self._pending.items() if t in _ON_THEIR_OWN]
        self._pending_bytes = 0
        try:
            with _transaction(self._db):
                found = self._db.execute("SELECT value FROM meta WHERE key = 'run'").fetchone()
                run = int(found[0]) + 1 if found is not None else 1
                self._db.executemany(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                    [(t, k, v, run) for t, k, v in entries],
                )
        except (sqlite3.Error, ValueError):
            self._early = False  # kept pending: `commit` writes them, or says why it cannot
            return
        for t, k, _ in entries:
            del self._pending[(t, k)]

    def delete(self, table: str, key: str) -> None:
        """Forget a value."""
        self._recent.pop((table, key), None)
        self._pending.pop((table, key), None)
        self._gone.add((table, key))

    def commit(self) -> None:
        """Write what was put since the last commit; a failure is a warning (`warnings`)
        and leaves the cache as it was: the next build does more work, nothing worse."""
        if self._db is None or not (self._pending or self._gone):
            return
        pending, gone, used = self._pending, self._gone, self._used
        self._pending, self._gone, self._used = {}, set(), set()
        self._pending_bytes = 0
        try:
            with _transaction(self._db):
                found = self._db.execute("SELECT value FROM meta WHERE key = 'run'").fetchone()
                run = int(found[0]) + 1 if found is not None else 1
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('run', ?)", (str(run),))
                self._db.executemany(
                    "DELETE FROM entries WHERE tab = ? AND key = ?", sorted(gone - set(pending))
                )
                self._db.executemany(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                    [(t, k, v, run) for (t, k), v in pending.items()],
                )
                self._db.executemany(
                    "UPDATE entries SET used = ? WHERE tab = ? AND key = ?",
                    [(run, t, k) for t, k in sorted(used) if (t, k) not in pending],
                )
                if run % _SWEEP_EVERY == 0:
                    self._db.execute(
                        f"DELETE FROM entries WHERE used < ? AND tab IN ({_TABLES})",
                        (run - _KEPT_GENERATIONS, *_SWEPT),
                    )
        except (sqlite3.Error, ValueError) as exc:
            self.warnings.append(
                f"the build cache could not be written ({exc}); the build itself is complete"
            )

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _get(self, table: str, key: str) -> bytes | None:
        pending = self._pending.get((table, key))
        if pending is not None:
            return _unpack(pending)
        if self._db is None or (table, key) in self._gone:
            return None
        try:
            row = self._db.execute(
                "SELECT value FROM entries WHERE tab = ? AND key = ?", (table, key)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        if table in _SWEPT:
            self._used.add((table, key))
        return _unpack(row[0])


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=_BUSY_MS / 1000, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    with _transaction(db):
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        _create(db)
    return db


def _create(db: sqlite3.Connection) -> None:
    # `used`: the generation (run that wrote) that last wrote or read the entry.
    db.execute(
        "CREATE TABLE IF NOT EXISTS entries (tab TEXT, key TEXT, value BLOB, used INTEGER, "
        "PRIMARY KEY (tab, key)) WITHOUT ROWID"
    )


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One transaction: everything or nothing is written (and in one go, not row by row)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _drop(folder: Path) -> bool:
    """Remove a damaged cache; whether that worked."""
    try:
        shutil.rmtree(folder)
    except OSError:
        return False
    return True


def drop(project: Path) -> None:
    """Remove the project's cache folder (`build --no-cache`)."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(project / FOLDER)
