"""What the command line prints: diagnostics with their source lines, and usage errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from briefsite.errors import Diagnostic
from briefsite.read.sources import SourceLines

if TYPE_CHECKING:
    from briefsite.build.steps import Run
    from briefsite.site.pages import Placed


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
    """The closing line: how many errors, warnings and notes."""
    parts = [count(sum(d.severity == "error" for d in diagnostics), "error")]
    for severity in ("warning", "note"):
        found = sum(d.severity == severity for d in diagnostics)
        if found:
            parts.append(count(found, severity))
    print(", ".join(parts) + tail, file=stream)


# The version of the `check --format json` document; raised when a key changes meaning or
# goes away (new keys may be added within a version).
REPORT_VERSION = 1


def diagnostic_json(d: Diagnostic) -> dict[str, object]:
    """One diagnostic as the JSON report has it."""
    return {
        "severity": d.severity,
        "path": d.location.path,
        "line": d.location.line,
        "col": d.location.col,
        "message": d.message,
        "hint": d.hint,
    }


def check_report(
    run: Run, placed: Callable[[str], Placed], diagnostics: Sequence[Diagnostic]
) -> dict[str, object]:
    """The `check --format json` document (see the README: a stable, versioned format)."""
    from briefsite.anchor.anchoring import Anchor  # loaded with the run's steps already
    from briefsite.anchor.selectors import source_changed

    briefs = []
    for slug in sorted(run.anchors):
        brief = placed(slug)
        types = {n.id: n.type for n in brief.brief.annotations}
        notes = []
        for place in brief.anchors:
            spot = place if isinstance(place, Anchor) else None
            notes.append(
                {
                    "id": place.note_id,
                    "type": types[place.note_id],
                    "status": place.status,
                    "start": spot.start if spot else None,
                    "end": spot.end if spot else None,
                    "text": brief.seed.text[spot.start : spot.end] if spot else None,
                    "score": spot.score if spot else None,
                }
            )
        anchored = brief.brief.anchored
        briefs.append(
            {
                "brief": slug,
                "path": brief.brief.path,
                "seed": brief.seed.slug,
                "anchored": anchored.date.isoformat() if anchored else None,
                "seed_changed": source_changed(brief.brief, brief.seed) is not None,
                "notes": notes,
            }
        )
    return {
        "version": REPORT_VERSION,
        "ok": not any(d.severity == "error" for d in diagnostics),
        "counts": {
            severity: sum(d.severity == severity for d in diagnostics)
            for severity in ("error", "warning", "note")
        },
        "diagnostics": [diagnostic_json(d) for d in diagnostics],
        "briefs": briefs,
    }


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def github_lines(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """GitHub Actions workflow commands, one a diagnostic: a pull request shows each as an
    annotation on its line."""
    lines = []
    for d in diagnostics:
        where = ",".join(
            f"{key}={_github_property(str(value))}"
            for key, value in (
                ("file", d.location.path),
                ("line", d.location.line),
                ("col", d.location.col),
                ("title", f"briefsite {d.severity}"),
            )
        )
        text = f"{d.message}\nhint: {d.hint}" if d.hint else d.message
        lines.append(f"::{_GITHUB_LEVEL[d.severity]} {where}::{_github_data(text)}")
    return lines


def _github_data(text: str) -> str:
    # The escapes GitHub's toolkit applies to a command's message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")
