"""Articles from outside the project, read into the pieces of a seed: `./build.py new`.

A plain-text article keeps its words and lines and is only tidied (line endings, tabs,
control characters, bullets). A Markdown article is converted by Python-Markdown and an HTML
page's article text is taken by trafilatura, which leaves out navigation, footers and other
page furniture; both then give their headings, paragraphs, list items and block quotes. Every
change made on the way is said in `Article.changes`, for `new` to report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefsite.errors import BriefsiteError, SourceLocation
from briefsite.read.seeds import STANDFIRST_MAX_CHARS
from briefsite.read.textfile import BOM, read_bytes

PieceKind = Literal["headline", "standfirst", "paragraph", "subhead", "item", "numbered", "quote"]
SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html"}
SUFFIXES[".htm"] = "html"
# C0 and C1 control characters other than tab and the line breaks.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
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


def read_article(path: Path) -> Article:
    """Read a .txt, .md or .html article into its pieces; user errors for what cannot be."""
    shown = str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise BriefsiteError.at(
            SourceLocation(shown),
            f"cannot import '{path.suffix or path.name}' files",
            "import an article saved as .txt, .md or .html",
        )
    text, changes = _decode(read_bytes(path, shown))
    if kind == "html":
        from briefsite.read.web import html_article  # trafilatura: loaded only for pages

        article = html_article(text, changes)
    elif kind == "markdown":
        from briefsite.read.web import markdown_article

        article = markdown_article(text, changes)
    else:
        article = text_article(text, changes)
    if not article.pieces:
        raise BriefsiteError.at(
            SourceLocation(shown),
            "no article text found",
            "check that the file holds the article; for a web page, save the page's HTML",
        )
    return article


def _decode(data: bytes) -> tuple[str, list[str]]:
    changes = []
    if data.startswith(BOM):
        data = data[len(BOM) :]
        changes.append("removed the byte-order mark at the start")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        changes.append("read the file as Windows-1252, as it is not UTF-8; the seed is UTF-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        changes.append("made Windows or old Mac line endings plain line breaks")
    controls = len(_CONTROL.findall(text.replace("\t", "")))
    if controls:
        text = _CONTROL.sub("", text)
        changes.append(f"removed {plural(controls, 'invisible control character')}")
    return text, changes


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
