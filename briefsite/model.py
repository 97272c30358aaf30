"""What was read: frozen records of seeds, briefs, entities, topics and the site.

Records refer to each other by slug (`Ref`); nothing here is filled in later. What the
pipeline derives from them (anchors, the link graph, pages) lives in its own types.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar, get_args

from briefsite.errors import SourceLocation

NoteType = Literal["context", "definition", "claim", "source", "question", "correction"]
Rating = Literal[
    "accurate", "mostly-accurate", "missing-context", "misleading", "false", "unsupported"
]
EntityKind = Literal["person", "organization", "agency", "place", "law", "program"]
# A note is active unless retired: its passage is gone from the source, the note is kept.
NoteStatus = Literal["retired"]
BlockKind = Literal["headline", "standfirst", "paragraph", "subhead", "item", "quote"]

# The one spelling of each: the schema, the validator and the pages take them from here.
NOTE_TYPES: tuple[NoteType, ...] = get_args(NoteType)
RATINGS: tuple[Rating, ...] = get_args(Rating)
ENTITY_KINDS: tuple[EntityKind, ...] = get_args(EntityKind)
NOTE_STATUSES: tuple[NoteStatus, ...] = get_args(NoteStatus)


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference by slug to another record, with where it was written."""

    slug: str
    at: SourceLocation


@dataclass(frozen=True, slots=True)
class Text:
    """A Markdown string from a YAML file, able to locate a line inside itself."""

    value: str
    at: SourceLocation
    # Column of the content of a `|` block scalar, whose lines map 1:1 to file lines.
    block_indent: int = 0
    # Column of the first character of a scalar written on one line without escapes.
    # Other styles (folded, multi-line, escaped) are located at their start only.
    inline_col: int = 0

    def locate(self, offset: int) -> SourceLocation:
        """Return the file location of a code-point offset into `value`."""
        if self.inline_col:
            return SourceLocation(self.at.path, self.at.line, self.inline_col + offset)
        if not self.block_indent:
            return self.at
        line = self.value.count("\n", 0, offset)
        col = offset - (self.value.rfind("\n", 0, offset) + 1)
        return SourceLocation(self.at.path, self.at.line + 1 + line, self.block_indent + col)


@dataclass(frozen=True, slots=True)
class Block:
    """A headline, standfirst, paragraph, subhead, list item or block quote: `start`/`end` are
    offsets into the document text."""

    kind: BlockKind
    start: int
    end: int
    number: int = 0  # of a numbered list item (`3. `); 0 for a bulleted one and other blocks


@dataclass(frozen=True, slots=True)
class Seed:
    """A source article: the document text that annotations point into."""

    slug: str
    path: str
    text: str
    blocks: tuple[Block, ...]
    # Document offset where each piece of a file line starts, and that line's number and
    # starting column, so offsets map back to `seeds/x.txt:line:col`.
    line_starts: tuple[int, ...]
    line_origins: tuple[tuple[int, int], ...]

    @property
    def headline(self) -> str:
        """The first line of the seed."""
        first = self.blocks[0]
        return self.text[first.start : first.end]

    def locate(self, offset: int) -> SourceLocation:
        """Return the seed file location of a document-text offset."""
        i = max(bisect.bisect_right(self.line_starts, offset) - 1, 0)
        line, col = self.line_origins[i]
        return SourceLocation(self.path, line, col + offset - self.line_starts[i])


@dataclass(frozen=True, slots=True)
class Verdict:
    """The rating of a claim and why."""

    rating: Rating
    summary: Text
    at: SourceLocation


@dataclass(frozen=True, slots=True)
class Citation:
    """A source that a note cites."""

    title: str
    url: str
    publisher: str | None
    date: dt.date | None
    accessed: dt.date | None


@dataclass(frozen=True, slots=True)
class Annotation:
    """One note on a passage of the seed."""

    id: str
    at: SourceLocation
    quote: str
    quote_at: SourceLocation
    prefix: str | None
    suffix: str | None
    occurrence: int | None
    type: NoteType
    note: Text
    entities: tuple[Ref, ...]
    sources: tuple[Citation, ...]
    verdict: Verdict | None
    # Where the quote started when it was last anchored: a hint for re-anchoring.
    start: int | None = None
    # When a person confirmed the note's placement on changed words of the seed.
    reviewed: dt.date | None = None
    # `retired`: the passage is gone from the source; the note is kept, placed nowhere.
    status: NoteStatus | None = None
    reason: Text | None = None

    @property
    def retired(self) -> bool:
        """Whether the note's passage is gone from the source: it is kept, placed nowhere."""
        return self.status == "retired"


@dataclass(frozen=True, slots=True)
class Anchored:
    """When a brief's selectors were last recorded, and the seed text they were made for."""

    seed_sha256: str
    date: dt.date
    at: SourceLocation


@dataclass(frozen=True, slots=True)
class ArticleSource:
    """Where the seed article was published."""

    publisher: str | None
    published: dt.date | None
    url: str | None
    byline: str | None


@dataclass(frozen=True, slots=True)
class Correction:
    """An entry in a brief's corrections log."""

    date: dt.date
    note: Text


@dataclass(frozen=True, slots=True)
class Image:
    """An image for link previews: its address and what it shows."""

    url: str
    alt: str


@dataclass(frozen=True, slots=True)
class Brief:
    """An annotation file: the notes on one seed and what the brief says about it."""

    slug: str
    path: str
    seed: Ref
    title: str | None
    summary: Text | None
    key_points: tuple[Text, ...]
    published: dt.date
    updated: dt.date | None
    authors: tuple[str, ...]
    source: ArticleSource | None
    topics: tuple[Ref, ...]
    related: tuple[Ref, ...]
    corrections: tuple[Correction, ...]
    annotations: tuple[Annotation, ...]
    # Every note id written in the file, including notes left out for their own errors,
    # so that links to them are not reported a second time as dangling.
    note_ids: frozenset[str]
    anchored: Anchored | None = None
    image: Image | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, agency or other thing the seeds mention."""

    slug: str
    path: str
    name: str
    name_at: SourceLocation
    kind: EntityKind | None
    aliases: tuple[tuple[str, SourceLocation], ...]
    summary: Text | None
    url: str | None


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject that groups briefs."""

    slug: str
    path: str
    name: str
    summary: Text | None


@dataclass(frozen=True, slots=True)
class Site:
    """Site-wide settings from `content/site.yaml`."""

    path: str
    title: str
    description: str | None
    base_url: str | None
    language: str
    image: Image | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """Everything read from a project that parsed cleanly, keyed by slug."""

    site: Site
    seeds: dict[str, Seed]
    briefs: dict[str, Brief]
    entities: dict[str, Entity]
    topics: dict[str, Topic]


class Dated(Protocol):
    """Anything listed as a brief: a slug and a publication date."""

    @property
    def slug(self) -> str: ...

    @property
    def published(self) -> dt.date: ...


_D = TypeVar("_D", bound=Dated)


def newest_first(briefs: Iterable[_D]) -> list[_D]:
    """Briefs newest first; briefs of the same day by slug, so the order is stable."""
    return sorted(briefs, key=lambda b: (-b.published.toordinal(), b.slug))


def brief_title(brief: Brief, seed: Seed | None) -> str:
    """A brief's title: its own, else its seed's headline, else its slug."""
    if brief.title:
        return brief.title
    return seed.headline if seed is not None else brief.slug


def count_by_type(types: Iterable[NoteType]) -> dict[NoteType, int]:
    """How many notes of each type, every type listed in its usual order (zeros too)."""
    counts = dict.fromkeys(NOTE_TYPES, 0)
    for note_type in types:
        counts[note_type] += 1
    return counts
