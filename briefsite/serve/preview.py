"""`serve`: build, serve on 127.0.0.1, watch, rebuild what changed, reload open pages."""

from __future__ import annotations

import errno
import secrets
import signal
import socket
import sys
import threading
import traceback
import webbrowser
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from briefsite.build.builder import Builder, Built
from briefsite.errors import BriefsiteError, Diagnostic
from briefsite.render.layouts import BUILTIN_LAYOUTS
from briefsite.serve.indexer import Indexer
from briefsite.serve.server import OutputSite, PreviewServer, SiteState
from briefsite.serve.watch import ChangeQueue, Watch, start_watching

ALL_INTERFACES = ("0.0.0.0", "::", "")


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """What the command line asked of `serve`."""

    root: Path
    output: Path
    host: str
    port: int
    poll: bool
    open_browser: bool
    quiet: bool
    verbose: bool


class PortInUse(Exception):
    """The asked-for port is taken; `free` names one that is not."""

    def __init__(self, host: str, port: int, free: int) -> None:
        super().__init__(f"port {port} on {host} is already in use")
        self.free = free


def error_entries(diagnostics: Sequence[Diagnostic], root: Path) -> list[dict[str, Any]]:
    """Diagnostics as the error panel shows them, each with its offending source line."""
    lines: dict[str, list[str] | None] = {}
    entries = []
    for d in diagnostics:
        path = d.location.path
        if path not in lines:
            try:
                lines[path] = (root / path).read_text("utf-8-sig", errors="replace").splitlines()
            except OSError:
                lines[path] = None
        text = lines[path]
        line = d.location.line
        source = text[line - 1] if text is not None and 0 < line <= len(text) else None
        entries.append(
            {
                "path": path,
                "line": line,
                "col": d.location.col,
                "severity": d.severity,
                "message": d.message,
                "hint": d.hint,
                "source": source,
            }
        )
    return entries


def bind(host: str, port: int, state: SiteState, verbose: bool) -> PreviewServer:
    """Start listening, or raise PortInUse naming a port that is free."""
    try:
        return PreviewServer((host, port), state, verbose)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise PortInUse(host, port, _free_port(host, port)) from exc


def _free_port(host: str, taken: int) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for candidate in [*range(taken + 1, taken + 20), 0]:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    return 0


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Preview:
    """The builder, the server and the watcher, run together until interrupted."""

    def __init__(self, options: ServeOptions, builder: Builder, out: TextIO = sys.stdout) -> None:
        self.options = options
        self.out = out
        self.state = SiteState(secrets.token_hex(4))
        self.builder = builder
        self.changes = ChangeQueue()
        self.indexer = Indexer(options.output, self.state)  # started with the server

    def say(self, text: str) -> None:
        """Print a line unless --quiet."""
        if not self.options.quiet:
            print(text, file=self.out, flush=True)

    def rebuild(self, settle: float, changed: set[str] | None = None) -> None:
        """Build, then publish the new site or the errors; a bug is shown, never fatal."""
        try:
            paths = {Path(p) for p in changed} if changed is not None else None
            self.indexer.pause()  # never index an output being swapped
            # The search index is made after the reload, in the background (`Indexer`).
            outcome = self.builder.build(self.options.output, paths, search=False)
        except BriefsiteError as exc:  # the output folder could not be written
            self._failed(exc.diagnostics)
            return
        except Exception:  # a bug: keep serving the last good site and show the traceback
            text = traceback.format_exc()
            print(text, file=sys.stderr, flush=True)
            self.state.fail([{"traceback": text}])
            return
        self._report(outcome, settle)

    def _failed(self, diagnostics: Sequence[Diagnostic]) -> None:
        problems = [d for d in diagnostics if d.severity == "error"]
        for d in problems:
            print(d.format(), file=sys.stderr, flush=True)
        self.state.fail(error_entries(problems, self.options.root))
        self.say(f"Build failed: {len(problems)} error(s); still serving the last good site")

    def _report(self, outcome: Built, settle: float) -> None:
        if not outcome.ok:
            self._failed(outcome.diagnostics)
            return
        for d in outcome.diagnostics:
            print(d.format(), file=sys.stderr, flush=True)
        timings = {
            "settle_ms": round(settle * 1000, 2),
            "rebuild_ms": round(outcome.rebuild_seconds * 1000, 2),
            "write_ms": round(outcome.write_seconds * 1000, 2),
            "pages_rendered": len(outcome.rendered),
        }
        site = OutputSite(self.options.output, frozenset(outcome.pages))
        self.state.publish(site, list(outcome.changed + outcome.removed), timings)
        self.indexer.request({out: entry.digest for out, entry in outcome.pages.items()})
        self.say(
            f"Rebuilt {len(outcome.rendered)} page(s), {len(outcome.changed)} file(s) changed, "
            f"{len(outcome.removed)} removed in "
            f"{(outcome.rebuild_seconds + outcome.write_seconds) * 1000:.0f} ms"
        )

    def run(self) -> int:
        """Serve until Ctrl-C (or SIGTERM); returns the exit code."""
        options = self.options
        with _sigterm_as_interrupt():
            try:
                self.rebuild(0.0)  # before any thread starts, so a large first build may fork
            except KeyboardInterrupt:
                return 130
            server = bind(options.host, options.port, self.state, options.verbose)
            # From here on an interrupt, wherever it lands, ends in the cleanup below.
            thread: threading.Thread | None = None
            watch: Watch | None = None
            try:
                thread = threading.Thread(target=server.serve_forever, name="briefsite-server")
                thread.start()
                self.indexer.start()
                watch = start_watching(
                    options.root,
                    ("seeds", "content", "layouts"),
                    [BUILTIN_LAYOUTS],
                    self.changes,
                    options.poll,
                )
                self._announce(server, watch)
                while True:
                    batch = self.changes.take(timeout=0.5)
                    if batch is not None:
                        paths, settle = batch
                        if options.verbose:
                            self.say(f"Changed: {', '.join(sorted(paths))}")
                        self.rebuild(settle, paths)
            except KeyboardInterrupt:
                self.say("Stopping")
            finally:
                self._shutdown(server, thread, watch)
        return 0

    def _announce(self, server: PreviewServer, watch: Watch) -> None:
        host, port = str(server.server_address[0]), int(server.server_address[1])
        url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
        if self.options.host in ALL_INTERFACES:
            print(
                "warning: serving on all network interfaces: anyone who can reach this "
                "machine can read the preview",
                file=sys.stderr,
                flush=True,
            )
        if watch.reason:
            print(f"note: {watch.reason}", file=sys.stderr, flush=True)
        self.say(f"Serving {url} (Ctrl-C to stop)")
        if self.options.open_browser:
            webbrowser.open(url)

    def _shutdown(
        self, server: PreviewServer, thread: threading.Thread | None, watch: Watch | None
    ) -> None:
        # A second Ctrl-C while stopping must not leave threads behind: finish regardless.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            if watch is not None:
                watch.stop()
            self.indexer.close()
            self.state.close()
            if thread is not None:
                server.shutdown()
                thread.join()
            server.server_close()
        finally:
            signal.signal(signal.SIGINT, previous)


def serve(options: ServeOptions, builder: Builder) -> int:
    """Run the preview with `builder`; a taken port is a usage error that names a free one."""
    try:
        return Preview(options, builder).run()
    except PortInUse as exc:
        print(
            f"build.py: error: {exc}; try --port {exc.free}, or --port 0 to pick a free one",
            file=sys.stderr,
        )
        return 2
