"""Converted Markdown, remembered by text: in memory up to a bound, and in the cache."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

from briefsite.build.stamps import digest_text
from briefsite.build.store import Store
from briefsite.read.markup import Html, LinkTarget, MarkdownRenderer, inline_html
from briefsite.workers import map_chunks

# Converted texts kept in memory: every note of a project of a thousand briefs, whose
# pages show each note two or three times; beyond that, texts come from the cache.
TEXTS_KEPT = 50_000


class MarkdownMemo:
    """Markdown conversion that converts each distinct text once, ever."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.converter = MarkdownRenderer()
        self._kept: OrderedDict[str, Html] = OrderedDict()
        self.converted = 0  # texts converted by this memo (the others were remembered)

    def render(self, text: str, inline: bool = False) -> Html:
        """Sanitised HTML of `text`; `inline` drops a lone wrapping paragraph."""
        result = self._kept.get(text)
        if result is None:
            key = digest_text(text)
            kept = _decode(self.store.get("md", key))
            if kept is not None:
                result = kept
            else:
                result = self.converter.convert(text)
                self.converted += 1
                self.store.put("md", key, _encode(result))
            self._remember(text, result)
        else:
            self._kept.move_to_end(text)
        return inline_html(result) if inline else result

    def preload(self, texts: Iterable[str], jobs: int) -> None:
        """Convert, in up to `jobs` processes, the texts neither in memory nor in the cache."""
        todo: list[str] = []
        for text in dict.fromkeys(texts):
            if text in self._kept:
                continue
            kept = _decode(self.store.get("md", digest_text(text)))
            if kept is not None:
                self._remember(text, kept)
            else:
                todo.append(text)
        for text, result in zip(todo, map_chunks(_convert_chunk, todo, jobs), strict=True):
            self.converted += 1
            self.store.put("md", digest_text(text), _encode(result))
            self._remember(text, result)

    def _remember(self, text: str, result: Html) -> None:
        self._kept[text] = result
        if len(self._kept) > TEXTS_KEPT:
            self._kept.popitem(last=False)


def _encode(result: Html) -> tuple[str, tuple[tuple[str, str, str, str], ...]]:
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


_child: list[MarkdownRenderer] = []  # one converter per forked process, made on first use


def _convert_chunk(texts: Sequence[str]) -> list[Html]:
    if not _child:
        _child.append(MarkdownRenderer())
    return [_child[0].convert(text) for text in texts]
