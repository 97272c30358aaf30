"""What the command line prints: diagnostics with their source lines, and usage errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from briefsite.errors import Diagnostic
from briefsite.read.sources import SourceLines

if TYPE_CHECKING:
    from briefsite.build.steps import Run


class UsageError(Exception):
    """A problem with the command line itself (exit code 2)."""


def print_diagnostics(diagnostics: Sequence[Diagnostic], root: Path, stream: TextIO) -> None:
    """Print diagnostics compiler-style, each with the offending source line when known."""
    lines = SourceLines(root)
    for d in diagnostics:
        head, _, hint = d.format().partition("\n")
        print(head, file=stream)
        source = lines.line(d.location.path, d.location.line)
        if source is not None:
            gutter = str(d.location.line)
            print(f" {gutter} | {source.expandtabs(1)}", file=stream)
            caret_col = max(d.location.col - 1, 0)
            print(f" {' ' * len(gutter)} | {' ' * caret_col}^", file=stream)
        if hint:
            print(hint, file=stream)


def count(number: int, noun: str) -> str:
    """`1 note`, `2 notes`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def print_totals(diagnostics: Sequence[Diagnostic], stream: TextIO, tail: str = "") -> None:
    """The closing line: how many errors and warnings."""
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    parts = [count(errors, "error")]
    if warnings:
        parts.append(count(warnings, "warning"))
    print(", ".join(parts) + tail, file=stream)


def check_report(
    run: Run, passage: Callable[[str, int, int], str], diagnostics: Sequence[Diagnostic]
) -> dict[str, object]:
    """The `check --format json` document."""
    from briefsite.anchor.anchoring import Anchor  # loaded with the run's steps already

    briefs = []
    for slug, placements in sorted(run.anchors.items()):
        notes = []
        for placed in placements:
            if isinstance(placed, Anchor):
                notes.append(
                    {
                        "id": placed.note_id,
                        "status": placed.status,
                        "start": placed.start,
                        "end": placed.end,
                        "text": passage(slug, placed.start, placed.end),
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
        for d in diagnostics
        if d.severity == "error"
    ]
    return {"briefs": briefs, "errors": errors}
