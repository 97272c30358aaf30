"""The link graph: references checked, entity mentions found, backlinks collected."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from briefsite.anchoring import Anchor, Unplaced
from briefsite.errors import Diagnostics, SourceLocation
from briefsite.markup import MarkdownRenderer
from briefsite.model import Brief, Project, Ref, Seed, Text
from briefsite.yaml_reader import did_you_mean


@dataclass(frozen=True, slots=True)
class Mention:
    """An alias of an entity found in a seed's document text."""

    entity: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A note, named by its brief and id."""

    brief: str
    note: str


@dataclass(frozen=True, slots=True)
class Known:
    """Every slug that exists, including files that failed to parse, so that a broken file
    is reported once and not again as a dangling reference from each file that names it."""

    seeds: frozenset[str]
    briefs: frozenset[str]
    entities: frozenset[str]
    topics: frozenset[str]


@dataclass(frozen=True)
class Graph:
    """Who mentions, cites and groups what."""

    anchors: dict[str, tuple[Anchor | Unplaced, ...]]
    mentions: dict[str, tuple[Mention, ...]]
    entity_briefs: dict[str, tuple[str, ...]]
    entity_notes: dict[str, tuple[NoteRef, ...]]
    topic_briefs: dict[str, tuple[str, ...]]
    related: dict[str, tuple[str, ...]]


def brief_texts(brief: Brief) -> Iterator[tuple[Text, str | None]]:
    """Every Markdown text of a brief, with the note it belongs to."""
    if brief.summary:
        yield brief.summary, None
    for point in brief.key_points:
        yield point, None
    for correction in brief.corrections:
        yield correction.note, None
    for note in brief.annotations:
        yield note.note, note.id
        if note.verdict:
            yield note.verdict.summary, note.id


def all_texts(project: Project) -> Iterator[Text]:
    """Every Markdown text of the project."""
    for brief in project.briefs.values():
        for text, _ in brief_texts(brief):
            yield text
    for entity in project.entities.values():
        if entity.summary:
            yield entity.summary
    for topic in project.topics.values():
        if topic.summary:
            yield topic.summary


def check_references(
    project: Project, known: Known, renderer: MarkdownRenderer, diagnostics: Diagnostics
) -> None:
    """Report every reference to a seed, entity, topic, brief or note that does not exist."""

    def check(ref: Ref, pool: frozenset[str], what: str, folder: str) -> None:
        if ref.slug not in pool:
            choices = sorted(pool)
            hint = did_you_mean(ref.slug, choices) if choices else f"there are no {what}s yet"
            diagnostics.error(
                ref.at, f"unknown {what} '{ref.slug}': no {folder}/{ref.slug}{_ext(what)}", hint
            )

    for brief in project.briefs.values():
        check(brief.seed, known.seeds, "seed", "seeds")
        for ref in brief.topics:
            check(ref, known.topics, "topic", "content/topics")
        for ref in brief.related:
            check(ref, known.briefs, "brief", "content/briefs")
            if ref.slug == brief.slug:
                diagnostics.error(ref.at, "a brief cannot be related to itself")
        for note in brief.annotations:
            for ref in note.entities:
                check(ref, known.entities, "entity", "content/entities")
        for text, _ in brief_texts(brief):
            _check_links(text, brief, project, known, renderer, diagnostics)
    for entity in project.entities.values():
        if entity.summary:
            _check_links(entity.summary, None, project, known, renderer, diagnostics)
    for topic in project.topics.values():
        if topic.summary:
            _check_links(topic.summary, None, project, known, renderer, diagnostics)


def _ext(what: str) -> str:
    return ".txt" if what == "seed" else ".yaml"


def _check_links(
    text: Text,
    owner: Brief | None,
    project: Project,
    known: Known,
    renderer: MarkdownRenderer,
    diagnostics: Diagnostics,
) -> None:
    for link in renderer.render(text.value).links:
        at = text.locate(_link_offset(text.value, link.written))
        pools = {"entity": known.entities, "topic": known.topics, "brief": known.briefs}
        if link.kind != "note":
            if link.slug not in pools[link.kind]:
                diagnostics.error(
                    at,
                    f"link to unknown {link.kind} '{link.slug}' ({link.written})",
                    did_you_mean(link.slug, sorted(pools[link.kind])),
                )
                continue
            if link.kind != "brief" or not link.fragment:
                continue
            target = project.briefs.get(link.slug)
        elif owner is None:
            diagnostics.error(
                at,
                f"link to note '{link.fragment}' outside a brief",
                "write [text](brief:slug#note-id) to point at a note of a brief",
            )
            continue
        else:
            target = owner
        if target is None:
            continue  # that brief has errors of its own, already reported
        ids = sorted(target.note_ids)
        if link.fragment not in target.note_ids:
            diagnostics.error(
                at,
                f"link to unknown note '{link.fragment}' in brief '{target.slug}' ({link.written})",
                did_you_mean(link.fragment, ids) if ids else "that brief has no notes",
            )


def _link_offset(markdown: str, target: str) -> int:
    """Where a link target is written: as a link or reference definition, else anywhere."""
    for before in ("](", "]: ", "<"):
        found = markdown.find(before + target)
        if found >= 0:
            return found + len(before)
    return max(markdown.find(target), 0)


def alias_pattern(
    project: Project, diagnostics: Diagnostics
) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One regex for every alias of every entity (longest first) and the entity of each."""
    owner: dict[str, str] = {}
    where: dict[str, SourceLocation] = {}
    for entity in project.entities.values():
        names = [
            (entity.name, entity.name_at, "name"),
            *((a, at, "alias") for a, at in entity.aliases),
        ]
        for alias, at, what in names:
            previous = owner.get(alias)
            if previous is None:
                owner[alias], where[alias] = entity.slug, at
            elif previous != entity.slug:
                diagnostics.error(
                    at,
                    f"{what} '{alias}' also belongs to entity '{previous}' ({where[alias]})",
                    "an alias must mark one entity only: remove it from one of them",
                )
    if not owner:
        return None
    alternatives = "|".join(re.escape(a) for a in sorted(owner, key=lambda a: (-len(a), a)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), owner


MentionCache = dict[str, tuple[Seed, str, tuple["Mention", ...]]]


def build_graph(
    project: Project,
    anchors: dict[str, tuple[Anchor | Unplaced, ...]],
    diagnostics: Diagnostics,
    cache: MentionCache | None = None,
) -> Graph:
    """Find mentions and collect, for each entity and topic, the briefs and notes about it.

    `cache` keeps each seed's mentions between builds, valid while the seed and the
    aliases are the same objects and pattern.
    """
    aliases = alias_pattern(project, diagnostics)
    pattern_text = aliases[0].pattern if aliases else ""
    cache = {} if cache is None else cache
    mentions: dict[str, tuple[Mention, ...]] = {}
    entity_briefs: dict[str, list[str]] = {slug: [] for slug in project.entities}
    entity_notes: dict[str, list[NoteRef]] = {slug: [] for slug in project.entities}
    topic_briefs: dict[str, list[str]] = {slug: [] for slug in project.topics}
    related: dict[str, list[str]] = {slug: [] for slug in project.briefs}
    seed_mentions: dict[str, tuple[Mention, ...]] = {}
    for brief in _newest_first(project):
        seed = project.seeds.get(brief.seed.slug)
        if seed is None:
            continue
        if seed.slug not in seed_mentions:
            cached = cache.get(seed.slug)
            if cached is None or cached[0] is not seed or cached[1] != pattern_text:
                cached = (seed, pattern_text, _find_mentions(seed.text, aliases))
                cache[seed.slug] = cached
            seed_mentions[seed.slug] = cached[2]
        found = seed_mentions[seed.slug]
        mentions[brief.slug] = found
        about = {m.entity for m in found}
        for note in brief.annotations:
            for ref in note.entities:
                if ref.slug in entity_notes:
                    entity_notes[ref.slug].append(NoteRef(brief.slug, note.id))
                    about.add(ref.slug)
        for slug in sorted(about):
            entity_briefs[slug].append(brief.slug)
        for ref in brief.topics:
            if ref.slug in topic_briefs:
                topic_briefs[ref.slug].append(brief.slug)
        for ref in brief.related:
            if ref.slug in related and ref.slug != brief.slug:
                _add(related[brief.slug], ref.slug)
                _add(related[ref.slug], brief.slug)
    return Graph(
        anchors=anchors,
        mentions=mentions,
        entity_briefs={k: tuple(v) for k, v in entity_briefs.items()},
        entity_notes={k: tuple(v) for k, v in entity_notes.items()},
        topic_briefs={k: tuple(v) for k, v in topic_briefs.items()},
        related={k: tuple(v) for k, v in related.items()},
    )


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _newest_first(project: Project) -> list[Brief]:
    return sorted(project.briefs.values(), key=lambda b: (-b.published.toordinal(), b.slug))


def _find_mentions(
    text: str, aliases: tuple[re.Pattern[str], dict[str, str]] | None
) -> tuple[Mention, ...]:
    if aliases is None:
        return ()
    pattern, owner = aliases
    return tuple(Mention(owner[m.group()], m.start(), m.end()) for m in pattern.finditer(text))
