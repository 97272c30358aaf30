"""What the command line prints: diagnostics with their source lines, and usage errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from briefsite.errors import Diagnostic
from briefsite.read.sources import outside
from briefsite.read.textfile import newlines

if TYPE_CHECKING:
    from briefsite.build.steps import Run


class UsageError(Exception):
    """A problem with the command line itself (exit code 2)."""


def print_diagnostics(diagnostics: Sequence[Diagnostic], root: Path, stream: TextIO) -> None:
    """Print diagnostics compiler-style, each with the offending source line when known."""
    lines_of: dict[str, list[str] | None] = {}
    for d in diagnostics:
        head, _, hint = d.format().partition("\n")
        print(head, file=stream)
        source = _source_line(root, d.location.path, d.location.line, lines_of)
        if source is not None:
            gutter = str(d.location.line)
            print(f" {gutter} | {source}", file=stream)
            caret_col = max(d.location.col - 1, 0)
            print(f" {' ' * len(gutter)} | {' ' * caret_col}^", file=stream)
        if hint:
            print(hint, file=stream)


def _source_line(
    root: Path, path: str, line: int, cache: dict[str, list[str] | None]
) -> str | None:
    if path not in cache and outside(root, root / path) is not None:
        cache[path] = None  # never quote a file the project only links to
    if path not in cache:
        try:
            text = (root / path).read_text("utf-8-sig", errors="replace")
            cache[path] = newlines(text).split("\n")  # lines as editors count them
        except (OSError, UnicodeDecodeError):
            cache[path] = None
    lines = cache[path]
    if lines is None or not 0 < line <= len(lines):
        return None
    return lines[line - 1].expandtabs(1)


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
