"""What each page is made from: what an incremental rebuild compares.

An input is a project file (`content/briefs/x.yaml`) or a *facet*, a part of one that a
page shows: `card:x` is what a list shows of brief x (title, summary, date, note counts),
`note:x#id` is one note as an entity page shows it. A page listing a thousand briefs then
depends on their cards, not on every word of every note, so an edit to a note renders
again the brief and the pages that show that note, not every list of briefs.

One function answers for every page kind from the project and link graph alone, so the
inputs of every page can be recomputed after an edit without planning the pages again.
"""

from __future__ import annotations

from collections.abc import Hashable

from briefsite.anchor.anchoring import Anchor
from briefsite.link.graph import Graph
from briefsite.model import Brief, Project
from briefsite.site.pages import PageKey

CARD = "card:"
NOTE = "note:"


def page_inputs(key: PageKey, project: Project, graph: Graph) -> frozenset[str]:
    """The files and facets whose content the page of `key` shows (templates aside)."""
    found = {project.site.path}
    cards: list[str] = []
    if key.kind in ("index", "briefs"):
        cards = list(project.briefs)
    elif key.kind == "entities":
        found.update(e.path for e in project.entities.values())
    elif key.kind == "topics":
        found.update(t.path for t in project.topics.values())
    elif key.kind == "brief":
        brief = project.briefs[key.slug]
        found.add(brief.path)
        seed = project.seeds.get(brief.seed.slug)
        if seed is not None:
            found.add(seed.path)
        cards = list(graph.related.get(key.slug, ()))
        mentioned = {m.entity for m in graph.mentions.get(key.slug, ())}
        mentioned.update(r.slug for n in brief.annotations for r in n.entities)
        found.update(project.entities[e].path for e in mentioned if e in project.entities)
        found.update(project.topics[r.slug].path for r in brief.topics if r.slug in project.topics)
    elif key.kind == "entity":
        found.add(project.entities[key.slug].path)
        cards = list(graph.entity_briefs.get(key.slug, ()))
        for ref in graph.entity_notes.get(key.slug, ()):
            # The note's facet holds the names of the entities it lists, so a renamed
            # entity changes it: no need to list those entities' files here.
            found.add(f"{NOTE}{ref.brief}#{ref.note}")
            cards.append(ref.brief)  # the note is shown under its brief's title
    elif key.kind == "topic":
        found.add(project.topics[key.slug].path)
        cards = list(graph.topic_briefs.get(key.slug, ()))
    found.update(f"{CARD}{slug}" for slug in cards)
    return frozenset(found)


def facet_values(brief: Brief, project: Project, graph: Graph) -> dict[str, Hashable]:
    """The value of every facet of one brief: two builds that agree on a facet's value show
    the same thing for it. A note's value includes the names of the entities it lists."""
    seed = project.seeds.get(brief.seed.slug)
    title = brief.title or (seed.headline if seed else brief.slug)
    values: dict[str, Hashable] = {
        f"{CARD}{brief.slug}": (
            title,
            brief.summary.value if brief.summary else None,
            brief.published,
            tuple(sorted(n.type for n in brief.annotations)),
        )
    }
    placed = {a.note_id: a for a in graph.anchors.get(brief.slug, ()) if isinstance(a, Anchor)}
    order = sorted(placed.values(), key=lambda a: (a.start, -a.end))
    numbers = {a.note_id: i for i, a in enumerate(order, start=1)}
    text = seed.text if seed else ""
    for note in brief.annotations:
        anchor = placed.get(note.id)
        span = (anchor.start, anchor.end, text[anchor.start : anchor.end]) if anchor else None
        names = tuple(
            project.entities[r.slug].name for r in note.entities if r.slug in project.entities
        )
        values[f"{NOTE}{brief.slug}#{note.id}"] = (note, span, numbers.get(note.id), names)
    return values
