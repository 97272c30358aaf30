"""The commands `build`, `check` and `anchor`: each runs the one builder, then does its own
thing with the result."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from briefsite.build.builder import Builder
from briefsite.build.built import promoted
from briefsite.build.output import output_problem, write_file_atomically
from briefsite.build.store import Store, drop
from briefsite.cli.report import (
    UsageError,
    check_report,
    count,
    github_lines,
    print_diagnostics,
    print_totals,
)

if TYPE_CHECKING:  # loaded by `anchor` only: a build need not load the YAML editor
    from briefsite.anchor.rewrite import Plan

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70


@contextmanager
def open_builder(
    root: Path, args: argparse.Namespace, keep_each_run: bool = True, preview: bool = False
) -> Iterator[Builder]:
    """The project's builder, with its cache unless `--no-cache` dropped it; the cache is
    closed (and its journal folded in) when the command ends."""
    if args.no_cache:
        drop(root)
        store = Store.none()
    else:
        store = Store.open(root)
    if args.verbose:
        for note in store.notes:
            print(f"note: {note}", file=sys.stderr)
    try:
        yield Builder(root, store, args.jobs, keep_each_run, preview)
    finally:
        store.close()


# Where `serve` writes the preview, apart from `output/`: its brief pages carry the quote
# picker's offsets, which a published site never does.
PREVIEW_FOLDER = ".briefsite/serve"


def output_of(root: Path, args: argparse.Namespace, default: str = "output") -> Path:
    """The output folder asked for, checked to be one a build may replace."""
    output: Path = args.output if args.output is not None else root / default
    problem = output_problem(output, root)
    if problem:
        raise UsageError(problem)
    return output.resolve()


def build_command(root: Path, args: argparse.Namespace) -> int:
    """`build`: run, and write the site when there is no error."""
    output = output_of(root, args)
    with open_builder(root, args) as builder:
        built = builder.build(output, strict=args.strict)
        _cache_warnings(builder)
    if not built.ok:
        print_diagnostics(built.diagnostics, root, sys.stderr)
        print_totals(built.diagnostics, sys.stderr, "; nothing was written")
        return EXIT_CONTENT
    print_diagnostics(built.diagnostics, root, sys.stderr)
    if not args.quiet:
        pages = sum(
            out.endswith(".html") and not p.fingerprint.startswith("static:")
            for out, p in built.pages.items()
        )
        seconds = built.rebuild_seconds + built.write_seconds
        state = " (up to date)" if built.up_to_date else ""
        print(
            f"Built {count(built.briefs, 'brief')}, {count(built.notes, 'note')}, "
            f"{count(pages, 'page')} in {seconds:.2f} s -> {output}{state}"
        )
    if args.verbose:
        written, unchanged = built.written.written, built.written.unchanged
        print(f"  {count(written, 'file')} written, {unchanged} unchanged")
        if built.search_seconds:
            print(f"  search index made in {built.search_seconds:.2f} s")
    return EXIT_OK


def check_command(root: Path, args: argparse.Namespace) -> int:
    """`check`: run every step but the write, and report."""
    with open_builder(root, args) as builder:
        run = builder.check()
        _cache_warnings(builder)
        diagnostics = promoted(run.diagnostics) if args.strict else run.diagnostics
        report = check_report(run, builder.placed, diagnostics) if args.format == "json" else None
    errors = [d for d in diagnostics if d.severity == "error"]
    if report is not None:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_CONTENT if errors else EXIT_OK
    if args.format == "github":
        for line in github_lines(diagnostics):
            print(line)
        return EXIT_CONTENT if errors else EXIT_OK
    print_diagnostics(diagnostics, root, sys.stderr)
    if args.verbose:
        for slug, placements in sorted(run.anchors.items()):
            placed = sum(p.status in ("exact", "moved", "fuzzy") for p in placements)
            print(f"  {slug}: {placed} of {count(len(placements), 'note')} placed")
    if errors:
        print_totals(diagnostics, sys.stderr)
    elif not args.quiet:
        others = [
            count(found, severity)
            for severity in ("warning", "note")
            if (found := sum(d.severity == severity for d in diagnostics))
        ]
        verdict = ", ".join(["no errors", *others])
        print(
            f"Checked {count(run.briefs, 'brief')}, {count(run.notes, 'note')}: {verdict} "
            f"({run.seconds:.2f} s)"
        )
    return EXIT_CONTENT if errors else EXIT_OK


def anchor_command(root: Path, args: argparse.Namespace) -> int:
    """`anchor [BRIEF ...] [--write]`: run, then print or apply each brief's refreshed
    selectors; never touches seeds, only brief files. After writing, the errors shown are
    those left: a claim's quote rewritten to the seed's words is confirmed by it."""
    from briefsite.anchor.rewrite import anchor_slugs, plan_anchor

    with open_builder(root, args) as builder:
        run = builder.check()
        _cache_warnings(builder)
        try:
            slugs = anchor_slugs(args.briefs, sorted(run.anchors))
        except ValueError as exc:
            raise UsageError(f"no such brief (or it has errors): {exc}") from exc
        plans: list[Plan] = []
        for slug in slugs:
            placed = builder.placed(slug)
            today = dt.date.today()
            plans.append(plan_anchor(root, placed.brief, placed.seed, placed.anchors, today))
        failed, wrote = _apply(plans, args)
        if wrote:
            run = builder.check()
    errors = [d for d in run.diagnostics if d.severity == "error"]
    print_diagnostics(errors, root, sys.stderr)
    return EXIT_CONTENT if failed or errors else EXIT_OK


def _apply(plans: list[Plan], args: argparse.Namespace) -> tuple[bool, bool]:
    """Print each plan's diff, or write it with --write: (whether one failed, whether any
    file was written)."""
    failed = wrote = False
    for plan in plans:
        if plan.refused:
            failed = True
            print(
                f"{plan.brief}: not anchored: {_notes(plan.refused)} could not be placed; "
                "fix them first",
                file=sys.stderr,
            )
            continue
        if plan.new == plan.old:
            if args.verbose:
                print(f"{plan.brief}: up to date", file=sys.stderr)
            continue
        if args.write:
            try:
                write_file_atomically(plan.path, plan.new)
            except OSError as exc:
                failed = True
                print(f"{plan.brief}: cannot write: {exc.strerror or exc}", file=sys.stderr)
                continue
            wrote = True
            if not args.quiet:
                print(f"{plan.brief}: anchored", file=sys.stderr)
        else:
            sys.stdout.write(plan.diff())
    return failed, wrote


def _notes(ids: tuple[str, ...]) -> str:
    return ("note " if len(ids) == 1 else "notes ") + ", ".join(ids)


def _cache_warnings(builder: Builder) -> None:
    for warning in builder.store.warnings:
        print(f"warning: {warning}", file=sys.stderr)
