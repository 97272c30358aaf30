"""What each page is made from: what an incremental build compares.

An input is a project file (`content/briefs/x.yaml`), a *facet*, a part of one that a page
shows, or the entities' alias pattern. `card:x` is what a list shows of brief x (title,
summary, date, note counts); `note:x#id` is one note as an entity page shows it;
`claims:x` is brief x's claim checks as the claims pages list them. A page
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
# Every brief page shows its seed's mentions, found with every entity's names and aliases.
ALIASES = "aliases:"


def page_inputs(key: PageKey, index: SiteIndex) -> frozenset[str]:
    """The files and facets whose content the page of `key` shows (templates aside)."""
    found = {index.site.path}
    cards: list[str] = []
    graph = index.graph
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
