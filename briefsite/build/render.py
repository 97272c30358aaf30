"""Rendering a run's stale pages: in this process, or spread over forked ones on large sites.

Forked workers see the run as it was when they were made, write the pages they render into
the staging folder themselves (so no page crosses a pipe, and memory does not grow with the
site), and send back what they learned: each page's digest and stamp, its template errors,
and the shared fragments they rendered, which the parent keeps in the cache. Workers never
touch the cache: an open SQLite connection must not be used across a fork.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from briefsite.build import derive
from briefsite.build.memo import MarkdownMemo
from briefsite.build.stamps import digest
from briefsite.build.store import Store
from briefsite.build.write import OutputStamp
from briefsite.errors import Diagnostic
from briefsite.site.pages import PageKey, Placed, SiteIndex
from briefsite.site.plan import Planner
from briefsite.workers import map_chunks

Write = Callable[[str, bytes], OutputStamp | None]


@dataclass(frozen=True, slots=True)
class Made:
    """What rendering one page gave: its digest and stamp, or the errors that stopped it."""

    output: str
    fingerprint: str
    digest: str | None
    stamp: OutputStamp | None
    problems: tuple[Diagnostic, ...]


@dataclass
class Rendered:
    """Pages rendered, and the shared fragments rendered on the way (to keep)."""

    pages: list[Made] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)


@dataclass
class _Job:
    planner: Planner
    layouts: derive.Layouts
    fragments: derive.Fragments
    memo: MarkdownMemo
    write: Write | None
    parent: int  # the process id that made the job


_jobs: list[_Job] = []  # the job of the current call, as forked workers see it


def render_pages(
    index: SiteIndex,
    placed: Callable[[str], Placed],
    stale: Sequence[tuple[PageKey, str]],
    memo: MarkdownMemo,
    layouts: derive.Layouts,
    store: Store,
    facets: Mapping[str, str],
    cards: str,
    write: Write | None,
    jobs: int,
) -> Rendered:
    """Plan and render the stale pages, in up to `jobs` processes."""
    holder: list[Planner] = []
    fragments = derive.Fragments(
        layouts, store, lambda facet: facets.get(facet, ""), cards, lambda: holder[0]
    )
    holder.append(Planner(index, placed, memo, fragments))
    _jobs.append(_Job(holder[0], layouts, fragments, memo, write, os.getpid()))
    try:
        parts = map_chunks(_render_chunk, list(stale), jobs)
    finally:
        _jobs.pop()
    rendered = Rendered()
    for part in parts:
        rendered.pages.extend(part.pages)
        rendered.fragments.update(part.fragments)
    return rendered


def _render_chunk(chunk: Sequence[tuple[PageKey, str]]) -> list[Rendered]:
    job = _jobs[-1]
    if os.getpid() != job.parent:  # a forked worker: never the parent's SQLite connection
        job.fragments.store = job.memo.store = Store.none()
    done = Rendered()
    for key, fingerprint in chunk:
        data, problems = derive.render(job.planner, job.layouts, key)
        if data is None:
            done.pages.append(Made(key.output, fingerprint, None, None, problems))
            continue
        stamp = job.write(key.output, data) if job.write is not None else None
        done.pages.append(Made(key.output, fingerprint, digest(data), stamp, ()))
    done.fragments.update(job.fragments.made)
    job.fragments.made.clear()
    return [done]
