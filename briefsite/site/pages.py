"""The pages of a site, named before they are planned: keys, output paths, collisions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from briefsite.errors import Diagnostics, SourceLocation
from briefsite.link.graph import BriefLinks, Graph, Mention
from briefsite.model import RATINGS, Brief, Entity, Seed, Site, Topic, newest_first
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
    "index", "briefs", "404", "entities", "topics", "claims", "brief", "entity", "topic", "rating"
]


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
            output = f"{_FOLDERS[self.kind]}/{self.slug}/index.html"
        else:
            output = _LIST_OUTPUTS[self.kind]
        object.__setattr__(self, "output", output)

    @property
    def template(self) -> str:
        """The layout the page is rendered with."""
        return _TEMPLATES[self.kind]


# Pages with a slug: a brief, entity or topic, and the claims of one rating.
_FOLDERS = {"brief": "briefs", "entity": "entities", "topic": "topics", "rating": "claims"}
_TEMPLATES = {
    "index": "index.html",
    "briefs": "briefs.html",
    "404": "404.html",
    "entities": "list.html",
    "topics": "list.html",
    "claims": "claims.html",
    "rating": "claims.html",
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
}


def page_keys(index: SiteIndex) -> list[PageKey]:
    """Every page of the site: lists first (the claims of each rating among them), then
    briefs newest first, entities, topics."""
    return [
        PageKey("index"),
        PageKey("briefs"),
        PageKey("404"),
        PageKey("entities"),
        PageKey("topics"),
        PageKey("claims"),
        *(PageKey("rating", rating) for rating in RATINGS),
        *(PageKey("brief", b.slug) for b in newest_first(index.briefs.values())),
        *(PageKey("entity", slug) for slug in sorted(index.entities)),
        *(PageKey("topic", slug) for slug in sorted(index.topics)),
    ]


def source_of(key: PageKey, index: SiteIndex) -> str:
    """The file a page is chiefly made from, named in errors."""
    if key.kind == "brief":
        return index.briefs[key.slug].path
    if key.kind == "entity":
        return index.entities[key.slug].path
    if key.kind == "topic":
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
