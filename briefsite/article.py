"""The annotated article: note spans split into flat segments, with entity links inside.

Overlapping and nested notes cannot be nested `<mark>` elements, so the text is cut at
every note boundary; each segment knows all the notes that cover it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from briefsite.graph import Mention
from briefsite.model import Block, Seed

_BLOCK_TAGS = {"headline": "h2", "standfirst": "p", "paragraph": "p"}


@dataclass(frozen=True, slots=True)
class Span:
    """A placed note: its id, type, number on the page and document-text span."""

    note_id: str
    type: str
    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of one block's text covered by the same notes (none, one or several)."""

    start: int
    end: int
    notes: tuple[Span, ...]


def passage_id(note_id: str) -> str:
    """The element id of a note's passage (`_` cannot occur in a note id, so no clash)."""
    return f"passage_{note_id}"


def segment_block(block: Block, spans: Sequence[Span]) -> list[Segment]:
    """Cut a block at every note boundary inside it."""
    inside = [s for s in spans if s.start < block.end and s.end > block.start]
    cuts = {block.start, block.end}
    for span in inside:
        cuts.update(c for c in (span.start, span.end) if block.start < c < block.end)
    ordered = sorted(cuts)
    return [
        Segment(a, b, tuple(s for s in inside if s.start < b and s.end > a))
        for a, b in itertools.pairwise(ordered)
    ]


def render_article(
    seed: Seed,
    spans: Sequence[Span],
    mentions: Sequence[Mention],
    entity_url: Callable[[str], str],
) -> tuple[Markup, dict[str, str]]:
    """Return the article HTML and, for each note, the id of its first segment."""
    first_segment: dict[str, str] = {}
    parts: list[str] = []
    for block in seed.blocks:
        tag = _BLOCK_TAGS[block.kind]
        css = f' class="{block.kind}"' if block.kind != "paragraph" else ""
        parts.append(f"<{tag}{css}>")
        for segment in segment_block(block, spans):
            body = _with_mentions(seed.text, segment.start, segment.end, mentions, entity_url)
            if not segment.notes:
                parts.append(body)
                continue
            ids = " ".join(s.note_id for s in segment.notes)
            types = " ".join(sorted({f"note-{s.type}" for s in segment.notes}))
            id_attr = ""
            starting = [s for s in segment.notes if s.start == segment.start]
            if starting:
                anchor = passage_id(starting[0].note_id)
                id_attr = f' id="{anchor}"'
                for span in starting:
                    first_segment[span.note_id] = anchor
            parts.append(f'<mark class="{types}" data-notes="{ids}"{id_attr}>{body}</mark>')
            for span in segment.notes:
                if span.end == segment.end:
                    parts.append(
                        f'<sup class="note-ref"><a href="#{span.note_id}" '
                        f'aria-label="note {span.number}, {span.type}">{span.number}</a></sup>'
                    )
        parts.append(f"</{tag}>\n")
    return Markup("".join(parts)), first_segment


def _with_mentions(
    text: str,
    start: int,
    end: int,
    mentions: Sequence[Mention],
    entity_url: Callable[[str], str],
) -> str:
    out: list[str] = []
    at = start
    for mention in mentions:
        if mention.end <= start or mention.start >= end:
            continue
        a, b = max(mention.start, start), min(mention.end, end)
        out.append(escape(text[at:a]))
        url = escape(entity_url(mention.entity))
        out.append(f'<a class="mention" href="{url}">{escape(text[a:b])}</a>')
        at = b
    out.append(escape(text[at:end]))
    return "".join(out)
