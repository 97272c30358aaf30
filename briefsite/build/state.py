"""What the builder derives from each brief and keeps between runs, as plain data.

A brief's derived state (its notes' places, its seed's mentions, its links, its facets'
digests and its problems) is valid while its key is: the digests of what it was derived
from. The codecs here turn it into tuples for the cache and back; decoding is lazy where
it is costly, so that a run that touches one brief does not rebuild every brief's anchors.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from briefsite.anchor.anchoring import Anchor, Unplaced
from briefsite.build.codec import Plain, decode_diagnostics, encode_diagnostics
from briefsite.errors import Diagnostic
from briefsite.link.graph import BriefLinks, Mention

_T = TypeVar("_T")


class Lazy(Generic[_T]):
    """Values kept as the plain data the cache holds, made when first asked for (`made`):
    a run that touches one brief needs every brief's links, but only that brief's anchors
    and mentions, which are most of what a state is. The plain data is one `marshal`
    string: a fifth of the memory the same tuples take, for every brief of a large site."""

    __slots__ = ("_made", "_make", "_plain")

    def __init__(
        self,
        plain: Plain,
        make: Callable[[Plain], tuple[_T, ...]],
        made: tuple[_T, ...] | None = None,
    ) -> None:
        self._plain = plain
        self._make = make  # module-level, so that a state can be sent to another process
        self._made = made

    @classmethod
    def of(
        cls,
        made: tuple[_T, ...],
        encode: Callable[[tuple[_T, ...]], Plain],
        make: Callable[[Plain], tuple[_T, ...]],
    ) -> Lazy[_T]:
        """Values made already; `make` makes them again from plain data (`encode`'s)."""
        return cls(encode(made), make, made)

    @property
    def made(self) -> tuple[_T, ...]:
        """The values."""
        if self._made is None:
            self._made = self._make(self._plain)
        return self._made

    @property
    def plain(self) -> Plain:
        """The values as plain data."""
        return self._plain

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lazy) and self._plain == other._plain

    def __hash__(self) -> int:
        return hash(self._plain)

    def __getstate__(self) -> tuple[Plain, Callable[[Plain], tuple[_T, ...]]]:
        return (self._plain, self._make)  # the values are made again where they are needed

    def __setstate__(self, state: tuple[Plain, Callable[[Plain], tuple[_T, ...]]]) -> None:
        self._plain, self._make = state
        self._made = None


@dataclass(frozen=True, slots=True)
class BriefState:
    """What was derived from one brief, and from what (`key`)."""

    key: str  # digest of the brief's and seed's bytes and of the entities' names and aliases
    seed: str  # the slug of its seed
    notes: int  # how many notes it has
    anchors: Lazy[Anchor | Unplaced]
    mentions: Lazy[Mention]
    links: BriefLinks | None  # None when its seed is missing: it is on no page
    note_ids: frozenset[str]
    linked: tuple[str, ...]  # the briefs whose notes its Markdown links to
    facets: Mapping[str, str]  # facet id -> digest of its value
    problems: tuple[Diagnostic, ...]  # from anchoring


@dataclass(frozen=True, slots=True)
class Checked:
    """A brief's or summary's dangling references, and what they were checked against."""

    key: str
    problems: tuple[Diagnostic, ...]


def lazy_anchors(anchors: tuple[Anchor | Unplaced, ...]) -> Lazy[Anchor | Unplaced]:
    """A brief's notes' places, made already."""
    return Lazy.of(anchors, _encode_anchors, _decode_anchors)


def lazy_mentions(mentions: tuple[Mention, ...]) -> Lazy[Mention]:
    """A seed's mentions, made already."""
    return Lazy.of(mentions, _encode_mentions, _decode_mentions)


def _encode_anchors(anchors: tuple[Anchor | Unplaced, ...]) -> bytes:
    return marshal.dumps(
        tuple(
            (a.note_id, a.start, a.end, a.status, a.score)
            if isinstance(a, Anchor)
            else (a.note_id, a.status)
            for a in anchors
        )
    )


def _decode_anchors(plain: Plain) -> tuple[Anchor | Unplaced, ...]:
    return tuple(
        Anchor(a[0], a[1], a[2], a[3], a[4]) if len(a) == 5 else Unplaced(a[0], a[1])
        for a in marshal.loads(plain)
    )


def _encode_mentions(mentions: tuple[Mention, ...]) -> bytes:
    return marshal.dumps(tuple((m.entity, m.start, m.end) for m in mentions))


def _decode_mentions(plain: Plain) -> tuple[Mention, ...]:
    return tuple(Mention(e, s, t) for e, s, t in marshal.loads(plain))


def encode_brief(state: BriefState) -> Plain:
    """A brief's derived state as plain data."""
    links = state.links
    return (
        state.key,
        state.seed,
        state.notes,
        state.anchors.plain,
        state.mentions.plain,
        (
            links.slug,
            links.path,
            links.seed,
            links.title,
            links.published.toordinal(),
            links.topics,
            links.related,
            links.about,
            links.notes,
            links.ratings,
        )
        if links is not None
        else None,
        tuple(sorted(state.note_ids)),
        state.linked,
        dict(state.facets),
        encode_diagnostics(state.problems),
    )


def decode_brief(value: Plain) -> BriefState:
    """A brief's derived state kept by `encode_brief`."""
    key, seed, notes, anchors, mentions, links, note_ids, linked, facets, problems = value
    return BriefState(
        key=key,
        seed=seed,
        notes=notes,
        anchors=Lazy(anchors, _decode_anchors),
        mentions=Lazy(mentions, _decode_mentions),
        links=_decode_links(links) if links is not None else None,
        note_ids=frozenset(note_ids),
        linked=tuple(linked),
        facets=dict(facets),
        problems=decode_diagnostics(problems),
    )


def encode_checked(checked: Checked) -> Plain:
    """Checked references as plain data."""
    return (checked.key, encode_diagnostics(checked.problems))


def decode_checked(value: Plain) -> Checked:
    """Checked references kept by `encode_checked`."""
    return Checked(value[0], decode_diagnostics(value[1]))


def _decode_links(value: Plain) -> BriefLinks:
    slug, path, seed, title, published, topics, related, about, notes, ratings = value
    return BriefLinks(
        slug,
        path,
        seed,
        title,
        dt.date.fromordinal(published),
        tuple(topics),
        tuple(related),
        tuple(about),
        tuple((e, n) for e, n in notes),
        tuple(ratings),
    )


def changed_facets(old: BriefState | None, new: BriefState | None) -> set[str]:
    """The facets whose digest differs between two states of a brief (either may be none)."""
    old_facets = old.facets if old is not None else {}
    new_facets = new.facets if new is not None else {}
    return {
        name
        for name in old_facets.keys() | new_facets.keys()
        if old_facets.get(name) != new_facets.get(name)
    }


class Placements(Mapping[str, tuple[Anchor | Unplaced, ...]]):
    """Each placed brief's notes' places, read from the run's states when asked for."""

    def __init__(self, states: Mapping[str, BriefState]) -> None:
        # A copy as it is (the run's states change with the next run), filtered when read:
        # a large site has thousands of briefs, and a rebuild asks for a few.
        self._states = dict(states)

    def __getitem__(self, slug: str) -> tuple[Anchor | Unplaced, ...]:
        state = self._states[slug]
        if state.links is None:  # a brief whose seed is missing has no places
            raise KeyError(slug)
        return state.anchors.made

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(s for s, state in self._states.items() if state.links is not None))

    def __len__(self) -> int:
        return sum(state.links is not None for state in self._states.values())
