"""What a build did: the outcome every command reads, and `--strict`'s rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from briefsite.build.manifest import Manifest, PageEntry
from briefsite.build.write import WriteStats
from briefsite.errors import Diagnostic

if TYPE_CHECKING:
    from briefsite.build.steps import Run


@dataclass(frozen=True)
class Built:
    """What `build` did."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...]
    briefs: int
    notes: int
    pages: Mapping[str, PageEntry]
    rendered: tuple[str, ...]  # files made by this run
    changed: tuple[str, ...]  # files whose bytes differ from the previous output's
    removed: tuple[str, ...]
    written: WriteStats
    up_to_date: bool  # nothing to do: the output already was what this build makes
    rebuild_seconds: float
    write_seconds: float  # writing, the search index included
    search_seconds: float = 0.0  # making the search index (0 when it was not made again)


def unchanged_build(manifest: Manifest, seconds: float, strict: bool) -> Built:
    """What a build did that found its output already as it would make it."""
    diagnostics = promoted(manifest.diagnostics) if strict else manifest.diagnostics
    return Built(
        ok=not any(d.severity == "error" for d in diagnostics),
        diagnostics=diagnostics,
        briefs=manifest.briefs,
        notes=manifest.notes,
        pages=manifest.pages,
        rendered=(),
        changed=(),
        removed=(),
        written=WriteStats(0, len(manifest.pages)),
        up_to_date=True,
        rebuild_seconds=seconds,
        write_seconds=0.0,
    )


def failed_build(result: Run, seconds: float, strict: bool) -> Built:
    """What a build did whose run had errors: nothing written."""
    return Built(
        ok=False,
        diagnostics=promoted(result.diagnostics) if strict else result.diagnostics,
        briefs=result.briefs,
        notes=result.notes,
        pages={},
        rendered=(),
        changed=(),
        removed=(),
        written=WriteStats(0, 0),
        up_to_date=False,
        rebuild_seconds=seconds,
        write_seconds=0.0,
    )


def promoted(diagnostics: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
    """Every warning made an error (`--strict`); notes stay notes."""
    return tuple(
        replace(d, severity="error") if d.severity == "warning" else d for d in diagnostics
    )
