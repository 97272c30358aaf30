"""What the preview serves: the last good site, its errors, and the events open pages hear.

Pages are served from the files of the last good build, named by the build itself and
swapped whole after each successful build, so a request never sees a half-written page and
nothing else on disk (symlinks included) is reachable by a crafted path. The reload script
is added to HTML responses here, never to the files a build writes. How requests arrive
and responses leave is `connections.py`'s business; nothing here knows of sockets.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefsite.serve.picker import SNIPPET_PATH, Snippets, snippet_reply

PREFIX = "/__briefsite/"
EVENTS_PATH = PREFIX + "events"
STATUS_PATH = PREFIX + "status"
# What a built site keeps in memory once served: every page of a large project, not its
# largest static files, which are read from disk each time.
KEEP_BYTES = 64 * 1024 * 1024
KEEP_ONE_BYTES = 1024 * 1024
CLIENT_SCRIPT = (Path(__file__).resolve().parent / "livereload.js").read_text(encoding="utf-8")
PICKER_SCRIPT = (Path(__file__).resolve().parent / "picker.js").read_text(encoding="utf-8")
_NO_SITE = (
    b"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>No site yet</title>"
    b"</head><body><main><h1>No site yet</h1><p>The first build failed; the errors are listed "
    b"over this page and it reloads once they are fixed.</p></main></body></html>"
)


class OutputSite(Mapping[str, bytes]):
    """The files of a built output folder, read from disk when first asked for and then kept
    in memory up to a bound; only the files the build made can be named (the output is
    replaced whole by each build, never edited, and each build gets a new OutputSite)."""

    def __init__(
        self, folder: Path, files: frozenset[str], search: frozenset[str] = frozenset()
    ) -> None:
        self.folder = folder
        self.files = files
        self.search = search  # the search index's files: made after the build, beside it
        self._kept: dict[str, bytes] = {}
        self._kept_bytes = 0

    def with_search(self, search: frozenset[str]) -> OutputSite:
        """The same site with the files of a search index made since."""
        return OutputSite(self.folder, self.files, search)

    def __getitem__(self, key: str) -> bytes:
        found = self._kept.get(key)
        if found is not None:
            return found
        if key not in self.files and key not in self.search:
            raise KeyError(key)
        try:
            data = (self.folder / key).read_bytes()
        except OSError as exc:  # replaced by a newer build between lookup and read
            raise KeyError(key) from exc
        # The index's files are rewritten in place by the next index run: never kept.
        if (
            key in self.files
            and len(data) <= KEEP_ONE_BYTES
            and self._kept_bytes + len(data) <= KEEP_BYTES
        ):
            self._kept[key] = data
            self._kept_bytes += len(data)
        return data

    def __contains__(self, key: object) -> bool:
        return key in self.files or key in self.search

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.files | self.search))

    def __len__(self) -> int:
        return len(self.files | self.search)

    def in_memory(self, key: str) -> bool:
        """Whether a file can be had without reading the disk."""
        return key in self._kept


Event = tuple[str, str] | None  # (name, JSON data) for an open page, or None: stream ends
Listener = Callable[[Event], None]


class SiteState:
    """What the server shows: the site, its version, the current errors, and who listens.
    Shared by the builder's thread and the server's: every method may be called from
    either."""

    def __init__(self, nonce: str) -> None:
        self._lock = threading.Lock()
        self._site: Mapping[str, bytes] = {}
        self._version = f"{nonce}-0"
        self._count = 0
        self._errors: list[dict[str, Any]] = []
        self._listeners: set[Listener] = set()
        self._nonce = nonce
        self._search: frozenset[str] = frozenset()  # the search index's files, once made
        self.builds = 0
        self.closed = threading.Event()
        # Answers the quote picker: set by the preview once its builder can make notes.
        self.snippets: Snippets | None = None

    def snapshot(self) -> tuple[Mapping[str, bytes], str, list[dict[str, Any]]]:
        """The site, version and errors, consistent with each other."""
        with self._lock:
            return self._site, self._version, self._errors

    def publish(
        self, site: Mapping[str, bytes], changed: list[str], timings: dict[str, float]
    ) -> None:
        """Swap in a newly built site and tell every open page what changed."""
        with self._lock:
            self._count += 1
            self.builds += 1
            self._site = site.with_search(self._search) if isinstance(site, OutputSite) else site
            self._version = f"{self._nonce}-{self._count}"
            self._errors = []
            data = {"version": self._version, "changed": changed, "timings": timings}
            self._broadcast("reload", data)

    def set_search(self, files: frozenset[str]) -> None:
        """The search index was made anew: these are its files (no page reloads for it)."""
        with self._lock:
            self._search = files
            if isinstance(self._site, OutputSite):
                self._site = self._site.with_search(files)

    def fail(self, errors: list[dict[str, Any]]) -> None:
        """Keep the last good site and show `errors` over every open page."""
        with self._lock:
            self.builds += 1
            self._errors = errors
            self._broadcast("errors", {"version": self._version, "errors": errors})

    def listen(self, listener: Listener) -> None:
        """Call `listener` with every event from now on (it must not block)."""
        with self._lock:
            self._listeners.add(listener)

    def forget(self, listener: Listener) -> None:
        """Stop sending events to a listener."""
        with self._lock:
            self._listeners.discard(listener)

    def close(self) -> None:
        """Tell every event stream to end."""
        self.closed.set()
        with self._lock:
            for listener in self._listeners:
                listener(None)

    def _broadcast(self, name: str, data: dict[str, Any]) -> None:
        text = json.dumps(data)
        for listener in self._listeners:
            listener((name, text))


def path_of(target: str) -> str | None:
    """The path of a request target, or None for one that is not a URL at all (a bracketed
    host that is no IPv6 address: urlsplit raises on it)."""
    try:
        return urlsplit(target).path
    except ValueError:
        return None


def resolve(site: Mapping[str, bytes], raw_path: str) -> tuple[str, str | None]:
    """Map a request path to ("file", key), ("redirect", location) or ("missing", None).

    Only keys of the in-memory site can ever be served; a path with `..`, `.`, a NUL or a
    backslash in any (decoded) segment is missing, whatever it would point at on disk.
    """
    path = path_of(raw_path)
    if path is None:
        return "missing", None
    decoded = unquote(path)
    segments = decoded.split("/")
    if any(s in (".", "..") or "\x00" in s or "\\" in s for s in segments):
        return "missing", None
    key = "/".join(s for s in segments if s)
    if decoded.endswith("/") or not key:
        key = f"{key}/index.html" if key else "index.html"
    if key in site:
        return "file", key
    if f"{key}/index.html" in site:
        return "redirect", f"{path}/"
    return "missing", None


def content_type(key: str) -> str:
    """The Content-Type of a served file."""
    guessed, _ = mimetypes.guess_type(key)
    guessed = guessed or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript", "application/json"):
        return f"{guessed}; charset=utf-8"
    return guessed


def inject(html: bytes, version: str) -> bytes:
    """Add the live-reload client and the quote picker to an HTML page, before `</body>` when
    there is one (the picker does nothing on a page without a preview article)."""
    tag = (
        f'<script id="briefsite-livereload" data-version="{version}">{CLIENT_SCRIPT}</script>'
        f'<script id="briefsite-picker">{PICKER_SCRIPT}</script>'
    ).encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


@dataclass(frozen=True, slots=True)
class Reply:
    """A whole response: status, headers (Content-Length aside) and body."""

    status: HTTPStatus
    headers: tuple[tuple[str, str], ...]
    body: bytes


def is_events(target: str) -> bool:
    """Whether a request target asks for the live-reload event stream."""
    return path_of(target) == EVENTS_PATH


def route(state: SiteState, target: str) -> Reply:
    """The response to GET `target` (HEAD sends its headers alone); every path but the
    event stream. It reads the file it serves, so it is called off the server's loop."""
    if path_of(target) == STATUS_PATH:
        _, version, errors = state.snapshot()
        report = {"version": version, "builds": state.builds, "errors": errors}
        return _reply(HTTPStatus.OK, "application/json", json.dumps(report).encode())
    if path_of(target) == SNIPPET_PATH:
        status, body = snippet_reply(target, state.snippets)
        return _reply(status, "application/json; charset=utf-8", body)
    site, version, _ = state.snapshot()
    kind, key = resolve(site, target)
    if kind == "redirect" and key is not None:
        return Reply(HTTPStatus.MOVED_PERMANENTLY, (("Location", key),), b"")
    status = HTTPStatus.OK
    if kind == "missing" or key is None:
        status, key = HTTPStatus.NOT_FOUND, "404.html"
    body = site.get(key) or (_NO_SITE if not site else b"Not found")
    ctype = content_type(key) if key in site else "text/html; charset=utf-8"
    if ctype.startswith("text/html"):
        body = inject(body, version)
    return _reply(status, ctype, body)


def waits(state: SiteState, target: str) -> bool:
    """Whether answering GET `target` may wait: on a file read from disk, or on the builder
    (the quote picker's snippets). The server answers those off its loop, and everything
    else on it (a hand-over to another thread costs more)."""
    if path_of(target) == SNIPPET_PATH:
        return True
    site, _, _ = state.snapshot()
    if not isinstance(site, OutputSite) or path_of(target) == STATUS_PATH:
        return False
    kind, key = resolve(site, target)
    if kind == "redirect":
        return False
    key = key if kind == "file" and key is not None else "404.html"
    return key in site and not site.in_memory(key)


def _reply(status: HTTPStatus, ctype: str, body: bytes) -> Reply:
    headers = (
        ("Content-Type", ctype),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    )
    return Reply(status, headers, body)
