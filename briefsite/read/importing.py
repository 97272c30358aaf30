"""Articles from outside the project, read into the pieces of a seed: `./build.py new`.

A plain-text article keeps its words and lines and is only tidied (line endings, tabs,
control characters, bullets). A Markdown article is converted by Python-Markdown and an HTML
page's article text is taken by trafilatura, which leaves out navigation, footers and other
page furniture; both then give their headings, paragraphs, list items and block quotes. Every
change made on the way is said in `Article.changes`, for `new` to report.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefsite.errors import BriefsiteError, SourceLocation
from briefsite.read.articles import Article, plural, text_article
from briefsite.read.textfile import BOM, read_bytes

SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html"}
SUFFIXES[".htm"] = "html"
# C0 and C1 control characters other than tab and the line breaks.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


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
