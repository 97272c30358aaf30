"""The pages of a site, named before they are planned: keys, output paths, collisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from briefsite.errors import Diagnostics, SourceLocation
from briefsite.model import Project


@dataclass(frozen=True, slots=True)
class StaticFile:
    """A file copied as it is from `layouts/static/`."""

    output: str
    path: Path
    source: str


PageKind = Literal["index", "briefs", "404", "entities", "topics", "brief", "entity", "topic"]


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


_FOLDERS = {"brief": "briefs", "entity": "entities", "topic": "topics"}
_TEMPLATES = {
    "index": "index.html",
    "briefs": "briefs.html",
    "404": "404.html",
    "entities": "list.html",
    "topics": "list.html",
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
}


def page_keys(project: Project) -> list[PageKey]:
    """Every page of the site: lists first, then briefs newest first, entities, topics."""
    briefs = sorted(project.briefs.values(), key=lambda b: (-b.published.toordinal(), b.slug))
    return [
        PageKey("index"),
        PageKey("briefs"),
        PageKey("404"),
        PageKey("entities"),
        PageKey("topics"),
        *(PageKey("brief", b.slug) for b in briefs),
        *(PageKey("entity", slug) for slug in sorted(project.entities)),
        *(PageKey("topic", slug) for slug in sorted(project.topics)),
    ]


def source_of(key: PageKey, project: Project) -> str:
    """The file a page is chiefly made from, named in errors."""
    if key.kind == "brief":
        return project.briefs[key.slug].path
    if key.kind == "entity":
        return project.entities[key.slug].path
    if key.kind == "topic":
        return project.topics[key.slug].path
    return project.site.path


def check_outputs(
    project: Project, keys: list[PageKey], static: list[StaticFile], diagnostics: Diagnostics
) -> list[StaticFile]:
    """Report two files on one output path, naming both; return the static files to copy."""
    claimed = {key.output: source_of(key, project) for key in keys}
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
