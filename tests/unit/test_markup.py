"""Annotator Markdown: internal links rewritten, made relative per page, and sanitised."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefsite.read.markup import (
    LinkTarget,
    MarkdownRenderer,
    localize,
    parse_target,
    target_path,
)


@pytest.fixture
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


# --- link targets -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("entity:ice", LinkTarget("entity", "ice", "", "entity:ice")),
        (
            "topic:border-security",
            LinkTarget("topic", "border-security", "", "topic:border-security"),
        ),
        ("brief:other", LinkTarget("brief", "other", "", "brief:other")),
        ("brief:other#note-id", LinkTarget("brief", "other", "note-id", "brief:other#note-id")),
        ("#bortac", LinkTarget("note", "", "bortac", "#bortac")),
    ],
)
def test_parse_target_recognises_internal_links(href: str, expected: LinkTarget) -> None:
    assert parse_target(href) == expected


@pytest.mark.parametrize(
    "href", ["https://example.org/", "mailto:a@example.org", "/about/", "relative/page", "x"]
)
def test_parse_target_leaves_other_urls_alone(href: str) -> None:
    assert parse_target(href) is None


@pytest.mark.parametrize(
    ("href", "path"),
    [
        ("entity:ice", "/entities/ice/"),
        ("topic:x", "/topics/x/"),
        ("brief:y", "/briefs/y/"),
        ("brief:y#z", "/briefs/y/#z"),
        ("#n", "#n"),
    ],
)
def test_target_path_is_where_the_page_is_published(href: str, path: str) -> None:
    target = parse_target(href)
    assert target is not None
    assert target_path(target) == path


def test_render_rewrites_every_kind_of_internal_link(renderer: MarkdownRenderer) -> None:
    out = renderer.render(
        "[a](entity:ice) [b](topic:x) [c](brief:y) [d](brief:y#z) [e](#n) [f](https://e.org/)"
    )
    assert out.html == (
        '<p><a href="/entities/ice/">a</a> <a href="/topics/x/">b</a> '
        '<a href="/briefs/y/">c</a> <a href="/briefs/y/#z">d</a> <a href="#n">e</a> '
        '<a href="https://e.org/">f</a></p>'
    )
    assert [(t.kind, t.slug, t.fragment) for t in out.links] == [
        ("entity", "ice", ""),
        ("topic", "x", ""),
        ("brief", "y", ""),
        ("brief", "y", "z"),
        ("note", "", "n"),
    ]
    assert [t.written for t in out.links] == [
        "entity:ice",
        "topic:x",
        "brief:y",
        "brief:y#z",
        "#n",
    ]


def test_links_inside_lists_and_emphasis_are_rewritten(renderer: MarkdownRenderer) -> None:
    out = renderer.render("- *see [ICE](entity:ice)*\n- **[n](#n)**")
    assert '<em>see <a href="/entities/ice/">ICE</a></em>' in out.html
    assert '<strong><a href="#n">n</a></strong>' in out.html
    assert len(out.links) == 2


def test_text_without_links_has_none(renderer: MarkdownRenderer) -> None:
    assert renderer.render("Just *text*.").links == ()


# --- localize -----------------------------------------------------------------------------


LINKS = '<p><a href="/entities/ice/">a</a> <a href="#n">e</a> <a href="https://e.org/x">x</a></p>'


def test_localize_makes_internal_links_relative_to_a_nested_page() -> None:
    assert localize(LINKS, "../../", "b1", "b1") == (
        '<p><a href="../../entities/ice/">a</a> <a href="#n">e</a> '
        '<a href="https://e.org/x">x</a></p>'
    )


def test_localize_for_the_site_root() -> None:
    assert 'href="entities/ice/"' in localize(LINKS, "", None, None)


def test_localize_points_note_links_at_their_brief_from_other_pages() -> None:
    out = localize(LINKS, "../../", "b1", None)
    assert 'href="../../briefs/b1/#n"' in out
    out = localize(LINKS, "../../", "b1", "b2")
    assert 'href="../../briefs/b1/#n"' in out
    out = localize(LINKS, "", "b1", None)
    assert 'href="briefs/b1/#n"' in out


def test_localize_keeps_note_links_bare_on_their_own_brief() -> None:
    assert 'href="#n"' in localize(LINKS, "../../", "b1", "b1")


def test_localize_leaves_external_and_protocol_relative_links(renderer: MarkdownRenderer) -> None:
    html = renderer.render("[a](https://e.org/p) [b](//cdn.example.org/x)").html
    out = localize(html, "../../", "b1", None)
    assert 'href="https://e.org/p"' in out
    assert 'href="https://cdn.example.org/x"' in out


@pytest.mark.parametrize(
    "written",
    ["//evil.example/x", "/\\evil.example/x", "\\/evil.example/x", "<  //evil.example/x>"],
)
def test_a_link_to_another_host_is_an_external_link_however_written(
    renderer: MarkdownRenderer, written: str
) -> None:
    # Browsers read each of these as a link to evil.example: it must never pass for a path
    # of this site (and be made relative), and it is written out as the address it is.
    html = renderer.render(f"[see]({written})").html
    assert html == '<p><a href="https://evil.example/x">see</a></p>'
    assert localize(html, "../../", None, None) == html


def test_localize_end_to_end_from_markdown(renderer: MarkdownRenderer) -> None:
    html = renderer.render("[d](brief:y#z) and [t](topic:x)").html
    assert localize(html, "../", None, None) == (
        '<p><a href="../briefs/y/#z">d</a> and <a href="../topics/x/">t</a></p>'
    )


def test_localize_rewrites_link_targets_not_text_that_looks_like_one(
    renderer: MarkdownRenderer,
) -> None:
    # A note about HTML may show an attribute as code; only real links are made relative.
    html = renderer.render('Write `href="/about/"` to link [home](https://e.org/).').html
    assert '<code>href="/about/"</code>' in html
    assert localize(html, "../../", "b1", None) == html


def test_localize_without_links_returns_text_unchanged() -> None:
    assert localize("<p>/entities/ice/ and #n</p>", "../../", "b1", None) == (
        "<p>/entities/ice/ and #n</p>"
    )


# --- sanitising ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>hi",
        "hi <script src=https://evil.example/x.js></script>",
        '<img src=x onerror="alert(1)">hi',
        '<b onclick="alert(1)">hi</b>',
        '<a href="https://e.org" onmouseover="alert(1)">hi</a>',
        "[hi](javascript:alert(1))",
        "[hi](JaVaScRiPt:alert(1))",
        "[hi](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[hi](vbscript:msgbox(1))",
        '<iframe src="https://evil.example"></iframe>hi',
        "<style>body{display:none}</style>hi",
        '<div style="position:fixed">hi</div>',
        '<svg onload="alert(1)"></svg>hi',
        '<form action="https://evil.example"><input name=x></form>hi',
    ],
)
def test_nothing_a_note_says_can_run_script(renderer: MarkdownRenderer, markdown: str) -> None:
    html = renderer.render(markdown).html.lower()
    for bad in ("<script", "onerror", "onclick", "onmouseover", "onload", "javascript:",
                "data:", "vbscript:", "<iframe", "<style", "style=", "<svg", "<form",
                "<input", "<img", "<div"):  # fmt: skip
        assert bad not in html, (bad, html)
    assert "hi" in html


def test_raw_html_tags_outside_the_allowed_set_are_dropped(renderer: MarkdownRenderer) -> None:
    html = renderer.render("<div class='x'><span>kept text</span></div>").html
    assert "<div" not in html
    assert "<span" not in html
    assert "kept text" in html


@pytest.mark.parametrize(
    ("markdown", "fragment"),
    [
        ("*em*", "<em>em</em>"),
        ("**strong**", "<strong>strong</strong>"),
        ("`code`", "<code>code</code>"),
        ("> quoted", "<blockquote>"),
        ("- a\n- b", "<ul>\n<li>a</li>"),
        ("1. a\n2. b", "<ol>"),
        ("~~x~~ <del>gone</del>", "<del>gone</del>"),
        ("<abbr title='Customs and Border Protection'>CBP</abbr>",
         '<abbr title="Customs and Border Protection">CBP</abbr>'),
        ("H<sub>2</sub>O and x<sup>2</sup>", "<sub>2</sub>"),
        ("line one  \nline two", "<br>"),
        ('[t](https://e.org "Title")', '<a href="https://e.org" title="Title">t</a>'),
        ("[m](mailto:desk@example.org)", '<a href="mailto:desk@example.org">m</a>'),
        ("    code block", "<pre><code>code block"),
    ],
)  # fmt: skip
def test_allowed_tags_survive(renderer: MarkdownRenderer, markdown: str, fragment: str) -> None:
    assert fragment in renderer.render(markdown).html


def test_links_get_no_added_rel_or_target(renderer: MarkdownRenderer) -> None:
    html = renderer.render("[t](https://e.org/)").html
    assert html == '<p><a href="https://e.org/">t</a></p>'


def test_typography_is_kept_as_the_annotator_typed_it(renderer: MarkdownRenderer) -> None:
    assert renderer.render('"quoted" -- it\'s').html == '<p>"quoted" -- it\'s</p>'
    typed = "\u201cquoted\u201d \u2013 it\u2019s"
    assert renderer.render(typed).html == f"<p>{typed}</p>"


def test_text_is_escaped_not_interpreted(renderer: MarkdownRenderer) -> None:
    html = renderer.render("5 < 6 & 7 > 3").html
    assert html == "<p>5 &lt; 6 &amp; 7 &gt; 3</p>"


# --- inline mode --------------------------------------------------------------------------


def test_inline_drops_a_single_wrapping_paragraph(renderer: MarkdownRenderer) -> None:
    assert renderer.render("Just *one* line.", inline=True).html == "Just <em>one</em> line."


def test_inline_keeps_several_paragraphs(renderer: MarkdownRenderer) -> None:
    assert renderer.render("one\n\ntwo", inline=True).html == "<p>one</p>\n<p>two</p>"


def test_inline_keeps_a_paragraph_followed_by_a_list(renderer: MarkdownRenderer) -> None:
    html = renderer.render("one\n\n- two", inline=True).html
    assert html.startswith("<p>one</p>")
    assert html.endswith("</ul>")


def test_inline_and_block_of_the_same_text_differ(renderer: MarkdownRenderer) -> None:
    assert renderer.render("x").html == "<p>x</p>"
    assert renderer.render("x", inline=True).html == "x"


# --- the cache ----------------------------------------------------------------------------


def test_cache_keeps_links_after_other_texts_were_rendered(renderer: MarkdownRenderer) -> None:
    first = renderer.render("[a](entity:ice)")
    renderer.render("[b](topic:x) and [c](#n)")
    again = renderer.render("[a](entity:ice)")
    assert again.links == first.links
    assert [t.slug for t in again.links] == ["ice"]


def test_each_render_reports_only_its_own_links(renderer: MarkdownRenderer) -> None:
    renderer.render("[a](entity:ice)")
    out = renderer.render("[b](topic:x)")
    assert [t.kind for t in out.links] == ["topic"]
    assert renderer.render("no links").links == ()


def test_a_reused_renderer_does_not_leak_state_between_texts(renderer: MarkdownRenderer) -> None:
    renderer.render("Text with a footnote-like [ref]\n\n[ref]: https://e.org/")
    fresh = MarkdownRenderer().render("[ref] here")
    assert renderer.render("[ref] here").html == fresh.html == "<p>[ref] here</p>"


# Texts made of what Markdown reacts to: every inline mark, block starts, HTML, entities,
# tabs and line breaks, between plain words.
_PIECES = st.sampled_from(
    [
        "word", " ", "  ", "\n", "\n\n", "\t", "\r\n", "*", "**", "_", "__", "`", "``", "\\",
        "[", "]", "(", ")", "[a](entity:x)", "[b](#n)", "[c]", "[c]: http://x.test",
        "![i](http://x.test/i.png)", "!", "<", ">", "<b>", "</b>", "<http://x.test>",
        "<me@x.test>", "&", "&amp;", "&#35;", "#", "# ", "- ", "1. ", "> ", "    ", "---",
        "===", "<!-- c -->", "<div>", "</div>", "x", "é", "—", '"', "'",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_leaving_out_patterns_a_text_cannot_trigger_changes_nothing(text: str) -> None:
    assert MarkdownRenderer().convert(text) == FULL.convert(text)


FULL = MarkdownRenderer(full=True)
