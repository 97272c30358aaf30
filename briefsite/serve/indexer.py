"""The preview's search index, made in the background after each build is published.

An edit must never wait for the index: the builder writes and publishes the pages, the open
pages reload, and only then does this thread run Pagefind over the live output, into a
folder beside it, and put the finished index in place. A build that starts meanwhile
first pauses the indexer (a run under way is stopped), so that the index is never
put in place while the output is being swapped; the next publish asks for a new one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from briefsite.build.output import live_build
from briefsite.build.search import (
    BUNDLE,
    index_command,
    index_environment,
    index_failed,
    indexed_build,
    mark_index,
)
from briefsite.serve.server import SiteState


def bundle_files(site: Path) -> frozenset[str]:
    """The files of a site's search index, as the server names them."""
    bundle = site / BUNDLE
    found: set[str] = set()
    for folder, _, files in os.walk(bundle):
        for name in files:
            found.add((Path(folder) / name).relative_to(site).as_posix())
    return frozenset(found)


class Indexer:
    """Runs Pagefind over the preview's output when asked, one run at a time."""

    def __init__(self, output: Path, state: SiteState) -> None:
        self.output = output
        self.state = state
        self._lock = threading.Condition()
        self._wanted = False
        self._paused = False
        self._busy = False
        self._closed = False
        self._process: subprocess.Popen[str] | None = None
        self._thread = threading.Thread(target=self._loop, name="briefsite-search", daemon=True)
        self._thread.start()

    def request(self) -> None:
        """Index the output as it is now (after a build was published)."""
        with self._lock:
            self._paused = False
            self._wanted = True
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
        self._thread.join()

    def _loop(self) -> None:
        while True:
            with self._lock:
                while not self._closed and (self._paused or not self._wanted):
                    self._lock.wait()
                if self._closed:
                    return
                self._wanted = False
                self._busy = True
            try:
                self._index()
            except Exception as exc:  # the preview keeps running; search finds old words
                print(f"warning: the search index was not updated: {exc}", file=sys.stderr)
            finally:
                with self._lock:
                    self._busy = False
                    self._process = None
                    self._lock.notify_all()

    def _index(self) -> None:
        build = live_build(self.output)
        if build is None:
            return
        if indexed_build(self.output) == build:
            self.state.set_search(bundle_files(self.output))
            return
        parent = self.output.parent
        made = Path(tempfile.mkdtemp(prefix=f".{self.output.name}-search-", dir=parent))
        bundle = made / BUNDLE
        try:
            with self._lock:
                if self._paused:
                    return
                self._process = subprocess.Popen(
                    index_command(self.output, bundle),
                    cwd=made,
                    env=index_environment(),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            output, _ = self._process.communicate()
            with self._lock:
                if self._paused:
                    return  # stopped for a build: the next publish asks again
                if self._process.returncode != 0:
                    raise index_failed(self.output, output)
                mark_index(bundle, build)
                self._install(bundle)
        finally:
            shutil.rmtree(made, ignore_errors=True)
        self.state.set_search(bundle_files(self.output))

    def _install(self, bundle: Path) -> None:
        """Put a finished index in the output's place (no build runs meanwhile)."""
        target = self.output / BUNDLE
        if target.exists():
            old = bundle.parent / "old"
            target.rename(old)
        bundle.rename(target)
