"""Find each note's quote in its seed's document text.

Matching ignores what copy-and-paste and typing change without changing the words:
typographic quotes and apostrophes, dash styles (`—` `–` `--` are all `-`) and runs of
white space. Offsets in and out are code points of the original document text.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from briefsite.errors import Diagnostics
from briefsite.model import Annotation, Brief, Seed

_SAME = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\t\n\r\x0b\x0c\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000", " "),
    }
)
# A dash with any spaces around it reads the same as `--` or `—`; other white space collapses.
_RUN = re.compile(r" *-[ -]*| {2,}")
# How many words of context the ambiguity hint may offer before falling back to occurrence.
_MAX_HINT_WORDS = 8


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a note's quote was placed in the document text."""

    note_id: str
    start: int
    end: int
    status: Literal["exact"] = "exact"


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A note whose quote could not be placed: not found, or found more than once."""

    note_id: str
    status: Literal["ambiguous", "orphan"]


class Normalized:
    """Text with typographic variants folded, and a map back to the original offsets."""

    __slots__ = ("_dash_end", "_norm_at", "_orig_at", "text")

    def __init__(self, original: str) -> None:
        folded = original.translate(_SAME)
        pieces: list[str] = []
        self._norm_at = [0]
        self._orig_at = [0]
        # For a run folded to "-": where its last dash ends, so a span ending on the folded
        # dash covers every dash of the run but not the spaces after it.
        self._dash_end: dict[int, int] = {}
        last = 0
        length = 0
        for run in _RUN.finditer(folded):
            if run.end() - run.start() == 1:
                continue  # a lone space or hyphen is already in folded form
            pieces.append(folded[last : run.start()])
            length += run.start() - last
            replacement = _replacement(run)
            pieces.append(replacement)
            # A dash run starts, for highlighting, at its first dash, not at a space before it.
            first = run.start() + run.group().find("-") if replacement == "-" else run.start()
            self._norm_at += [length, length + 1]
            self._orig_at += [first, run.end()]
            if replacement == "-":
                self._dash_end[length] = run.start() + run.group().rfind("-") + 1
            length += 1
            last = run.end()
        pieces.append(folded[last:])
        self.text = "".join(pieces)

    def to_original(self, index: int) -> int:
        """Map an offset in the folded text to the original text."""
        i = bisect.bisect_right(self._norm_at, index) - 1
        return self._orig_at[i] + index - self._norm_at[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span (end exclusive) to the original text."""
        last = end - 1
        return self.to_original(start), self._dash_end.get(last, self.to_original(last) + 1)


def _replacement(run: re.Match[str]) -> str:
    return "-" if "-" in run.group() else " "


def fold(text: str) -> str:
    """Fold a quote, prefix or suffix the same way as the document text."""
    return _RUN.sub(_replacement, text.translate(_SAME))


def anchor_brief(
    brief: Brief, seed: Seed, diagnostics: Diagnostics
) -> tuple[Anchor | Unplaced, ...]:
    """Place every note of `brief` in `seed`; report each quote not found or ambiguous."""
    doc = Normalized(seed.text)
    return tuple(_anchor(note, seed, doc, diagnostics) for note in brief.annotations)


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    at = haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _has_prefix(doc: str, start: int, prefix: str) -> bool:
    while start > 0 and doc[start - 1] == " ":
        start -= 1
    return doc.endswith(prefix.rstrip(" "), 0, start)


def _has_suffix(doc: str, end: int, suffix: str) -> bool:
    while end < len(doc) and doc[end] == " ":
        end += 1
    return doc.startswith(suffix.lstrip(" "), end)


def _anchor(
    note: Annotation, seed: Seed, doc: Normalized, diagnostics: Diagnostics
) -> Anchor | Unplaced:
    quote = fold(note.quote).strip(" ")
    starts = _occurrences(doc.text, quote)
    if not starts:
        _report_not_found(note, quote, seed, doc, diagnostics)
        return Unplaced(note.id, "orphan")
    chosen = starts
    if note.prefix is not None:
        prefix = fold(note.prefix)
        chosen = [s for s in chosen if _has_prefix(doc.text, s, prefix)]
    if note.suffix is not None:
        suffix = fold(note.suffix)
        chosen = [s for s in chosen if _has_suffix(doc.text, s + len(quote), suffix)]
    if not chosen:
        diagnostics.error(
            note.quote_at,
            f"quote is in seed '{seed.slug}' {_times(len(starts))}, but never with the given "
            + " and ".join(
                w for w, v in (("prefix", note.prefix), ("suffix", note.suffix)) if v is not None
            ),
            _choices_hint(starts, quote, seed, doc, "fix the prefix/suffix, or use one of these:"),
        )
        return Unplaced(note.id, "orphan")
    if note.occurrence is not None:
        if note.occurrence > len(chosen):
            diagnostics.error(
                note.quote_at,
                f"occurrence: {note.occurrence}, but the quote is in seed '{seed.slug}' only "
                f"{_times(len(chosen))}" + (" with that prefix/suffix" if chosen != starts else ""),
                _choices_hint(starts, quote, seed, doc, "choose one of these:"),
            )
            return Unplaced(note.id, "orphan")
        chosen = [chosen[note.occurrence - 1]]
    if len(chosen) > 1:
        diagnostics.error(
            note.quote_at,
            f"quote is ambiguous: it is in seed '{seed.slug}' {_times(len(chosen))}",
            _choices_hint(chosen, quote, seed, doc, "add a prefix or suffix to choose one:"),
        )
        return Unplaced(note.id, "ambiguous")
    start, end = doc.span(chosen[0], chosen[0] + len(quote))
    return Anchor(note.id, start, end)


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _choices_hint(starts: list[int], quote: str, seed: Seed, doc: Normalized, lead: str) -> str:
    lines = [lead]
    for number, start in enumerate(starts, start=1):
        where = seed.locate(doc.to_original(start))
        lines.append(f"  {where}: {_disambiguate(starts, start, quote, seed, doc, number)}")
    return "\n".join(lines)


def _disambiguate(
    starts: list[int], start: int, quote: str, seed: Seed, doc: Normalized, number: int
) -> str:
    """The shortest word-aligned prefix or suffix, within the quote's own paragraph, that
    picks this occurrence alone; `occurrence: N` when there is none."""
    text = doc.text
    orig_start, orig_end = doc.span(start, start + len(quote))
    block = next(b for b in seed.blocks if b.start <= orig_start <= b.end)
    options: list[str] = []
    before = fold(seed.text[block.start : orig_start]).split()
    for words in range(1, min(_MAX_HINT_WORDS, len(before)) + 1):
        prefix = " ".join(before[-words:])
        if [s for s in starts if _has_prefix(text, s, prefix)] == [start]:
            options.append(f"prefix: {_yaml_str(prefix)}")
            break
    after = fold(seed.text[orig_end : max(block.end, orig_end)]).split()
    for words in range(1, min(_MAX_HINT_WORDS, len(after)) + 1):
        suffix = " ".join(after[:words])
        if [s for s in starts if _has_suffix(text, s + len(quote), suffix)] == [start]:
            options.append(f"suffix: {_yaml_str(suffix)}")
            break
    return min(options, key=len) if options else f"occurrence: {number}"


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words and trim the spaces at its ends."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    while start < end - 1 and text[start] == " ":
        start += 1
    while end > start + 1 and text[end - 1] == " ":
        end -= 1
    return start, max(end, start + 1)


def _report_not_found(
    note: Annotation, quote: str, seed: Seed, doc: Normalized, diagnostics: Diagnostics
) -> None:
    hint = "copy the quote exactly from the seed"
    if len(quote) <= len(doc.text):
        best = fuzz.partial_ratio_alignment(quote, doc.text)
        if best is not None and best.score > 0:
            start, end = _whole_words(doc.text, best.dest_start, best.dest_end)
            start, end = doc.span(start, end)
            hint = (
                f"the closest passage ({best.score:.0f}% similar) is at {seed.locate(start)}: "
                f"{_yaml_str(seed.text[start:end])}"
            )
    diagnostics.error(
        note.quote_at, f"quote not found in seed '{seed.slug}': {_yaml_str(note.quote)}", hint
    )
