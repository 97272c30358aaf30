"""The pages of a site, named before they are planned: keys, output paths, collisions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from briefsite.errors import Diagnostics, SourceLocation
from briefsite.link.graph import BriefLinks, Graph, Mention
from briefsite.model import RATINGS, Brief, Entity, Seed, Site, Topic
from briefsite.read.sources import StaticFile

if TYPE_CHECKING:  # the anchoring step is not needed to name pages
    from briefsite.anchor.anchoring import Anchor, Unplaced


@dataclass(frozen=True)
class SiteIndex:
    """The project as every page sees it: the settings, each brief's links, the entities and
    topics, and the graph. A page that shows a brief's notes reads that brief in full."""

    site: Site
    briefs: Mapping[str, BriefLinks]
    entities: Mapping[str, Entity]
    topics: Mapping[str, Topic]
    graph: Graph


PageKind = Literal[
    "index",
    "briefs",
    "404",
    "entities",
    "topics",
    "claims",
    "search",
    "brief",
    "entity",
    "topic",
    "rating",
    # Documents serialized by a function of `render/` instead of a template:
    "feed",
    "topic-feed",
    "entity-feed",
    "sitemap",
    "robots",
    "collection",
    "annotations",
]
# How a document is written: `html` by its template, the others by a serializer.
Format = Literal["html", "atom", "sitemap", "text", "jsonld"]


@dataclass(frozen=True, slots=True, order=True)
class PageKey:
    """Names one page of the site, before it is planned."""

    kind: PageKind
    slug: str = ""
    # Where the page is written, relative to the output folder; worked out once, as an
    # incremental rebuild looks it up for every page.
    output: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind in _FOLDERS:
            folder, name = _FOLDERS[self.kind]
            output = f"{folder}/{self.slug}/{name}"
        else:
            output = _LIST_OUTPUTS[self.kind]
        object.__setattr__(self, "output", output)

    @property
    def template(self) -> str:
        """The layout the page is rendered with ("" for a serialized document)."""
        return _TEMPLATES.get(self.kind, "")

    @property
    def format(self) -> Format:
        """How the page is written: by its template, or by which serializer."""
        return _FORMATS.get(self.kind, "html")


# Pages with a slug (a brief, entity or topic, the claims of one rating, a brief's
# annotations, a feed): the folder they are in, and their file's name.
_FOLDERS = {
    "brief": ("briefs", "index.html"),
    "entity": ("entities", "index.html"),
    "topic": ("topics", "index.html"),
    "rating": ("claims", "index.html"),
    "topic-feed": ("topics", "feed.xml"),
    "entity-feed": ("entities", "feed.xml"),
    "annotations": ("briefs", "annotations.jsonld"),
}
_FORMATS: dict[str, Format] = {
    "feed": "atom",
    "topic-feed": "atom",
    "entity-feed": "atom",
    "sitemap": "sitemap",
    "robots": "text",
    "collection": "jsonld",
    "annotations": "jsonld",
}
# The pages that read one brief in full: rendered by that brief's owner on large runs.
BRIEF_KINDS = frozenset({"brief", "annotations"})
_TEMPLATES = {
    "index": "index.html",
    "briefs": "briefs.html",
    "404": "404.html",
    "entities": "list.html",
    "topics": "list.html",
    "claims": "claims.html",
    "rating": "claims.html",
    "search": "search.html",
    "brief": "brief.html",
    "entity": "entity.html",
    "topic": "topic.html",
}
_LIST_OUTPUTS = {
    "index": "index.html",
    "404": "404.html",
    "briefs": "briefs/index.html",
    "entities": "entities/index.html",
    "topics": "topics/index.html",
    "claims": "claims/index.html",
    "search": "search/index.html",
    "feed": "feed.xml",
    "sitemap": "sitemap.xml",
    "robots": "robots.txt",
    "collection": "annotations.jsonld",
}


def page_keys(index: SiteIndex) -> list[PageKey]:
    """Every page of the site: lists first (the claims of each rating among them), then
    briefs newest first, entities, topics; then, when the site has a base URL, the documents
    read away from it (feeds, sitemap, robots.txt, annotations)."""
    briefs = index.graph.order
    keys = [
        PageKey("index"),
        PageKey("briefs"),
        PageKey("404"),
        PageKey("entities"),
        PageKey("topics"),
        PageKey("claims"),
        *(PageKey("rating", rating) for rating in RATINGS),
        PageKey("search"),
        *(PageKey("brief", slug) for slug in briefs),
        *(PageKey("entity", slug) for slug in sorted(index.entities)),
        *(PageKey("topic", slug) for slug in sorted(index.topics)),
    ]
    if index.site.base_url:
        # The site's feed lists every brief: a site with none has no feed (no entry, no date
        # to be `updated` at), as a topic or entity without briefs has none.
        keys += [PageKey("feed")] if index.briefs else []
        keys += [
            PageKey("sitemap"),
            PageKey("robots"),
            PageKey("collection"),
            *(PageKey("annotations", slug) for slug in briefs),
            *(PageKey("entity-feed", slug) for slug in feed_entities(index)),
            *(PageKey("topic-feed", slug) for slug in feed_topics(index)),
        ]
    return keys


def feed_entities(index: SiteIndex) -> list[str]:
    """The entities with a feed: those with a brief to list (a feed without entries has no
    date to be `updated` at, so there is none)."""
    return [slug for slug in sorted(index.entities) if index.graph.entity_briefs.get(slug)]


def feed_topics(index: SiteIndex) -> list[str]:
    """The topics with a feed: those with a brief to list."""
    return [slug for slug in sorted(index.topics) if index.graph.topic_briefs.get(slug)]


def source_of(key: PageKey, index: SiteIndex) -> str:
    """The file a page is chiefly made from, named in errors."""
    if key.kind in BRIEF_KINDS:
        return index.briefs[key.slug].path
    if key.kind in ("entity", "entity-feed"):
        return index.entities[key.slug].path
    if key.kind in ("topic", "topic-feed"):
        return index.topics[key.slug].path
    return index.site.path


def check_outputs(
    index: SiteIndex, keys: list[PageKey], static: list[StaticFile], diagnostics: Diagnostics
) -> list[StaticFile]:
    """Report two files on one output path, naming both; return the static files to copy."""
    claimed = {key.output: source_of(key, index) for key in keys}
    copies: list[StaticFile] = []
    for item in static:
        other = claimed.get(item.output)
        if other is not None:
            diagnostics.error(
                SourceLocation(item.source),
                f"{item.source} and {other} would both write {item.output}",
                "rename or remove one of them",
            )
            continue
        claimed[item.output] = item.source
        copies.append(item)
    return copies


@dataclass(frozen=True, slots=True)
class Placed:
    """A brief read in full, with its seed, its notes' places and its seed's mentions."""

    brief: Brief
    seed: Seed
    anchors: tuple[Anchor | Unplaced, ...]
    mentions: tuple[Mention, ...]
