"""User-facing errors: every problem in a project is a Diagnostic at a SourceLocation."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

# `note`: worth knowing, never a failure (not even with --strict).
Severity = Literal["error", "warning", "note"]
# How the command line is started, as messages and hints spell it (see build.py).
COMMAND = "./build.py"
_MAX_CHOICES = 12


@dataclass(frozen=True, slots=True, order=True)
class SourceLocation:
    """A position in a project file: `path` as shown to the user, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the project, with a hint on how to fix it (every one has one)."""

    location: SourceLocation
    message: str
    hint: str
    severity: Severity = "error"

    def format(self) -> str:
        """Render as `path:line:col: error: message`, the hint on indented lines below."""
        head = f"{self.location}: {self.severity}: {self.message}"
        if not self.hint:
            return head
        hint_lines = self.hint.splitlines()
        rest = "".join(f"\n        {line}" for line in hint_lines[1:])
        return f"{head}\n  hint: {hint_lines[0]}{rest}"


class BriefsiteError(Exception):
    """The one exception type for user errors: it carries every diagnostic of the run."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=_sort_key))
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    @classmethod
    def at(cls, location: SourceLocation, message: str, hint: str) -> BriefsiteError:
        """Build an error holding a single diagnostic."""
        return cls([Diagnostic(location, message, hint)])


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.location.path, d.location.line, d.location.col, d.message)


@dataclass
class Diagnostics:
    """Collects the problems of a whole run so that nothing stops at the first error."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: SourceLocation, message: str, hint: str) -> None:
        """Record an error."""
        self.items.append(Diagnostic(location, message, hint))

    def warning(self, location: SourceLocation, message: str, hint: str) -> None:
        """Record a warning: reported, but the build still succeeds."""
        self.items.append(Diagnostic(location, message, hint, "warning"))

    def note(self, location: SourceLocation, message: str, hint: str) -> None:
        """Record a note: something worth knowing that is not a mistake."""
        self.items.append(Diagnostic(location, message, hint, "note"))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Record several diagnostics at once."""
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that fail the build."""
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The diagnostics that do not fail the build."""
        return [d for d in self.items if d.severity == "warning"]

    def promote_warnings(self) -> None:
        """Turn every warning into an error (`--strict`)."""
        self.items = [
            Diagnostic(d.location, d.message, d.hint, "error") if d.severity == "warning" else d
            for d in self.items
        ]

    def raise_if_errors(self) -> None:
        """Stop the run with every error collected so far, if there is any."""
        if self.errors:
            raise BriefsiteError(self.errors)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A hint naming the closest choice, or listing all of them."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    shown = ", ".join(choices[:_MAX_CHOICES])
    more = f" (and {len(choices) - _MAX_CHOICES} more)" if len(choices) > _MAX_CHOICES else ""
    return f"expected one of: {shown}{more}"
