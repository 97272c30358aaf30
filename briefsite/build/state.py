"""What the builder derives from each brief and keeps between runs, as plain data.

A brief's derived state (its notes' places, its seed's mentions, its links, its facets'
digests and its problems) is valid while its key is: the digests of what it was derived
from. The codecs here turn it into tuples for the cache and back; decoding is lazy where
it is costly, so that a run that touches one brief does not rebuild every brief's anchors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from briefsite.anchor.anchoring import Anchor, Unplaced
from briefsite.build.codec import Plain, decode_diagnostics, encode_diagnostics
from briefsite.errors import Diagnostic
from briefsite.link.graph import BriefLinks, Mention


@dataclass(frozen=True, slots=True)
class BriefState:
    """What was derived from one brief, and from what (`key`)."""

    key: str  # digest of the brief's and seed's bytes and of the entities' names and aliases
    seed: str  # the slug of its seed
    notes: int  # how many notes it has
    anchors: tuple[Anchor | Unplaced, ...]
    mentions: tuple[Mention, ...]
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


def encode_brief(state: BriefState) -> Plain:
    """A brief's derived state as plain data."""
    links = state.links
    return (
        state.key,
        state.seed,
        state.notes,
        tuple(
            (a.note_id, a.start, a.end, a.status, a.score)
            if isinstance(a, Anchor)
            else (a.note_id, a.status)
            for a in state.anchors
        ),
        tuple((m.entity, m.start, m.end) for m in state.mentions),
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
        anchors=tuple(
            Anchor(a[0], a[1], a[2], a[3], a[4]) if len(a) == 5 else Unplaced(a[0], a[1])
            for a in anchors
        ),
        mentions=tuple(Mention(e, s, t) for e, s, t in mentions),
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
