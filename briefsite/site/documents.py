"""Planning the documents read away from the site: feeds, the sitemap, robots.txt, the W3C
annotations, and a brief page's JSON-LD. Each is planned as plain values for a serializer
of `render/`, with the planner's own tools (its Markdown, the briefs read in full, the
cached entries of briefs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup

from briefsite.anchor.anchoring import reading_order
from briefsite.model import Annotation, Site, Text
from briefsite.read.markup import Markdown
from briefsite.site.annotations import PlacedNote, annotation_collection, annotation_page
from briefsite.site.article import Span
from briefsite.site.pages import Format, PageKey, Placed, SiteIndex
from briefsite.site.publish import (
    Entry,
    make_entry,
    plan_feed,
    plan_robots,
    plan_sitemap,
    required_root,
)
from briefsite.site.structured import Claim, brief_graph
from briefsite.site.urls import site_root
from briefsite.site.views import RATING_LABELS


@dataclass(frozen=True, slots=True)
class Document:
    """A file read away from the site (a feed, the sitemap, annotations): plain values
    that a serializer of `render/` writes in its format."""

    output: str
    format: Format
    value: object
    source: str


class Entries(Protocol):
    """Where a planner finds briefs' entries (kept, or made by their owners)."""

    def entry(self, slug: str) -> Entry:
        """A brief as feeds take it."""
        ...


class Planning(Protocol):
    """What planning a document needs of the planner."""

    @property
    def index(self) -> SiteIndex: ...

    @property
    def site(self) -> Site: ...

    @property
    def markdown(self) -> Markdown: ...

    @property
    def fragments(self) -> Entries: ...

    @property
    def placed(self) -> Callable[[str], Placed]: ...

    def spans(self, placed: Placed) -> list[tuple[Annotation, Span]]: ...

    def html(
        self,
        text: Text | None,
        root: str,
        owner: str | None,
        here: str | None,
        inline: bool = False,
    ) -> Markup: ...


def plan_document(planner: Planning, key: PageKey) -> Document:
    """Plan the document named by `key`."""
    index, entry = planner.index, planner.fragments.entry
    source = planner.site.path
    value: object
    if key.kind in ("feed", "topic-feed", "entity-feed"):
        value = plan_feed(key, index, entry)
    elif key.kind == "sitemap":
        value = plan_sitemap(index, entry)
    elif key.kind == "robots":
        value = plan_robots(index)
    elif key.kind == "collection":
        order = index.graph.order
        total = sum(entry(slug).notes for slug in order)
        value = annotation_collection(planner.site, required_root(index), order, total)
    else:
        placed = planner.placed(key.slug)
        root = required_root(index)
        notes = placed_notes(planner, placed, root)
        neighbours = index.graph.neighbours[key.slug]
        value = annotation_page(planner.site, root, placed.brief, placed.seed, notes, neighbours)
        source = index.briefs[key.slug].path
    return Document(key.output, key.format, value, source)


def entry_view(planner: Planning, slug: str) -> Entry:
    """A brief as feeds take it (read in full)."""
    placed = planner.placed(slug)
    notes = sum(1 for _ in reading_order(placed.anchors))
    root = required_root(planner.index)
    return make_entry(placed, planner.index.briefs[slug].title, planner.markdown, root, notes)


def placed_notes(planner: Planning, placed: Placed, root: str) -> list[PlacedNote]:
    """A brief's notes in reading order, their texts as HTML with links from `root`."""
    found = []
    slug = placed.brief.slug
    for note, span in planner.spans(placed):
        body = planner.html(note.note, root, slug, None)
        verdict = None
        if note.verdict is not None:
            why = planner.html(note.verdict.summary, root, slug, None, inline=True)
            verdict = (RATING_LABELS[note.verdict.rating], str(why))
        found.append(PlacedNote(note, span.start, span.end, str(body), verdict))
    return found


def structured_data(planner: Planning, placed: Placed, title: str) -> object:
    """A brief page's JSON-LD (None without a base URL to name things by)."""
    site = planner.site
    root = site_root(site)
    if root is None:
        return None
    brief = placed.brief
    claims = [
        Claim(n.note, placed.seed.text[n.start : n.end], n.verdict[0], n.verdict[1])
        for n in placed_notes(planner, placed, root)
        if n.verdict is not None
    ]
    corrections = [
        (c.date.isoformat(), str(planner.html(c.note, root, brief.slug, None, inline=True)))
        for c in sorted(brief.corrections, key=lambda c: c.date, reverse=True)
    ]
    entities = planner.index.entities
    about = [entities[e] for e in planner.index.briefs[brief.slug].about if e in entities]
    return brief_graph(site, root, brief, placed.seed, title, about, claims, corrections)
