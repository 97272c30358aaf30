"""The link graph: mentions, alias conflicts, backlinks, related briefs, dangling references."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefsite.errors import Diagnostic, Diagnostics, SourceLocation
from briefsite.link.graph import (
    Mention,
    NoteRef,
    alias_pattern,
    brief_links,
    build_graph,
    find_mentions,
)
from briefsite.link.references import check_brief, check_text
from briefsite.model import Project
from briefsite.read.markup import MarkdownRenderer
from briefsite.read.records import read_project
from briefsite.read.sources import Known
from tests.conftest import write_project

SITE = "title: Test\n"


def _brief(seed: str, published: str, extra: str = "") -> str:
    return f"seed: {seed}\npublished: {published}\n{extra}"


def _entity(name: str, aliases: str = "[]") -> str:
    return f"name: {name}\naliases: {aliases}\n"


def _read(root: Path, files: dict[str, str]) -> Project:
    write_project(root, {"content/site.yaml": SITE, **files})
    diagnostics = Diagnostics()
    project = read_project(root, diagnostics)
    assert diagnostics.items == [], [d.format() for d in diagnostics.items]
    return project


@dataclass(frozen=True)
class Linked:
    """The link step's results for a whole project: mentions per brief, and the graph."""

    mentions: Mapping[str, tuple[Mention, ...]]
    entity_briefs: Mapping[str, tuple[str, ...]]
    entity_notes: Mapping[str, tuple[NoteRef, ...]]
    topic_briefs: Mapping[str, tuple[str, ...]]
    related: Mapping[str, tuple[str, ...]]


def _graph(root: Path, files: dict[str, str]) -> tuple[Linked, list[Diagnostic]]:
    project = _read(root, files)
    aliases = alias_pattern(project.entities.values())
    mentions, links = {}, {}
    for slug, brief in project.briefs.items():
        seed = project.seeds[brief.seed.slug]
        mentions[slug] = find_mentions(seed.text, aliases)
        links[slug] = brief_links(brief, seed, mentions[slug], frozenset(project.entities))
    graph = build_graph(links, project.entities, project.topics)
    linked = Linked(
        mentions, graph.entity_briefs, graph.entity_notes, graph.topic_briefs, graph.related
    )
    return linked, list(aliases.problems)


def _mention_texts(root: Path, seed_text: str, entities: dict[str, str]) -> list[tuple[str, str]]:
    files = {"seeds/s.txt": seed_text, "content/briefs/b.yaml": _brief("s", "2024-01-01")}
    files.update({f"content/entities/{slug}.yaml": text for slug, text in entities.items()})
    graph, problems = _graph(root, files)
    assert problems == []
    project = _read(root, {})
    text = project.seeds["s"].text
    return [(m.entity, text[m.start : m.end]) for m in graph.mentions["b"]]


# --- mentions -------------------------------------------------------------------------------


def test_mentions_are_whole_words_and_case_sensitive(tmp_path: Path) -> None:
    seed = "ICE news\n\nICE agents, not ICED tea, not Ice or ice, nor DICE. ICE's plan (ICE)."
    found = _mention_texts(tmp_path, seed, {"ice": _entity("Immigration", "[ICE]")})
    assert found == [("ice", "ICE")] * 4


def test_mention_offsets_are_document_offsets(tmp_path: Path) -> None:
    seed = "Head\n\nThe Agency said\n  the Agency did."
    files = {
        "seeds/s.txt": seed,
        "content/briefs/b.yaml": _brief("s", "2024-01-01"),
        "content/entities/agency.yaml": _entity("The Agency", "[Agency]"),
    }
    graph, _ = _graph(tmp_path, files)
    text = "Head\n\nThe Agency said the Agency did."
    assert [(m.entity, m.start, m.end) for m in graph.mentions["b"]] == [
        ("agency", text.index("The Agency"), text.index("The Agency") + 10),
        ("agency", text.index("Agency did"), text.index("Agency did") + 6),
    ]


def test_the_entity_name_itself_marks_a_mention(tmp_path: Path) -> None:
    found = _mention_texts(
        tmp_path, "Head\n\nMatthew Albence spoke.", {"albence": _entity("Matthew Albence")}
    )
    assert found == [("albence", "Matthew Albence")]


def test_longest_alias_wins(tmp_path: Path) -> None:
    seed = "Head\n\nA Department of Homeland Security statement. Homeland Security said. DHS too."
    found = _mention_texts(
        tmp_path,
        seed,
        {
            "dhs": _entity("Department of Homeland Security", "[DHS]"),
            "homeland": _entity("Homeland", "[Homeland Security]"),
        },
    )
    assert found == [
        ("dhs", "Department of Homeland Security"),
        ("homeland", "Homeland Security"),
        ("dhs", "DHS"),
    ]


def test_longest_alias_wins_within_one_entity(tmp_path: Path) -> None:
    found = _mention_texts(
        tmp_path,
        "Head\n\nBorder Patrol Tactical Unit agents.",
        {
            "bortac": _entity("BORTAC", "[Border Patrol Tactical Unit]"),
            "border-patrol": _entity("Border Patrol", "[]"),
        },
    )
    assert found == [("bortac", "Border Patrol Tactical Unit")]


def test_aliases_with_punctuation_are_matched_literally(tmp_path: Path) -> None:
    found = _mention_texts(
        tmp_path,
        "Head\n\nThe U.S. said; the USxS did not. C++ (C++) is mentioned.",
        {"us": _entity("United States", '["U.S."]'), "cpp": _entity("C++")},
    )
    assert found == [("us", "U.S."), ("cpp", "C++"), ("cpp", "C++")]


def test_no_entities_means_no_mentions(tmp_path: Path) -> None:
    graph, _ = _graph(
        tmp_path,
        {"seeds/s.txt": "Head\n\nText.", "content/briefs/b.yaml": _brief("s", "2024-01-01")},
    )
    assert graph.mentions == {"b": ()}


def test_alias_pattern_is_none_without_entities(tmp_path: Path) -> None:
    project = _read(tmp_path, {})
    assert alias_pattern(project.entities.values()).regex is None


# --- alias conflicts --------------------------------------------------------------------------


def test_alias_of_two_entities_is_reported_at_the_second(tmp_path: Path) -> None:
    project = _read(
        tmp_path,
        {
            "content/entities/a.yaml": _entity("Alpha", "[Shared, A]"),
            "content/entities/b.yaml": _entity("Beta", "[B, Shared]"),
        },
    )
    diagnostics = Diagnostics()
    diagnostics.extend(alias_pattern(project.entities.values()).problems)
    assert [(d.location, d.message) for d in diagnostics.errors] == [
        (
            SourceLocation("content/entities/b.yaml", 2, 14),
            "alias 'Shared' also belongs to entity 'a' (content/entities/a.yaml:2:11)",
        )
    ]
    assert "one entity only" in diagnostics.errors[0].hint


def test_alias_equal_to_another_entitys_name_is_a_conflict(tmp_path: Path) -> None:
    project = _read(
        tmp_path,
        {
            "content/entities/a.yaml": _entity("ICE"),
            "content/entities/b.yaml": _entity("Ice Cream", "[ICE]"),
        },
    )
    diagnostics = Diagnostics()
    diagnostics.extend(alias_pattern(project.entities.values()).problems)
    assert [d.message for d in diagnostics.errors] == [
        "alias 'ICE' also belongs to entity 'a' (content/entities/a.yaml:1:7)"
    ]


def test_alias_repeating_its_own_entity_name_is_fine(tmp_path: Path) -> None:
    project = _read(tmp_path, {"content/entities/a.yaml": _entity("ICE", "[ICE, ICE]")})
    aliases = alias_pattern(project.entities.values())
    assert aliases.regex is not None
    assert aliases.problems == ()


def test_aliases_differing_only_in_case_are_different(tmp_path: Path) -> None:
    project = _read(
        tmp_path,
        {
            "content/entities/a.yaml": _entity("Alpha", "[ICE]"),
            "content/entities/b.yaml": _entity("Beta", "[Ice]"),
        },
    )
    diagnostics = Diagnostics()
    diagnostics.extend(alias_pattern(project.entities.values()).problems)
    assert diagnostics.items == []


# --- backlinks --------------------------------------------------------------------------------


NOTE = "  - id: {id}\n    quote: {quote}\n    type: context\n    note: n\n    entities: [{ents}]\n"


def _backlink_project() -> dict[str, str]:
    return {
        "seeds/one.txt": "Head\n\nThe Agency said so. The Office too.",
        "seeds/two.txt": "Head\n\nNothing named here.",
        "content/entities/agency.yaml": _entity("The Agency", "[Agency]"),
        "content/entities/office.yaml": _entity("Office"),
        "content/entities/quiet.yaml": _entity("Nobody Mentions Me"),
        "content/topics/t.yaml": "name: T\n",
        "content/topics/empty.yaml": "name: Empty\n",
        "content/briefs/old.yaml": _brief("one", "2020-01-01", "topics: [t]\n"),
        "content/briefs/new.yaml": _brief(
            "two",
            "2024-01-01",
            "topics: [t]\nannotations:\n"
            + NOTE.format(id="n1", quote="Nothing", ents="agency, quiet")
            + NOTE.format(id="n2", quote="named", ents="quiet"),
        ),
        "content/briefs/mid.yaml": _brief("one", "2022-06-01"),
    }


def test_entity_briefs_collect_mentions_and_notes_newest_first(tmp_path: Path) -> None:
    graph, problems = _graph(tmp_path, _backlink_project())
    assert problems == []
    assert graph.entity_briefs == {
        "agency": ("new", "mid", "old"),
        "office": ("mid", "old"),
        "quiet": ("new",),
    }


def test_entity_notes_list_the_notes_about_each_entity(tmp_path: Path) -> None:
    graph, _ = _graph(tmp_path, _backlink_project())
    assert graph.entity_notes == {
        "agency": (NoteRef("new", "n1"),),
        "office": (),
        "quiet": (NoteRef("new", "n1"), NoteRef("new", "n2")),
    }


def test_topic_briefs_newest_first_and_empty_topics_kept(tmp_path: Path) -> None:
    graph, _ = _graph(tmp_path, _backlink_project())
    assert graph.topic_briefs == {"t": ("new", "old"), "empty": ()}


def test_mentions_are_found_for_every_brief_of_a_shared_seed(tmp_path: Path) -> None:
    graph, _ = _graph(tmp_path, _backlink_project())
    assert graph.mentions["old"] == graph.mentions["mid"]
    assert {m.entity for m in graph.mentions["old"]} == {"agency", "office"}
    assert graph.mentions["new"] == ()


def test_related_briefs_are_symmetric(tmp_path: Path) -> None:
    files = {
        "seeds/s.txt": "Head\n\nText.",
        "content/briefs/a.yaml": _brief("s", "2024-01-03", "related: [b]\n"),
        "content/briefs/b.yaml": _brief("s", "2024-01-02"),
        "content/briefs/c.yaml": _brief("s", "2024-01-01", "related: [a]\n"),
        "content/briefs/d.yaml": _brief("s", "2024-01-04"),
    }
    graph, _ = _graph(tmp_path, files)
    assert set(graph.related["a"]) == {"b", "c"}
    assert graph.related["b"] == ("a",)
    assert graph.related["c"] == ("a",)
    assert graph.related["d"] == ()


def test_related_both_ways_is_listed_once(tmp_path: Path) -> None:
    files = {
        "seeds/s.txt": "Head\n\nText.",
        "content/briefs/a.yaml": _brief("s", "2024-01-03", "related: [b, b]\n"),
        "content/briefs/b.yaml": _brief("s", "2024-01-02", "related: [a]\n"),
    }
    graph, _ = _graph(tmp_path, files)
    assert graph.related == {"a": ("b",), "b": ("a",)}


def test_related_to_itself_or_to_a_missing_brief_is_ignored_by_the_graph(tmp_path: Path) -> None:
    files = {
        "seeds/s.txt": "Head\n\nText.",
        "content/briefs/a.yaml": _brief("s", "2024-01-03", "related: [a, ghost]\n"),
    }
    graph, _ = _graph(tmp_path, files)
    assert graph.related == {"a": ()}


# --- dangling references ----------------------------------------------------------------------


def _check(root: Path, files: dict[str, str], known: Known | None = None) -> list[Diagnostic]:
    project = _read(root, files)
    if known is None:
        known = Known(
            frozenset(project.seeds),
            frozenset(project.briefs),
            frozenset(project.entities),
            frozenset(project.topics),
        )
    markdown = MarkdownRenderer()
    note_ids = {slug: b.note_ids for slug, b in project.briefs.items()}
    found: list[Diagnostic] = []
    for brief in project.briefs.values():
        found.extend(check_brief(brief, known, note_ids, markdown))
    summaries = [e.summary for e in project.entities.values()]
    summaries += [t.summary for t in project.topics.values()]
    for summary in summaries:
        if summary is not None:
            found.extend(check_text(summary, known, note_ids, markdown))
    return found


BASE = {
    "seeds/s.txt": "Head\n\nThe text.",
    "content/entities/ice.yaml": _entity("ICE"),
    "content/topics/border-security.yaml": "name: Border\n",
}


def test_valid_references_are_silent(tmp_path: Path) -> None:
    files = {
        **BASE,
        "content/briefs/a.yaml": _brief(
            "s",
            "2024-01-01",
            "summary: See [ICE](entity:ice), [b](topic:border-security), [c](brief:b#x), "
            "[d](#n).\ntopics: [border-security]\nrelated: [b]\nannotations:\n"
            + NOTE.format(id="n", quote="text", ents="ice"),
        ),
        "content/briefs/b.yaml": _brief(
            "s", "2024-01-01", "annotations:\n" + NOTE.format(id="x", quote="text", ents="")
        ),
    }
    assert _check(tmp_path, files) == []


def test_unknown_seed_topic_entity_and_brief_are_each_located(tmp_path: Path) -> None:
    files = {
        **BASE,
        "seeds/border-story.txt": "Head\n\nText.",
        "content/briefs/a.yaml": _brief(
            "border-stroy",
            "2024-01-01",
            "topics: [border-securty]\nrelated: [zzz]\nannotations:\n"
            + NOTE.format(id="n", quote="text", ents="ic"),
        ),
    }
    problems = _check(tmp_path, files)
    assert [(d.location.line, d.location.col, d.message, d.hint) for d in problems] == [
        (
            1,
            7,
            "unknown seed 'border-stroy': no seeds/border-stroy.txt",
            "did you mean 'border-story'?",
        ),
        (
            3,
            10,
            "unknown topic 'border-securty': no content/topics/border-securty.yaml",
            "did you mean 'border-security'?",
        ),
        (4, 11, "unknown brief 'zzz': no content/briefs/zzz.yaml", "expected one of: a"),
        (10, 16, "unknown entity 'ic': no content/entities/ic.yaml", "did you mean 'ice'?"),
    ]


def test_reference_to_a_file_that_failed_to_parse_is_not_reported_again(tmp_path: Path) -> None:
    files = {**BASE, "content/briefs/a.yaml": _brief("s", "2024-01-01", "topics: [broken]\n")}
    known = Known(frozenset({"s"}), frozenset({"a"}), frozenset({"ice"}), frozenset({"broken"}))
    assert _check(tmp_path, files, known) == []


def test_unknown_targets_with_nothing_to_choose_from(tmp_path: Path) -> None:
    files = {
        "seeds/s.txt": "Head\n\nText.",
        "content/briefs/a.yaml": _brief("s", "2024-01-01", "topics: [x]\n"),
    }
    (d,) = _check(tmp_path, files)
    assert d.hint == "there are no topics yet"


def test_a_brief_related_to_itself_is_an_error(tmp_path: Path) -> None:
    files = {**BASE, "content/briefs/a.yaml": _brief("s", "2024-01-01", "related: [a]\n")}
    assert [(d.location.line, d.message) for d in _check(tmp_path, files)] == [
        (3, "a brief cannot be related to itself")
    ]


def test_markdown_links_to_unknown_targets_are_located_in_the_text(tmp_path: Path) -> None:
    summary = "summary: |\n  First line.\n  See [x](entity:nobody) and [y](topic:nothing).\n"
    files = {**BASE, "content/briefs/a.yaml": _brief("s", "2024-01-01", summary)}
    problems = _check(tmp_path, files)
    assert [(d.location, d.message) for d in problems] == [
        (
            SourceLocation("content/briefs/a.yaml", 5, 11),
            "link to unknown entity 'nobody' (entity:nobody)",
        ),
        (
            SourceLocation("content/briefs/a.yaml", 5, 34),
            "link to unknown topic 'nothing' (topic:nothing)",
        ),
    ]


def test_links_to_unknown_notes(tmp_path: Path) -> None:
    files = {
        **BASE,
        "content/briefs/a.yaml": _brief(
            "s",
            "2024-01-01",
            "summary: '[a](#nope) [b](brief:b#nada) [c](brief:b#x)'\nannotations:\n"
            + NOTE.format(id="note-one", quote="text", ents=""),
        ),
        "content/briefs/b.yaml": _brief(
            "s", "2024-01-01", "annotations:\n" + NOTE.format(id="x", quote="text", ents="")
        ),
    }
    problems = _check(tmp_path, files)
    assert [(d.message, d.hint) for d in problems] == [
        ("link to unknown note 'nope' in brief 'a' (#nope)", "expected one of: note-one"),
        ("link to unknown note 'nada' in brief 'b' (brief:b#nada)", "expected one of: x"),
    ]


def test_note_links_in_notes_and_verdicts_are_checked(tmp_path: Path) -> None:
    annotations = (
        "annotations:\n  - id: c\n    quote: text\n    type: claim\n    note: See [n](#nop).\n"
        "    verdict: {rating: false, summary: 'See [m](#cc).'}\n"
    )
    files = {**BASE, "content/briefs/a.yaml": _brief("s", "2024-01-01", annotations)}
    assert [d.message for d in _check(tmp_path, files)] == [
        "link to unknown note 'nop' in brief 'a' (#nop)",
        "link to unknown note 'cc' in brief 'a' (#cc)",
    ]


def test_note_link_outside_a_brief_is_an_error(tmp_path: Path) -> None:
    files = {**BASE, "content/topics/t.yaml": "name: T\nsummary: See [n](#note).\n"}
    (d,) = _check(tmp_path, files)
    assert d.location.path == "content/topics/t.yaml"
    assert d.message == "link to note 'note' outside a brief"
    assert "brief:slug#note-id" in d.hint


def test_links_in_entity_summaries_are_checked(tmp_path: Path) -> None:
    files = {**BASE, "content/entities/dhs.yaml": "name: DHS\nsummary: Runs [ICE](entity:ise).\n"}
    (d,) = _check(tmp_path, files)
    assert d.message == "link to unknown entity 'ise' (entity:ise)"
    assert d.hint == "did you mean 'ice'?"
