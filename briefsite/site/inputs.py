"""What each page is made from: what an incremental build compares.

An input is a project file (`content/briefs/x.yaml`), a *facet*, a part of one that a page
shows, or the entities' alias pattern. `card:x` is what a list shows of brief x (title,
summary, date, note counts); `note:x#id` is one note as an entity page shows it;
`claims:x` is brief x's claim checks as the claims pages list them; `entry:x` is what
feeds, the sitemap and the annotation collection take of brief x (its title, summary,
dates, authors, corrections, note count, and what it is about). A page
listing a thousand briefs then depends on their cards, not on every word of every note, so
an edit to a note renders again the brief and the pages that show that note, not every list.

Inputs are worked out from the site index alone, without reading any brief in full, so the
inputs of every page can be known after an edit without planning any page.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from briefsite.anchor.anchoring import reading_order
from briefsite.link.graph import BriefLinks
from briefsite.model import Brief, Entity, count_by_type
from briefsite.read.sources import seed_file
from briefsite.site.pages import PageKey, Placed, SiteIndex

CARD = "card:"
NOTE = "note:"
CLAIMS = "claims:"
ENTRY = "entry:"
# Annotation pages link their neighbours: the names alone carry them (no digest needed).
PREVIOUS = "previous:"
NEXT = "next:"
# Every brief page shows its seed's mentions, found with every entity's names and aliases.
ALIASES = "aliases:"


def page_inputs(key: PageKey, index: SiteIndex) -> frozenset[str]:
    """The files and facets whose content the page of `key` shows (templates aside)."""
    found = {index.site.path}
    cards: list[str] = []
    graph = index.graph
    if key.format != "html":
        return frozenset(found | _document_inputs(key, index))
    if key.kind in ("index", "briefs"):
        cards = list(index.briefs)
    elif key.kind == "entities":
        found.update(e.path for e in index.entities.values())
    elif key.kind == "topics":
        found.update(t.path for t in index.topics.values())
    elif key.kind in ("claims", "rating"):
        found.update(f"{CLAIMS}{slug}" for slug in index.briefs)
    elif key.kind == "brief":
        links = index.briefs[key.slug]
        found.update((links.path, seed_file(links.seed), ALIASES))
        cards = list(graph.related.get(key.slug, ()))
        found.update(index.entities[e].path for e in links.about if e in index.entities)
        found.update(index.topics[t].path for t in links.topics if t in index.topics)
    elif key.kind == "entity":
        found.add(index.entities[key.slug].path)
        cards = list(graph.entity_briefs.get(key.slug, ()))
        # A note's facet holds its brief's title and the names of the entities it lists.
        found.update(f"{NOTE}{ref.brief}#{ref.note}" for ref in graph.entity_notes[key.slug])
    elif key.kind == "topic":
        found.add(index.topics[key.slug].path)
        cards = list(graph.topic_briefs.get(key.slug, ()))
    found.update(f"{CARD}{slug}" for slug in cards)
    return frozenset(found)


def _document_inputs(key: PageKey, index: SiteIndex) -> set[str]:
    """The inputs of a document read away from the site (feeds, sitemap, annotations)."""
    graph = index.graph
    if key.kind == "annotations":
        links = index.briefs[key.slug]
        found = {links.path, seed_file(links.seed)}
        previous, following = index.graph.neighbours[key.slug]
        if previous is not None:
            found.add(f"{PREVIOUS}{previous}")
        if following is not None:
            found.add(f"{NEXT}{following}")
        return found
    if key.kind == "entity-feed":
        slugs: list[str] | tuple[str, ...] = graph.entity_briefs.get(key.slug, ())
        return {index.entities[key.slug].path, *(f"{ENTRY}{s}" for s in slugs)}
    if key.kind == "topic-feed":
        slugs = graph.topic_briefs.get(key.slug, ())
        return {index.topics[key.slug].path, *(f"{ENTRY}{s}" for s in slugs)}
    if key.kind == "robots":
        return set()
    # The site's feed, the annotation collection and the sitemap (which names every page:
    # the entities' and topics' too, dated by the briefs they list).
    found = {f"{ENTRY}{slug}" for slug in index.briefs}
    if key.kind == "sitemap":
        found.update(e.path for e in index.entities.values())
        found.update(t.path for t in index.topics.values())
    return found


def entry_value(links: BriefLinks, brief: Brief, headline: str, notes: int) -> Hashable:
    """What feeds, the sitemap and the annotation collection take of a brief: with what it
    is about, as the sitemap dates the pages listing it by it, and its seed's headline,
    which describes a brief with no summary or key point."""
    return (
        links.title,
        brief.summary.value if brief.summary else None,
        tuple(p.value for p in brief.key_points[:1]),
        headline,
        brief.published.isoformat(),
        brief.updated.isoformat() if brief.updated else None,
        brief.authors,
        tuple((c.date.isoformat(), c.note.value) for c in brief.corrections),
        notes,
        links.topics,
        links.about,
    )


def card_value(links: BriefLinks, brief: Brief) -> Hashable:
    """What a list shows of a brief: two builds that agree on it list the brief alike."""
    counts = count_by_type(n.type for n in brief.annotations)
    return (
        links.title,
        brief.summary.value if brief.summary else None,
        brief.published.isoformat(),
        tuple(sorted(counts.items())),
    )


def brief_facets(
    placed: Placed, links: BriefLinks, entities: Mapping[str, Entity]
) -> dict[str, Hashable]:
    """The value of every facet of one brief: its card, each placed note as an entity page
    shows it (with its brief's title and its entities' names), and its claim checks as the
    claims pages list them (in reading order, under the brief's title and date)."""
    brief, text = placed.brief, placed.seed.text
    values: dict[str, Hashable] = {f"{CARD}{brief.slug}": card_value(links, brief)}
    order = reading_order(placed.anchors)
    values[f"{ENTRY}{brief.slug}"] = entry_value(links, brief, placed.seed.headline, len(order))
    numbers = {a.note_id: (i, a.start, a.end) for i, a in enumerate(order, start=1)}
    claims: list[tuple[int, str, str, str, str]] = []
    for note in brief.annotations:
        if note.id not in numbers:
            continue
        number, start, end = numbers[note.id]
        verdict = note.verdict
        values[f"{NOTE}{brief.slug}#{note.id}"] = (
            links.title,
            note.type,
            number,
            text[start:end],
            note.note.value,
            (verdict.rating, verdict.summary.value) if verdict else None,
            tuple((c.title, c.url, c.publisher, c.date, c.accessed) for c in note.sources),
            tuple((r.slug, entities[r.slug].name) for r in note.entities if r.slug in entities),
        )
        if verdict is not None:
            claims.append((number, note.id, text[start:end], verdict.rating, verdict.summary.value))
    values[f"{CLAIMS}{brief.slug}"] = (
        links.title,
        brief.published.isoformat(),
        tuple(sorted(claims)),
    )
    return values
