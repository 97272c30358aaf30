"""`serve`: build, serve on 127.0.0.1, watch, rebuild what changed, reload open pages."""

from __future__ import annotations

import errno
import gc
import os
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

from briefsite.anchor.selectors import seed_sha256
from briefsite.anchor.snippet import note_snippet
from briefsite.build.builder import Builder
from briefsite.build.built import Built
from briefsite.errors import COMMAND, BriefsiteError, Diagnostic
from briefsite.read.sources import SourceLines
from briefsite.render.layouts import BUILTIN_LAYOUTS
from briefsite.serve.connections import PreviewServer
from briefsite.serve.indexer import Indexer
from briefsite.serve.server import OutputSite, SiteState
from briefsite.serve.watch import ChangeQueue, Watch, start_watching

ALL_INTERFACES = ("0.0.0.0", "::", "")
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# Every this many pauses in editing, the cyclic collector looks at the whole heap again.
_FULL_COLLECTION_EVERY = 32


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
    """Diagnostics as the error panel shows them, each with its offending source line (never
    a line of a file outside the project)."""
    lines = SourceLines(root)
    entries = []
    for d in diagnostics:
        entries.append(
            {
                "path": d.location.path,
                "line": d.location.line,
                "col": d.location.col,
                "severity": d.severity,
                "message": d.message,
                "hint": d.hint,
                "source": lines.line(d.location.path, d.location.line),
            }
        )
    return entries


def bind(host: str, port: int, state: SiteState, verbose: bool) -> PreviewServer:
    """Start listening, or raise PortInUse naming a port that is free."""
    try:
        return PreviewServer(host, port, state, verbose)
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


class Stopping:
    """Whether Ctrl-C or SIGTERM came. The KeyboardInterrupt a stop raises is lost, and
    printed with a traceback, where it lands in code whose exceptions Python ignores: a
    finalizer, or a weak reference's callback, both of which the garbage collector runs.
    So a stop that comes while the collector runs only sets `asked`, and the main loop
    looks at it too."""

    def __init__(self) -> None:
        self.asked = False

    def check(self) -> None:
        """Raise KeyboardInterrupt if a stop was asked for."""
        if self.asked:
            raise KeyboardInterrupt


@contextmanager
def _stop_signals() -> Iterator[Stopping]:
    """Ctrl-C or SIGTERM stops `serve` (as KeyboardInterrupt wherever it lands, but in the
    garbage collector: see `Stopping`); a second one, while stopping, ends the process at
    once. The output stays whole even then: the build's swap is atomic, and what a killed
    build leaves beside it the next one removes."""
    stopping = Stopping()
    collecting = False

    def track(phase: str, info: dict[str, int]) -> None:
        nonlocal collecting
        collecting = phase == "start"

    def at_once(signum: int, frame: FrameType | None) -> None:
        os.write(sys.stderr.fileno(), b"Stopped at once\n")
        os._exit(128 + signum)

    def stop(signum: int, frame: FrameType | None) -> None:
        for number in _STOP_SIGNALS:
            signal.signal(number, at_once)
        stopping.asked = True
        if not collecting:
            raise KeyboardInterrupt

    previous = {number: signal.signal(number, stop) for number in _STOP_SIGNALS}
    gc.callbacks.append(track)
    try:
        yield stopping
    finally:
        gc.callbacks.remove(track)
        for number, handler in previous.items():
            signal.signal(number, handler)


class Preview:
    """The builder, the server and the watcher, run together until interrupted."""

    def __init__(self, options: ServeOptions, builder: Builder, out: TextIO = sys.stdout) -> None:
        self.options = options
        self.out = out
        self.state = SiteState(secrets.token_hex(4))
        self.builder = builder
        self.changes = ChangeQueue()
        # The warnings and notes printed already: each is printed again only once it has
        # gone and come back, or changed, not after every rebuild.
        self.shown: frozenset[Diagnostic] = frozenset()
        # The builder is used by this thread (rebuilds) and the server's (the quote picker).
        self.lock = threading.Lock()
        self.state.snippets = self.snippet
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
            with self.lock:
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
        tidy_memory(everything=False)  # the page has its reload event already

    def snippet(self, brief: str, seed: str, start: int, end: int) -> dict[str, object]:
        """The note to paste for the words of a brief's seed between two offsets, made from
        the seed the page was built from (`seed`, its SHA-256), or why there is none."""
        with self.lock:
            try:
                placed = self.builder.placed(brief)
            except KeyError:
                return {"error": f"brief '{brief}' has errors: fix them, then select again"}
            if seed_sha256(placed.seed) != seed:
                return {"error": "the seed has changed since this page was built: select again"}
            if end > len(placed.seed.text):
                return {"error": "those words are not in the seed"}
            made = note_snippet(placed.brief, placed.seed, start, end)
        if made is None:
            return {"error": "no words selected"}
        return {"id": made.note_id, "start": made.start, "end": made.end, "yaml": made.yaml}

    def _print_new(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Print the warnings and notes that were not there, as they are, after the last
        build."""
        for d in diagnostics:
            if d not in self.shown:
                print(d.format(), file=sys.stderr, flush=True)
        self.shown = frozenset(diagnostics)

    def _failed(self, diagnostics: Sequence[Diagnostic]) -> None:
        problems = [d for d in diagnostics if d.severity == "error"]
        for d in problems:
            print(d.format(), file=sys.stderr, flush=True)
        self.state.fail(error_entries(problems, self.options.root))
        self.say(f"Build failed: {len(problems)} error(s); still serving the last good site")

    def _report(self, outcome: Built, settle: float) -> None:
        self._print_new([d for d in outcome.diagnostics if d.severity != "error"])
        if not outcome.ok:
            self._failed(outcome.diagnostics)
            return
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
        with _stop_signals() as stopping:
            try:
                self.rebuild(0.0)  # before any thread starts, so a large first build may fork
                stopping.check()
            except KeyboardInterrupt:
                return 130
            server = bind(options.host, options.port, self.state, options.verbose)
            # The server's loop and a rebuild share the GIL: switching every 1 ms instead of
            # 5 lets a page be answered during a rebuild (p99 under load from 70 to 47 ms in
            # benchmarks/serve_load.py), for no measurable cost to the rebuild.
            sys.setswitchinterval(0.001)
            # From here on an interrupt, wherever it lands, ends in the cleanup below.
            watch: Watch | None = None
            try:
                server.start()
                self.indexer.start()
                watch = start_watching(
                    options.root,
                    ("seeds", "content", "layouts"),
                    [BUILTIN_LAYOUTS],
                    self.changes,
                    options.poll,
                )
                self._announce(server, watch)
                unsaved, pauses = True, 0
                while True:
                    stopping.check()  # a stop the garbage collector swallowed
                    batch = self.changes.take(timeout=0.5)
                    if batch is not None:
                        paths, settle = batch
                        if options.verbose:
                            self.say(f"Changed: {', '.join(sorted(paths))}")
                        self.rebuild(settle, paths)
                        unsaved = True
                    elif unsaved:
                        # What the builder learned is kept in the cache once edits pause for
                        # half a second, not when serve stops: keeping it after a long
                        # session took 1.6 s, and a stop must take less than one.
                        self.builder.persist()
                        self.builder.prepare()
                        if pauses % _FULL_COLLECTION_EVERY == 0:
                            tidy_memory(everything=True)
                        unsaved, pauses = False, pauses + 1
            except KeyboardInterrupt:
                self.say("Stopping")
            finally:
                self.indexer.close()
                self.state.close()
                server.stop()
                if watch is not None:
                    watch.stop()
        return 0

    def _announce(self, server: PreviewServer, watch: Watch) -> None:
        host, port = server.address
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


def tidy_memory(everything: bool) -> None:
    """Collect the garbage of the last rebuild, then freeze what is left; with
    `everything`, look at the frozen heap again first.

    The builder's knowledge of the site lives as long as `serve` does; the cyclic collector
    tracing it again in the middle of a rebuild cost up to 60 ms at 1,000 briefs
    (benchmarks/edit_latency.py). Frozen objects are left out of collections, so this is
    done after each rebuild has been published, and costs what the rebuild left behind.
    Cycles that became garbage after they were frozen are reclaimed once in a while, while
    edits pause (`everything`), so that memory stays bounded.
    """
    if everything:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


def serve(options: ServeOptions, builder: Builder) -> int:
    """Run the preview with `builder`; a taken port is a usage error that names a free one."""
    try:
        return Preview(options, builder).run()
    except PortInUse as exc:
        print(
            f"{COMMAND}: error: {exc}; try `{COMMAND} serve --port {exc.free}` (with make: "
            f"`make serve PORT={exc.free}`), or --port 0 to pick a free one",
            file=sys.stderr,
        )
        return 2
