"""The `anchor` command: print, or with `--write` apply, each brief's refreshed selectors."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from briefsite.anchor.rewrite import Plan, anchor_slugs, plan_anchor, write_atomically
from briefsite.cli.report import UsageError, print_diagnostics
from briefsite.errors import Diagnostics
from briefsite.read.sources import read_project


def anchor_command(root: Path, args: argparse.Namespace) -> int:
    """Run `build.py anchor [BRIEF ...] [--write]`; never touches seeds, only brief files."""
    diagnostics = Diagnostics()
    project = read_project(root, diagnostics)
    try:
        slugs = anchor_slugs(args.briefs, sorted(project.briefs))
    except ValueError as exc:
        raise UsageError(f"no such brief (or it has errors): {exc}") from exc
    plans: list[Plan] = []
    shown = Diagnostics()
    for slug in slugs:
        brief = project.briefs[slug]
        seed = project.seeds.get(brief.seed.slug)
        if seed is None:
            continue  # reported already: the seed is missing or unreadable
        anchoring = Diagnostics()
        plan = plan_anchor(root, brief, seed, anchoring, dt.date.today())
        if plan.refused:
            shown.extend(anchoring.errors)
        plans.append(plan)
    problems = [d for d in diagnostics.items if d.severity == "error"] + shown.items
    print_diagnostics(sorted(problems, key=lambda d: (d.location, d.message)), root, sys.stderr)
    failed = bool(diagnostics.errors)
    for plan in plans:
        if plan.refused:
            failed = True
            print(
                f"{plan.brief}: not anchored: {_notes(plan.refused)} could not be "
                "placed; fix them first",
                file=sys.stderr,
            )
            continue
        if plan.new == plan.old:
            if args.verbose:
                print(f"{plan.brief}: up to date", file=sys.stderr)
            continue
        if args.write:
            try:
                write_atomically(plan.path, plan.new)
            except OSError as exc:
                failed = True
                print(f"{plan.brief}: cannot write: {exc.strerror or exc}", file=sys.stderr)
                continue
            if not args.quiet:
                print(f"{plan.brief}: anchored", file=sys.stderr)
        else:
            sys.stdout.write(plan.diff())
    return 1 if failed else 0


def _notes(ids: tuple[str, ...]) -> str:
    return ("note " if len(ids) == 1 else "notes ") + ", ".join(ids)
