"""Rendering one page of a run: its bytes written where they go, and what it gave."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from briefsite.build import derive
from briefsite.build.stamps import digest
from briefsite.build.write import OutputStamp
from briefsite.errors import Diagnostic
from briefsite.site.pages import PageKey
from briefsite.site.plan import Planner

Write = Callable[[str, bytes], OutputStamp]


@dataclass(frozen=True, slots=True)
class Made:
    """What rendering one page gave: its digest and stamp, or the errors that stopped it."""

    output: str
    fingerprint: str
    digest: str | None
    stamp: OutputStamp | None
    problems: tuple[Diagnostic, ...]


def render_one(
    planner: Planner, layouts: derive.Layouts, key: PageKey, fingerprint: str, write: Write | None
) -> Made:
    """Plan and render a page, and write it (a page is never held longer than that)."""
    data, problems = derive.render(planner, layouts, key)
    if data is None:
        return Made(key.output, fingerprint, None, None, problems)
    stamp = write(key.output, data) if write is not None else None
    return Made(key.output, fingerprint, digest(data), stamp, ())
