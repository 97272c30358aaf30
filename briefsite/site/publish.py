"""What is published for readers away from the site: feeds, the sitemap and robots.txt.

Each is planned here as plain values with absolute addresses; `render/` serializes them
(Atom and the sitemap with a real XML writer). What they take of a brief is its *entry*
(`Entry`), worked out once per value of the brief's `entry:` facet and kept in the cache,
so that a feed of a thousand briefs is joined from kept entries, not from briefs read again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from briefsite.model import newest_first
from briefsite.read.markup import Markdown, localize
from briefsite.site.pages import (
    PageKey,
    Placed,
    SiteIndex,
    feed_entities,
    feed_topics,
    page_keys,
)
from briefsite.site.urls import absolute, brief_path, page_path, site_root, timestamp
from briefsite.site.views import Link


@dataclass(frozen=True, slots=True)
class Entry:
    """A brief as feeds, the sitemap and the annotation collection take it."""

    slug: str
    title: str
    summary: str  # sanitised HTML, links absolute
    published: dt.date
    # Its last change: `updated`, else `published`, or its latest correction if later.
    updated: dt.date
    authors: tuple[str, ...]
    corrections: tuple[tuple[dt.date, str], ...]  # newest first: date, sanitised HTML
    notes: int  # its notes that are placed (the annotations published)


def encode_entry(entry: Entry) -> str:
    """An entry as a string, for the cache."""
    return json.dumps(
        [
            entry.slug,
            entry.title,
            entry.summary,
            entry.published.isoformat(),
            entry.updated.isoformat(),
            list(entry.authors),
            [[d.isoformat(), html] for d, html in entry.corrections],
            entry.notes,
        ]
    )


def decode_entry(text: str) -> Entry:
    """An entry kept by `encode_entry`."""
    slug, title, summary, published, updated, authors, corrections, notes = json.loads(text)
    return Entry(
        slug,
        title,
        summary,
        dt.date.fromisoformat(published),
        dt.date.fromisoformat(updated),
        tuple(authors),
        tuple((dt.date.fromisoformat(d), html) for d, html in corrections),
        notes,
    )


def annotated_line(headline: str, notes: int) -> str:
    """What a brief with no summary is described by: its article and how many notes."""
    words = "1 note" if notes == 1 else f"{notes} notes"
    return f"{headline}: the article, annotated with {words}."


def make_entry(placed: Placed, title: str, markdown: Markdown, root: str, notes: int) -> Entry:
    """A brief's entry: its summary (or first key point, or a line about the article) as
    HTML with absolute links, its dates, authors and corrections."""
    brief = placed.brief
    text = brief.summary or (brief.key_points[0] if brief.key_points else None)
    if text is not None:
        summary = localize(markdown.render(text.value).html, root, brief.slug, None)
    else:
        words = "1 note" if notes == 1 else f"{notes} notes"
        summary = str(
            Markup("<p>{}: the article, annotated with {}.</p>").format(placed.seed.headline, words)
        )
    corrections = tuple(
        (c.date, localize(markdown.render(c.note.value, inline=True).html, root, brief.slug, None))
        for c in sorted(brief.corrections, key=lambda c: c.date, reverse=True)
    )
    dates = [brief.published, *(d for d in (brief.updated,) if d), *(d for d, _ in corrections)]
    return Entry(
        brief.slug,
        title,
        summary,
        brief.published,
        max(dates),
        brief.authors,
        corrections,
        notes,
    )


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of an Atom feed, ready to write."""

    id: str
    url: str
    title: str
    summary: str  # HTML, written as Atom `type="html"` text
    published: str
    updated: str
    authors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Feed:
    """An Atom feed: its own and its page's address, and its entries newest first."""

    id: str
    url: str  # the feed itself (rel="self")
    page: str  # the page it follows (rel="alternate")
    title: str
    subtitle: str | None
    updated: str
    author: str  # the site: the author of briefs that name none
    language: str
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    """A page in the sitemap and the day it last changed (None: nothing on it is dated)."""

    loc: str
    lastmod: str | None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """Every page of the site a search engine should know."""

    urls: tuple[SitemapUrl, ...]


@dataclass(frozen=True, slots=True)
class Robots:
    """robots.txt: everything may be crawled; where the sitemap is."""

    sitemap: str


def required_root(index: SiteIndex) -> str:
    """The base URL of a site that publishes documents needing one (always set there)."""
    root = site_root(index.site)
    assert root is not None, "documents needing a base URL are planned only with one"
    return root


def entry_summary(entry: Entry) -> str:
    """An entry's summary as a feed shows it: with the latest correction, which is what
    updated the entry."""
    if not entry.corrections:
        return entry.summary
    day, note = entry.corrections[0]
    correction = Markup("<p>Correction, {}: {}</p>").format(day.isoformat(), Markup(note))
    return entry.summary + str(correction)


def plan_feed(key: PageKey, index: SiteIndex, entry: Callable[[str], Entry]) -> Feed:
    """The site's feed, or a topic's or entity's: its briefs, newest first."""
    root = required_root(index)
    site = index.site
    if key.kind == "topic-feed":
        topic = index.topics[key.slug]
        slugs: Sequence[str] = index.graph.topic_briefs.get(key.slug, ())
        title, page = f"{topic.name} · {site.title}", f"topics/{key.slug}/"
    elif key.kind == "entity-feed":
        entity = index.entities[key.slug]
        slugs = index.graph.entity_briefs.get(key.slug, ())
        title, page = f"{entity.name} · {site.title}", f"entities/{key.slug}/"
    else:
        slugs = index.graph.order
        title, page = site.title, ""
    entries = [entry(slug) for slug in slugs]
    updated = max((e.updated for e in entries), default=None)
    assert updated is not None, "a feed is planned only with briefs to list"
    return Feed(
        id=absolute(root, page),
        url=absolute(root, key.output),
        page=absolute(root, page),
        title=title,
        subtitle=site.description,
        updated=timestamp(updated),
        author=site.title,
        language=site.language,
        entries=tuple(
            FeedEntry(
                id=absolute(root, brief_path(e.slug)),
                url=absolute(root, brief_path(e.slug)),
                title=e.title,
                summary=entry_summary(e),
                published=timestamp(e.published),
                updated=timestamp(e.updated),
                authors=e.authors or (site.title,),  # every entry names its author
            )
            for e in newest_first(entries)
        ),
    )


# Pages a search engine has no use for: the missing page, and search results.
_UNLISTED = frozenset({"404", "search"})


def plan_sitemap(index: SiteIndex, entry: Callable[[str], Entry]) -> Sitemap:
    """Every page, each dated by the newest change of the briefs it shows (a brief page by
    its own; a page showing no brief by the site's newest)."""
    root = required_root(index)
    dates = {slug: entry(slug).updated for slug in index.briefs}
    newest = max(dates.values(), default=None)
    graph = index.graph

    def latest(slugs: Iterable[str]) -> dt.date | None:
        return max((dates[s] for s in slugs if s in dates), default=None) or newest

    urls: list[SitemapUrl] = []
    for key in page_keys(index):
        if key.format != "html" or key.kind in _UNLISTED:
            continue
        if key.kind == "brief":
            day: dt.date | None = dates[key.slug]
        elif key.kind == "entity":
            day = latest(graph.entity_briefs.get(key.slug, ()))
        elif key.kind == "topic":
            day = latest(graph.topic_briefs.get(key.slug, ()))
        else:
            day = newest
        loc = absolute(root, page_path(key.output))
        urls.append(SitemapUrl(loc, day.isoformat() if day else None))
    return Sitemap(tuple(urls))


def plan_robots(index: SiteIndex) -> Robots:
    """robots.txt, naming the sitemap."""
    return Robots(absolute(required_root(index), "sitemap.xml"))


def feed_links(index: SiteIndex, key: PageKey) -> tuple[Link, ...]:
    """The feeds a page links to: the site's, and its own topic's or entity's."""
    root = site_root(index.site)
    if root is None or not index.briefs:
        return ()
    found = [Link(index.site.title, absolute(root, "feed.xml"))]
    if key.kind == "topic" and key.slug in feed_topics(index):
        name = index.topics[key.slug].name
        found.append(Link(name, absolute(root, f"topics/{key.slug}/feed.xml")))
    elif key.kind == "entity" and key.slug in feed_entities(index):
        name = index.entities[key.slug].name
        found.append(Link(name, absolute(root, f"entities/{key.slug}/feed.xml")))
    return tuple(found)
