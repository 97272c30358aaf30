"""A brief page's extras: numbered sources, the article's blocks with notes, legend, citation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from markupsafe import Markup

from briefsite.errors import SourceLocation
from briefsite.model import Brief, NoteType, Ref, Site
from briefsite.site.article import ArticleBlock
from briefsite.site.pages import PageKey
from briefsite.site.reading import (
    article_views,
    brief_url,
    cite,
    legend,
    number_sources,
    quote_title,
)
from briefsite.site.views import CitationView, NoteView
from tests.conftest import ProjectFactory
from tests.helpers import plan


def _cite(url: str, accessed: dt.date | None = None) -> CitationView:
    return CitationView(f"Title {url}", url, "Publisher", None, accessed)


def _note(
    note_id: str, number: int, *sources: CitationView, kind: NoteType = "context"
) -> NoteView:
    return NoteView(
        note_id, number, kind, kind.title(), "q", Markup(""), "", None, tuple(sources), (), ()
    )


def test_sources_are_numbered_once_each_in_reading_order() -> None:
    a, b, c = "https://a.test/", "https://b.test/", "https://c.test/"
    notes, entries = number_sources(
        [
            _note("one", 1, _cite(b), _cite(a)),
            _note("two", 2),
            _note("three", 3, _cite(a), _cite(c)),
        ]
    )
    assert [(e.number, e.source.url) for e in entries] == [(1, b), (2, a), (3, c)]
    assert [[s.number for s in n.sources] for n in notes] == [[1, 2], [], [2, 3]]
    assert [[n.id for n in e.notes] for e in entries] == [["one"], ["one", "three"], ["three"]]


def test_a_source_cited_twice_keeps_an_access_date_given_either_time() -> None:
    url = "https://a.test/"
    _, entries = number_sources(
        [_note("one", 1, _cite(url)), _note("two", 2, _cite(url, dt.date(2026, 11, 29)))]
    )
    (entry,) = entries
    assert entry.source.accessed == dt.date(2026, 11, 29)
    assert entry.number == 1


def test_a_note_citing_a_source_twice_is_listed_once_under_it() -> None:
    url = "https://a.test/"
    _, entries = number_sources([_note("one", 1, _cite(url), _cite(url))])
    assert [n.id for n in entries[0].notes] == ["one"]


def test_article_blocks_carry_the_views_of_the_notes_that_start_in_them() -> None:
    notes = [_note("a", 1), _note("b", 2)]
    blocks = [ArticleBlock(Markup("<p>x</p>"), ("a", "b")), ArticleBlock(Markup("<p>y</p>"), ())]
    views = article_views(blocks, notes)
    assert [[n.id for n in v.notes] for v in views] == [["a", "b"], []]
    assert views[0].html == Markup("<p>x</p>")


def test_legend_counts_every_type_in_schema_order() -> None:
    items = legend([_note("a", 1, kind="claim"), _note("b", 2, kind="claim"), _note("c", 3)])
    assert [(i.type, i.label, i.count) for i in items] == [
        ("context", "Context", 1),
        ("definition", "Definition", 0),
        ("claim", "Claim check", 2),
        ("source", "Source", 0),
        ("question", "Open question", 0),
        ("correction", "Correction", 0),
    ]


def _site(base_url: str | None = "https://briefs.example.org/base") -> Site:
    return Site("content/site.yaml", "Policy {Briefs} & more", None, base_url, "en")


def _brief(**changes: object) -> Brief:
    values: dict[str, object] = {
        "slug": "agency-move",
        "path": "content/briefs/agency-move.yaml",
        "seed": Ref("agency-move", SourceLocation("content/briefs/agency-move.yaml")),
        "title": None,
        "summary": None,
        "key_points": (),
        "published": dt.date(2024, 5, 1),
        "updated": None,
        "authors": ("Ann Lee", "Desk_Team #2"),
        "source": None,
        "topics": (),
        "related": (),
        "corrections": (),
        "annotations": (),
        "note_ids": frozenset(),
    }
    values.update(changes)
    return Brief(**values)  # type: ignore[arg-type]


def test_citation_as_text_and_bibtex() -> None:
    view = cite(_site(), _brief(), "Agency moves 40% of staff")
    assert view.text == (
        "Ann Lee, Desk_Team #2. “Agency moves 40% of staff.” Policy {Briefs} & more, 1 May 2024."
        " https://briefs.example.org/base/briefs/agency-move/"
    )
    assert view.bibtex == (
        "@misc{agency-move-2024,\n"
        "  author       = {{Ann Lee} and {Desk\\_Team \\#2}},\n"
        "  title        = {{Agency moves 40\\% of staff}},\n"
        "  howpublished = {Policy \\textbraceleft{}Briefs\\textbraceright{} \\& more},\n"
        "  year         = {2024},\n"
        "  month        = may,\n"
        "  url          = {https://briefs.example.org/base/briefs/agency-move/}\n"
        "}"
    )


def test_quotes_in_a_cited_title_nest_as_english_does() -> None:
    for title in (
        'White House: "Tariffs work" (April 2025)',
        "White House: “Tariffs work” (April 2025)",
    ):
        view = cite(_site(), _brief(), title)
        assert "“White House: ‘Tariffs work’ (April 2025).”" in view.text
        assert "  title        = {{White House: ``Tariffs work'' (April 2025)}},\n" in view.bibtex


def test_a_cited_title_ending_in_a_question_gets_no_second_stop() -> None:
    assert quote_title('Do "tariffs" work?', "en") == "“Do ‘tariffs’ work?”"
    assert quote_title("Tariffs ‘work’", "en-GB") == "“Tariffs ‘work’.”"


def test_cited_titles_are_quoted_as_the_site_language_quotes() -> None:
    assert quote_title("Das „Gesetz“ gilt", "de") == "„Das ‚Gesetz‘ gilt.“"
    assert quote_title('La loi "travail"', "fr") == "«\u202fLa loi “travail”.\u202f»"
    assert quote_title('Un "sí"', "es") == "«Un “sí”.»"
    assert quote_title('Unlisted "language"', "xx") == "“Unlisted ‘language’.”"


def test_bibtex_keeps_braces_balanced_and_spells_typography_as_latex() -> None:
    view = cite(_site(), _brief(), "A { lone brace – and ‘quotes’ — 50% ~ ^")
    title = next(line for line in view.bibtex.splitlines() if line.lstrip().startswith("title"))
    assert title == (
        "  title        = {{A \\textbraceleft{} lone brace -- and `quotes' --- 50\\% \\~{} \\^{}}},"
    )
    assert title.count("{") == title.count("}")
    assert not set(title) & set("“”‘’–—")


def test_citation_without_base_url_or_authors_but_updated() -> None:
    view = cite(_site(None), _brief(authors=(), updated=dt.date(2024, 6, 2)), "T")
    assert view.text == (
        "Policy {Briefs} & more. “T.” Policy {Briefs} & more, 1 May 2024, updated 2 June 2024."
    )
    assert "url" not in view.bibtex
    assert "  note         = {Updated 2024-06-02}\n" in view.bibtex
    assert brief_url(_site(None), "x") is None


def test_brief_page_context_has_the_readers_extras(make_project: ProjectFactory) -> None:
    brief = """\
seed: agency-move
published: 2024-05-01
annotations:
  - id: staff
    quote: move 40 staff
    type: claim
    note: n
    verdict: {rating: accurate, summary: Yes.}
    sources:
      - {title: S, url: "https://s.test/", accessed: 2024-05-02}
  - id: cost
    quote: the cost
    type: context
    note: n
    sources:
      - {title: S, url: "https://s.test/"}
"""
    root: Path = make_project({"content/briefs/agency-move.yaml": brief})
    planned = plan(root)
    assert planned.diagnostics.errors == []
    page = planned.planner.brief_page(PageKey("brief", "agency-move"))
    sources = page.context["sources"]
    assert isinstance(sources, list)
    assert [(e.number, [n.number for n in e.notes]) for e in sources] == [(1, [1, 2])]
    article = page.context["article"]
    assert isinstance(article, list)
    assert [[n.id for n in b.notes] for b in article] == [[], [], ["staff"], ["cost"]]
    assert "Test briefs, 1 May 2024." in page.context["cite"].text  # type: ignore[attr-defined]
