"""Which project files each page is made from: what an incremental rebuild compares.

One function answers for every page kind, from the project and link graph alone, so the
inputs of every page can be recomputed after an edit without planning the pages again.
"""

from __future__ import annotations

from briefsite.graph import Graph
from briefsite.model import Project
from briefsite.pages import PageKey


def page_inputs(key: PageKey, project: Project, graph: Graph) -> frozenset[str]:
    """The files whose content the page of `key` shows (templates aside)."""
    found = {project.site.path}
    briefs: list[str] = []
    if key.kind in ("index", "briefs"):
        briefs = list(project.briefs)
    elif key.kind == "entities":
        found.update(e.path for e in project.entities.values())
    elif key.kind == "topics":
        found.update(t.path for t in project.topics.values())
    elif key.kind == "brief":
        brief = project.briefs[key.slug]
        briefs = [key.slug, *graph.related.get(key.slug, ())]
        mentioned = {m.entity for m in graph.mentions.get(key.slug, ())}
        mentioned.update(r.slug for n in brief.annotations for r in n.entities)
        found.update(project.entities[e].path for e in mentioned if e in project.entities)
        found.update(project.topics[r.slug].path for r in brief.topics if r.slug in project.topics)
    elif key.kind == "entity":
        found.add(project.entities[key.slug].path)
        briefs = list(graph.entity_briefs.get(key.slug, ()))
        for ref in graph.entity_notes.get(key.slug, ()):
            briefs.append(ref.brief)
            note = next(n for n in project.briefs[ref.brief].annotations if n.id == ref.note)
            found.update(
                project.entities[r.slug].path for r in note.entities if r.slug in project.entities
            )
    elif key.kind == "topic":
        found.add(project.topics[key.slug].path)
        briefs = list(graph.topic_briefs.get(key.slug, ()))
    for slug in briefs:
        brief = project.briefs[slug]
        found.add(brief.path)
        seed = project.seeds.get(brief.seed.slug)
        if seed is not None:
            found.add(seed.path)
    return frozenset(found)
