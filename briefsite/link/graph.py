"""The link graph: entity mentions found in seeds, and who lists which brief or note.

Each brief is first reduced to its `BriefLinks`: the few facts other pages need of it
(title, date, topics, related briefs, the entities it is about and its notes about them).
The graph's lists are then gathered from those alone, so that a change to one brief's
notes does not require reading every other brief again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from briefsite.errors import Diagnostic, Diagnostics, SourceLocation
from briefsite.model import Brief, Entity, Rating, Seed, brief_title, newest_first


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
class AliasPattern:
    """One regular expression for every alias of every entity, and the entity of each."""

    regex: re.Pattern[str] | None
    owner: Mapping[str, str]
    problems: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class BriefLinks:
    """What other pages need of a brief: how it is listed and what it links to."""

    slug: str
    path: str
    seed: str
    title: str
    published: dt.date
    topics: tuple[str, ...]
    related: tuple[str, ...]
    # The entities its seed mentions or its notes are about, and its notes about entities.
    about: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]  # (entity slug, note id), in the brief's note order
    ratings: tuple[Rating, ...]  # its claim checks' verdicts, which the claims pages count


@dataclass(frozen=True)
class Graph:
    """Who lists what: every brief in the site's order, the briefs about each entity and
    topic, and related briefs."""

    order: tuple[str, ...]  # every brief, newest first: the order every list follows
    entity_briefs: Mapping[str, tuple[str, ...]]
    entity_notes: Mapping[str, tuple[NoteRef, ...]]
    topic_briefs: Mapping[str, tuple[str, ...]]
    related: Mapping[str, tuple[str, ...]]

    @cached_property
    def neighbours(self) -> dict[str, tuple[str | None, str | None]]:
        """Each brief's neighbours in the site's order: before, after."""
        order = self.order
        return {
            slug: (order[i - 1] if i else None, order[i + 1] if i + 1 < len(order) else None)
            for i, slug in enumerate(order)
        }


def alias_pattern(entities: Iterable[Entity]) -> AliasPattern:
    """The pattern of every entity's name and aliases (longest first); an alias that two
    entities claim is reported."""
    diagnostics = Diagnostics()
    owner: dict[str, str] = {}
    where: dict[str, SourceLocation] = {}
    for entity in sorted(entities, key=lambda e: e.slug):
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
        return AliasPattern(None, {}, tuple(diagnostics.items))
    alternatives = "|".join(re.escape(a) for a in sorted(owner, key=lambda a: (-len(a), a)))
    regex = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return AliasPattern(regex, owner, tuple(diagnostics.items))


def find_mentions(text: str, aliases: AliasPattern) -> tuple[Mention, ...]:
    """Every mention of an entity in a seed's document text."""
    if aliases.regex is None:
        return ()
    owner = aliases.owner
    return tuple(
        Mention(owner[m.group()], m.start(), m.end()) for m in aliases.regex.finditer(text)
    )


def brief_links(
    brief: Brief, seed: Seed | None, mentions: tuple[Mention, ...], entities: frozenset[str]
) -> BriefLinks:
    """Reduce a brief to what the graph and other pages need of it."""
    about = {m.entity for m in mentions}
    notes: list[tuple[str, str]] = []
    for note in brief.annotations:
        if note.retired:
            continue  # listed on its brief only, under the passages the source removed
        for ref in note.entities:
            if ref.slug in entities:
                notes.append((ref.slug, note.id))
                about.add(ref.slug)
    return BriefLinks(
        slug=brief.slug,
        path=brief.path,
        seed=brief.seed.slug,
        title=brief_title(brief, seed),
        published=brief.published,
        topics=tuple(r.slug for r in brief.topics),
        related=tuple(r.slug for r in brief.related),
        about=tuple(sorted(about)),
        notes=tuple(notes),
        ratings=tuple(
            n.verdict.rating for n in brief.annotations if n.verdict is not None and not n.retired
        ),
    )


def build_graph(
    briefs: Mapping[str, BriefLinks], entities: Iterable[str], topics: Iterable[str]
) -> Graph:
    """Collect, for each entity and topic, its briefs and notes, newest brief first; and
    each brief's related briefs, both ways."""
    entity_briefs: dict[str, list[str]] = {slug: [] for slug in sorted(entities)}
    entity_notes: dict[str, list[NoteRef]] = {slug: [] for slug in entity_briefs}
    topic_briefs: dict[str, list[str]] = {slug: [] for slug in sorted(topics)}
    related: dict[str, list[str]] = {slug: [] for slug in sorted(briefs)}
    order = newest_first(briefs.values())
    for links in order:
        for slug in links.about:
            if slug in entity_briefs:
                entity_briefs[slug].append(links.slug)
        for slug, note in links.notes:
            if slug in entity_notes:
                entity_notes[slug].append(NoteRef(links.slug, note))
        for slug in links.topics:
            if slug in topic_briefs:
                topic_briefs[slug].append(links.slug)
        for slug in links.related:
            if slug in related and slug != links.slug:
                _add(related[links.slug], slug)
                _add(related[slug], links.slug)
    return Graph(
        order=tuple(links.slug for links in order),
        entity_briefs={k: tuple(v) for k, v in entity_briefs.items()},
        entity_notes={k: tuple(v) for k, v in entity_notes.items()},
        topic_briefs={k: tuple(v) for k, v in topic_briefs.items()},
        related={k: tuple(v) for k, v in related.items()},
    )


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)
