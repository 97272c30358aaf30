"""Seed articles: headline, standfirst and paragraphs, joined into the document text."""

from __future__ import annotations

from briefsite.errors import BriefsiteError, SourceLocation
from briefsite.model import Block, BlockKind, Seed

# A second paragraph this short, on one line, is the standfirst (dek) under the headline;
# a longer one is already the body of the article.
STANDFIRST_MAX_CHARS = 160
PARAGRAPH_BREAK = "\n\n"


def parse_seed(text: str, slug: str, shown: str) -> Seed:
    """Split seed text into blocks and build the document text with its line map."""
    groups: list[list[tuple[int, int, str]]] = []  # per block: (line, col, stripped text)
    current: list[tuple[int, int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            if current:
                groups.append(current)
                current = []
            continue
        col = len(raw) - len(raw.lstrip()) + 1
        current.append((number, col, stripped))
    if current:
        groups.append(current)
    if not groups:
        raise BriefsiteError.at(
            SourceLocation(shown),
            "seed is empty",
            "line 1 is the headline; paragraphs follow, separated by blank lines",
        )
    if len(groups[0]) > 1:  # text right under the headline, with no blank line, is a paragraph
        groups[1:1] = [groups[0][1:]]
        groups[0] = groups[0][:1]

    pieces: list[str] = []
    blocks: list[Block] = []
    starts: list[int] = []
    origins: list[tuple[int, int]] = []
    offset = 0
    for index, group in enumerate(groups):
        if index:
            pieces.append(PARAGRAPH_BREAK)
            offset += len(PARAGRAPH_BREAK)
        block_start = offset
        for line_index, (number, col, stripped) in enumerate(group):
            if line_index:  # a paragraph wrapped over several lines reads as one
                pieces.append(" ")
                offset += 1
            starts.append(offset)
            origins.append((number, col))
            pieces.append(stripped)
            offset += len(stripped)
        blocks.append(Block(_kind(index, group), block_start, offset))
    return Seed(slug, shown, "".join(pieces), tuple(blocks), tuple(starts), tuple(origins))


def _kind(index: int, group: list[tuple[int, int, str]]) -> BlockKind:
    if index == 0:
        return "headline"
    if index == 1 and len(group) == 1 and len(group[0][2]) <= STANDFIRST_MAX_CHARS:
        return "standfirst"
    return "paragraph"
