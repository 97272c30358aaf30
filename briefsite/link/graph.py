"""The link graph: references checked, entity mentions found, backlinks collected."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from briefsite.anchor.anchoring import Anchor, Unplaced
from briefsite.errors import Diagnostic, Diagnostics, SourceLocation
from briefsite.model import Brief, Project, Ref, Seed, Text
from briefsite.read.markup import MarkdownRenderer
from briefsite.read.yaml_reader import did_you_mean


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
    note_entities: dict[NoteRef, tuple[str, ...]]  # each note that names entities: their slugs


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
    for brief in project.briefs.values():
        diagnostics.extend(check_brief(brief, project, known, renderer))
    diagnostics.extend(check_summaries(project, known, renderer))


def check_brief(
    brief: Brief, project: Project, known: Known, renderer: MarkdownRenderer
) -> list[Diagnostic]:
    """The dangling references of one brief: its seed, topics, related briefs, the entities
    of its notes and every link in its Markdown."""
    diagnostics = Diagnostics()

    def check(ref: Ref, pool: frozenset[str], what: str, folder: str) -> None:
        if ref.slug not in pool:
            choices = sorted(pool)
            hint = did_you_mean(ref.slug, choices) if choices else f"there are no {what}s yet"
            diagnostics.error(
                ref.at, f"unknown {what} '{ref.slug}': no {folder}/{ref.slug}{_ext(what)}", hint
            )

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
    return diagnostics.items


def linked_briefs(brief: Brief, renderer: MarkdownRenderer) -> frozenset[str]:
    """The other briefs whose notes this brief's Markdown links to (`brief:x#note`)."""
    return frozenset(
        link.slug
        for text, _ in brief_texts(brief)
        for link in renderer.render(text.value).links
        if link.kind == "brief" and link.fragment
    )


def check_summaries(project: Project, known: Known, renderer: MarkdownRenderer) -> list[Diagnostic]:
    """The dangling links in entity and topic summaries."""
    diagnostics = Diagnostics()
    for entity in project.entities.values():
        if entity.summary:
            _check_links(entity.summary, None, project, known, renderer, diagnostics)
    for topic in project.topics.values():
        if topic.summary:
            _check_links(topic.summary, None, project, known, renderer, diagnostics)
    return diagnostics.items


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


@dataclass(frozen=True, slots=True)
class _BriefLinks:
    """What one brief adds to the graph: the entities it is about and its notes' entities."""

    about: tuple[str, ...]
    notes: tuple[tuple[str, NoteRef], ...]
    note_entities: tuple[tuple[NoteRef, tuple[str, ...]], ...]


@dataclass
class GraphCache:
    """What build_graph keeps between builds: each seed's mentions and each brief's links,
    valid while the seed, brief, aliases and set of entities are the same."""

    mentions: dict[str, tuple[Seed, str, tuple[Mention, ...]]] = field(default_factory=dict)
    links: dict[str, tuple[Brief, tuple[Mention, ...], _BriefLinks]] = field(default_factory=dict)
    entities: frozenset[str] = frozenset()
    # The entities that new, changed or removed briefs were, or are, about, since whoever
    # uses the cache last cleared this: the only entity pages whose lists can differ.
    touched_entities: set[str] = field(default_factory=set)
    shapes: dict[str, _Shape] = field(default_factory=dict)
    topics: frozenset[str] = frozenset()
    briefs: frozenset[str] = frozenset()
    last: Graph | None = None


def build_graph(
    project: Project,
    anchors: dict[str, tuple[Anchor | Unplaced, ...]],
    diagnostics: Diagnostics,
    cache: GraphCache | None = None,
) -> Graph:
    """Find mentions and collect, for each entity and topic, the briefs and notes about it.

    With a `cache` from the build before, when no brief changed what it links to (its
    entities, topics, related briefs or date), the lists of that build are used again.
    """
    aliases = alias_pattern(project, diagnostics)
    pattern_text = aliases[0].pattern if aliases else ""
    cache = GraphCache() if cache is None else cache
    entity_set = frozenset(project.entities)
    same = cache.last is not None
    if entity_set != cache.entities:
        cache.links.clear()
        cache.entities = entity_set
        cache.touched_entities.update(entity_set)
        same = False
    mentions: dict[str, tuple[Mention, ...]] = {}
    shapes: dict[str, _Shape] = {}
    for brief in project.briefs.values():
        seed = project.seeds.get(brief.seed.slug)
        if seed is None:
            continue
        seen = cache.mentions.get(seed.slug)
        if seen is None or seen[0] is not seed or seen[1] != pattern_text:
            seen = (seed, pattern_text, _find_mentions(seed.text, aliases))
            cache.mentions[seed.slug] = seen
        found = mentions[brief.slug] = seen[2]
        linked = cache.links.get(brief.slug)
        if linked is None or linked[0] is not brief or linked[1] is not found:
            if linked is not None:
                cache.touched_entities.update(_entities_of(linked[2]))
            linked = (brief, found, _brief_links(brief, found, entity_set))
            cache.links[brief.slug] = linked
            cache.touched_entities.update(_entities_of(linked[2]))
        old = cache.shapes.get(brief.slug)
        if old is not None and old.brief is brief and old.links is linked[2]:
            shapes[brief.slug] = old
        else:
            shape = shapes[brief.slug] = _Shape(brief, linked[2])
            same = same and old is not None and old.same_as(shape)
    for gone in set(cache.links) - set(mentions):
        cache.touched_entities.update(_entities_of(cache.links.pop(gone)[2]))
    same = (
        same
        and shapes.keys() == cache.shapes.keys()
        and frozenset(project.topics) == cache.topics
        and frozenset(project.briefs) == cache.briefs
    )
    cache.shapes, cache.topics, cache.briefs = (
        shapes,
        frozenset(project.topics),
        frozenset(project.briefs),
    )
    if same and cache.last is not None:
        last = cache.last
        graph = Graph(
            anchors,
            mentions,
            last.entity_briefs,
            last.entity_notes,
            last.topic_briefs,
            last.related,
            last.note_entities,
        )
    else:
        graph = _aggregate(project, anchors, mentions, cache)
    cache.last = graph
    return graph


@dataclass(frozen=True, slots=True)
class _Shape:
    """What of a brief the graph's lists depend on."""

    brief: Brief
    links: _BriefLinks

    def same_as(self, other: _Shape) -> bool:
        a, b = self.brief, other.brief
        return (
            self.links == other.links
            and a.published == b.published
            and [r.slug for r in a.topics] == [r.slug for r in b.topics]
            and [r.slug for r in a.related] == [r.slug for r in b.related]
        )


def _aggregate(
    project: Project,
    anchors: dict[str, tuple[Anchor | Unplaced, ...]],
    mentions: dict[str, tuple[Mention, ...]],
    cache: GraphCache,
) -> Graph:
    entity_briefs: dict[str, list[str]] = {slug: [] for slug in project.entities}
    entity_notes: dict[str, list[NoteRef]] = {slug: [] for slug in project.entities}
    topic_briefs: dict[str, list[str]] = {slug: [] for slug in project.topics}
    related: dict[str, list[str]] = {slug: [] for slug in project.briefs}
    note_entities: dict[NoteRef, tuple[str, ...]] = {}
    for brief in _newest_first(project):
        if brief.slug not in mentions:
            continue
        links = cache.links[brief.slug][2]
        for slug in links.about:
            entity_briefs[slug].append(brief.slug)
        for slug, note_ref in links.notes:
            entity_notes[slug].append(note_ref)
        note_entities.update(links.note_entities)
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
        note_entities=note_entities,
    )


def _entities_of(links: _BriefLinks) -> set[str]:
    return {*links.about, *(slug for slug, _ in links.notes)}


def _brief_links(brief: Brief, found: tuple[Mention, ...], entities: frozenset[str]) -> _BriefLinks:
    about = {m.entity for m in found}
    notes: list[tuple[str, NoteRef]] = []
    note_entities: list[tuple[NoteRef, tuple[str, ...]]] = []
    for note in brief.annotations:
        ref = NoteRef(brief.slug, note.id)
        if note.entities:
            note_entities.append((ref, tuple(r.slug for r in note.entities)))
        for entity in note.entities:
            if entity.slug in entities:
                notes.append((entity.slug, ref))
                about.add(entity.slug)
    return _BriefLinks(tuple(sorted(about)), tuple(notes), tuple(note_entities))


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
