"""A page's description (`<meta name="description">`): its summary as plain text, shortened."""

from __future__ import annotations

from html.parser import HTMLParser

# Search engines show about this many characters of a description; a longer summary is
# cut at the last word that fits, and says so with an ellipsis.
DESCRIPTION_LIMIT = 160
# Tags whose boundaries separate words: "<li>a</li><li>b</li>" reads "a b", not "ab".
_BLOCKS = frozenset({"p", "li", "ul", "ol", "blockquote", "pre", "br"})


class _TextOf(HTMLParser):
    """The text of an HTML fragment, character references resolved."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")


def plain_text(html: str) -> str:
    """The words of sanitised HTML, tags dropped and white space collapsed."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` if it fits in `limit` characters, else its words that fit and an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–—-") + "…"


def describe(html: str) -> str:
    """A description made of a converted Markdown text."""
    return shorten(plain_text(html))
