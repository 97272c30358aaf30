"""The annotated article: note spans split into flat segments, with entity mentions inside.

Overlapping and nested notes cannot be nested `<mark>` elements, so the text is cut at
every note boundary; each segment knows all the notes that cover it. Every segment is one
link to a note (the innermost one covering it), entity mentions inside it included;
screen-reader text says where each note's passage starts, and a numbered link after its
last segment says where it ends. Each block of the article also lists the notes whose
passages start in it, so that a layout can set them beside (or under) that block.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from briefsite.link.graph import Mention
from briefsite.model import Block, NoteType, Seed
from briefsite.site.views import NOTE_WORDS

_BLOCK_TAGS = {
    "headline": "h3",
    "standfirst": "p",
    "paragraph": "p",
    "subhead": "h4",
}


@dataclass(frozen=True, slots=True)
class Span:
    """A placed note: its id, type, number on the page and document-text span."""

    note_id: str
    type: NoteType
    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of one block's text covered by the same notes (none, one or several)."""

    start: int
    end: int
    notes: tuple[Span, ...]

    @property
    def target(self) -> Span:
        """The note a segment links to: the innermost one covering it."""
        return max(self.notes, key=lambda s: (s.start, -s.end, s.number))


@dataclass(frozen=True, slots=True)
class ArticleBlock:
    """One block of the article as HTML, and the ids of the notes that start in it."""

    html: Markup
    notes: tuple[str, ...]


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


def _groups(blocks: Sequence[Block]) -> list[list[Block]]:
    """Blocks as the page shows them: the items of one list together (a bulleted and a
    numbered list are two lists), a quote's paragraphs together, every other block alone."""
    groups: list[list[Block]] = []
    for block in blocks:
        last = groups[-1][-1] if groups else None
        same_list = (
            last is not None
            and block.kind == last.kind == "item"
            and (block.number > 0) == (last.number > 0)
        )
        if same_list or (last is not None and block.kind == last.kind == "quote"):
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


def _wrap(group: list[Block], inner: list[str]) -> str:
    """A group's HTML around its blocks' HTML."""
    first = group[0]
    if first.kind == "item":
        if first.number:
            start = f' start="{first.number}"' if first.number != 1 else ""
            opening, closing = f'<ol class="list"{start}>', "</ol>"
        else:
            opening, closing = '<ul class="list">', "</ul>"
        return opening + "".join(f"<li>{html}</li>" for html in inner) + f"{closing}\n"
    if first.kind == "quote":
        paragraphs = "".join(f"<p>{html}</p>" for html in inner)
        return f'<blockquote class="quote">{paragraphs}</blockquote>\n'
    tag = _BLOCK_TAGS[first.kind]
    css = f' class="{first.kind}"' if first.kind != "paragraph" else ""
    return f"<{tag}{css}>{inner[0]}</{tag}>\n"


def render_article(
    seed: Seed,
    spans: Sequence[Span],
    mentions: Sequence[Mention],
    entity_url: Callable[[str], str],
    offsets: bool = False,
) -> tuple[list[ArticleBlock], dict[str, str]]:
    """Return the article's blocks and, for each note, the id of its first segment. With
    `offsets` (the preview's quote picker), every run of text says where it starts in the
    document text (`data-o`)."""
    first_segment: dict[str, str] = {}
    blocks: list[ArticleBlock] = []
    text = ArticleText(seed.text, entity_url, offsets)
    # Each group is given only the spans and mentions that reach into it, found by walking
    # the blocks in text order, so that time grows with the seed, not with its square.
    # Mentions are in text order and never overlap: those of a group are one slice.
    mention_starts = [m.start for m in mentions]
    mention_ends = [m.end for m in mentions]
    by_start = sorted(range(len(spans)), key=lambda i: spans[i].start)
    waiting = 0
    active: list[int] = []
    for group in _groups(seed.blocks):
        start, end = group[0].start, group[-1].end
        while waiting < len(by_start) and spans[by_start[waiting]].start < end:
            active.append(by_start[waiting])
            waiting += 1
        active = [i for i in active if spans[i].end > start]
        near_spans = [spans[i] for i in sorted(active)]
        low = bisect.bisect_right(mention_ends, start)
        near = mentions[low : bisect.bisect_left(mention_starts, end, lo=low)]
        starting_here: list[str] = []
        inner = []
        for block in group:
            parts = []
            for segment in segment_block(block, near_spans):
                if not segment.notes:
                    parts.append(text.runs(segment.start, segment.end, near))
                    continue
                starting = [s for s in segment.notes if s.start == segment.start]
                id_attr = ""
                if starting:
                    anchor = passage_id(starting[0].note_id)
                    id_attr = f' id="{anchor}"'
                    for span in starting:
                        first_segment[span.note_id] = anchor
                        starting_here.append(span.note_id)
                parts.append(_mark(text, segment, id_attr, starting, near))
                for span in segment.notes:
                    if span.end == segment.end:
                        parts.append(_ref(span))
            inner.append("".join(parts))
        blocks.append(ArticleBlock(Markup(_wrap(group, inner)), tuple(starting_here)))
    return blocks, first_segment


@dataclass(frozen=True, slots=True)
class ArticleText:
    """The seed's document text as the article shows it: escaped, mentions marked."""

    value: str
    entity_url: Callable[[str], str]
    offsets: bool

    def run(self, a: int, b: int) -> str:
        """Plain text, escaped; with offsets, in a span that says where it starts."""
        escaped = escape(self.value[a:b])
        return f'<span data-o="{a}">{escaped}</span>' if self.offsets and a < b else str(escaped)

    def runs(self, start: int, end: int, mentions: Sequence[Mention], link: str = "") -> str:
        """Escaped text with its mentions marked. Outside a highlight a mention is a link to
        its entity; inside one (`link` given) the whole run is one link to the note, and a
        mention is only a style there: the note itself links to the entity
        (`mentioned_in`)."""
        out: list[str] = [link]
        at = start
        for mention in mentions:
            if mention.end <= start or mention.start >= end:
                continue
            a, b = max(mention.start, start), min(mention.end, end)
            out.append(self.run(at, a))
            offset = f' data-o="{a}"' if self.offsets else ""
            words = escape(self.value[a:b])
            if link:
                out.append(f'<span class="mention"{offset}>{words}</span>')
            else:
                url = escape(self.entity_url(mention.entity))
                out.append(f'<a class="mention" href="{url}"{offset}>{words}</a>')
            at = b
        out.append(self.run(at, end))
        if link:
            out.append("</a>")
        return "".join(out)


def _mark(
    text: ArticleText,
    segment: Segment,
    id_attr: str,
    starting: Sequence[Span],
    mentions: Sequence[Mention],
) -> str:
    target = segment.target
    ids = " ".join(s.note_id for s in segment.notes)
    css = f"hl t-{target.type}" + (" overlap" if len(segment.notes) > 1 else "")
    opening = "".join(
        f'<span class="sr">[start of passage for note {s.number}, '
        f"{NOTE_WORDS[s.type].name}] </span>"
        for s in starting
    )
    link = f'<a class="hl-link" href="#{target.note_id}">'
    body = text.runs(segment.start, segment.end, mentions, link)
    return f'<mark class="{css}" data-notes="{ids}"{id_attr}>{opening}{body}</mark>'


def _ref(span: Span) -> str:
    return (
        f'<a class="ref t-{span.type}" href="#{span.note_id}">'
        f'<span class="sr"> [end of passage; read note </span>{span.number}'
        f'<span class="sr">, {NOTE_WORDS[span.type].name}]</span></a>'
    )


def mentioned_in(start: int, end: int, mentions: Sequence[Mention]) -> tuple[str, ...]:
    """The entities mentioned (even in part) within a passage, once each, in text order."""
    return tuple(dict.fromkeys(m.entity for m in mentions if m.start < end and m.end > start))
