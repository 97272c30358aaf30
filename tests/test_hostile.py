"""Hostile input: nothing a project's text files say can run script in a reader's browser.

`tests/fixtures/hostile/` is a fictional project whose every user-written field (site title
and description, brief title, summary, key points, notes, verdict summary, source titles and
publishers, the article source, corrections, entity name, summary and aliases, topic name
and summary, authors, and the seed text itself) carries script tags, event-handler
attributes, `javascript:` and `data:` links, raw HTML blocks, attribute breakouts and Jinja
syntax. The built site is parsed with `html.parser` and must hold no script element (but the
layouts' own deferred file on brief pages, with no inline code), no `on*` attribute, no
script-bearing URL, and show template syntax as the literal text it is.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefsite.errors import BriefsiteError
from tests.helpers import build

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "hostile"

# Attributes a browser follows or loads as a URL.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href", "cite"}
)
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
# Elements that run or embed active content; none of them may come from user text.
ACTIVE_ELEMENTS = frozenset(
    {"script", "iframe", "frame", "object", "embed", "form", "svg", "math", "style", "base"}
)
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass
class Element:
    """One element of a parsed page: its tag, attributes and the text inside it."""

    tag: str
    attrs: list[tuple[str, str | None]]
    line: int
    text: str = ""


@dataclass
class Page:
    """A parsed HTML page."""

    path: str
    elements: list[Element] = field(default_factory=list)
    text: str = ""

    def texts(self, tag: str) -> list[str]:
        """The whitespace-normalised text of every `tag` element."""
        return [squash(e.text) for e in self.elements if e.tag == tag]


def squash(text: str) -> str:
    return " ".join(text.split())


class PageParser(HTMLParser):
    """Collects every element with its attributes and the text it contains."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[tuple[Element, int]] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, attrs, self.getpos()[0])
        self.elements.append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append((element, len(self.chunks)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, attrs, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            element, _ = self.open[index]
            if element.tag == tag:
                for closed, closed_start in self.open[index:]:
                    closed.text = "".join(self.chunks[closed_start:])
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def parse(path: str, html: str) -> Page:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return Page(path, parser.elements, "".join(parser.chunks))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    """The hostile fixture, built once; every HTML page parsed."""
    output = tmp_path_factory.mktemp("hostile") / "site"
    build(FIXTURE, output)
    return {
        p.relative_to(output).as_posix(): parse(
            p.relative_to(output).as_posix(), p.read_text(encoding="utf-8")
        )
        for p in sorted(output.rglob("*.html"))
    }


def where(page: Page, element: Element) -> str:
    return f"{page.path}:{element.line}: <{element.tag} {element.attrs}>"


def test_every_page_with_hostile_text_is_built(site: dict[str, Page]) -> None:
    assert {
        "index.html",
        "404.html",
        "briefs/hostile/index.html",
        "briefs/hostile-plain/index.html",
        "entities/index.html",
        "entities/hostile-agency/index.html",
        "topics/index.html",
        "topics/hostile-topic/index.html",
    } <= site.keys()


def is_own_script(element: Element) -> bool:
    """The layouts' scripts: the site's own files, with no inline code (brief pages' script,
    deferred; the search page's module)."""
    return (
        element.tag == "script"
        and dict(element.attrs)
        in (
            {"src": "../../assets/brief.js", "defer": None},
            {"type": "module", "src": "../assets/search.js"},
        )
        and element.text == ""
    )


def is_own_form(page: Page, element: Element) -> bool:
    """The layouts' search forms: the header's on every page, the search page's own; both
    send a query to the site's search page with GET."""
    attrs = dict(element.attrs)
    own = (
        {"class": "site-search", "role": "search", "method": "get"},
        {"class": "search-form", "role": "search", "method": "get", "id": "search_form"},
    )
    action = attrs.pop("action", None) or ""
    return (
        element.tag == "form"
        and attrs in own
        and (action.endswith("search/") or (page.path == "search/index.html" and action == "./"))
    )


def is_data_block(element: Element) -> bool:
    """A JSON-LD block: data a browser never runs (its content is checked elsewhere)."""
    return element.tag == "script" and dict(element.attrs) == {"type": "application/ld+json"}


def test_no_script_elements_but_the_sites_own(site: dict[str, Page]) -> None:
    found = [
        where(p, e)
        for p in site.values()
        for e in p.elements
        if e.tag == "script" and not is_own_script(e) and not is_data_block(e)
    ]
    assert found == []
    # Only brief pages load one, the search page the other, once each.
    assert {
        path: sum(is_own_script(e) for e in page.elements)
        for path, page in site.items()
        if any(is_own_script(e) for e in page.elements)
    } == {
        "briefs/hostile/index.html": 1,
        "briefs/hostile-plain/index.html": 1,
        "search/index.html": 1,
    }


def test_no_active_or_embedding_elements(site: dict[str, Page]) -> None:
    found = [
        where(p, e)
        for p in site.values()
        for e in p.elements
        if e.tag in ACTIVE_ELEMENTS
        and not is_own_script(e)
        and not is_data_block(e)
        and not is_own_form(p, e)
    ]
    refresh = [
        where(p, e)
        for p in site.values()
        for e in p.elements
        if e.tag == "meta" and any(name == "http-equiv" for name, _ in e.attrs)
    ]
    assert found == [] and refresh == []


def test_no_event_handler_attributes(site: dict[str, Page]) -> None:
    found = [
        where(p, e)
        for p in site.values()
        for e in p.elements
        if any(name.lower().startswith("on") for name, _ in e.attrs)
    ]
    assert found == []


def url_scheme_text(value: str) -> str:
    """A URL as a browser reads its scheme: control characters and spaces dropped, lower case."""
    return "".join(c for c in value if ord(c) > 0x20).lower()


def test_no_javascript_or_data_urls(site: dict[str, Page]) -> None:
    found = [
        where(p, e)
        for p in site.values()
        for e in p.elements
        for name, value in e.attrs
        if name.lower() in URL_ATTRIBUTES
        and value is not None
        and url_scheme_text(value).startswith(DANGEROUS_SCHEMES)
    ]
    assert found == []


def test_links_written_with_dangerous_schemes_keep_only_their_text(site: dict[str, Page]) -> None:
    page = site["briefs/hostile/index.html"]
    # `[x](javascript:...)`, `[y](data:...)`, `<a href="javascript:...">z</a>` in the summary.
    bare = [squash(e.text) for e in page.elements if e.tag == "a" and not dict(e.attrs)]
    assert {"x", "y", "z", "Second key point"} <= set(bare)


@pytest.mark.parametrize(
    "label",
    [
        "Site",
        "Description",
        "Brief title",
        "Seed headline",
        "Second headline",
        "Seed paragraph",
        "Summary",
        "Key point",
        "Note",
        "Claim note",
        "Verdict",
        "Definition",
        "Source title",
        "Source publisher",
        "Publisher",
        "Byline",
        "Author",
        "Correction",
        "Agency",
        "Entity alias",
        "Entity summary",
        "Topic",
        "Topic summary",
    ],
)
def test_template_syntax_is_shown_literally(site: dict[str, Page], label: str) -> None:
    shown = " ".join(squash(p.text) for p in site.values())
    assert f"{label} {{{{ 7*7 }}}}" in shown


def test_template_syntax_is_never_evaluated(site: dict[str, Page]) -> None:
    for page in site.values():
        assert "49" not in page.text, page.path
        for element in page.elements:
            for _, value in element.attrs:
                assert "49" not in (value or ""), where(page, element)
    everything = " ".join(p.text for p in site.values())
    assert "{% raw %}" in everything and "{% endraw %}" in everything


def test_plain_text_fields_show_hostile_text_as_written(site: dict[str, Page]) -> None:
    brief = site["briefs/hostile/index.html"]
    assert brief.texts("h1") == [
        'Brief title {{ 7*7 }} <script>alert(1)</script> " onmouseover="alert(1) {% raw %}'
    ]
    assert "Seed headline {{ 7*7 }} <script>alert(1)</script> {% raw %}" in brief.texts("h3")
    site_title = (
        'Site {{ 7*7 }} {% raw %} </title><script>alert(1)</script> " onmouseover="alert(1)'
    )
    assert brief.texts("title") == [
        'Brief title {{ 7*7 }} <script>alert(1)</script> " onmouseover="alert(1) {% raw %} · '
        + site_title
    ]
    (meta,) = [squash(e.text) for e in brief.elements if ("class", "meta") in e.attrs]
    assert 'Author {{ 7*7 }} <script>alert(1)</script>, " onmouseover="alert(1)' in meta
    assert site["entities/hostile-agency/index.html"].texts("h1") == [
        "Agency {{ 7*7 }} <script>alert(1)</script>"
    ]
    assert site["topics/hostile-topic/index.html"].texts("h1") == [
        'Topic {{ 7*7 }} <img src=x onerror=alert(1)> " onmouseover="alert(1)'
    ]
    assert site["briefs/hostile-plain/index.html"].texts("h1") == [
        'Second headline {{ 7*7 }} <img src=x onerror=alert(1)> " onmouseover="alert(1)'
    ]


def test_quotes_in_urls_stay_inside_the_attribute(site: dict[str, Page]) -> None:
    brief = site["briefs/hostile/index.html"]
    hrefs = {squash(e.text): dict(e.attrs).get("href") for e in brief.elements if e.tag == "a"}
    assert hrefs["Source title {{ 7*7 }} <script>alert(1)</script>"] == (
        'https://example.test/" onmouseover="alert(1)'
    )
    assert hrefs["Seed headline {{ 7*7 }} <script>alert(1)</script> {% raw %}"] == (
        'https://news.example.test/story?a="><script>alert(1)</script>'
    )
    entity = site["entities/hostile-agency/index.html"]
    official = [
        dict(e.attrs) for e in entity.elements if e.tag == "a" and e.text == "Official site"
    ]
    assert official == [{"href": 'https://agency.example.test/" onmouseover="alert(1)'}]


def test_hostile_alias_is_linked_as_text(site: dict[str, Page]) -> None:
    brief = site["briefs/hostile/index.html"]
    mentions = [
        squash(e.text) for e in brief.elements if e.tag == "a" and ("class", "mention") in e.attrs
    ]
    assert "<img src=x onerror=alert(1)>" in mentions
    assert "Entity alias {{ 7*7 }}" in mentions


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        (
            "content/entities/hostile-agency.yaml",
            "url: 'https://agency.example.test/\" onmouseover=\"alert(1)'",
            "url: 'javascript:alert(1)'",
        ),
        (
            "content/briefs/hostile.yaml",
            "url: 'https://example.test/\" onmouseover=\"alert(1)'",
            "url: 'data:text/html;base64,PHNjcmlwdD4='",
        ),
        (
            "content/briefs/hostile.yaml",
            "url: 'https://news.example.test/story?a=\"><script>alert(1)</script>'",
            "url: ' javascript:alert(1)'",
        ),
        (
            "content/site.yaml",
            "base_url: https://hostile.example.test/",
            "base_url: 'javascript:alert(1)//'",
        ),
    ],
)
def test_script_urls_in_url_fields_are_errors(
    tmp_path: Path, path: str, old: str, new: str
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(BriefsiteError) as caught:
        build(project, tmp_path / "site")
    located = [(d.location.path, d.location.line) for d in caught.value.diagnostics]
    assert (path, line) in located
    assert any(re.search(r"not a web address", d.message) for d in caught.value.diagnostics)
    assert not (tmp_path / "site").exists()
