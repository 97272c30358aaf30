"""Render planned pages with Jinja2 (autoescape, StrictUndefined); template errors are located."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

import jinja2

from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics, SourceLocation
from briefsite.site.plan import Page, PageKey
from briefsite.workers import map_chunks

BUILTIN_LAYOUTS = Path(__file__).resolve().parents[2] / "layouts"


def layout_dirs(project: Path) -> list[Path]:
    """The project's own layouts (if any) first, then the built-in ones they override."""
    own = project / "layouts"
    dirs = [own] if own.is_dir() else []
    if not dirs or own.resolve() != BUILTIN_LAYOUTS:
        dirs.append(BUILTIN_LAYOUTS)
    return dirs


def long_date(value: date) -> str:
    """Format a date for readers, e.g. `16 February 2020`."""
    return f"{value.day} {value:%B %Y}"


def make_environment(dirs: Sequence[Path]) -> jinja2.Environment:
    """A Jinja2 environment over the layout folders, strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    return env


def render_page(env: jinja2.Environment, page: Page, project: Path) -> str:
    """Render one page; a template error becomes a BriefsiteError at its template line."""
    try:
        return env.get_template(page.template).render(page.context)
    except jinja2.TemplateSyntaxError as exc:
        at = _template_location(exc.filename, exc.lineno, project)
        raise BriefsiteError.at(at, f"template syntax error: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise BriefsiteError.at(
            SourceLocation(page.source),
            f"template '{exc.name}' not found (needed for {page.output})",
            "add it to layouts/ or remove the reference to it",
        ) from exc
    except jinja2.UndefinedError as exc:
        raise BriefsiteError.at(
            _failing_template_line(exc, project),
            f"template error while rendering {page.output}: {exc.message}",
            "check the variable names the template uses",
        ) from exc
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
        raise BriefsiteError.at(
            _failing_template_line(exc, project),
            f"template error while rendering {page.output}: {exc}",
        ) from exc


def _template_location(filename: str | None, line: int | None, project: Path) -> SourceLocation:
    if not filename:
        return SourceLocation("layouts", line or 1)
    path = Path(filename)
    for base, shown in ((project / "layouts", "layouts"), (BUILTIN_LAYOUTS, "<built-in layouts>")):
        try:
            return SourceLocation(
                f"{shown}/{path.resolve().relative_to(base.resolve())}", line or 1
            )
        except ValueError:
            continue
    return SourceLocation(str(path), line or 1)


def _failing_template_line(exc: BaseException, project: Path) -> SourceLocation:
    # Jinja rewrites tracebacks so that template frames carry the template file and line.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    if frames:
        return _template_location(frames[-1].filename, frames[-1].lineno, project)
    return SourceLocation("layouts")


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered page (or the template errors that stopped it) and the files it came from."""

    output: str
    data: bytes | None
    inputs: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]


class PagePlanner(Protocol):
    """Anything that plans the page of a key (the pipeline's Planner; a stub in tests)."""

    def plan(self, key: PageKey) -> Page:
        """The page named by `key`."""
        ...


@dataclass(frozen=True, slots=True)
class _Job:
    planner: PagePlanner
    env: jinja2.Environment
    project: Path


_job: list[_Job] = []  # the job of the current render_pages call, as forked children see it


def _render_chunk(keys: Sequence[PageKey]) -> list[Rendered]:
    job = _job[-1]
    out = []
    for key in keys:
        page = job.planner.plan(key)
        try:
            data: bytes | None = render_page(job.env, page, job.project).encode("utf-8")
            problems: tuple[Diagnostic, ...] = ()
        except BriefsiteError as exc:
            data, problems = None, exc.diagnostics
        out.append(Rendered(page.output, data, page.inputs, problems))
    return out


def render_pages(
    planner: PagePlanner,
    env: jinja2.Environment,
    keys: Sequence[PageKey],
    project: Path,
    jobs: int,
    diagnostics: Diagnostics,
) -> list[Rendered]:
    """Plan and render every page, in up to `jobs` processes, collecting template errors
    (each template line reported once)."""
    _job.append(_Job(planner, env, project))
    try:
        results = map_chunks(_render_chunk, keys, jobs)
    finally:
        _job.pop()
    seen: set[SourceLocation] = set()
    for result in results:
        for d in result.diagnostics:
            if d.location not in seen:
                seen.add(d.location)
                diagnostics.extend([d])
    return results
