"""The command `serve`: a long-lived builder behind the preview server and the watcher."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefsite.cli.commands import PREVIEW_FOLDER, open_builder, output_of
from briefsite.serve.preview import ServeOptions, serve


def serve_command(root: Path, args: argparse.Namespace) -> int:
    """`serve`: build, serve, rebuild on every save, reload the open pages."""
    output = output_of(root, args, PREVIEW_FOLDER)
    options = ServeOptions(
        root=root,
        output=output,
        host=args.host,
        port=args.port,
        poll=args.poll,
        open_browser=args.open,
        quiet=args.quiet,
        verbose=args.verbose,
    )
    # The preview keeps what it learned in the cache when it stops, not after every save:
    # a stop without it (a kill) only makes the next build redo more.
    with open_builder(root, args, keep_each_run=False, preview=True) as builder:
        try:
            return serve(options, builder)
        finally:
            builder.persist()
