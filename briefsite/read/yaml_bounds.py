"""Bounds on a YAML document, checked before anything walks it as a tree: the size of each
value, and of the document with its aliases written out. And the three characters YAML 1.1
counts as line breaks but editors do not, masked while the document is parsed."""

from __future__ import annotations

from typing import Protocol

import yaml

from briefsite.errors import BriefsiteError, SourceLocation

try:  # libyaml's parser is several times faster; fall back to pure Python where it is absent
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

_EDITOR_INVISIBLE_BREAKS = "\x85\u2028\u2029"
# The largest single value, in characters: a long note is a few thousand. Past it, a located
# error, never a value that later steps copy into every page that shows it.
MAX_SCALAR_CHARS = 100_000
# A document whose aliases, written out, make it more than this many times its own size
# is refused (with a floor, so that a small file may repeat a value freely): 140 KB of
# aliases once expanded to 1.6 GB of notes.
MAX_EXPANSION = 10
MIN_EXPANSION = 100_000


class _Mark(Protocol):
    line: int
    column: int


def mask_breaks(text: str) -> tuple[str, dict[int, int]]:
    """The text with U+0085, U+2028 and U+2029 swapped for private-use characters it does not
    hold, and the table that swaps them back. YAML 1.1 counts these as line breaks, editors
    do not: masked, they are read as the characters they are, and every line number after
    them is the one an editor shows."""
    found = [c for c in _EDITOR_INVISIBLE_BREAKS if c in text]
    if not found:
        return text, {}
    free = (c for c in range(0xF8FF, 0xE000, -1) if chr(c) not in text)
    swap = {ord(c): next(free) for c in found}
    return text.translate(swap), {masked: real for real, masked in swap.items()}


def bound(root: yaml.Node, text: str, shown: str, unmask: dict[int, int]) -> None:
    """Refuse a value longer than `MAX_SCALAR_CHARS`, and aliases that would make the
    document, expanded, larger than `MAX_EXPANSION` times its text (or refer to a node that
    contains them), before anything walks it as a tree; unmask the masked line breaks."""
    seen: set[int] = set()
    shared = False
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            shared = True  # an alias: the same node reached twice
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_SCALAR_CHARS:
                raise BriefsiteError.at(
                    _at(shown, node.start_mark),
                    f"value is too long: {len(node.value):,} characters, and a value may have "
                    f"at most {MAX_SCALAR_CHARS:,}",
                    "shorten it, or split it into several notes",
                )
            if unmask:
                node.value = node.value.translate(unmask)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            todo.extend(item for pair in node.value for item in pair)
    if shared:
        _check_aliases(text, shown)


def _check_aliases(text: str, shown: str) -> None:
    """Read the document's events in order, adding up its size as if every alias were
    written out (each scalar its length plus one, each collection one), and stop at the
    alias that takes it past the bound, or at one inside the node it names."""
    limit = max(MIN_EXPANSION, MAX_EXPANSION * len(text))
    sizes: dict[str, int] = {}  # anchor -> size of its node, once the node is complete
    open_anchors: list[str | None] = []
    open_sizes: list[int] = []
    total = 0
    for event in yaml.parse(text, Loader=_Parser):
        if isinstance(event, yaml.AliasEvent):
            anchor = str(event.anchor)
            if anchor not in sizes:
                raise BriefsiteError.at(
                    _at(shown, event.start_mark),
                    f"alias '*{anchor}' is inside the node it refers to",
                    "an alias may only repeat a value that is complete before it",
                )
            size = sizes[anchor]
        elif isinstance(event, yaml.ScalarEvent):
            size = len(event.value) + 1
        elif isinstance(event, yaml.CollectionStartEvent):
            open_anchors.append(event.anchor)
            open_sizes.append(1)
            total += 1
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            named, size = open_anchors.pop(), open_sizes.pop()
            if named is not None:
                sizes[named] = size
            if open_sizes:
                open_sizes[-1] += size
            continue
        else:
            continue
        if not isinstance(event, yaml.AliasEvent) and event.anchor is not None:
            sizes[event.anchor] = size
        if open_sizes:
            open_sizes[-1] += size
        total += size
        if total > limit and isinstance(event, yaml.AliasEvent):
            raise BriefsiteError.at(
                _at(shown, event.start_mark),
                f"alias '*{event.anchor}' makes the file too large once its aliases are "
                f"written out: over {limit:,} characters, {MAX_EXPANSION} times its own size",
                "write the repeated value out where it is needed, or repeat it less",
            )


def _at(shown: str, mark: _Mark | None) -> SourceLocation:
    if mark is None:
        return SourceLocation(shown)
    return SourceLocation(shown, mark.line + 1, mark.column + 1)
