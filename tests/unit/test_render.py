"""Rendering with Jinja2: built-in and project layouts, and template errors located."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import pytest

from briefsite.errors import BriefsiteError, SourceLocation
from briefsite.model import Site
from briefsite.render.layouts import BUILTIN_LAYOUTS, layout_dirs
from briefsite.render.templates import long_date, make_environment, render_page
from briefsite.site.plan import Page
from briefsite.site.structured import page_meta
from tests.conftest import ProjectFactory, write_project
from tests.helpers import build, build_site, check, errors

SITE = Site("content/site.yaml", "My <briefs>", None, None, "en")


# What the planner adds to every page's context: its metadata and the feeds it links.
HEAD = {"meta": page_meta(SITE, None, None, None, "x"), "feeds": ()}


def _page(template: str, output: str = "index.html", **context: object) -> Page:
    return Page(output, template, {**HEAD, **context}, "content/site.yaml")


def _layouts(root: Path, templates: dict[str, str]) -> Path:
    write_project(root, {f"layouts/{name}": text for name, text in templates.items()})
    return root


def env_for(root: Path) -> jinja2.Environment:
    return make_environment(layout_dirs(root), root)


def _render_error(root: Path, page: Page) -> BriefsiteError:
    env = env_for(root)
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
    env = env_for(tmp_path)
    html = render_page(
        env,
        _page(
            "404.html",
            "404.html",
            site=SITE,
            root="/",
            title="Page not found",
            description="Gone.",
        ),
        tmp_path,
    )
    assert "<h1>Page not found</h1>" in html
    assert "My &lt;briefs&gt;" in html  # autoescaped
    assert 'href="/assets/site.css"' in html
    assert '<meta name="description" content="Gone.">' in html


def test_a_project_template_overrides_only_that_template(tmp_path: Path) -> None:
    root = _layouts(
        tmp_path,
        {"404.html": '{% extends "base.html" %}{% block main %}<p>Custom 404</p>{% endblock %}'},
    )
    env = env_for(root)
    context = {"site": SITE, "root": "/", "title": "x", "description": None}
    html = render_page(env, _page("404.html", "404.html", **context), root)
    assert "<p>Custom 404</p>" in html
    assert '<header class="site-header">' in html  # base.html still the built-in one
    listing = render_page(
        env, _page("list.html", "topics/index.html", groups=[], kind="topics", **context), root
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
    files = build_site(root, tmp_path / "site")
    brief = files["briefs/agency-move/index.html"].decode()
    assert "<p class=custom>Agency to move staff to the city: 1 notes</p>" in brief
    index = files["index.html"].decode()
    assert '<ul class="brief-list">' in index  # the built-in index.html
    assert "assets/site.css" in files


def test_autoescape_is_on() -> None:
    env = make_environment([BUILTIN_LAYOUTS], BUILTIN_LAYOUTS)
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
        make_environment([BUILTIN_LAYOUTS], BUILTIN_LAYOUTS)
        .from_string("{{ d|long_date }}")
        .render(d=day)
        == text
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


def test_missing_included_template_is_reported_at_the_include(tmp_path: Path) -> None:
    root = _layouts(tmp_path, {"page.html": 'one\n{% include "nope.html" %}\n'})
    (d,) = _render_error(root, _page("page.html", output="briefs/x/index.html")).diagnostics
    assert d.location == SourceLocation("layouts/page.html", 2, 1)
    assert d.message == "template 'nope.html' not found (needed for briefs/x/index.html)"
    assert "layouts/" in d.hint


def test_missing_page_template_is_reported_for_the_page(tmp_path: Path) -> None:
    (d,) = _render_error(tmp_path, _page("nope.html", output="briefs/x/index.html")).diagnostics
    assert d.location == SourceLocation("content/site.yaml")
    assert d.message == "template 'nope.html' not found (needed for briefs/x/index.html)"


def test_type_error_in_a_template_is_located(tmp_path: Path) -> None:
    root = _layouts(tmp_path, {"page.html": "a\nb\n{{ 1 + 'x' }}\n"})
    (d,) = _render_error(root, _page("page.html")).diagnostics
    assert d.location == SourceLocation("layouts/page.html", 3, 1)
    assert d.message.startswith("template error while rendering index.html: ")


def test_a_template_error_is_reported_once_however_many_pages_meet_it(
    make_project: ProjectFactory,
) -> None:
    second = "seed: agency-move\npublished: 2024-06-01\ntitle: Again\n"
    root = make_project(
        {
            "content/briefs/again.yaml": second,
            "layouts/brief.html": "<p>{{ title }}</p>\n{{ nope }}\n",
            "layouts/topic.html": "{% if %}",
        }
    )
    assert [(str(d.location), d.message.split(":")[0]) for d in errors(check(root))] == [
        ("layouts/brief.html:2:1", "template error while rendering briefs/again/index.html"),
        ("layouts/topic.html:1:1", "template syntax error"),
    ]


def test_a_broken_project_template_fails_the_whole_build(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project({"layouts/base.html": "<html>\n{{ site.titel }}\n</html>\n"})
    (d,) = errors(check(root))  # one error, though every page uses base.html
    assert d.location == SourceLocation("layouts/base.html", 2, 1)
    with pytest.raises(BriefsiteError):
        build(root, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_rendered_pages_are_utf8_bytes(tmp_path: Path) -> None:
    root = _layouts(tmp_path, {"page.html": "{{ t }}"})
    html = render_page(env_for(root), _page("page.html", t="caf\u00e9 \u2014"), root)
    assert html == "caf\u00e9 \u2014"
