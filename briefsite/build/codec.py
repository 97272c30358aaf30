"""Diagnostics as plain data, for the cache."""

from __future__ import annotations

from typing import Any

from briefsite.errors import Diagnostic, SourceLocation

Plain = Any  # what `marshal` can keep: tuples, lists, dicts, str, int, float, None


def encode_diagnostic(d: Diagnostic) -> Plain:
    """A diagnostic as plain data."""
    at = d.location
    return (at.path, at.line, at.col, d.message, d.hint, d.severity)


def decode_diagnostic(value: Plain) -> Diagnostic:
    """A diagnostic kept by `encode_diagnostic`."""
    path, line, col, message, hint, severity = value
    return Diagnostic(SourceLocation(path, line, col), message, hint, severity)


def encode_diagnostics(items: tuple[Diagnostic, ...]) -> Plain:
    """Diagnostics as plain data."""
    return tuple(encode_diagnostic(d) for d in items)


def decode_diagnostics(value: Plain) -> tuple[Diagnostic, ...]:
    """Diagnostics kept by `encode_diagnostics`."""
    return tuple(decode_diagnostic(v) for v in value)
