"""Render planned pages with Jinja2 (autoescape, StrictUndefined); template errors are located."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import jinja2

from briefsite.errors import BriefsiteError, Diagnostics, SourceLocation
from briefsite.plan import Page

BUILTIN_LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"


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


def render_all(
    env: jinja2.Environment, pages: Sequence[Page], project: Path, diagnostics: Diagnostics
) -> dict[str, bytes]:
    """Render every page, collecting template errors (reported once per template line)."""
    out: dict[str, bytes] = {}
    seen: set[tuple[SourceLocation, str]] = set()
    for page in pages:
        try:
            out[page.output] = render_page(env, page, project).encode("utf-8")
        except BriefsiteError as exc:
            for d in exc.diagnostics:
                key = (d.location, d.message.split(" while rendering ")[0])
                if key not in seen:
                    seen.add(key)
                    diagnostics.extend([d])
    return out
