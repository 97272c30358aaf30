"""Watch the project's sources with watchdog and hand over settled bursts of changes."""

from __future__ import annotations

import fnmatch
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

# Files editors write beside the real one while saving: never a reason to rebuild.
EDITOR_TEMP_PATTERNS = (
    "4913",  # vim probes whether it may write in the folder
    "*.swp",
    "*.swx",
    "*.swo",
    "*~",  # vim, emacs and others keep backups so
    ".#*",  # emacs lock files
    "#*#",  # emacs auto-save files
    "*___jb_tmp___",  # JetBrains "safe write"
    "*___jb_old___",
    ".goutputstream-*",  # GNOME's GIO atomic save
    ".DS_Store",
)
SETTLE_SECONDS = 0.1  # a burst of events is over once none came for this long
MAX_WAIT_SECONDS = 1.0  # but a steady stream of events never holds a rebuild back longer


def is_editor_temp(path: str) -> bool:
    """Whether a path names an editor's temporary or backup file."""
    name = os.path.basename(path)
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in EDITOR_TEMP_PATTERNS)


class ChangeQueue:
    """Collects changed paths from the watcher thread; the builder takes them in batches."""

    def __init__(self) -> None:
        self._changed: set[str] = set()
        self._first = 0.0
        self._last = 0.0
        self._condition = threading.Condition()

    def add(self, path: str) -> None:
        """Record a change (called from the watcher's thread)."""
        with self._condition:
            now = time.monotonic()
            if not self._changed:
                self._first = now
            self._last = now
            self._changed.add(path)
            self._condition.notify_all()

    def take(self, timeout: float) -> tuple[set[str], float] | None:
        """Wait up to `timeout` for a change, then for the burst to settle; return the changed
        paths and how long was spent waiting for it to settle, or None if nothing changed."""
        with self._condition:
            if not self._changed and not self._condition.wait_for(
                lambda: bool(self._changed), timeout
            ):
                return None
            first_seen = time.monotonic()
            while True:
                now = time.monotonic()
                quiet_until = self._last + SETTLE_SECONDS
                deadline = self._first + MAX_WAIT_SECONDS
                if now >= quiet_until or now >= deadline:
                    break
                self._condition.wait(min(quiet_until, deadline) - now)
            batch, self._changed = self._changed, set()
            return batch, time.monotonic() - first_seen


@dataclass(frozen=True, slots=True)
class Watch:
    """A running watcher, and whether it polls."""

    observer: BaseObserver
    polling: bool
    reason: str

    def stop(self) -> None:
        """Stop watching and wait for the watcher's thread to end."""
        self.observer.stop()
        self.observer.join()


class _Handler(FileSystemEventHandler):
    def __init__(self, notify: Callable[[str], None]) -> None:
        super().__init__()
        self.notify = notify

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file changes nothing
        if event.is_directory and event.event_type == "modified":
            return  # a folder's mtime changes with every file written in it
        for path in (event.src_path, getattr(event, "dest_path", "")):
            # A save by rename shows as a move onto the real name: its destination counts.
            path = os.fsdecode(path)
            if path and not is_editor_temp(path):
                self.notify(path)


def start_watching(
    root: Path, folders: Iterable[str], extra: Iterable[Path], queue: ChangeQueue, poll: bool
) -> Watch:
    """Watch `root`'s `folders` and the `extra` folders recursively; fall back to polling
    when native watching fails. A folder of `folders` created later is watched from then on."""
    names = tuple(folders)
    reason = "polling, as asked (--poll)" if poll else ""
    if not poll:
        observer: BaseObserver = Observer()
        try:
            _schedule(observer, root, names, extra, queue)
            observer.start()
            return Watch(observer, False, "")
        except OSError as exc:  # e.g. the inotify watch or instance limit is reached
            observer.stop()
            reason = f"native file watching failed ({exc.strerror or exc}), polling instead"
    observer = PollingObserver(timeout=0.25)
    _schedule(observer, root, names, extra, queue)
    observer.start()
    return Watch(observer, True, reason)


class _RootHandler(FileSystemEventHandler):
    """Watches the project folder itself, only for a watched folder that appears."""

    def __init__(
        self, observer: BaseObserver, handler: _Handler, root: Path, names: tuple[str, ...]
    ) -> None:
        super().__init__()
        self.observer = observer
        self.handler = handler
        self.root = root
        self.names = names
        self.watched: set[str] = set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = Path(os.fsdecode(raw)) if raw else None
            if path is None or path.parent != self.root or path.name not in self.names:
                continue
            if path.is_dir() and path.name not in self.watched:
                self.watched.add(path.name)
                self.observer.schedule(self.handler, str(path), recursive=True)
            self.handler.notify(str(path))


def _schedule(
    observer: BaseObserver,
    root: Path,
    names: tuple[str, ...],
    extra: Iterable[Path],
    queue: ChangeQueue,
) -> None:
    handler = _Handler(queue.add)
    watching = _RootHandler(observer, handler, root, names)
    observer.schedule(watching, str(root), recursive=False)
    for name in names:
        if (root / name).is_dir():
            watching.watched.add(name)
            observer.schedule(handler, str(root / name), recursive=True)
    for folder in extra:
        if folder.is_dir() and folder.parent != root:
            observer.schedule(handler, str(folder), recursive=True)
