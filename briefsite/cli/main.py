"""The command line: `python build.py [build|check] [options]`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from briefsite.anchor.anchoring import Anchor
from briefsite.build import pipeline
from briefsite.build.write import output_problem
from briefsite.cli.anchor import anchor_command
from briefsite.cli.report import UsageError, print_diagnostics
from briefsite.errors import BriefsiteError, Diagnostic
from briefsite.workers import default_jobs

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70
COMMANDS = ("build", "check", "anchor", "serve")


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
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    loudness.add_argument("-v", "--verbose", action="store_true", help="print more detail")

    parser = argparse.ArgumentParser(
        prog="build.py",
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
        "--format", choices=("text", "json"), default="text", help="report format (default: text)"
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
        "--output", type=Path, metavar="DIR", help="where to write the site (default: DIR/output)"
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
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        root = _project_root(args.project)
        if args.command == "check":
            return _check(root, args)
        if args.command == "anchor":
            return anchor_command(root, args)
        if args.command == "serve":
            return _serve(root, args)
        return _build(root, args)
    except UsageError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away, e.g. `check --format json | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13  # as a shell reports a command ended by SIGPIPE
    except Exception:  # a bug, not a content problem: keep the traceback for the report
        traceback.print_exc()
        print(
            "build.py: internal error: this is a bug in briefsite, please report it",
            file=sys.stderr,
        )
        return EXIT_BUG


def _project_root(project: Path) -> Path:
    if not project.is_dir():
        raise UsageError(f"--project {project} is not a folder")
    return project.resolve()


def _serve(root: Path, args: argparse.Namespace) -> int:
    # Imported here: the server and watcher sit above the pipeline, and only `serve` needs them.
    from briefsite.serve.preview import ServeOptions, serve

    output: Path = args.output if args.output is not None else root / "output"
    problem = output_problem(output, root)
    if problem:
        raise UsageError(problem)
    options = ServeOptions(
        root=root,
        output=output.resolve(),
        host=args.host,
        port=args.port,
        poll=args.poll,
        open_browser=args.open,
        quiet=args.quiet,
        verbose=args.verbose,
        jobs=args.jobs,
    )
    return serve(options)


def _build(root: Path, args: argparse.Namespace) -> int:
    output: Path = args.output if args.output is not None else root / "output"
    problem = output_problem(output, root)
    if problem:
        raise UsageError(problem)
    try:
        result = pipeline.build(root, output, args.jobs, strict=args.strict)
    except BriefsiteError as exc:
        print_diagnostics(exc.diagnostics, root, sys.stderr)
        _print_totals(exc.diagnostics, sys.stderr, "; nothing was written")
        return EXIT_CONTENT
    print_diagnostics(result.warnings, root, sys.stderr)
    if not args.quiet:
        print(
            f"Built {_count(result.briefs, 'brief')}, {_count(result.notes, 'note')}, "
            f"{_count(result.pages, 'page')} in {result.seconds:.2f} s -> {output}"
        )
    if args.verbose:
        written, unchanged = result.written.written, result.written.unchanged
        print(f"  {_count(written, 'file')} written, {unchanged} unchanged")
    return EXIT_OK


def _check(root: Path, args: argparse.Namespace) -> int:
    result = pipeline.run(root, args.jobs)
    if args.strict:
        result.diagnostics.promote_warnings()
    diagnostics = sorted(result.diagnostics.items, key=lambda d: (d.location, d.message))
    errors = result.diagnostics.errors
    if args.format == "json":
        json.dump(check_report(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_CONTENT if errors else EXIT_OK
    print_diagnostics(diagnostics, root, sys.stderr)
    if args.verbose:
        for slug, placements in sorted(result.anchors.items()):
            placed = sum(isinstance(p, Anchor) for p in placements)
            print(f"  {slug}: {placed} of {_count(len(placements), 'note')} placed")
    if errors:
        _print_totals(diagnostics, sys.stderr)
    elif not args.quiet:
        warnings = len(diagnostics)
        verdict = f"no errors, {_count(warnings, 'warning')}" if warnings else "no errors"
        print(
            f"Checked {_count(len(result.project.briefs), 'brief')}, "
            f"{_count(result.note_count, 'note')}: {verdict} ({result.seconds:.2f} s)"
        )
    return EXIT_CONTENT if errors else EXIT_OK


def check_report(result: pipeline.Run) -> dict[str, object]:
    """The `check --format json` document."""
    briefs = []
    project = result.project
    for slug in sorted(project.briefs):
        seed = project.seeds.get(project.briefs[slug].seed.slug)
        notes = []
        for placed in result.anchors.get(slug, ()):
            if isinstance(placed, Anchor) and seed is not None:
                start, end = placed.start, placed.end
                text: str | None = seed.text[start:end]
                notes.append(
                    {
                        "id": placed.note_id,
                        "status": placed.status,
                        "start": start,
                        "end": end,
                        "text": text,
                        "score": placed.score,
                    }
                )
            else:
                notes.append(
                    {
                        "id": placed.note_id,
                        "status": placed.status,
                        "start": None,
                        "end": None,
                        "text": None,
                        "score": None,
                    }
                )
        briefs.append({"brief": slug, "notes": notes})
    errors = [
        {
            "path": d.location.path,
            "line": d.location.line,
            "col": d.location.col,
            "message": d.message,
        }
        for d in result.diagnostics.errors
    ]
    return {"briefs": briefs, "errors": errors}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _print_totals(diagnostics: Sequence[Diagnostic], stream: TextIO, tail: str = "") -> None:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    parts = [_count(errors, "error")]
    if warnings:
        parts.append(_count(warnings, "warning"))
    print(", ".join(parts) + tail, file=stream)
