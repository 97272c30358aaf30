"""The preview server: the last good site from memory, live reload over Server-Sent Events.

Pages are served from the builder's in-memory copy of the last good site, swapped whole
after each successful build, so a request never sees a half-written page and nothing on
disk (symlinks included) is reachable by a crafted path. The reload script is added to
HTML responses here, never to the files a build writes.
"""

from __future__ import annotations

import json
import mimetypes
import queue
import threading
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

PREFIX = "/__briefsite/"
CLIENT_SCRIPT = (Path(__file__).resolve().parent / "livereload.js").read_text(encoding="utf-8")
HEARTBEAT_SECONDS = 15.0
_NO_SITE = (
    b"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>No site yet</title>"
    b"</head><body><main><h1>No site yet</h1><p>The first build failed; the errors are listed "
    b"over this page and it reloads once they are fixed.</p></main></body></html>"
)


class OutputSite(Mapping[str, bytes]):
    """The files of a built output folder, read from disk when asked for; only the files the
    build made can be named (the output is replaced whole by each build, never edited)."""

    def __init__(
        self, folder: Path, files: frozenset[str], search: frozenset[str] = frozenset()
    ) -> None:
        self.folder = folder
        self.files = files
        self.search = search  # the search index's files: made after the build, beside it

    def with_search(self, search: frozenset[str]) -> OutputSite:
        """The same site with the files of a search index made since."""
        return OutputSite(self.folder, self.files, search)

    def __getitem__(self, key: str) -> bytes:
        if key not in self.files and key not in self.search:
            raise KeyError(key)
        try:
            return (self.folder / key).read_bytes()
        except OSError as exc:  # replaced by a newer build between lookup and read
            raise KeyError(key) from exc

    def __contains__(self, key: object) -> bool:
        return key in self.files or key in self.search

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.files | self.search))

    def __len__(self) -> int:
        return len(self.files | self.search)


class SiteState:
    """What the server shows: the site, its version, the current errors, and who listens."""

    def __init__(self, nonce: str) -> None:
        self._lock = threading.Lock()
        self._site: Mapping[str, bytes] = {}
        self._version = f"{nonce}-0"
        self._count = 0
        self._errors: list[dict[str, Any]] = []
        self._listeners: set[queue.Queue[tuple[str, str] | None]] = set()
        self._nonce = nonce
        self._search: frozenset[str] = frozenset()  # the search index's files, once made
        self.builds = 0
        self.closed = threading.Event()

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

    def listen(self) -> queue.Queue[tuple[str, str] | None]:
        """A queue that receives every event from now on."""
        events: queue.Queue[tuple[str, str] | None] = queue.Queue()
        with self._lock:
            self._listeners.add(events)
        return events

    def forget(self, events: queue.Queue[tuple[str, str] | None]) -> None:
        """Stop sending events to a queue."""
        with self._lock:
            self._listeners.discard(events)

    def close(self) -> None:
        """Tell every event stream to end."""
        self.closed.set()
        with self._lock:
            for events in self._listeners:
                events.put(None)

    def _broadcast(self, name: str, data: dict[str, Any]) -> None:
        text = json.dumps(data)
        for events in self._listeners:
            events.put((name, text))


def resolve(site: Mapping[str, bytes], raw_path: str) -> tuple[str, str | None]:
    """Map a request path to ("file", key), ("redirect", location) or ("missing", None).

    Only keys of the in-memory site can ever be served; a path with `..`, `.`, a NUL or a
    backslash in any (decoded) segment is missing, whatever it would point at on disk.
    """
    path = urlsplit(raw_path).path
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
    """Add the live-reload client to an HTML page, before `</body>` when there is one."""
    tag = (
        f'<script id="briefsite-livereload" data-version="{version}">{CLIENT_SCRIPT}</script>'
    ).encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        if self.path.startswith(PREFIX + "events"):
            self._events()
        elif self.path.startswith(PREFIX + "status"):
            _, version, errors = self.server.state.snapshot()
            body = json.dumps(
                {"version": version, "builds": self.server.state.builds, "errors": errors}
            ).encode()
            self._send(HTTPStatus.OK, "application/json", body)
        else:
            self._respond(head=False)

    def _respond(self, head: bool) -> None:
        site, version, _ = self.server.state.snapshot()
        kind, key = resolve(site, self.path)
        if kind == "redirect" and key is not None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", key)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK
        if kind == "missing" or key is None:
            status, key = HTTPStatus.NOT_FOUND, "404.html"
        body = site.get(key) or (_NO_SITE if not site else b"Not found")
        ctype = content_type(key) if key in site else "text/html; charset=utf-8"
        if ctype.startswith("text/html"):
            body = inject(body, version)
        self._send(status, ctype, body, head)

    def _send(self, status: HTTPStatus, ctype: str, body: bytes, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        state = self.server.state
        events = state.listen()
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            _, version, errors = state.snapshot()
            hello = json.dumps({"version": version, "errors": errors})
            self.wfile.write(f"retry: 500\nevent: hello\ndata: {hello}\n\n".encode())
            self.wfile.flush()
            while not state.closed.is_set():
                try:
                    item = events.get(timeout=HEARTBEAT_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                    continue
                if item is None:
                    break
                name, data = item
                self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded
        finally:
            state.forget(events)
            self.close_connection = True


class PreviewServer(ThreadingHTTPServer):
    """A threaded HTTP server whose handler threads are joined on close."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int], state: SiteState, verbose: bool) -> None:
        self.state = state
        self.verbose = verbose
        super().__init__(address, _Handler)
