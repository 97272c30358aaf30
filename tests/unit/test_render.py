"""Rendering with Jinja2: built-in and project layouts, and template errors located."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import pytest

from briefsite.build import pipeline
from briefsite.errors import BriefsiteError, Diagnostics, SourceLocation
from briefsite.model import Site
from briefsite.render.templates import (
    BUILTIN_LAYOUTS,
    layout_dirs,
    long_date,
    make_environment,
    render_page,
    render_pages,
)
from briefsite.site.plan import Page, PageKey
from tests.conftest import ProjectFactory, write_project

SITE = Site("content/site.yaml", "My <briefs>", None, None, "en")


def _page(template: str, output: str = "index.html", **context: object) -> Page:
    return Page(output, template, context, frozenset({"content/site.yaml"}), "content/site.yaml")


def _layouts(root: Path, templates: dict[str, str]) -> Path:
    write_project(root, {f"layouts/{name}": text for name, text in templates.items()})
    return root


class _Pages:
    """A planner over ready-made pages, keyed by position."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages

    def plan(self, key: PageKey) -> Page:
        return self.pages[int(key.slug)]


def render_all(
    env: jinja2.Environment, pages: list[Page], root: Path, diagnostics: Diagnostics
) -> dict[str, bytes]:
    keys = [PageKey("brief", str(i)) for i in range(len(pages))]
    rendered = render_pages(_Pages(pages), env, keys, root, 1, diagnostics)
    return {r.output: r.data for r in rendered if r.data is not None}


def _render_error(root: Path, page: Page) -> BriefsiteError:
    env = make_environment(layout_dirs(root))
    with pytest.raises(BriefsiteError) as info:
        render_page(env, page, root)
    assert len(info.value.diagnostics) == 1
    return info.value


# --- layout folders ---------------------------------------------------------------------------


def test_builtin_layouts_ship_every_page_template() -> None:
    names = {p.name for p in BUILTIN_LAYOUTS.glob("*.html")}
    assert {"base.html", "index.html", "brief.html", "entity.html", "topic.html", "list.html",
            "404.html"} <= names  # fmt: skip


def test_project_without_layouts_uses_the_builtin_ones(tmp_path: Path) -> None:
    assert layout_dirs(tmp_path) == [BUILTIN_LAYOUTS]


def test_project_layouts_come_before_the_builtin_ones(tmp_path: Path) -> None:
    (tmp_path / "layouts").mkdir()
    assert layout_dirs(tmp_path) == [tmp_path / "layouts", BUILTIN_LAYOUTS]


def test_the_builtin_layouts_are_not_listed_twice() -> None:
    assert layout_dirs(BUILTIN_LAYOUTS.parent) == [BUILTIN_LAYOUTS.parent / "layouts"]


def test_a_file_named_layouts_is_not_a_layouts_folder(tmp_path: Path) -> None:
    (tmp_path / "layouts").write_text("oops", encoding="utf-8")
    assert layout_dirs(tmp_path) == [BUILTIN_LAYOUTS]


def test_builtin_404_renders_without_a_project_layouts_folder(tmp_path: Path) -> None:
    env = make_environment(layout_dirs(tmp_path))
    html = render_page(
        env, _page("404.html", "404.html", site=SITE, root="/", title="Page not found"), tmp_path
    )
    assert "<h1>Page not found</h1>" in html
    assert "My &lt;briefs&gt;" in html  # autoescaped
    assert 'href="/assets/site.css"' in html


def test_a_project_template_overrides_only_that_template(tmp_path: Path) -> None:
    root = _layouts(
        tmp_path,
        {"404.html": '{% extends "base.html" %}{% block main %}<p>Custom 404</p>{% endblock %}'},
    )
    env = make_environment(layout_dirs(root))
    context = {"site": SITE, "root": "/", "title": "x"}
    html = render_page(env, _page("404.html", "404.html", **context), root)
    assert "<p>Custom 404</p>" in html
    assert '<header class="site-header">' in html  # base.html still the built-in one
    listing = render_page(
        env, _page("list.html", "topics/index.html", items=[], kind="topics", **context), root
    )
    assert "<p>None yet.</p>" in listing


def test_project_layouts_override_templates_in_a_whole_build(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project(
        {
            "layouts/brief.html": (
                '{% extends "base.html" %}{% block main %}'
                "<p class=custom>{{ title }}: {{ notes|length }} notes</p>{% endblock %}"
            )
        }
    )
    run = pipeline.run(root)
    assert run.diagnostics.items == []
    brief = run.files["briefs/agency-move/index.html"].decode()
    assert "<p class=custom>Agency to move staff to the city: 1 notes</p>" in brief
    index = run.files["index.html"].decode()
    assert '<ul class="brief-list">' in index  # the built-in index.html
    assert "assets/site.css" in run.copies


def test_autoescape_is_on() -> None:
    env = make_environment([BUILTIN_LAYOUTS])
    assert env.from_string("{{ x }}").render(x="<script>") == "&lt;script&gt;"


# --- long_date --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [(dt.date(2020, 2, 16), "16 February 2020"), (dt.date(2024, 5, 1), "1 May 2024"),
     (dt.date(1999, 12, 31), "31 December 1999")],
)  # fmt: skip
def test_long_date(day: dt.date, text: str) -> None:
    assert long_date(day) == text
    assert (
        make_environment([BUILTIN_LAYOUTS]).from_string("{{ d|long_date }}").render(d=day) == text
    )


# --- template errors --------------------------------------------------------------------------


def test_undefined_variable_is_located_at_its_template_line(tmp_path: Path) -> None:
    root = _layouts(tmp_path, {"page.html": "<h1>{{ title }}</h1>\n\n<p>{{ subtitle }}</p>\n"})
    error = _render_error(root, _page("page.html", title="T"))
    (d,) = error.diagnostics
    assert d.location == SourceLocation("layouts/page.html", 3, 1)
    assert d.message == "template error while rendering index.html: 'subtitle' is undefined"
    assert "variable names" in d.hint


def test_undefined_attribute_is_located(tmp_path: Path) -> None:
    root = _layouts(tmp_path, {"page.html": "line 1\nline 2\n{{ site.nope }}\n"})
    (d,) = _render_error(root, _page("page.html", site=SITE)).diagnostics
    assert d.location == SourceLocation("layouts/page.html", 3, 1)
    assert "has no attribute 'nope'" in d.message


def test_undefined_in_a_project_base_template_names_that_file(tmp_path: Path) -> None:
    root = _layouts(
        tmp_path,
        {
            "base.html": "<html>\n<title>{{ missing }}</title>\n{% block main %}{% endblock %}\n",
            "page.html": '{% extends "base.html" %}\n{% block main %}ok{% endblock %}\n',
        },
    )
    (d,) = _render_error(root, _page("page.html")).diagnostics
    assert d.location == SourceLocation("layouts/base.html", 2, 1)


def test_error_in_a_builtin_template_is_named_as_builtin(tmp_path: Path) -> None:
    # The built-in base.html needs `site`; leaving it out is an error located there.
    (d,) = _render_error(tmp_path, _page("404.html", root="/", title="x")).diagnostics
    assert d.location.path == "<built-in layouts>/base.html"
    assert d.location.line > 1
    assert "'site' is undefined" in d.message


@pytest.mark.parametrize(
    ("template", "line", "fragment"),
    [
        ("ok\n{% if %}\n", 2, "Expected an expression"),
        ("ok\nok\n{% for x in y %}\nno end\n", 4, "Unexpected end of template"),
        ("{{ x }\n", 1, "unexpected '}'"),
        ("a\n{% endblock %}\n", 2, "endblock"),
    ],
)
def test_syntax_errors_are_located(tmp_path: Path, template: str, line: int, fragment: str) -> None:
    root = _layouts(tmp_path, {"page.html": template})
    (d,) = _render_error(root, _page("page.html", x=1, y=[])).diagnostics
    assert d.location.path == "layouts/page.html"
    assert d.location.line == line
    assert d.message.startswith("template syntax error: ")
    assert fragment in d.message


def test_syntax_error_in_an_included_template_names_it(tmp_path: Path) -> None:
    root = _layouts(
        tmp_path,
        {"page.html": 'a\n{% include "part.html" %}\n', "part.html": "x\ny\n{{ 1 + }}\n"},
    )
    (d,) = _render_error(root, _page("page.html")).diagnostics
    assert d.location == SourceLocation("layouts/part.html", 3, 1)


def test_missing_template_is_reported_for_the_page(tmp_path: Path) -> None:
    root = _layouts(tmp_path, {"page.html": '{% include "nope.html" %}\n'})
    (d,) = _render_error(root, _page("page.html", output="briefs/x/index.html")).diagnostics
    assert d.location == SourceLocation("content/site.yaml")
    assert d.message == "template 'nope.html' not found (needed for briefs/x/index.html)"
    assert "layouts/" in d.hint


def test_type_error_in_a_template_is_located(tmp_path: Path) -> None:
    root = _layouts(tmp_path, {"page.html": "a\nb\n{{ 1 + 'x' }}\n"})
    (d,) = _render_error(root, _page("page.html")).diagnostics
    assert d.location == SourceLocation("layouts/page.html", 3, 1)
    assert d.message.startswith("template error while rendering index.html: ")


def test_render_all_collects_errors_once_per_template_line(tmp_path: Path) -> None:
    root = _layouts(
        tmp_path,
        {"good.html": "fine {{ n }}\n", "bad.html": "x\n{{ nope }}\n", "worse.html": "{% if %}"},
    )
    env = make_environment(layout_dirs(root))
    pages = [
        _page("good.html", "a.html", n=1),
        _page("bad.html", "b.html"),
        _page("bad.html", "c.html"),
        _page("worse.html", "d.html"),
        _page("good.html", "e.html", n=2),
    ]
    diagnostics = Diagnostics()
    out = render_all(env, pages, root, diagnostics)
    assert out == {"a.html": b"fine 1\n", "e.html": b"fine 2\n"}
    assert [(str(d.location), d.message.split(":")[0]) for d in diagnostics.errors] == [
        ("layouts/bad.html:2:1", "template error while rendering b.html"),
        ("layouts/worse.html:1:1", "template syntax error"),
    ]


def test_a_broken_project_template_fails_the_whole_build(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project({"layouts/base.html": "<html>\n{{ site.titel }}\n</html>\n"})
    run = pipeline.run(root)
    (d,) = run.diagnostics.errors  # one error, though every page uses base.html
    assert d.location == SourceLocation("layouts/base.html", 2, 1)
    with pytest.raises(BriefsiteError):
        pipeline.build(root, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_rendered_pages_are_utf8_bytes(tmp_path: Path) -> None:
    root = _layouts(tmp_path, {"page.html": "{{ t }}"})
    out = render_all(
        make_environment(layout_dirs(root)),
        [_page("page.html", t="caf\u00e9 \u2014")],
        root,
        Diagnostics(),
    )
    assert out["index.html"] == "caf\u00e9 \u2014".encode()
