"""The page plan: where each page goes, what it shows, and which files it was made from."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import pytest

from briefsite.errors import Diagnostics, SourceLocation
from briefsite.model import ENTITY_KINDS, RATINGS
from briefsite.read.sources import StaticFile
from briefsite.site.inputs import brief_facets, page_inputs
from briefsite.site.pages import check_outputs, page_keys
from briefsite.site.plan import Page
from briefsite.site.views import ENTITY_GROUPS
from tests.conftest import ProjectFactory, write_project
from tests.helpers import build_site, check, errors, plan

SEED_B = "Second story about the Agency\n\nThe Office and the Agency met.\n"
BRIEF_B = """\
seed: second
published: 2024-06-01
summary: See [the staff note](brief:agency-move#staff) and [ours](#met).
related: [agency-move]
annotations:
  - id: met
    quote: The Office and the Agency met
    type: claim
    note: They met.
    entities: [office]
    verdict: {rating: accurate, summary: "Yes, see [note](#met)."}
"""
BRIEF_OLD = "seed: second\npublished: 2019-01-01\ntitle: An old brief\n"


def _two_briefs(make_project: ProjectFactory) -> Path:
    return make_project(
        {
            "seeds/second.txt": SEED_B,
            "content/briefs/second.yaml": BRIEF_B,
            "content/briefs/old.yaml": BRIEF_OLD,
            "content/entities/office.yaml": "name: The Office\naliases: [Office]\n",
            "content/entities/unused.yaml": "name: Nobody Mentioned\n",
            "content/topics/empty.yaml": "name: Empty topic\n",
        }
    )


def _plan(
    root: Path, static: list[StaticFile] | None = None
) -> tuple[dict[str, Page], list[Page | StaticFile], Diagnostics]:
    planned_project = plan(root)
    assert planned_project.diagnostics.errors == []
    index, planner = planned_project.index, planned_project.planner
    diagnostics = Diagnostics()
    keys = page_keys(index)
    copies = check_outputs(index, keys, static or [], diagnostics)
    planned: list[Page | StaticFile] = [planner.plan(key) for key in keys]
    assert [p.output for p in planned] == [key.output for key in keys]
    planned += copies
    pages = {p.output: p for p in planned if isinstance(p, Page)}
    return pages, planned, diagnostics


def _inputs(root: Path) -> dict[str, frozenset[str]]:
    index = plan(root).index
    return {key.output: page_inputs(key, index) for key in page_keys(index)}


def _card_slug(card: object) -> str:
    found = re.search(r'href="[^"]*briefs/([^/"]+)/"', str(card))
    assert found is not None
    return found.group(1)


def _items(page: Page, key: str) -> list[Any]:
    value = page.context[key]
    assert isinstance(value, list)
    return value


# --- output paths -----------------------------------------------------------------------------


def test_every_record_gets_a_page_at_its_address(make_project: ProjectFactory) -> None:
    pages, planned, diagnostics = _plan(_two_briefs(make_project))
    assert diagnostics.items == []
    outputs = set(pages)
    assert {
        "index.html",
        "404.html",
        "entities/index.html",
        "topics/index.html",
        "briefs/agency-move/index.html",
        "briefs/second/index.html",
        "briefs/old/index.html",
        "entities/agency/index.html",
        "entities/office/index.html",
        "entities/unused/index.html",
        "topics/staffing/index.html",
        "topics/empty/index.html",
    } <= outputs
    assert len(outputs) == len(planned)  # no output written twice
    assert pages["briefs/second/index.html"].template == "brief.html"
    assert pages["entities/office/index.html"].template == "entity.html"
    assert pages["topics/empty/index.html"].template == "topic.html"
    assert pages["404.html"].template == "404.html"


def test_each_page_names_the_file_it_comes_from(make_project: ProjectFactory) -> None:
    pages, _, _ = _plan(_two_briefs(make_project))
    assert pages["briefs/second/index.html"].source == "content/briefs/second.yaml"
    assert pages["entities/office/index.html"].source == "content/entities/office.yaml"
    assert pages["topics/staffing/index.html"].source == "content/topics/staffing.yaml"
    assert pages["index.html"].source == "content/site.yaml"


def test_static_files_are_planned_after_pages(make_project: ProjectFactory, tmp_path: Path) -> None:
    css = tmp_path / "site.css"
    css.write_text("body{}", encoding="utf-8")
    static = StaticFile("assets/site.css", css, "layouts/static/assets/site.css")
    _, planned, diagnostics = _plan(make_project(), [static])
    assert planned[-1] == static
    assert diagnostics.items == []


# --- page inputs ------------------------------------------------------------------------------


def test_brief_page_inputs(make_project: ProjectFactory) -> None:
    inputs = _inputs(_two_briefs(make_project))
    assert inputs["briefs/agency-move/index.html"] >= {
        "content/briefs/agency-move.yaml",
        "seeds/agency-move.txt",
        "content/site.yaml",
        "content/entities/agency.yaml",
        "content/topics/staffing.yaml",
        "card:second",  # related to it from the other side: its title is shown
    }
    second = inputs["briefs/second/index.html"]
    assert second >= {
        "content/briefs/second.yaml",
        "seeds/second.txt",
        "content/site.yaml",
        "content/entities/agency.yaml",
        "content/entities/office.yaml",
        "card:agency-move",
    }
    assert "content/entities/unused.yaml" not in second
    assert "content/briefs/agency-move.yaml" not in second  # only its card is shown
    assert "card:old" not in second


def test_entity_page_inputs(make_project: ProjectFactory) -> None:
    inputs = _inputs(_two_briefs(make_project))
    office = inputs["entities/office/index.html"]
    assert office >= {"content/entities/office.yaml", "content/site.yaml", "card:second"}
    assert not {i for i in office if i.startswith("content/briefs/")}  # cards, not files
    assert "card:agency-move" not in office
    assert inputs["entities/unused/index.html"] >= {
        "content/entities/unused.yaml",
        "content/site.yaml",
    }


def test_topic_page_inputs(make_project: ProjectFactory) -> None:
    inputs = _inputs(_two_briefs(make_project))
    assert inputs["topics/staffing/index.html"] >= {
        "content/topics/staffing.yaml",
        "content/site.yaml",
        "card:agency-move",
    }
    assert "card:second" not in inputs["topics/staffing/index.html"]


def test_index_and_list_page_inputs(make_project: ProjectFactory) -> None:
    inputs = _inputs(_two_briefs(make_project))
    assert inputs["index.html"] == {
        "content/site.yaml",
        "card:agency-move",
        "card:second",
        "card:old",
    }
    assert inputs["entities/index.html"] >= {
        "content/entities/agency.yaml",
        "content/entities/office.yaml",
        "content/entities/unused.yaml",
    }
    assert inputs["topics/index.html"] >= {
        "content/topics/staffing.yaml",
        "content/topics/empty.yaml",
    }
    assert inputs["404.html"] == {"content/site.yaml"}


def test_claims_pages_inputs_are_every_briefs_claims(make_project: ProjectFactory) -> None:
    inputs = _inputs(_two_briefs(make_project))
    expected = {"content/site.yaml", "claims:agency-move", "claims:second", "claims:old"}
    assert inputs["claims/index.html"] == expected
    for rating in RATINGS:
        assert inputs[f"claims/{rating}/index.html"] == expected


def _apply(root: Path, path: str, change: Callable[[str], str]) -> None:
    file = root / path
    file.write_text(change(file.read_text(encoding="utf-8")), encoding="utf-8")


EDITS: list[tuple[str, str, Callable[[str], str]]] = [
    (
        "entity name",
        "content/entities/office.yaml",
        lambda t: t.replace("The Office", "The Bureau"),
    ),
    ("topic name", "content/topics/staffing.yaml", lambda t: t.replace("Staffing", "People")),
    ("site title", "content/site.yaml", lambda t: t.replace("Test briefs", "Other")),
    ("seed headline", "seeds/agency-move.txt", lambda t: t.replace("Agency to", "Agency will")),
    (
        "brief summary",
        "content/briefs/agency-move.yaml",
        lambda t: t.replace("is moving staff", "moves staff"),
    ),
    (
        "new alias found in a seed",
        "content/entities/unused.yaml",
        lambda t: t + "aliases: [Critics]\n",
    ),
    ("alias removed", "content/entities/agency.yaml", lambda t: t.replace("[Agency]", "[]")),
    ("note text", "content/briefs/second.yaml", lambda t: t.replace("They met.", "They did.")),
    (
        "verdict rating",
        "content/briefs/second.yaml",
        lambda t: t.replace("rating: accurate", "rating: false"),
    ),
    (
        "verdict summary",
        "content/briefs/second.yaml",
        lambda t: t.replace('summary: "Yes,', 'summary: "Indeed,'),
    ),
    (
        "claim quote",
        "content/briefs/second.yaml",
        lambda t: t.replace("quote: The Office and the Agency met", "quote: the Agency met"),
    ),
    (
        "brief date reorders the claims",
        "content/briefs/second.yaml",
        lambda t: t.replace("published: 2024-06-01", "published: 2018-06-01"),
    ),
    (
        "a note becomes a claim",
        "content/briefs/agency-move.yaml",
        lambda t: t.replace(
            "type: context", "type: claim\n    verdict: {rating: false, summary: No.}"
        ),
    ),
]


@pytest.mark.parametrize(("what", "path", "change"), EDITS, ids=[e[0] for e in EDITS])
def test_every_page_a_change_alters_lists_the_changed_file_as_an_input(
    make_project: ProjectFactory,
    tmp_path: Path,
    what: str,
    path: str,
    change: Callable[[str], str],
) -> None:
    # What lets the watcher rebuild only what an edit touches: a page whose bytes change
    # must name, among its inputs before or after the edit, the edited file or a facet
    # (a brief's card, one note) whose value the edit changed.
    root = _two_briefs(make_project)
    before_pages = _inputs(root)
    before, before_facets = _run(root, tmp_path / "before")
    _apply(root, path, change)
    after_pages = _inputs(root)
    after, after_facets = _run(root, tmp_path / "after")
    changed = {out for out in before.keys() | after.keys() if before.get(out) != after.get(out)}
    facets = {
        k
        for k in before_facets.keys() | after_facets.keys()
        if before_facets.get(k) != after_facets.get(k)
    }
    assert changed, f"editing the {what} changed nothing"
    for out in changed:
        inputs: set[str] = set()
        for pages in (before_pages, after_pages):
            inputs |= pages.get(out, frozenset())
        # A page whose inputs are other names now (an annotation page's neighbours) has
        # another fingerprint, which names its inputs: it is rendered again too.
        renamed = before_pages.get(out) != after_pages.get(out)
        assert path in inputs or inputs & facets or renamed, (
            f"{out} changed with {path} but lists neither"
        )


def _run(root: Path, output: Path) -> tuple[dict[str, bytes], dict[str, Hashable]]:
    planned = plan(root)
    facets: dict[str, Hashable] = {}
    for slug, placed in planned.placed.items():
        facets.update(brief_facets(placed, planned.index.briefs[slug], planned.project.entities))
    return build_site(root, output), facets


# --- page contents ----------------------------------------------------------------------------


def test_index_lists_briefs_newest_first(make_project: ProjectFactory) -> None:
    pages, _, _ = _plan(_two_briefs(make_project))
    cards = _items(pages["index.html"], "briefs")
    assert [_card_slug(c) for c in cards] == ["second", "agency-move", "old"]
    assert [re.search(r'datetime="([^"]+)"', str(c)).group(1) for c in cards] == [  # type: ignore[union-attr]
        "2024-06-01",
        "2024-05-01",
        "2019-01-01",
    ]


def test_briefs_of_the_same_day_are_in_slug_order(make_project: ProjectFactory) -> None:
    root = make_project(
        {
            "content/briefs/zeta.yaml": "seed: agency-move\npublished: 2024-05-01\n",
            "content/briefs/alpha.yaml": "seed: agency-move\npublished: 2024-05-01\n",
        }
    )
    pages, _, _ = _plan(root)
    cards = _items(pages["index.html"], "briefs")
    assert [_card_slug(c) for c in cards] == ["agency-move", "alpha", "zeta"]


def test_title_defaults_to_the_seed_headline(make_project: ProjectFactory) -> None:
    pages, _, _ = _plan(_two_briefs(make_project))
    assert pages["briefs/agency-move/index.html"].context["title"] == (
        "Agency to move staff to the city"
    )
    assert pages["briefs/old/index.html"].context["title"] == "An old brief"


def test_card_counts_notes_by_type(make_project: ProjectFactory) -> None:
    planner = plan(_two_briefs(make_project)).planner
    cards = {slug: planner.card_view(slug, "./") for slug in ("second", "old")}
    assert cards["second"].note_count == 1
    assert [(c.type, c.count) for c in cards["second"].counts] == [("claim", 1)]
    assert cards["old"].note_count == 0
    assert cards["old"].counts == ()


def test_notes_are_numbered_in_reading_order(make_project: ProjectFactory) -> None:
    brief = """\
seed: agency-move
published: 2024-05-01
annotations:
  - id: late
    quote: the plan
    type: context
    note: n
  - id: inner
    quote: 40 staff
    type: context
    note: n
  - id: outer
    quote: move 40 staff
    type: context
    note: n
"""
    pages, _, _ = _plan(make_project({"content/briefs/agency-move.yaml": brief}))
    notes = _items(pages["briefs/agency-move/index.html"], "notes")
    assert [(n.id, n.number) for n in notes] == [("outer", 1), ("inner", 2), ("late", 3)]
    assert [n.quote for n in notes] == ["move 40 staff", "40 staff", "the plan"]
    assert [n.passage for n in notes] == ["passage_outer", "passage_inner", "passage_late"]


def test_note_links_stay_on_their_brief_and_point_there_from_elsewhere(
    make_project: ProjectFactory,
) -> None:
    pages, _, _ = _plan(_two_briefs(make_project))
    page = pages["briefs/second/index.html"].context
    assert 'href="#met"' in str(page["summary"])
    assert 'href="../../briefs/agency-move/#staff"' in str(page["summary"])
    (note,) = _items(pages["briefs/second/index.html"], "notes")
    assert note.verdict.label == "Accurate"
    assert str(note.verdict.summary) == 'Yes, see <a href="#met">note</a>.'
    cards = _items(pages["index.html"], "briefs")
    assert 'briefs/second/#met"' in str(cards[0])
    assert 'href="#met"' not in str(cards[0])
    entity_notes = _items(pages["entities/office/index.html"], "notes")
    assert 'href="../../briefs/second/#met"' in str(entity_notes[0])


def test_related_briefs_are_linked_both_ways(make_project: ProjectFactory) -> None:
    pages, _, _ = _plan(_two_briefs(make_project))
    first = _items(pages["briefs/agency-move/index.html"], "related")
    second = _items(pages["briefs/second/index.html"], "related")
    assert [(r.title, r.url) for r in first] == [
        ("Second story about the Agency", "../../briefs/second/")
    ]
    assert [(r.title, r.url) for r in second] == [
        ("Agency to move staff to the city", "../../briefs/agency-move/")
    ]


def test_claims_pages_list_every_claim_newest_brief_first(make_project: ProjectFactory) -> None:
    brief = BRIEF_B.replace("published: 2024-06-01", "published: 2024-04-01")
    root = _two_briefs(make_project)
    write_project(
        root,
        {
            "content/briefs/second.yaml": brief,
            "content/briefs/agency-move.yaml": """\
                seed: agency-move
                published: 2024-05-01
                annotations:
                  - id: cost
                    quote: the cost
                    type: claim
                    note: n
                    verdict: {rating: false, summary: "*Not* so."}
                  - id: staff
                    quote: move 40 staff
                    type: claim
                    note: n
                    verdict: {rating: accurate, summary: Right.}
                  - id: plan
                    quote: the plan
                    type: context
                    note: n
                """,
        },
    )
    pages, _, _ = _plan(root)

    def listed(output: str) -> list[tuple[str, str, list[tuple[int, str, str, str]]]]:
        """Each brief's claims as its rendered group shows them."""
        found = []
        for group in _items(pages[output], "groups"):
            head = re.search(r'<h2><a href="([^"]*)">([^<]*)</a></h2>', str(group))
            assert head is not None, group
            claims = [
                (int(number), html.unescape(quote), rating, html.unescape(url))
                for rating, quote, url, number in re.findall(
                    r'<li class="verdict r-([a-z-]+)">\s*<blockquote class="note-quote"><p>'
                    r'([^<]*)</p>.*?<p class="claim-note"><a href="([^"]*)">Note (\d+)<',
                    str(group),
                    re.S,
                )
            ]
            found.append((html.unescape(head[2]), html.unescape(head[1]), claims))
        return found

    move = "../briefs/agency-move/"
    assert listed("claims/index.html") == [
        (
            "Agency to move staff to the city",
            move,
            [
                (1, "move 40 staff", "accurate", f"{move}#staff"),
                (2, "the cost", "false", f"{move}#cost"),
            ],
        ),
        (
            "Second story about the Agency",
            "../briefs/second/",
            [(1, "The Office and the Agency met", "accurate", "../briefs/second/#met")],
        ),
    ]
    assert listed("claims/false/index.html") == [
        (
            "Agency to move staff to the city",
            "../../briefs/agency-move/",
            [(2, "the cost", "false", "../../briefs/agency-move/#cost")],
        )
    ]
    assert listed("claims/misleading/index.html") == []
    filters = _items(pages["claims/false/index.html"], "filters")
    assert [(f.label, f.url, f.count, f.current) for f in filters] == [
        ("All", "../../claims/", 3, False),
        ("Accurate", "../../claims/accurate/", 2, False),
        ("Mostly accurate", "../../claims/mostly-accurate/", 0, False),
        ("Missing context", "../../claims/missing-context/", 0, False),
        ("Misleading", "../../claims/misleading/", 0, False),
        ("False", "../../claims/false/", 1, True),
        ("Unsupported", "../../claims/unsupported/", 0, False),
    ]
    (group, _) = _items(pages["claims/index.html"], "groups")
    assert "<em>Not</em> so." in str(group)
    assert pages["claims/false/index.html"].context["title"] == "Claims rated false"


def test_claims_pages_are_linked_from_the_index_and_each_briefs_claims(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    site = build_site(_two_briefs(make_project), tmp_path / "out")
    index = site["index.html"].decode()
    assert '<a href="claims/">Every claim checked</a>' in index
    brief = site["briefs/second/index.html"].decode()
    start = brief.index('id="claims_title"')
    table = brief[start : brief.index("</section>", start)]
    assert '<a href="../../claims/">Every claim checked in every brief</a>' in table
    # A brief without claims has no claims table to link from.
    assert 'id="claims_title"' not in site["briefs/old/index.html"].decode()


def test_each_page_has_its_own_description(make_project: ProjectFactory) -> None:
    root = _two_briefs(make_project)
    write_project(
        root,
        {
            "content/site.yaml": "title: T\ndescription: All the briefs.\n",
            "content/entities/office.yaml": (
                "name: The Office\naliases: [Office]\nsummary: |\n"
                '  A [body](entity:agency) that\n\n  - *meets*\n  - & "talks"\n'
            ),
        },
    )
    pages, _, _ = _plan(root)

    def described(output: str) -> object:
        return pages[output].context["description"]

    assert described("briefs/agency-move/index.html") == "The Agency is moving staff."
    assert described("briefs/second/index.html") == "See the staff note and ours."
    assert described("briefs/old/index.html") == (
        "Second story about the Agency: the article, annotated with 0 notes."
    )
    assert described("entities/office/index.html") == 'A body that meets & "talks"'
    assert described("entities/agency/index.html") == "Briefs and notes that mention The Agency."
    assert described("topics/staffing/index.html") == "Who works where."
    assert described("topics/empty/index.html") == "Briefs on Empty topic."
    for output in ("index.html", "briefs/index.html", "entities/index.html", "404.html"):
        assert described(output) == "All the briefs."
    assert described("claims/index.html") == (
        "Every claim checked in the briefs, with its verdict and why."
    )


def test_a_brief_lists_what_it_mentions_under_the_heading_of_each_kind(
    make_project: ProjectFactory,
) -> None:
    root = make_project(
        {
            "seeds/agency-move.txt": (
                "Agency to move staff\n\nThe Agency, Ann Lee, Paris, the Act and the Fund"
                " and Thing met.\n"
            ),
            "content/entities/ann.yaml": "name: Ann Lee\nkind: person\n",
            "content/entities/paris.yaml": "name: Paris\nkind: place\n",
            "content/entities/act.yaml": "name: Act\nkind: law\n",
            "content/entities/fund.yaml": "name: Fund\nkind: program\n",
            "content/entities/thing.yaml": "name: Thing\n",
            "content/briefs/agency-move.yaml": "seed: agency-move\npublished: 2024-05-01\n",
        }
    )
    pages, _, _ = _plan(root)
    groups = _items(pages["briefs/agency-move/index.html"], "entity_groups")
    assert [(g.heading, [link.title for link in g.links]) for g in groups] == [
        ("People and organisations", ["The Agency", "Ann Lee"]),
        ("Places", ["Paris"]),
        ("Laws and programmes", ["Act", "Fund"]),
        ("Others", ["Thing"]),
    ]


def test_every_entity_kind_has_one_heading() -> None:
    kinds = [kind for _, group in ENTITY_GROUPS for kind in group]
    assert sorted(kinds) == sorted(ENTITY_KINDS)


def test_a_note_links_to_the_entities_named_in_its_passage(make_project: ProjectFactory) -> None:
    root = make_project(
        {
            "content/briefs/agency-move.yaml": """\
                seed: agency-move
                published: 2024-05-01
                annotations:
                  - id: said
                    quote: The Agency said
                    type: context
                    note: n
                  - id: about
                    quote: Agency said on Friday
                    type: context
                    note: n
                    entities: [agency]
                """,
        }
    )
    pages, _, _ = _plan(root)
    notes = {n.id: n for n in _items(pages["briefs/agency-move/index.html"], "notes")}
    assert [(e.title, e.url) for e in notes["said"].mentions] == [
        ("The Agency", "../../entities/agency/")
    ]
    assert notes["said"].entities == ()
    # Already linked as what the note is about: not listed twice.
    assert notes["about"].mentions == ()
    assert [e.title for e in notes["about"].entities] == ["The Agency"]


def _groups(page: Page) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(g.heading, [(i.title, i.url) for i in g.links]) for g in _items(page, "groups")]


def test_entity_and_topic_list_pages_are_sorted_by_name(make_project: ProjectFactory) -> None:
    pages, _, _ = _plan(_two_briefs(make_project))
    assert _groups(pages["entities/index.html"]) == [
        ("People and organisations", [("The Agency", "agency/")]),
        ("Others", [("Nobody Mentioned", "unused/"), ("The Office", "office/")]),
    ]
    assert _groups(pages["topics/index.html"]) == [
        ("", [("Empty topic", "empty/"), ("Staffing", "staffing/")])
    ]


@pytest.mark.parametrize(
    ("base_url", "root"),
    [
        (None, "/"),
        ("https://briefs.example.org/", "/"),
        ("https://briefs.example.org", "/"),
        ("https://example.org/briefs/", "/briefs/"),
        ("https://example.org/a/b", "/a/b/"),
    ],
)
def test_404_page_links_from_the_base_url_path(
    make_project: ProjectFactory, base_url: str | None, root: str
) -> None:
    site = "title: T\n" + (f"base_url: {base_url}\n" if base_url else "")
    pages, _, _ = _plan(make_project({"content/site.yaml": site}))
    assert pages["404.html"].context["root"] == root


def test_quote_starting_with_a_dash_at_a_paragraph_start_is_planned(
    make_project: ProjectFactory,
) -> None:
    seed = "Head\n\nFirst paragraph here.\n\n\u2014 Yes, he said.\n"
    brief = (
        "seed: agency-move\npublished: 2024-05-01\nannotations:\n"
        "  - id: yes\n    quote: \u2014 Yes\n    type: context\n    note: n\n"
    )
    root = make_project({"seeds/agency-move.txt": seed, "content/briefs/agency-move.yaml": brief})
    pages, _, _ = _plan(root)
    (note,) = _items(pages["briefs/agency-move/index.html"], "notes")
    assert note.passage == "passage_yes"
    assert note.quote == "\u2014 Yes"


# --- clashes ----------------------------------------------------------------------------------


def test_two_pages_on_one_output_path_is_an_error_naming_both(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project()
    clash = tmp_path / "index.html"
    clash.write_text("<p>static</p>", encoding="utf-8")
    static = [StaticFile("index.html", clash, "layouts/static/index.html")]
    pages, planned, diagnostics = _plan(root, static)
    (d,) = diagnostics.errors
    assert d.location == SourceLocation("layouts/static/index.html")
    assert (
        d.message == "layouts/static/index.html and content/site.yaml would both write index.html"
    )
    assert d.hint
    assert pages["index.html"].template == "index.html"  # the first claim is kept
    assert static[0] not in planned


def test_a_static_file_on_a_brief_page_names_the_brief(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    clash = tmp_path / "x.html"
    clash.write_text("x", encoding="utf-8")
    static = [
        StaticFile(
            "briefs/agency-move/index.html", clash, "layouts/static/briefs/agency-move/index.html"
        )
    ]
    _, _, diagnostics = _plan(make_project(), static)
    (d,) = diagnostics.errors
    assert "content/briefs/agency-move.yaml" in d.message
    assert "layouts/static/briefs/agency-move/index.html" in d.message


def test_a_clash_fails_the_build(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project()
    write_project(root, {"layouts/static/topics/staffing/index.html": "<p>clash</p>"})
    run = check(root)
    messages = [d.message for d in errors(run)]
    assert messages == [
        "layouts/static/topics/staffing/index.html and content/topics/staffing.yaml would both "
        "write topics/staffing/index.html"
    ]
    assert run.pages == {}
