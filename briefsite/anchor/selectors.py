"""Selectors worth keeping: the quote, its context and a position hint for a placed note.

Also the small texts that explain a re-anchored note: a word diff and a ready-to-paste fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from dataclasses import dataclass

from briefsite.anchor.folding import Normalized, fold, has_prefix, has_suffix, occurrences
from briefsite.model import Brief, Seed

# About this many characters of context on each side; widened to whole words, and by
# `_WIDEN` more at a time until the quote with its context occurs once.
CONTEXT_CHARS = 32
_WIDEN = 16


@dataclass(frozen=True, slots=True)
class Selectors:
    """What `anchor` records for a note placed at `start:end` of the document text."""

    quote: str
    prefix: str
    suffix: str
    start: int


def seed_sha256(seed: Seed) -> str:
    """The SHA-256 of the seed's normalised (folded) document text, in hexadecimal."""
    return hashlib.sha256(Normalized(seed.text).text.encode("utf-8")).hexdigest()


def _squash(text: str) -> str:
    return " ".join(text.split())


def _prefix_at(text: str, start: int, chars: int) -> str:
    at = max(0, start - chars)
    while at > 0 and not text[at - 1].isspace():
        at -= 1
    return _squash(text[at:start])


def _suffix_at(text: str, end: int, chars: int) -> str:
    at = min(len(text), end + chars)
    while at < len(text) and not text[at].isspace():
        at += 1
    return _squash(text[end:at])


def selectors_for(seed: Seed, doc: Normalized, start: int, end: int) -> Selectors:
    """Selectors for the span `start:end` (original offsets): the quote as the seed has it,
    and a prefix and suffix long enough that the three together occur only there."""
    text = seed.text
    quote = _squash(text[start:end])
    folded = fold(quote).strip(" ")
    here = doc.to_folded(start)
    starts = occurrences(doc.text, folded)
    chars = CONTEXT_CHARS
    while True:
        prefix = _prefix_at(text, start, chars)
        suffix = _suffix_at(text, end, chars)
        p, s = fold(prefix), fold(suffix)
        rivals = [
            at
            for at in starts
            if at != here
            and has_prefix(doc.text, at, p)
            and has_suffix(doc.text, at + len(folded), s)
        ]
        if not rivals or chars >= len(text):
            return Selectors(quote, prefix, suffix, start)
        chars += _WIDEN


def yaml_str(text: str) -> str:
    """A string as a double-quoted YAML scalar, ready to paste."""
    return json.dumps(text, ensure_ascii=False)


def word_diff(old: str, new: str) -> str:
    """`new` with the words that differ from `old` marked `[-old-]{+new+}`."""
    a, b = old.split(), new.split()
    out: list[str] = []
    # Words compare folded, so typographic quotes and dashes are not reported as changes.
    matcher = difflib.SequenceMatcher(
        a=[fold(w) for w in a], b=[fold(w) for w in b], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(b[j1:j2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def paste_lines(selectors: Selectors) -> list[str]:
    """The selector keys of a note, as YAML lines to paste into its entry."""
    return [
        f"{key}: {yaml_str(value)}"
        for key, value in (
            ("quote", selectors.quote),
            ("prefix", selectors.prefix),
            ("suffix", selectors.suffix),
        )
        if value
    ]


def source_changed(brief: Brief, seed: Seed) -> dt.date | None:
    """The date `brief` was anchored, if its seed's text has changed since."""
    anchored = brief.anchored
    if anchored is None or anchored.seed_sha256 == seed_sha256(seed):
        return None
    return anchored.date
