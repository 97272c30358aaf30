"""The command line: `./build.py [build|check|anchor|serve|new|schema] [options]`."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from briefsite.cli.commands import (
    EXIT_BUG,
    EXIT_USAGE,
    anchor_command,
    build_command,
    check_command,
)
from briefsite.cli.report import UsageError
from briefsite.errors import COMMAND
from briefsite.read.sources import SCHEMA_FOLDER
from briefsite.workers import default_jobs

COMMANDS = ("build", "check", "anchor", "serve", "new", "schema")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="folder holding seeds/, content/ and optionally layouts/ (default: current folder)",
    )
    common.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=default_jobs(),
        metavar="N",
        help="processes to convert and render with on large sites (default: the CPU count)",
    )
    common.add_argument(
        "--no-cache",
        action="store_true",
        help="drop the build cache (.briefsite-cache/) and work from nothing",
    )
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    loudness.add_argument("-v", "--verbose", action="store_true", help="print more detail")

    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description="Build a site of annotated policy briefs from seeds/ and content/.",
        epilog="Without a command, `build` is run. Exit codes: 0 ok, 1 content errors, "
        "2 usage errors, 70 internal error.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", parents=[common], help="build the site (default)")
    build.add_argument(
        "--output", type=Path, metavar="DIR", help="where to write the site (default: DIR/output)"
    )
    check = commands.add_parser(
        "check", parents=[common], help="validate everything, write nothing"
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="report format: text, json (a versioned document on stdout) or github "
        "(annotations for GitHub Actions) (default: text)",
    )
    for command in (build, check):
        command.add_argument(
            "--strict", action="store_true", help="treat warnings (fuzzy quotes) as errors"
        )
    anchor = commands.add_parser(
        "anchor",
        parents=[common],
        help="record each note's prefix, suffix and position, and the seed's hash",
    )
    anchor.add_argument("briefs", nargs="*", metavar="BRIEF", help="brief slugs (default: all)")
    anchor.add_argument(
        "--write", action="store_true", help="rewrite the brief files instead of printing a diff"
    )
    serve = commands.add_parser(
        "serve", parents=[common], help="preview: build, serve, rebuild on save, reload pages"
    )
    serve.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="where to write the preview (default: DIR/.briefsite/serve; never output/)",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=8000,
        help="port to listen on; 0 picks a free one (default: 8000)",
    )
    serve.add_argument(
        "--poll", action="store_true", help="poll for changes instead of native file events"
    )
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    new = commands.add_parser(
        "new",
        parents=[common],
        help="import an article (.txt, .md, .html) as a seed and start its brief",
    )
    new.add_argument("article", metavar="ARTICLE", help="the article file to import")
    new.add_argument(
        "--slug", metavar="S", help="the seed's and brief's name (default: from the file name)"
    )
    commands.add_parser(
        "schema",
        parents=[common],
        help=f"write JSON Schema files for editors into {SCHEMA_FOLDER}/",
    )
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, not {text!r}")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the command line; no command means `build`."""
    args = list(argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help")):
        args.insert(0, "build")
    return _parser().parse_args(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    # A build makes millions of small objects that live to its end; the cyclic collector's
    # default thresholds would trace them again and again (15% of a cold build's time at
    # 1,000 briefs, benchmarks/build_speed.py). Collect less often.
    gc.set_threshold(100_000, 50, 100)
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        root = _project_root(args.project)
        if args.command == "check":
            return check_command(root, args)
        if args.command == "anchor":
            return anchor_command(root, args)
        if args.command in ("new", "schema"):
            # Imported here: the article readers are for these commands alone.
            from briefsite.cli.authoring import new_command, schema_command

            return (new_command if args.command == "new" else schema_command)(root, args)
        if args.command == "serve":
            # Imported here: the server and watcher sit above the builder; only serve uses them.
            from briefsite.cli.serve import serve_command

            return serve_command(root, args)
        return build_command(root, args)
    except UsageError as exc:
        print(f"{COMMAND}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away, e.g. `check --format json | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13  # as a shell reports a command ended by SIGPIPE
    except Exception:  # a bug, not a content problem: keep the traceback for the report
        traceback.print_exc()
        print(
            f"{COMMAND}: internal error: this is a bug in briefsite, please report it",
            file=sys.stderr,
        )
        return EXIT_BUG


def _project_root(project: Path) -> Path:
    if not project.is_dir():
        raise UsageError(f"--project {project} is not a folder")
    return project.resolve()
