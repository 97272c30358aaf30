"""The preview's search index, brought up to date in the background after each build.

An edit must never wait for the index: the builder writes and publishes the pages, the open
pages reload, and only then does this thread index what changed (the delta, see
`build/search.py`) in the live output. A build that starts meanwhile first pauses the
indexer (a Pagefind run under way is stopped), so that the output is never indexed while
it is being swapped; the next publish asks again. While a delta is made, or a base made
again, searching the preview may briefly find nothing: it is a preview.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

from briefsite.build.output import live_build
from briefsite.build.search import BUNDLE, DELTA, html_pages, indexed_build, update_index
from briefsite.serve.server import SiteState


def bundle_files(site: Path) -> frozenset[str]:
    """The files of a site's search index, as the server names them."""
    found: set[str] = set()
    for part in (BUNDLE, DELTA):
        for folder, _, files in os.walk(site / part):
            for name in files:
                found.add((Path(folder) / name).relative_to(site).as_posix())
    return frozenset(found)


class Indexer:
    """Indexes the preview's output when asked, one run at a time."""

    def __init__(self, output: Path, state: SiteState) -> None:
        self.output = output
        self.state = state
        self._lock = threading.Condition()
        self._wanted: Mapping[str, str] | None = None  # the live build's pages, to index
        self._paused = False
        self._busy = False
        self._closed = False
        self._process: subprocess.Popen[str] | None = None
        self._thread = threading.Thread(target=self._loop, name="briefsite-search", daemon=True)

    def start(self) -> None:
        """Start indexing what is asked (after the first build: a large one may fork)."""
        self._thread.start()

    def request(self, pages: Mapping[str, str]) -> None:
        """Index the output as it is now: a build with these files (path -> digest) was
        just published."""
        with self._lock:
            self._paused = False
            self._wanted = pages
            self._lock.notify_all()

    def pause(self) -> None:
        """Stop a run under way and wait until nothing touches the output (before a build)."""
        with self._lock:
            self._paused = True
            if self._process is not None:
                self._process.kill()
            while self._busy:
                self._lock.wait()

    def close(self) -> None:
        """Stop for good."""
        self.pause()
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        if self._thread.is_alive():
            self._thread.join()

    def _loop(self) -> None:
        while True:
            with self._lock:
                while not self._closed and (self._paused or self._wanted is None):
                    self._lock.wait()
                if self._closed:
                    return
                pages, self._wanted = self._wanted, None
                self._busy = True
            try:
                assert pages is not None
                self._index(pages)
            except Exception as exc:
                with self._lock:
                    stopped = self._paused
                if not stopped:  # the preview keeps running; search finds the old words
                    print(f"warning: the search index was not updated: {exc}", file=sys.stderr)
            finally:
                with self._lock:
                    self._busy = False
                    self._process = None
                    self._lock.notify_all()

    def _started(self, process: subprocess.Popen[str]) -> None:
        with self._lock:
            self._process = process
            if self._paused:
                process.kill()

    def _index(self, pages: Mapping[str, str]) -> None:
        build = live_build(self.output)
        if build is None:
            return
        if indexed_build(self.output) != build:
            update_index(self.output, build, html_pages(pages), self.output, self._started)
        self.state.set_search(bundle_files(self.output))
