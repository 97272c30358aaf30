"""An article from outside the project as the pieces of a seed (`./build.py new`), and how
a plain-text one is read: its words and lines kept, only tidied (tabs, bullets)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from briefsite.read.seeds import STANDFIRST_MAX_CHARS

PieceKind = Literal["headline", "standfirst", "paragraph", "subhead", "item", "numbered", "quote"]
_BULLET = re.compile(r"^[-•●◦▪‣∙*+–]\s+")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+")


@dataclass(frozen=True, slots=True)
class Piece:
    """A headline, paragraph, subhead, list item or block quote, as one line of text."""

    kind: PieceKind
    text: str
    number: int = 0  # of a numbered list item


@dataclass(frozen=True, slots=True)
class Article:
    """An article read from a file: its pieces, what is known about it, what was changed."""

    pieces: tuple[Piece, ...]
    title: str | None = None
    byline: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None
    changes: tuple[str, ...] = ()


def plural(number: int, noun: str) -> str:
    """`1 tab`, `2 tabs`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def text_article(text: str, changes: list[str]) -> Article:
    """A plain-text article: blocks separated by blank lines, line 1 the headline; a line
    that starts with a bullet of any kind or a number is a list item of its own."""
    tabs = text.count("\t")
    if tabs:
        changes.append(f"replaced {plural(tabs, 'tab')} with spaces")
    pieces: list[Piece] = []
    bullets = 0
    for block in _blocks(text.replace("\t", " ")):
        lines = [" ".join(line.split()) for line in block]
        if not pieces:
            pieces.append(Piece("headline", lines[0].lstrip("# ").strip()))
            lines = lines[1:]
        paragraph: list[str] = []
        in_item = False
        for line in lines:
            item = _item(line)
            if item is not None:
                if paragraph:
                    pieces.append(Piece("paragraph", " ".join(paragraph)))
                    paragraph = []
                bullets += item.kind == "item" and not line.startswith("- ")
                pieces.append(item)
                in_item = True
            elif in_item:  # an item wrapped over several lines
                last = pieces[-1]
                pieces[-1] = Piece(last.kind, f"{last.text} {line}", last.number)
            else:
                paragraph.append(line)
        if paragraph:
            # A lone short line under the headline is the standfirst, as seeds have it.
            alone = len(pieces) == 1 and len(block) == 1 and len(lines) == 1
            kind: PieceKind = (
                "standfirst" if alone and len(lines[0]) <= STANDFIRST_MAX_CHARS else "paragraph"
            )
            pieces.append(Piece(kind, " ".join(paragraph)))
    if bullets:
        changes.append(f"made {plural(bullets, 'bulleted line')} list items (`- `)")
    return Article(tuple(pieces), changes=tuple(changes))


def _blocks(text: str) -> Iterator[list[str]]:
    block: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            block.append(line.strip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def _item(line: str) -> Piece | None:
    bullet = _BULLET.match(line)
    if bullet:
        return Piece("item", line[bullet.end() :])
    numbered = _NUMBERED.match(line)
    if numbered:
        return Piece("numbered", line[numbered.end() :], int(numbered.group(1)))
    return None
