"""Render planned pages with Jinja2 (autoescape, StrictUndefined); template errors are located."""

from __future__ import annotations

import dataclasses
import os
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from jinja2 import meta
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from briefsite import errors, model
from briefsite.errors import BriefsiteError, SourceLocation
from briefsite.render.documents import script_json
from briefsite.render.layouts import BUILTIN_LAYOUTS
from briefsite.render.precompiled import FOLDER, Precompiled, settings_of
from briefsite.site import views
from briefsite.site.plan import Page


def long_date(value: date) -> str:
    """Format a date for readers, e.g. `16 February 2020`."""
    return f"{value.day} {value:%B %Y}"


class _BoundedLoader(jinja2.FileSystemLoader):
    """Loads templates from the layout folders, refusing any that a symlink leads to outside
    the project (the built-in layouts aside)."""

    def __init__(self, dirs: Sequence[Path], project: Path) -> None:
        super().__init__([str(d) for d in dirs])
        self.allowed = (os.path.realpath(project), os.path.realpath(BUILTIN_LAYOUTS))

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        if not any(real == a or real.startswith(a + os.sep) for a in self.allowed):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def _records() -> frozenset[type]:
    """briefsite's own record and view types: plain data, whose public attributes are safe
    to read (a bound method of theirs reached this way is still checked when used)."""
    found: set[type] = set()
    for module in (model, views, errors):
        found.update(
            t for t in vars(module).values() if isinstance(t, type) and dataclasses.is_dataclass(t)
        )
    return frozenset(found)


_RECORDS = _records()


class _Sandbox(jinja2.sandbox.SandboxedEnvironment):
    """Jinja's sandbox, with the attributes of briefsite's own records read directly: most
    of what a page reads, and the sandbox's checks on each read cost a tenth of a build."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) in _RECORDS and attribute[:1] != "_":
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)


def make_environment(
    dirs: Sequence[Path], project: Path, precompiled: Path | None = FOLDER
) -> jinja2.Environment:
    """A sandboxed Jinja2 environment over the layout folders, strict about undefined names;
    built-in layouts compiled ahead of time are taken from `precompiled`."""
    # Sandboxed: a layout may read the values it is given, never Python's internals, so a
    # cloned project's templates cannot run commands on the machine that builds it.
    env = _Sandbox(
        loader=_BoundedLoader(dirs, project),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["jsonld"] = script_json
    if precompiled is not None:
        env.bytecode_cache = Precompiled(precompiled, settings_of(env))
    return env


def render_page(env: jinja2.Environment, page: Page, project: Path) -> str:
    """Render one page; a template error becomes a BriefsiteError at its template line."""
    try:
        return env.get_template(page.template).render(page.context)
    except Exception as exc:
        located = _located(exc, project, page.template, page.source, page.output)
        if located is None:
            raise
        raise located from exc


def render_fragment(
    env: jinja2.Environment, project: Path, template: str, macro: str, *args: object
) -> Markup:
    """Call a macro of a layout (e.g. one card of a list) and return its HTML."""
    try:
        return Markup(getattr(env.get_template(template).module, macro)(*args))
    except Exception as exc:
        located = _located(exc, project, template, template, f"{macro} in {template}")
        if located is None:
            raise
        raise located from exc


def _located(
    exc: Exception, project: Path, template: str, source: str, target: str
) -> BriefsiteError | None:
    """A template problem as a user error at the template line it comes from; None for
    anything else, a bug."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        at = _template_location(exc.filename, exc.lineno, project)
        return BriefsiteError.at(
            at,
            f"template syntax error: {exc.message}",
            "check the `{% ... %}` and `{{ ... }}` tags on this line and the blocks they close",
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        # The page's own template is missing, or one that a layout includes or imports.
        at = SourceLocation(source) if exc.name == template else _failing_line(exc, project)
        return BriefsiteError.at(
            at,
            f"template '{exc.name}' not found (needed for {target})",
            "add it to layouts/ or remove the reference to it",
        )
    if isinstance(exc, jinja2.UndefinedError):
        return BriefsiteError.at(
            _failing_line(exc, project),
            f"template error while rendering {target}: {exc.message}",
            "check the variable names the template uses",
        )
    if isinstance(exc, SecurityError):
        return BriefsiteError.at(
            _failing_line(exc, project),
            f"template error while rendering {target}: {exc}",
            "layouts may read the values they are given, not Python internals",
        )
    # OverflowError: a range past the sandbox's cap; RecursionError: a macro that calls
    # itself without end. Both are the layout's doing, not a bug of briefsite.
    errors = (jinja2.TemplateError, TypeError, ValueError, AttributeError, OverflowError)
    if isinstance(exc, (*errors, RecursionError)):
        return BriefsiteError.at(
            _failing_line(exc, project),
            f"template error while rendering {target}: {exc}",
            "check the values and filters this line of the template uses",
        )
    return None


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


def _failing_line(exc: BaseException, project: Path) -> SourceLocation:
    # Jinja rewrites tracebacks so that template frames carry the template file and line.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    if frames:
        return _template_location(frames[-1].filename, frames[-1].lineno, project)
    return SourceLocation("layouts")


def template_closure(env: jinja2.Environment, name: str) -> frozenset[str]:
    """The files of a template and of every template it extends, includes or imports."""
    files: set[str] = set()
    todo = [name]
    seen: set[str] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        assert env.loader is not None
        try:
            source, filename, _ = env.loader.get_source(env, current)
        except jinja2.TemplateNotFound:
            continue  # reported as an error when the page is rendered
        files.add(os.path.normpath(filename) if filename else current)
        try:
            referenced = meta.find_referenced_templates(env.parse(source))
        except jinja2.TemplateSyntaxError:
            continue
        todo.extend(r for r in referenced if r is not None)
    return frozenset(files)
