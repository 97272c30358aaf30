"""Converted Markdown, remembered by text: in memory up to a bound, and in the cache."""

from __future__ import annotations

from collections.abc import Mapping

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
        # Sent on to the parent already, and still at hand for this run (a worker's: it has
        # no cache to read them back from, and renders the pages of the briefs it read).
        self._sent: dict[str, Kept] = {}

    def render(self, text: str, inline: bool = False) -> Html:
        """Sanitised HTML of `text`; `inline` drops a lone wrapping paragraph."""
        result = self._kept.get(text)
        if result is None:
            key = digest_text(text)
            kept = _decode(self.fresh.get(key) or self._sent.get(key) or self.store.get("md", key))
            if kept is not None:
                result = kept
            else:
                result = self.converter.convert(text)
                self.fresh[key] = _encode(result)
            self._kept[text] = result
        return inline_html(result) if inline else result

    def send(self) -> dict[str, Kept]:
        """The conversions made since the last call, for the parent's cache; this run still
        finds them, here or (with a cache) in the cache they are adopted into."""
        fresh, self.fresh = self.fresh, {}
        if not self.store.enabled:
            self._sent.update(fresh)
        return fresh

    def adopt(self, made: Mapping[str, Kept]) -> None:
        """Take conversions sent by a worker (or by `send`): into the cache as they come,
        or, without one, into memory for the rest of the run."""
        if self.store.enabled:
            for key, value in made.items():
                self.store.put("md", key, value)
        else:
            self.fresh.update(made)

    def keep(self) -> None:
        """Put the conversions made here into the cache: the run is over."""
        fresh, self.fresh, self._sent = self.fresh, {}, {}
        for key, value in fresh.items():
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
