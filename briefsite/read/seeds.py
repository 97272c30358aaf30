"""Seed articles: the headline, standfirst, paragraphs, subheads, list items and block quotes,
joined into the document text that notes point into.

The document text is defined by one rule: it is the blocks' text, markers removed, joined by
a blank line (`"\\n\\n"`), each list item a block of its own; the lines of a block are
joined by a space. Markers (`## `, `- `, `1. `, `> `, a `---` line under the headline, a
backslash that escapes a marker) are never part of the text, so a seed without markers has
exactly the document text it had before markers existed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefsite.errors import BriefsiteError, SourceLocation
from briefsite.model import Block, BlockKind, Seed

# A second paragraph this short, on one line, is the standfirst (dek) under the headline;
# a longer one is already the body of the article.
STANDFIRST_MAX_CHARS = 160
PARAGRAPH_BREAK = "\n\n"
# A `---` line right under the headline: the article has no standfirst.
NO_STANDFIRST = "---"
# What starts a marked line: a subhead, a bullet, a numbered item, a block quote line, or a
# backslash that makes the rest of the line plain text.
_MARKER = re.compile(r"(?P<subhead>## )|(?P<item>- )|(?P<number>\d{1,9})\. |(?P<quote>> ?)|\\")


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based line of the file
    col: int  # 1-based column where its text (after any marker) starts
    text: str
    kind: BlockKind | None  # what its marker starts; None: plain text, continuing a block
    item: int = 0  # the number of a numbered list item


def starts_like_a_marker(line: str) -> bool:
    """Whether a line of text would be read as a marker (and needs a backslash to be text)."""
    return bool(_MARKER.match(line)) or line == NO_STANDFIRST


def _read_line(number: int, raw: str) -> _Line:
    stripped = raw.strip()
    col = len(raw) - len(raw.lstrip()) + 1
    marker = _MARKER.match(stripped)
    if marker is None:
        return _Line(number, col, stripped, None)
    rest = stripped[marker.end() :]
    col += marker.end() + len(rest) - len(rest.lstrip())
    rest = rest.lstrip()
    if marker.group("subhead"):
        return _Line(number, col, rest, "subhead")
    if marker.group("item"):
        return _Line(number, col, rest, "item")
    if marker.group("number"):
        return _Line(number, col, rest, "item", int(marker.group("number")))
    if marker.group("quote") is not None:
        return _Line(number, col, rest, "quote")
    return _Line(number, col, rest, "paragraph")  # escaped: plain text that starts a block


def _groups(text: str) -> list[list[tuple[int, str]]]:
    """The non-blank lines, in groups separated by blank lines."""
    groups: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            if current:
                groups.append(current)
                current = []
            continue
        current.append((number, raw))
    if current:
        groups.append(current)
    return groups


def _blocks(group: list[tuple[int, str]]) -> list[list[_Line]]:
    """A group's lines split into blocks: a marked line starts one; a subhead is one line;
    a plain line continues a paragraph, an item or a quote; `>` alone ends a quote."""
    blocks: list[list[_Line]] = []
    for number, raw in group:
        line = _read_line(number, raw)
        last = blocks[-1][0].kind if blocks else None
        if blocks and not _starts_block(line, last):
            line = _continuing(number, raw)
        if line.kind == "quote" and last == "quote" and blocks[-1][-1].text:
            blocks[-1].append(line)  # the next line of the same quote
        elif line.kind is not None or not blocks or last == "subhead":
            blocks.append([line if line.kind is not None else _plain(line)])
        else:
            blocks[-1].append(line)
    kept = [[line for line in block if line.text] for block in blocks]
    return [block for block in kept if block]


def _starts_block(line: _Line, last: BlockKind | None) -> bool:
    """Whether a marked line starts a block of its own after a line of `last`'s block. As in
    CommonMark, a numbered item interrupts a paragraph only when it is `1. `: a wrapped line
    that begins "2021. The" goes on with its sentence. An escaped line is text, and goes on
    with the block above it."""
    if line.kind is None or line.kind == "paragraph":
        return False
    if last == "subhead" or line.item <= 1:
        return True
    return last == "item"


def _continuing(number: int, raw: str) -> _Line:
    """A line read as text that goes on with the block above it: its marker is words, but a
    backslash that escapes one is still taken away."""
    stripped = raw.strip()
    col = len(raw) - len(raw.lstrip()) + 1
    if stripped.startswith("\\"):
        stripped, col = stripped[1:], col + 1
    return _Line(number, col, stripped, None)


def _plain(line: _Line) -> _Line:
    return _Line(line.number, line.col, line.text, "paragraph")


def parse_seed(text: str, slug: str, shown: str) -> Seed:
    """Split seed text into blocks and build the document text with its line map."""
    groups = _groups(text)
    if not groups:
        raise BriefsiteError.at(
            SourceLocation(shown),
            "seed is empty",
            "line 1 is the headline; paragraphs follow, separated by blank lines",
        )
    first = groups[0]
    number, raw = first[0]
    col = len(raw) - len(raw.lstrip()) + 1
    blocks: list[tuple[BlockKind, list[_Line]]] = [
        ("headline", [_Line(number, col, raw.strip(), "headline")])
    ]
    rest = ([first[1:]] if len(first) > 1 else []) + groups[1:]
    no_standfirst = bool(rest) and rest[0][0][1].strip() == NO_STANDFIRST
    if no_standfirst:
        rest = [rest[0][1:], *rest[1:]] if len(rest[0]) > 1 else rest[1:]
    for group in rest:
        for block in _blocks(group):
            kind = block[0].kind
            assert kind is not None
            blocks.append((kind, block))
    # The standfirst: a plain line, alone in the first group after the headline, and short.
    if len(blocks) > 1 and not no_standfirst and len(rest[0]) == 1:
        kind, lines = blocks[1]
        if kind == "paragraph" and len(lines[0].text) <= STANDFIRST_MAX_CHARS:
            blocks[1] = ("standfirst", lines)
    return _seed(slug, shown, blocks)


def _seed(slug: str, shown: str, blocks: list[tuple[BlockKind, list[_Line]]]) -> Seed:
    pieces: list[str] = []
    made: list[Block] = []
    starts: list[int] = []
    origins: list[tuple[int, int]] = []
    offset = 0
    for index, (kind, lines) in enumerate(blocks):
        if index:
            pieces.append(PARAGRAPH_BREAK)
            offset += len(PARAGRAPH_BREAK)
        block_start = offset
        for line_index, line in enumerate(lines):
            if line_index:  # a block wrapped over several lines reads as one
                pieces.append(" ")
                offset += 1
            starts.append(offset)
            origins.append((line.number, line.col))
            pieces.append(line.text)
            offset += len(line.text)
        made.append(Block(kind, block_start, offset, lines[0].item))
    return Seed(slug, shown, "".join(pieces), tuple(made), tuple(starts), tuple(origins))
