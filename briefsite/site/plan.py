"""The page plan: every page's output path, template and context, ready to render."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup

from briefsite.anchor.anchoring import Anchor, Unplaced, reading_order
from briefsite.anchor.selectors import seed_sha256, source_changed
from briefsite.link.graph import NoteRef
from briefsite.model import Annotation, Brief, Text, Verdict, count_by_type
from briefsite.read.markup import Markdown, localize
from briefsite.site.article import Span, mentioned_in, render_article
from briefsite.site.claims import claims_context
from briefsite.site.describe import describe
from briefsite.site.documents import Document, plan_document, structured_data
from briefsite.site.pages import PageKey, Placed, SiteIndex
from briefsite.site.publish import Entry, annotated_line, feed_links
from briefsite.site.reading import (
    article_views,
    cite,
    entity_groups,
    legend,
    number_sources,
)
from briefsite.site.structured import metadata_of, page_meta
from briefsite.site.urls import page_path, site_root
from briefsite.site.views import (
    ENTITIES_TITLE,
    NOTE_WORDS,
    RATING_LABELS,
    BriefCard,
    CitationView,
    CorrectionView,
    EntityNote,
    Link,
    LinkGroup,
    NoteView,
    RetiredNoteView,
    TypeCount,
    VerdictView,
)

# A brief's record and its notes' places, and the numbered spans made of them.
SpansOf = tuple[Brief, tuple[Anchor | Unplaced, ...], list[tuple[Annotation, Span]]]


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page to render: where it goes, with which template and values, and the file
    it is chiefly made from (named in template errors)."""

    output: str
    template: str
    context: Mapping[str, object]
    source: str


class Fragments(Protocol):
    """Pieces shared by many pages, each rendered once: a brief's card in a list, a note as
    an entity page shows it. Lists are joined from these."""

    def cards(self, slugs: Sequence[str], root: str, level: int) -> list[Markup]:
        """Briefs' cards, with links relative to `root`, titles headings of `level`."""
        ...

    def entity_notes(self, refs: Sequence[NoteRef], root: str) -> list[Markup]:
        """Notes as an entity page lists them."""
        ...

    def claim_groups(self, slugs: Sequence[str], rating: str, root: str) -> list[Markup]:
        """Briefs' claim checks as the claims pages list them: all, or one rating's."""
        ...

    def entry(self, slug: str) -> Entry:
        """A brief as feeds, the sitemap and the annotation collection take it."""
        ...


class Planner:
    """Builds the Page for any PageKey; pages can be planned in any order, and only the
    briefs a page shows are read in full (`placed`)."""

    def __init__(
        self,
        index: SiteIndex,
        placed: Callable[[str], Placed],
        markdown: Markdown,
        fragments: Fragments,
        preview: bool = False,
    ) -> None:
        self.index = index
        self.site = index.site
        self.placed = placed
        self.markdown = markdown
        self.fragments = fragments
        self._spans: SpansOf | None = None
        # The preview's brief pages say where each run of the article's text is in the
        # document text, for the quote picker; a build's never do.
        self.preview = preview

    def document(self, key: PageKey) -> Document:
        """Plan a document read away from the site (a feed, the sitemap, annotations)."""
        return plan_document(self, key)

    def plan(self, key: PageKey) -> Page:
        """Plan the page named by `key`, with what its head says about it."""
        page = self.plan_page(key)
        context = page.context
        brief = metadata_of(context)
        title = str(context.get("title", self.site.title))
        path = None if key.kind == "404" else page_path(key.output)
        meta = page_meta(self.site, site_root(self.site), path, brief, title)
        context = {**context, "meta": meta, "feeds": feed_links(self.index, key)}
        return Page(page.output, page.template, context, page.source)

    def plan_page(self, key: PageKey) -> Page:
        """Plan the page named by `key`, before its metadata."""
        if key.kind == "search":
            return Page(key.output, key.template, self.common("../", "Search"), self.site.path)
        if key.kind == "brief":
            return self.brief_page(key)
        if key.kind == "entity":
            return self.entity_page(key)
        if key.kind == "topic":
            return self.topic_page(key)
        if key.kind in ("entities", "topics"):
            return self.list_page(key)
        if key.kind in ("claims", "rating"):
            return self.claims_page(key)
        if key.kind == "index":
            return self.cards_page(key, "./", self.site.title, 3)
        if key.kind == "briefs":
            return self.cards_page(key, "../", "All briefs", 2)
        return self.not_found_page(key)

    def spans(self, placed: Placed) -> list[tuple[Annotation, Span]]:
        """The brief's placed notes in reading order, numbered."""
        # Kept for the brief last asked about (a Placed is made anew for each ask, of the
        # same records): an entity page asks once per note.
        kept = self._spans
        if kept is not None and kept[0] is placed.brief and kept[1] is placed.anchors:
            return kept[2]
        notes = {n.id: n for n in placed.brief.annotations}
        spans = [
            (notes[a.note_id], Span(a.note_id, notes[a.note_id].type, i, a.start, a.end))
            for i, a in enumerate(reading_order(placed.anchors), start=1)
        ]
        self._spans = (placed.brief, placed.anchors, spans)
        return spans

    def html(
        self,
        text: Text | None,
        root: str,
        owner: str | None,
        here: str | None,
        inline: bool = False,
    ) -> Markup:
        """A Markdown text as HTML, its links made relative to the page at `root`."""
        if text is None:
            return Markup("")
        rendered = self.markdown.render(text.value, inline=inline).html
        return Markup(localize(rendered, root, owner, here))

    def common(self, root: str, title: str, description: str | None = None) -> dict[str, object]:
        """What every page's context has; a page without a description of its own is
        described by the site's."""
        return {
            "site": self.site,
            "root": root,
            "title": title,
            "description": description or self.site.description,
        }

    def describe(self, text: Text | None, fallback: str) -> str:
        """A page's description: a Markdown text as plain words, or `fallback`."""
        if text is None:
            return fallback
        return describe(self.markdown.render(text.value).html) or fallback

    def card_view(self, slug: str, root: str) -> BriefCard:
        """A brief as lists show it."""
        brief = self.placed(slug).brief
        counts = count_by_type(n.type for n in brief.annotations)
        return BriefCard(
            title=self.index.briefs[slug].title,
            url=f"{root}briefs/{slug}/",
            summary=self.html(brief.summary, root, slug, None),
            published=brief.published,
            note_count=len(brief.annotations),
            counts=tuple(
                TypeCount(t, NOTE_WORDS[t].label if c == 1 else NOTE_WORDS[t].plural, c)
                for t, c in counts.items()
                if c
            ),
        )

    def note_view(
        self,
        placed: Placed,
        note: Annotation,
        span: Span,
        passage: str,
        root: str,
        here: str | None,
        mentioned: tuple[str, ...] = (),
    ) -> NoteView:
        """A note as its brief page and entity pages show it; `mentioned` are the entities
        named in its passage."""
        slug = placed.brief.slug
        verdict = note.verdict
        entities = self.index.entities
        about = [r.slug for r in note.entities if r.slug in entities]
        return NoteView(
            id=note.id,
            number=span.number,
            type=note.type,
            type_label=NOTE_WORDS[note.type].label,
            quote=placed.seed.text[span.start : span.end],
            body=self.html(note.note, root, slug, here),
            passage=passage,
            verdict=self.verdict_view(verdict, root, slug, here) if verdict else None,
            sources=tuple(
                CitationView(c.title, c.url, c.publisher, c.date, c.accessed) for c in note.sources
            ),
            entities=tuple(Link(entities[e].name, f"{root}entities/{e}/") for e in about),
            mentions=tuple(
                Link(entities[e].name, f"{root}entities/{e}/")
                for e in mentioned
                if e in entities and e not in about
            ),
        )

    def verdict_view(
        self, verdict: Verdict, root: str, owner: str, here: str | None
    ) -> VerdictView:
        """A claim's verdict: its rating in words and why."""
        summary = self.html(verdict.summary, root, owner, here, inline=True)
        return VerdictView(verdict.rating, RATING_LABELS[verdict.rating], summary)

    def retired_view(self, note: Annotation, root: str, slug: str) -> RetiredNoteView:
        """A retired note, as its brief lists it apart from the article."""
        verdict = note.verdict
        return RetiredNoteView(
            id=note.id,
            type=note.type,
            type_label=NOTE_WORDS[note.type].label,
            quote=note.quote,
            body=self.html(note.note, root, slug, slug),
            verdict=self.verdict_view(verdict, root, slug, slug) if verdict else None,
            reason=self.html(note.reason, root, slug, slug, inline=True),
        )

    def entity_note_view(self, ref: NoteRef, root: str) -> EntityNote:
        """A note as an entity page lists it, under its brief's title."""
        placed = self.placed(ref.brief)
        note, span = next((n, s) for n, s in self.spans(placed) if n.id == ref.note)
        url = f"{root}briefs/{ref.brief}/"
        view = self.note_view(placed, note, span, "", root, None)
        title = self.index.briefs[ref.brief].title
        return EntityNote(Link(title, url), view, f"{url}#{note.id}")

    def brief_page(self, key: PageKey) -> Page:
        """A brief: the annotated article and everything about it."""
        root = "../../"
        placed = self.placed(key.slug)
        brief, seed = placed.brief, placed.seed
        index = self.index
        title = index.briefs[key.slug].title
        spans = self.spans(placed)
        blocks, passages = render_article(
            seed,
            [s for _, s in spans],
            placed.mentions,
            lambda slug: f"{root}entities/{slug}/",
            offsets=self.preview,
        )
        notes, sources = number_sources(
            [
                self.note_view(
                    placed,
                    n,
                    s,
                    passages[n.id],
                    root,
                    brief.slug,
                    mentioned_in(s.start, s.end, placed.mentions),
                )
                for n, s in spans
            ]
        )
        entity_slugs = dict.fromkeys(
            [m.entity for m in placed.mentions]
            + [r.slug for n in brief.annotations for r in n.entities if r.slug in index.entities]
        )
        entities = [index.entities[e] for e in entity_slugs]
        topics = [index.topics[r.slug] for r in brief.topics if r.slug in index.topics]
        related = [index.briefs[s] for s in index.graph.related.get(key.slug, ())]
        about = brief.summary or (brief.key_points[0] if brief.key_points else None)
        fallback = annotated_line(seed.headline, len(spans))
        context = self.common(root, title, self.describe(about, fallback)) | {
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
            "cite": cite(self.site, brief, title),
            "structured_data": structured_data(self, placed, title),
            "claims": [n for n in notes if n.verdict is not None],
            "entity_groups": entity_groups(entities, f"{root}entities/"),
            # For the preview's quote picker: which brief and seed text the offsets are of.
            "picker": {"brief": brief.slug, "seed": seed_sha256(seed)} if self.preview else None,
            "retired": [
                self.retired_view(n, root, brief.slug) for n in brief.annotations if n.retired
            ],
            "topics": [Link(t.name, f"{root}topics/{t.slug}/") for t in topics],
            "related": [Link(b.title, f"{root}briefs/{b.slug}/") for b in related],
            # The date the notes were anchored, when the seed has changed since: a notice.
            "source_changed": source_changed(brief, seed),
            "corrections": [
                CorrectionView(c.date, self.html(c.note, root, brief.slug, brief.slug, inline=True))
                for c in sorted(brief.corrections, key=lambda c: c.date, reverse=True)
            ],
        }
        return Page(key.output, key.template, context, brief.path)

    def entity_page(self, key: PageKey) -> Page:
        """An entity: the briefs that mention it and the notes about it."""
        root = "../../"
        entity = self.index.entities[key.slug]
        graph = self.index.graph
        fallback = f"Briefs and notes that mention {entity.name}."
        context = self.common(root, entity.name, self.describe(entity.summary, fallback)) | {
            "entity": entity,
            "summary": self.html(entity.summary, root, None, None),
            "briefs": self.fragments.cards(graph.entity_briefs.get(key.slug, ()), root, 3),
            "notes": self.fragments.entity_notes(graph.entity_notes[key.slug], root),
        }
        return Page(key.output, key.template, context, entity.path)

    def topic_page(self, key: PageKey) -> Page:
        """A topic: its briefs."""
        root = "../../"
        topic = self.index.topics[key.slug]
        fallback = f"Briefs on {topic.name}."
        context = self.common(root, topic.name, self.describe(topic.summary, fallback)) | {
            "topic": topic,
            "summary": self.html(topic.summary, root, None, None),
            "briefs": self.fragments.cards(
                self.index.graph.topic_briefs.get(key.slug, ()), root, 3
            ),
        }
        return Page(key.output, key.template, context, topic.path)

    def cards_page(self, key: PageKey, root: str, title: str, level: int) -> Page:
        """The index and the list of all briefs: every brief as a card, newest first."""
        context = self.common(root, title) | {
            "briefs": self.fragments.cards(self.index.graph.order, root, level)
        }
        return Page(key.output, key.template, context, self.site.path)

    def list_page(self, key: PageKey) -> Page:
        """The lists of entities and of topics."""
        root = "../"
        if key.kind == "entities":
            items = sorted(self.index.entities.values(), key=lambda e: e.name.casefold())
            groups = entity_groups(items, "")
            title = ENTITIES_TITLE
        else:
            topics = sorted(self.index.topics.values(), key=lambda t: t.name.casefold())
            groups = [LinkGroup("", tuple(Link(t.name, f"{t.slug}/") for t in topics))]
            title = "Topics"
        context = self.common(root, title) | {"groups": groups, "kind": key.kind}
        return Page(key.output, key.template, context, self.site.path)

    def claims_page(self, key: PageKey) -> Page:
        """The claims checked in every brief: all of them, or those of one rating."""
        return Page(key.output, key.template, claims_context(self, key), self.site.path)

    def not_found_page(self, key: PageKey) -> Page:
        """The 404 page."""
        # A 404 page is served at any depth, so relative links cannot work there: it links
        # from the site's base URL path when one is set, else from the host's root.
        base = self.site.base_url or "/"
        root = (
            "/" + base.split("://", 1)[-1].partition("/")[2].strip("/") if "://" in base else base
        )
        root = root.rstrip("/") + "/"
        return Page(key.output, key.template, self.common(root, "Page not found"), self.site.path)
