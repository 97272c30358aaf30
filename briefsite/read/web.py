"""Markdown and HTML articles into seed pieces: headings, paragraphs, list items, quotes.

An HTML page is reduced to its article by trafilatura (a well-kept extractor that leaves out
navigation, sidebars, footers and comments, and reads the page's title, author, date, site
name and address); its XML output names headings, paragraphs, lists and quotes. A Markdown
file is converted by Python-Markdown, already the tool's Markdown, and its HTML read the same
way. Links keep their words; formatting, images and tables are left out, and said so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import markdown
import yaml
from lxml import etree, html

from briefsite.read.articles import Article, Piece, plural

# Elements by what they are, in trafilatura's XML and in HTML.
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_LISTS = {"list", "ul", "ol"}
_QUOTES = {"quote", "blockquote"}
_PARAGRAPHS = {"p", "pre", "code", "div"}


def _text(element: Any, skip: frozenset[str] = frozenset()) -> str:
    """The words of an element, white space made single spaces, nested `skip` elements out."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node is not element and node.tag in skip:
            if node.tail:
                parts.append(node.tail)
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node is not element and node.tail:
            parts.append(node.tail)

    walk(element)
    return " ".join("".join(parts).split())


def _heading_level(element: Any) -> int | None:
    if element.tag in _HEADINGS:
        return _HEADINGS[element.tag]
    if element.tag == "head":
        return _HEADINGS.get(str(element.get("rend", "h2")), 2)
    return None


def _pieces(container: Any) -> Iterator[tuple[int | None, Piece]]:
    """(heading level or None, piece) for each block of an article, in order."""
    for element in container:
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        level = _heading_level(element)
        if level is not None:
            text = _text(element)
            if text:
                yield level, Piece("subhead", text)
        elif element.tag in _LISTS:
            yield from _items(element)
        elif element.tag in _QUOTES:
            inner = [c for c in element if isinstance(c.tag, str) and c.tag in _PARAGRAPHS]
            for text in [_text(c) for c in inner] or [_text(element)]:
                if text:
                    yield None, Piece("quote", text)
        elif element.tag in _PARAGRAPHS:
            text = _text(element)
            if text:
                yield None, Piece("paragraph", text)


def _items(element: Any) -> Iterator[tuple[int | None, Piece]]:
    numbered = element.tag == "ol" or element.get("rend") == "ol"
    number = int(element.get("start", "1") or 1) if numbered else 0
    for item in element:
        if not isinstance(item.tag, str) or item.tag not in ("item", "li"):
            continue
        text = _text(item, frozenset(_LISTS))
        if text:
            yield None, Piece("numbered", text, number) if numbered else Piece("item", text)
            number += 1
        for nested in item:
            if isinstance(nested.tag, str) and nested.tag in _LISTS:
                yield from _items(nested)  # a nested list's items follow, as items too


def _assemble(found: list[tuple[int | None, Piece]], title: str | None) -> list[Piece]:
    """The headline first: the article's first top-level heading, else the given title."""
    pieces = [p for _, p in found]
    if found and found[0][0] is not None and found[0][0] <= 1:
        return [Piece("headline", found[0][1].text), *pieces[1:]]
    if title:
        return [Piece("headline", " ".join(title.split())), *pieces]
    if pieces:
        return [Piece("headline", pieces[0].text), *pieces[1:]]
    return []


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def html_article(text: str, changes: list[str]) -> Article:
    """The article of a web page, without the page around it."""
    import trafilatura

    extracted = trafilatura.extract(
        text,
        output_format="xml",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        favor_recall=True,
    )
    meta = trafilatura.extract_metadata(text)
    if extracted is None:
        return Article(())
    main = etree.fromstring(extracted.encode("utf-8")).find("main")
    found = list(_pieces(main if main is not None else []))
    title = meta.title if meta is not None else None
    pieces = _assemble(found, title)
    changes.append(
        "took the article's text from the page: navigation, sidebars, footers, comments, "
        "tables, images and captions left out; links and formatting kept as plain words"
    )
    if pieces and (not found or found[0][0] != 1) and title:
        changes.append("took the headline from the page's title")
    return Article(
        tuple(pieces),
        title=title,
        byline=meta.author if meta is not None else None,
        publisher=meta.sitename if meta is not None else None,
        published=_day(meta.date) if meta is not None else None,
        url=meta.url if meta is not None else None,
        changes=tuple(changes),
    )


def markdown_article(text: str, changes: list[str]) -> Article:
    """A Markdown article: its front matter read for what it says about the article."""
    front: dict[str, Any] = {}
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            try:
                loaded = yaml.safe_load(text[4:end])
            except yaml.YAMLError:
                loaded = None
            if isinstance(loaded, dict):
                front = {str(k).lower(): v for k, v in loaded.items()}
                text = text[text.find("\n", end + 4) + 1 :]
                changes.append("read the front matter and left it out of the seed")
    rendered = markdown.markdown(text, extensions=["sane_lists"])
    root = html.fromstring(f"<div>{rendered}</div>")
    marked = [
        plural(sum(1 for e in root.iter() if e.tag in tags), noun)
        for tags, noun in (
            (("em", "strong", "b", "i"), "bold or italic passage"),
            (("code",), "code span"),
            (("a",), "link"),
        )
        if any(e.tag in tags for e in root.iter())
    ]
    if marked:
        changes.append(f"kept the words of {', '.join(marked)}, without their marks")
    images = sum(1 for _ in root.iter("img"))
    if images:
        changes.append(f"left out {plural(images, 'image')}")
    title = front.get("title")
    pieces = _assemble(list(_pieces(root)), str(title) if title else None)
    changes.append("converted the Markdown: headings, lists and quotes marked as seeds mark them")

    def said(*keys: str) -> str | None:
        value = next((front[k] for k in keys if front.get(k)), None)
        return str(value) if value is not None else None

    return Article(
        tuple(pieces),
        title=said("title"),
        byline=said("byline", "author", "authors"),
        publisher=said("publisher", "site", "source"),
        published=_day(front.get("published") or front.get("date")),
        url=said("url", "link", "canonical"),
        changes=tuple(changes),
    )
