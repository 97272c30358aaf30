"""What templates see: plain, ready-to-show values for each kind of page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from briefsite.model import EntityKind, NoteType, Rating


@dataclass(frozen=True, slots=True)
class TypeWords:
    """How a note type is said: as a heading, in a count, and in running text."""

    label: str
    plural: str
    name: str


# The one place each note type and rating is put in words.
NOTE_WORDS: dict[NoteType, TypeWords] = {
    "context": TypeWords("Context", "context notes", "context"),
    "definition": TypeWords("Definition", "definitions", "definition"),
    "claim": TypeWords("Claim check", "claim checks", "claim check"),
    "source": TypeWords("Source", "source notes", "source"),
    "question": TypeWords("Open question", "open questions", "open question"),
    "correction": TypeWords("Correction", "corrections", "correction"),
}
RATING_LABELS: dict[Rating, str] = {
    "accurate": "Accurate",
    "mostly-accurate": "Mostly accurate",
    "missing-context": "Missing context",
    "misleading": "Misleading",
    "false": "False",
    "unsupported": "Unsupported",
}

# The headings entities are listed under, in this order, and the kinds each takes; agencies
# are organisations. An entity of no kind is listed last, under OTHER_ENTITIES.
ENTITY_GROUPS: tuple[tuple[str, tuple[EntityKind, ...]], ...] = (
    ("People and organisations", ("person", "organization", "agency")),
    ("Places", ("place",)),
    ("Laws and programmes", ("law", "program")),
)
OTHER_ENTITIES = "Others"
# The list of every entity, in the site's menu and as its page's title.
ENTITIES_TITLE = "People, organisations and more"


@dataclass(frozen=True, slots=True)
class Link:
    """A titled link, its URL relative to the page it is on."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class LinkGroup:
    """Links under one heading, such as the entities of one group."""

    heading: str
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class TypeCount:
    """How many notes of a type a brief has."""

    type: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class BriefCard:
    """A brief as listed on the index, topic and entity pages."""

    title: str
    url: str
    summary: Markup
    published: dt.date
    note_count: int
    counts: tuple[TypeCount, ...]


@dataclass(frozen=True, slots=True)
class VerdictView:
    """A claim's rating, in words and as a CSS-friendly key."""

    rating: str
    label: str
    summary: Markup


@dataclass(frozen=True, slots=True)
class CitationView:
    """A cited source, ready to show."""

    title: str
    url: str
    publisher: str | None
    date: dt.date | None
    accessed: dt.date | None
    number: int = 0  # its number in the brief's list of sources; 0 where there is none


@dataclass(frozen=True, slots=True)
class NoteView:
    """A note as shown on its brief page and on entity pages."""

    id: str
    number: int
    type: NoteType
    type_label: str
    quote: str
    body: Markup
    passage: str
    verdict: VerdictView | None
    sources: tuple[CitationView, ...]
    entities: tuple[Link, ...]  # what the note is about
    # Entities named in its passage that it is not about: the passage's highlight links to
    # the note, so the note links to them.
    mentions: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class RetiredNoteView:
    """A note on a passage the source removed: shown apart, with the quote it was written on."""

    id: str
    type: NoteType
    type_label: str
    quote: str
    body: Markup
    verdict: VerdictView | None
    reason: Markup


@dataclass(frozen=True, slots=True)
class EntityNote:
    """A note about an entity, with the brief it belongs to."""

    brief: Link
    note: NoteView
    url: str


@dataclass(frozen=True, slots=True)
class CorrectionView:
    """An entry of the corrections log."""

    date: dt.date
    note: Markup


@dataclass(frozen=True, slots=True)
class ArticleBlockView:
    """A block of the annotated article and the notes whose passages start in it."""

    html: Markup
    notes: tuple[NoteView, ...]


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One numbered source of a brief and the notes that cite it."""

    number: int
    source: CitationView
    notes: tuple[NoteView, ...]


@dataclass(frozen=True, slots=True)
class TypeLegend:
    """One note type as the brief's legend shows it."""

    type: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class CiteView:
    """How to cite a brief: a plain-text reference and a BibTeX entry."""

    text: str
    bibtex: str


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim check as the claims pages list it: the words checked, the verdict, and where
    its note is."""

    number: int
    quote: str
    verdict: VerdictView
    url: str


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """A brief's claim checks, under its title."""

    brief: Link
    claims: tuple[ClaimView, ...]


@dataclass(frozen=True, slots=True)
class RatingFilter:
    """One choice of the claims pages' filter: all claims, or those of one rating."""

    rating: str  # empty for all claims
    label: str
    url: str
    count: int
    current: bool
