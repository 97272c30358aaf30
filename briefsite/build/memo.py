"""Converted Markdown, remembered by text: in memory up to a bound, and in the cache."""

from __future__ import annotations

from cachetools import LRUCache

from briefsite.build.stamps import digest_text
from briefsite.build.store import Store
from briefsite.read.markup import Html, LinkTarget, MarkdownRenderer, inline_html

# Converted texts kept in memory: those of a thousand briefs, whose pages show each note
# two or three times, brief by brief; beyond that, texts come from the cache.
TEXTS_KEPT = 20_000
Kept = tuple[str, tuple[tuple[str, str, str, str], ...]]  # a conversion as plain data


class MarkdownMemo:
    """Markdown conversion that converts each distinct text once, ever."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.converter = MarkdownRenderer()
        self._kept: LRUCache[str, Html] = LRUCache(TEXTS_KEPT)
        self.fresh: dict[str, Kept] = {}  # converted here, not yet in the cache, by text digest

    def render(self, text: str, inline: bool = False) -> Html:
        """Sanitised HTML of `text`; `inline` drops a lone wrapping paragraph."""
        result = self._kept.get(text)
        if result is None:
            key = digest_text(text)
            kept = _decode(self.fresh.get(key) or self.store.get("md", key))
            if kept is not None:
                result = kept
            else:
                result = self.converter.convert(text)
                self.fresh[key] = _encode(result)
            self._kept[text] = result
        return inline_html(result) if inline else result

    def take_fresh(self) -> dict[str, Kept]:
        """The conversions made since the last call (a worker sends them to its parent)."""
        fresh, self.fresh = self.fresh, {}
        return fresh

    def keep(self) -> None:
        """Put the conversions made here (or adopted from workers) into the cache."""
        for key, value in self.take_fresh().items():
            self.store.put("md", key, value)


def _encode(result: Html) -> Kept:
    return result.html, tuple((t.kind, t.slug, t.fragment, t.written) for t in result.links)


def _decode(value: object) -> Html | None:
    """A kept conversion, or None when the cache holds anything else under its key."""
    if not isinstance(value, tuple) or len(value) != 2 or not isinstance(value[0], str):
        return None
    html: str = value[0]
    try:
        found = tuple(LinkTarget(k, s, f, w) for k, s, f, w in value[1])
    except (TypeError, ValueError):
        return None
    if any(t.kind not in ("entity", "topic", "brief", "note") for t in found):
        return None
    return Html(html, found)
