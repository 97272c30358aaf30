"""Where a run puts the files it makes, and how a layout's static file gets there."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Protocol

from briefsite.build.write import OutputStamp
from briefsite.read.sources import StaticFile
from briefsite.render.assets import minifies, minify


class Sink(Protocol):
    """Where a run puts the files it makes (`build` and `serve`: a staging folder)."""

    def write(self, relative: str, data: bytes) -> OutputStamp:
        """Write a file of the new site."""
        ...

    def copy(self, relative: str, path: Path) -> OutputStamp:
        """Copy a static file into the new site."""
        ...


def publish_static(sink: Sink, static: StaticFile) -> OutputStamp:
    """Put a layout's static file into the new site: stylesheets and scripts minified."""
    try:
        size = static.path.stat().st_size
    except OSError:
        size = -1  # gone: the copy says so, as for any other file
    if size >= 0 and minifies(static.output, size):
        with contextlib.suppress(OSError):
            return sink.write(static.output, minify(static.output, static.path.read_bytes()))
    return sink.copy(static.output, static.path)
