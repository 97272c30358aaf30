"""The command `serve`: a long-lived builder behind the preview server and the watcher."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefsite.cli.commands import open_builder, output_of
from briefsite.serve.preview import ServeOptions, serve


def serve_command(root: Path, args: argparse.Namespace) -> int:
    """`serve`: build, serve, rebuild on every save, reload the open pages."""
    output = output_of(root, args)
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
    with open_builder(root, args) as builder:
        return serve(options, builder)
