"""The page plan: every page's output path, template, context and the inputs it was made from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from briefsite.anchor.anchoring import Anchor
from briefsite.anchor.selectors import source_changed
from briefsite.link.graph import Graph, NoteRef
from briefsite.model import Annotation, Brief, Project, Text
from briefsite.read.markup import MarkdownRenderer, localize
from briefsite.read.schema import NOTE_TYPES
from briefsite.site.article import Span, render_article
from briefsite.site.inputs import page_inputs
from briefsite.site.pages import PageKey as PageKey
from briefsite.site.pages import StaticFile as StaticFile
from briefsite.site.pages import check_outputs as check_outputs
from briefsite.site.pages import page_keys as page_keys
from briefsite.site.reading import article_views, cite, legend, number_sources
from briefsite.site.views import (
    RATING_LABELS,
    TYPE_LABELS,
    TYPE_PLURALS,
    BriefCard,
    CitationView,
    CorrectionView,
    EntityNote,
    Link,
    NoteView,
    TypeCount,
    VerdictView,
)


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page to render: where it goes, how, and from which files."""

    output: str
    template: str
    context: Mapping[str, object]
    inputs: frozenset[str]
    source: str


class Planner:
    """Builds the Page for any PageKey of one project; pages can be planned in any order."""

    def __init__(self, project: Project, graph: Graph, renderer: MarkdownRenderer) -> None:
        self.project = project
        self.graph = graph
        self.renderer = renderer
        self.site = project.site
        # Numbered notes per brief, worked out when a page first needs them, so planning
        # a few pages after an edit does not number every note of the site.
        self._numbered: dict[str, dict[str, tuple[Annotation, Span]]] = {}

    def numbered(self, ref: NoteRef) -> tuple[Annotation, Span]:
        """A note with its number and span on its brief page."""
        notes = self._numbered.get(ref.brief)
        if notes is None:
            spans = self.spans(self.project.briefs[ref.brief])
            notes = self._numbered[ref.brief] = {note.id: (note, span) for note, span in spans}
        return notes[ref.note]

    def plan(self, key: PageKey) -> Page:
        """Plan the page named by `key`."""
        if key.kind == "brief":
            return self.brief_page(self.project.briefs[key.slug])
        if key.kind == "entity":
            return self.entity_page(key.slug)
        if key.kind == "topic":
            return self.topic_page(key.slug)
        if key.kind in ("entities", "topics"):
            return self.list_page(key)
        if key.kind == "index":
            return self.cards_page(key, "./", self.site.title)
        if key.kind == "briefs":
            return self.cards_page(key, "../", "All briefs")
        return self.not_found_page()

    def inputs(self, key: PageKey) -> frozenset[str]:
        """The files the page of `key` is made from."""
        return page_inputs(key, self.project, self.graph)

    def spans(self, brief: Brief) -> list[tuple[Annotation, Span]]:
        """The brief's notes in reading order, numbered."""
        placed = {
            a.note_id: a for a in self.graph.anchors.get(brief.slug, ()) if isinstance(a, Anchor)
        }
        order = sorted(
            (n for n in brief.annotations if n.id in placed),
            key=lambda n: (placed[n.id].start, -placed[n.id].end),
        )
        return [
            (n, Span(n.id, n.type, i, placed[n.id].start, placed[n.id].end))
            for i, n in enumerate(order, start=1)
        ]

    def html(
        self,
        text: Text | None,
        root: str,
        owner: str | None,
        here: str | None,
        inline: bool = False,
    ) -> Markup:
        if text is None:
            return Markup("")
        rendered = self.renderer.render(text.value, inline=inline).html
        return Markup(localize(rendered, root, owner, here))

    def common(self, root: str, title: str) -> dict[str, object]:
        return {"site": self.site, "root": root, "title": title}

    def brief_title(self, brief: Brief) -> str:
        if brief.title:
            return brief.title
        seed = self.project.seeds.get(brief.seed.slug)
        return seed.headline if seed else brief.slug

    def card(self, brief: Brief, root: str) -> BriefCard:
        counts = {t: 0 for t in NOTE_TYPES}
        for note in brief.annotations:
            counts[note.type] += 1
        return BriefCard(
            title=self.brief_title(brief),
            url=f"{root}briefs/{brief.slug}/",
            summary=self.html(brief.summary, root, brief.slug, None),
            published=brief.published,
            note_count=len(brief.annotations),
            counts=tuple(
                TypeCount(t, TYPE_LABELS[t] if c == 1 else TYPE_PLURALS[t], c)
                for t, c in counts.items()
                if c
            ),
        )

    def note_view(
        self, brief: Brief, note: Annotation, span: Span, passage: str, root: str, here: str | None
    ) -> NoteView:
        seed = self.project.seeds[brief.seed.slug]
        verdict = note.verdict
        return NoteView(
            id=note.id,
            number=span.number,
            type=note.type,
            type_label=TYPE_LABELS[note.type],
            quote=seed.text[span.start : span.end],
            body=self.html(note.note, root, brief.slug, here),
            passage=passage,
            verdict=VerdictView(
                verdict.rating,
                RATING_LABELS[verdict.rating],
                self.html(verdict.summary, root, brief.slug, here, inline=True),
            )
            if verdict
            else None,
            sources=tuple(
                CitationView(c.title, c.url, c.publisher, c.date, c.accessed) for c in note.sources
            ),
            entities=tuple(
                Link(self.project.entities[r.slug].name, f"{root}entities/{r.slug}/")
                for r in note.entities
                if r.slug in self.project.entities
            ),
        )

    def newest_first(self, slugs: list[str] | tuple[str, ...] | None = None) -> list[Brief]:
        briefs = (
            [self.project.briefs[s] for s in slugs]
            if slugs is not None
            else list(self.project.briefs.values())
        )
        return sorted(briefs, key=lambda b: (-b.published.toordinal(), b.slug))

    def brief_page(self, brief: Brief) -> Page:
        root = "../../"
        seed = self.project.seeds[brief.seed.slug]
        spans = self.spans(brief)
        mentions = self.graph.mentions.get(brief.slug, ())
        blocks, passages = render_article(
            seed, [s for _, s in spans], mentions, lambda slug: f"{root}entities/{slug}/"
        )
        notes, sources = number_sources(
            [self.note_view(brief, n, s, passages[n.id], root, brief.slug) for n, s in spans]
        )
        entity_slugs = list(
            dict.fromkeys(
                [m.entity for m in mentions]
                + [
                    r.slug
                    for n in brief.annotations
                    for r in n.entities
                    if r.slug in self.project.entities
                ]
            )
        )
        entities = [self.project.entities[e] for e in entity_slugs]
        topics = [
            self.project.topics[r.slug] for r in brief.topics if r.slug in self.project.topics
        ]
        related = [self.project.briefs[s] for s in self.graph.related.get(brief.slug, ())]
        context = self.common(root, self.brief_title(brief)) | {
            "brief": brief,
            "seed": seed,
            "summary": self.html(brief.summary, root, brief.slug, brief.slug),
            "key_points": [
                self.html(p, root, brief.slug, brief.slug, inline=True) for p in brief.key_points
            ],
            "article": article_views(blocks, notes),
            "notes": notes,
            "legend": legend(notes),
            "sources": sources,
            "cite": cite(self.site, brief, self.brief_title(brief)),
            "claims": [n for n in notes if n.verdict is not None],
            "entities": [Link(e.name, f"{root}entities/{e.slug}/") for e in entities],
            "topics": [Link(t.name, f"{root}topics/{t.slug}/") for t in topics],
            "related": [Link(self.brief_title(b), f"{root}briefs/{b.slug}/") for b in related],
            # The date the notes were anchored, when the seed has changed since: a notice.
            "source_changed": source_changed(brief, seed),
            "corrections": [
                CorrectionView(c.date, self.html(c.note, root, brief.slug, brief.slug, inline=True))
                for c in sorted(brief.corrections, key=lambda c: c.date, reverse=True)
            ],
        }
        key = PageKey("brief", brief.slug)
        return Page(key.output, key.template, context, self.inputs(key), brief.path)

    def entity_page(self, slug: str) -> Page:
        root = "../../"
        entity = self.project.entities[slug]
        briefs = self.newest_first(self.graph.entity_briefs.get(slug, ()))
        notes = []
        for ref in self.graph.entity_notes.get(slug, ()):
            brief = self.project.briefs[ref.brief]
            note, span = self.numbered(ref)
            url = f"{root}briefs/{brief.slug}/"
            view = self.note_view(brief, note, span, "", root, None)
            notes.append(EntityNote(Link(self.brief_title(brief), url), view, f"{url}#{note.id}"))
        context = self.common(root, entity.name) | {
            "entity": entity,
            "summary": self.html(entity.summary, root, None, None),
            "briefs": [self.card(b, root) for b in briefs],
            "notes": notes,
        }
        key = PageKey("entity", slug)
        return Page(key.output, key.template, context, self.inputs(key), entity.path)

    def topic_page(self, slug: str) -> Page:
        root = "../../"
        topic = self.project.topics[slug]
        briefs = self.newest_first(self.graph.topic_briefs.get(slug, ()))
        context = self.common(root, topic.name) | {
            "topic": topic,
            "summary": self.html(topic.summary, root, None, None),
            "briefs": [self.card(b, root) for b in briefs],
        }
        key = PageKey("topic", slug)
        return Page(key.output, key.template, context, self.inputs(key), topic.path)

    def cards_page(self, key: PageKey, root: str, title: str) -> Page:
        """The index and the list of all briefs: every brief as a card, newest first."""
        briefs = self.newest_first()
        context = self.common(root, title) | {"briefs": [self.card(b, root) for b in briefs]}
        return Page(key.output, key.template, context, self.inputs(key), self.site.path)

    def list_page(self, key: PageKey) -> Page:
        root = "../"
        if key.kind == "entities":
            items = sorted(self.project.entities.values(), key=lambda e: e.name.casefold())
            links = [Link(e.name, f"{e.slug}/") for e in items]
            title = "People and organisations"
        else:
            topics = sorted(self.project.topics.values(), key=lambda t: t.name.casefold())
            links = [Link(t.name, f"{t.slug}/") for t in topics]
            title = "Topics"
        context = self.common(root, title) | {"items": links, "kind": key.kind}
        return Page(key.output, key.template, context, self.inputs(key), self.site.path)

    def not_found_page(self) -> Page:
        # A 404 page is served at any depth, so relative links cannot work there: it links
        # from the site's base URL path when one is set, else from the host's root.
        base = self.site.base_url or "/"
        root = (
            "/" + base.split("://", 1)[-1].partition("/")[2].strip("/") if "://" in base else base
        )
        root = root.rstrip("/") + "/"
        context = self.common(root, "Page not found")
        key = PageKey("404")
        return Page(key.output, key.template, context, self.inputs(key), self.site.path)
