"""Annotator Markdown to safe HTML: Python-Markdown, link targets rewritten, then nh3.

Internal targets (`entity:ice`, `topic:x`, `brief:slug`, `brief:slug#note`) become
root-absolute paths here and relative URLs in `localize`, once the page is known, so the
Markdown of a note is converted once however many pages show it.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Literal, Protocol

import markdown
import nh3
from markdown.extensions.sane_lists import SaneListExtension
from markdown.treeprocessors import Treeprocessor

LinkKind = Literal["entity", "topic", "brief", "note"]

ALLOWED_TAGS = frozenset(
    {"a", "abbr", "b", "blockquote", "br", "code", "del", "em", "i", "li", "ol", "p",
     "pre", "q", "s", "strong", "sub", "sup", "ul"}
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Python-Markdown writes href first and nh3 keeps the order; text cannot contain "<a "
# (nh3 escapes "<" in text), so these match real link targets only.
_ROOTED_HREF = re.compile(r'<a href="/(?!/)')
_NOTE_HREF = '<a href="#'
# Browsers drop leading spaces and controls from a URL and read `\` as `/` in web addresses.
_OTHER_HOST = re.compile(r"[\x00-\x20]*[/\\]{2}")


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """An internal link written in Markdown: what it points at and how it was written."""

    kind: LinkKind
    slug: str
    fragment: str
    written: str


@dataclass(frozen=True, slots=True)
class Html:
    """Sanitised HTML of one Markdown text and the internal links it contains."""

    html: str
    links: tuple[LinkTarget, ...]


def parse_target(href: str) -> LinkTarget | None:
    """Classify an internal link target, or return None for any other URL."""
    if href.startswith("#"):
        return LinkTarget("note", "", href[1:], href)
    scheme, colon, rest = href.partition(":")
    if not colon or scheme not in ("entity", "topic", "brief"):
        return None
    slug, _, fragment = rest.partition("#")
    return LinkTarget(scheme, slug, fragment, href)  # type: ignore[arg-type]


def _as_https(href: str) -> str:
    """A scheme-relative link (`//host/path`, or a spelling with backslashes that browsers
    read the same way) as the https address it leads to: it is a link to another site,
    shown and printed as one, and never taken for a path of this site."""
    rest = _OTHER_HOST.sub("", href, count=1)
    return "https://" + rest.replace("\\", "/")


def target_path(target: LinkTarget) -> str:
    """The root-absolute path a target is published at (its fragment included)."""
    if target.kind == "note":
        return f"#{target.fragment}"
    path = {"entity": "entities", "topic": "topics", "brief": "briefs"}[target.kind]
    return f"/{path}/{target.slug}/" + (f"#{target.fragment}" if target.fragment else "")


class _LinkRewriter(Treeprocessor):
    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.found: list[LinkTarget] = []

    def run(self, root: etree.Element) -> None:
        for element in root.iter("a"):
            href = element.get("href", "")
            target = parse_target(href)
            if target is not None:
                self.found.append(target)
                element.set("href", target_path(target))
            elif _OTHER_HOST.match(href):
                element.set("href", _as_https(href))


class Markdown(Protocol):
    """Anything that converts annotator Markdown: the converter below, or a memo of it."""

    def render(self, text: str, inline: bool = False) -> Html:
        """Sanitised HTML of `text`; `inline` drops a lone wrapping paragraph."""
        ...


def inline_html(result: Html) -> Html:
    """The HTML without its wrapping paragraph, when it is one paragraph."""
    html = result.html
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return Html(html[3:-4], result.links)
    return result


# Python-Markdown tries every inline pattern on every run of text, and most cannot match a
# text that lacks a certain character: links need `[`, emphasis `*` or `_`, inline HTML `<`.
# Each text is converted by a converter without the patterns and processors it cannot
# trigger, which gives the very same HTML (tests/unit/test_markup.py checks it against the
# full converter) in about two thirds of the time. A tab or carriage return may become the
# two spaces of a line break once the text is normalised, so it counts as a trigger of that
# pattern too. `html_block` parses the text for raw HTML and character references;
# `unescape` restores what the `escape` pattern put aside.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("!",),
    "image_reference": ("!",),
    "short_reference": ("[",),
    "short_image_ref": ("!",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  ", "\t", "\r"),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "html_block": ("<", "&"),
    "unescape": ("\\",),
}
_SINGLE = frozenset(mark for marks in _TRIGGERS.values() for mark in marks if len(mark) == 1)
_DOUBLE = tuple({mark for marks in _TRIGGERS.values() for mark in marks if len(mark) > 1})


class _Converter:
    """One Python-Markdown instance, with the inline patterns `dropped` left out."""

    def __init__(self, dropped: frozenset[str]) -> None:
        # No `smarty`: it runs a second inline pass and tripled the conversion time of a
        # typical note (benchmarks/build_speed.py); annotators type the typography they want.
        # The extension by instance, not by name: a name is looked up among the entry points
        # of every installed package, which took 38 ms of each process's start.
        self.md = markdown.Markdown(extensions=[SaneListExtension()], output_format="html")
        for name in dropped:
            for registry in (self.md.inlinePatterns, self.md.preprocessors, self.md.treeprocessors):
                if name in registry:
                    registry.deregister(name)
        self.rewriter = _LinkRewriter(self.md)
        # Run after inline patterns have made the <a> elements (priority below "inline").
        self.md.treeprocessors.register(self.rewriter, "briefsite_links", 5)


class MarkdownRenderer:
    """Markdown converters and the sanitiser, reused for every text."""

    def __init__(self, full: bool = False) -> None:
        self._full = full  # every pattern for every text: what the variants must equal
        self._converters: dict[frozenset[str], _Converter] = {}
        self._cleaner = nh3.Cleaner(
            tags=set(ALLOWED_TAGS),
            attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            link_rel=None,
        )

    def convert(self, text: str) -> Html:
        """Convert Markdown to sanitised HTML and collect its internal links."""
        dropped: frozenset[str] = frozenset() if self._full else _untriggered(text)
        converter = self._converters.get(dropped)
        if converter is None:
            converter = self._converters[dropped] = _Converter(dropped)
        converter.md.reset()
        converter.rewriter.found = []
        html = self._cleaner.clean(converter.md.convert(text))
        return Html(html, tuple(converter.rewriter.found))

    def render(self, text: str, inline: bool = False) -> Html:
        """Convert `text`; `inline` drops a lone wrapping paragraph."""
        result = self.convert(text)
        return inline_html(result) if inline else result


@functools.cache
def _dropped(present: frozenset[str]) -> frozenset[str]:
    return frozenset(name for name, marks in _TRIGGERS.items() if not present.intersection(marks))


def _untriggered(text: str) -> frozenset[str]:
    """What converting `text` can leave out: the patterns and processors it cannot trigger."""
    present = _SINGLE.intersection(text).union(m for m in _DOUBLE if m in text)
    return _dropped(frozenset(present))


def localize(html: str, root: str, owner_brief: str | None, here_brief: str | None) -> str:
    """Make a converted text's links relative to a page `root` (e.g. `../../`).

    `#note` links stay bare on their own brief's page and point at that brief elsewhere.
    """
    if "href=" not in html:
        return html
    html = _ROOTED_HREF.sub(f'<a href="{root}', html)
    if owner_brief is not None and owner_brief != here_brief:
        html = html.replace(_NOTE_HREF, f'<a href="{root}briefs/{owner_brief}/#')
    return html
