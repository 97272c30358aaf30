"""What the command line prints: diagnostics with their source lines, and usage errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from briefsite.errors import Diagnostic


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
    if path not in cache:
        try:
            cache[path] = (root / path).read_text("utf-8-sig", errors="replace").splitlines()
        except (OSError, UnicodeDecodeError):
            cache[path] = None
    lines = cache[path]
    if lines is None or not 0 < line <= len(lines):
        return None
    return lines[line - 1].expandtabs(1)
