"""Re-anchoring: find where a quote went after the seed changed, or decide that it cannot be.

Everything here works on folded text (see `anchoring.fold`) and folded offsets.

Approximate matching uses rapidfuzz's Levenshtein distance, already a dependency: it is a
well-kept C++ library whose bit-parallel distance takes about a microsecond for a 60-character
quote, and `process.extract` runs it over every word-aligned window of a seed in one C loop.
edlib would give all end positions of a semi-global alignment, but only those of the single
best distance, not every local minimum; the `regex` module's fuzzy patterns backtrack badly
on long quotes with a large error budget. Candidates start and end on word boundaries, as
annotators select whole words.

The thresholds were set on the evaluation suite (`tests/anchoring/`, printed by
`benchmarks/anchoring_eval.py`): 445 edit cases of real article text a draw, measured over
draws 1-8 (about 3,550 cases and 9,000 candidates). At these values no draw places a note on
the wrong words, 98.8-99.5% of recoverable notes are placed right, and every note whose quote
is gone is left unplaced.

- `QUOTE_FLOOR` 0.75: right places scored at least 0.85 after a typo fix, 0.83 after
  punctuation changes, 0.89 for an annotator's typo; in-place edits went down to 0.53, and
  are found by their intact context instead (`BRACKET_CONTEXT`).
- `CONTEXT_FLOOR` 0.5: at wrong places (lookalike passages, not overlapping the quote) the
  recorded prefix/suffix scored at most 0.49 on average, and at most 0.37 where the text
  itself was at least 0.75 similar to the quote; at right places the median was 1.0.
- `STRONG_CONTEXT` 0.85: a short quote (`SHORT_QUOTE`, under 15 characters: a name, a figure)
  recurs by chance; its wrong places had context up to 0.64 on average.
- `LONG_QUOTE` 40: an exact match at a wrong place had context at most 0.27, so an exact
  match whose context no longer fits is taken only if nothing else fits and the quote is long
  enough not to recur by chance; a 22-character "The authority said the" did recur.
- `BRACKET_CONTEXT` 0.9: spans between a prefix and a suffix that were both found again had
  context 0.92 or more at right places; none at a wrong place reached it.
- `SAME_PLACE` 0.9: a passage whose figures, names or negations differ from the quote's
  (`meaning`) is taken only as the quote's sentence edited in place, with the recorded text
  on both of its sides at least this intact (as `BRACKET_CONTEXT`). The suite's figure,
  name and negation cases (about 100 a draw: each changed in place, or its sentence deleted
  beside a lookalike elsewhere) measured it over draws 1-8: without it 20-31 notes a draw
  went to a lookalike sentence; with it none, and every note placed right before still is.
- `MARGIN` 0.1: the winner must lead the next candidate by this much of the combined score,
  so repeats that differ only by position stay ambiguous instead of going to the nearest one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from briefsite.anchor.meaning import meaning_changes

SHORT_QUOTE = 15
QUOTE_FLOOR = 0.75
CONTEXT_FLOOR = 0.5
STRONG_CONTEXT = 0.85
BRACKET_CONTEXT = 0.9
SAME_PLACE = 0.9
BRACKET_QUOTE_FLOOR = 0.4
LONG_QUOTE = 40
MARGIN = 0.1
# Share of the quote's length that may differ in the approximate search; candidates beyond
# QUOTE_FLOOR are still listed in errors as the closest passages.
ERROR_BUDGET = 0.4
# Weights of the combined score, those of Hypothesis's fuzzy anchoring.
W_QUOTE, W_PREFIX, W_SUFFIX, W_POSITION = 50.0, 20.0, 20.0, 2.0

Kind = Literal["exact", "approximate", "bracketed"]
# Word starts, token starts after a space, and punctuation right after a word (a suffix may
# begin with the comma or full stop that ends the quote's sentence).
_WORD_EDGE = re.compile(r"(?<![^\W_])(?=[^\W_])|(?<= )(?=[^ ])|^(?=[^ ])|(?<=[^\W_])(?=[^\w ])")
_WORD_END = re.compile(r"(?<=[^\W_])(?![^\W_])|(?<=[^ ])(?= )|(?<=[^ ])$")


@dataclass(frozen=True, slots=True)
class Selector:
    """What a note says about its place, folded: the quote and its optional context and hint."""

    quote: str
    prefix: str | None = None
    suffix: str | None = None
    hint: int | None = None  # folded offset where the quote started when anchored
    occurrence: int | None = None

    @property
    def has_context(self) -> bool:
        """Whether a prefix or suffix was given."""
        return bool(self.prefix or self.suffix)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place the quote may have gone, with its similarities (0 to 1) and combined score."""

    start: int
    end: int
    kind: Kind
    quote: float
    prefix: float | None
    suffix: float | None
    position: float | None
    score: float
    # What the text found says differently from the quote: figures, names, negations.
    changed: tuple[str, ...] = ()

    @property
    def context(self) -> float | None:
        """The mean similarity of the given prefix and suffix to the text around the span."""
        sides = [s for s in (self.prefix, self.suffix) if s is not None]
        return sum(sides) / len(sides) if sides else None


class Boundaries:
    """Word starts and ends of a text, computed once per seed."""

    def __init__(self, text: str) -> None:
        self.starts = sorted({m.start() for m in _WORD_EDGE.finditer(text)})
        self.ends = sorted({m.start() for m in _WORD_END.finditer(text)})


_WINDOWS_AT_ONCE = 4096


def _levenshtein() -> Any:
    # Imported when a quote is first not found as it is: most builds place every note
    # exactly and need not load the library at all.
    from rapidfuzz.distance import Levenshtein

    return Levenshtein


def similarity(a: str, b: str) -> float:
    """Normalised Levenshtein similarity: 1 for equal strings, 0 for nothing in common."""
    return float(_levenshtein().normalized_similarity(a, b))


def approximate(
    text: str, pattern: str, budget: int, bounds: Boundaries
) -> list[tuple[int, int, int]]:
    """Every local minimum `(start, end, distance)` of `pattern` in `text` within `budget`
    edits, word-aligned, best first, none overlapping a better one."""
    m = len(pattern)
    if not m or budget < 0:
        return []
    from rapidfuzz import process

    # The windows are cut a bounded number at a time: all at once they took the seed's
    # size times the pattern's in memory (540 MiB for a 60-character quote in 10 MB).
    hits: list[tuple[int, int]] = []
    distance = _levenshtein().distance
    for first in range(0, len(bounds.starts), _WINDOWS_AT_ONCE):
        starts = bounds.starts[first : first + _WINDOWS_AT_ONCE]
        windows = [text[s : s + m] for s in starts]
        found_here = process.extract(
            pattern, windows, scorer=distance, limit=None, score_cutoff=budget
        )
        hits.extend((int(score), first + index) for _, score, index in found_here)
    hits.sort()
    found: list[tuple[int, int, int]] = []
    for _, index in hits:
        s = bounds.starts[index]
        if any(a - budget <= s < b for a, b, _ in found):
            continue
        best = _refine(text, pattern, budget, bounds, s)
        if best is not None and not any(a < best[1] and best[0] < b for a, b, _ in found):
            found.append(best)
    found.sort(key=lambda f: (f[2], f[0]))
    return found


def _refine(
    text: str, pattern: str, budget: int, bounds: Boundaries, near: int
) -> tuple[int, int, int] | None:
    m = len(pattern)
    starts = _between(bounds.starts, near - budget, near + budget)
    best: tuple[int, int, int] | None = None
    for a in starts:
        for b in _between(bounds.ends, a + max(m - budget, 1), a + m + budget):
            d = _levenshtein().distance(pattern, text[a:b], score_cutoff=budget)
            if d > budget:
                continue
            if best is None or (d, abs(b - a - m)) < (best[2], abs(best[1] - best[0] - m)):
                best = (a, b, d)
    return best


def _between(sorted_positions: Sequence[int], low: int, high: int) -> Sequence[int]:
    return sorted_positions[
        bisect.bisect_left(sorted_positions, low) : bisect.bisect_right(sorted_positions, high)
    ]


def score(text: str, sel: Selector, start: int, end: int, kind: Kind) -> Candidate:
    """Score the span `text[start:end]` as the place of `sel`'s quote."""
    quote = 1.0 if kind == "exact" else similarity(sel.quote, text[start:end])
    prefix = suffix = position = None
    if sel.prefix:
        before = text[:start].rstrip(" ")
        prefix = similarity(sel.prefix, before[-len(sel.prefix) :])
    if sel.suffix:
        after = text[end:].lstrip(" ")
        suffix = similarity(sel.suffix, after[: len(sel.suffix)])
    if sel.hint is not None:
        position = max(0.0, 1.0 - abs(start - sel.hint) / max(len(text), 1))
    total = W_QUOTE * quote
    weight = W_QUOTE
    for value, w in ((prefix, W_PREFIX), (suffix, W_SUFFIX), (position, W_POSITION)):
        if value is not None:
            total += w * value
            weight += w
    changed = () if kind == "exact" else meaning_changes(sel.quote, text[start:end])
    return Candidate(start, end, kind, quote, prefix, suffix, position, total / weight, changed)


def fuzzy_candidates(text: str, sel: Selector, bounds: Boundaries) -> list[Candidate]:
    """Approximate matches of the quote, and spans bracketed by the prefix and suffix, best
    first; overlapping candidates keep only the better one."""
    found: dict[tuple[int, int], Candidate] = {}
    budget = int(len(sel.quote) * ERROR_BUDGET)
    for a, b, _ in approximate(text, sel.quote, budget, bounds):
        found[(a, b)] = score(text, sel, a, b, "approximate")
    for a, b in _bracketed(text, sel, bounds):
        if (a, b) not in found:
            found[(a, b)] = score(text, sel, a, b, "bracketed")
    # A span whose prefix and suffix are both intact has the right bounds even when a part
    # of it matches the old quote better: it wins over the candidates it overlaps.
    ranked = sorted(found.values(), key=lambda c: (not _intact(c), -c.score, c.start))
    kept: list[Candidate] = []
    for c in ranked:
        if not any(k.start < c.end and c.start < k.end for k in kept):
            kept.append(c)
    return kept


def _bracketed(text: str, sel: Selector, bounds: Boundaries) -> list[tuple[int, int]]:
    if not sel.prefix or not sel.suffix:
        return []
    spans = []
    limit = 3 * len(sel.quote) + 40
    sides = []
    for side in (sel.prefix, sel.suffix):
        budget = int(len(side) * (1 - BRACKET_CONTEXT))
        sides.append(approximate(text, side, budget, bounds)[:8])
    for _, p_end, _ in sides[0]:
        for s_start, _, _ in sides[1]:
            if 0 < s_start - p_end <= limit:
                a, b = p_end, s_start
                while a < b and text[a] == " ":
                    a += 1
                while b > a and text[b - 1] == " ":
                    b -= 1
                if a < b:
                    spans.append((a, b))
    return spans


def _intact(c: Candidate) -> bool:
    return (
        c.kind == "bracketed"
        and (c.prefix or 0) >= BRACKET_CONTEXT
        and (c.suffix or 0) >= BRACKET_CONTEXT
        and c.quote >= BRACKET_QUOTE_FLOOR
    )


def in_place(c: Candidate) -> bool:
    """Whether the text on both sides of a candidate is still the recorded context: the
    quote's own sentence, edited where it was (a side the note does not record aside)."""
    sides = [s for s in (c.prefix, c.suffix) if s is not None]
    return bool(sides) and min(sides) >= SAME_PLACE


def eligible(c: Candidate, sel: Selector) -> bool:
    """Whether a candidate clears the floors that let it be placed at all."""
    if c.changed and not in_place(c):
        return False  # another sentence that only looks alike: never
    short = len(sel.quote) < SHORT_QUOTE
    if c.kind == "exact":
        sides = [s for s in (c.prefix, c.suffix) if s is not None]
        if short:
            return bool(sides) and max(sides) >= STRONG_CONTEXT
        context = c.context
        return context is None or context >= CONTEXT_FLOOR or len(sel.quote) >= LONG_QUOTE
    if short:
        return False
    if c.kind == "bracketed":
        return _intact(c)
    context = c.context
    return c.quote >= QUOTE_FLOOR and (context is None or context >= CONTEXT_FLOOR)


def choose(candidates: Sequence[Candidate], sel: Selector) -> Candidate | None:
    """The one candidate that clears the floors and leads every other by `MARGIN`, if any."""
    if sel.occurrence is not None:
        # The annotator chose among repeats by number: count the candidates that look like
        # the quote, in reading order.
        alike = sorted((c for c in candidates if c.quote >= QUOTE_FLOOR), key=lambda c: c.start)
        if sel.occurrence <= len(alike):
            chosen = alike[sel.occurrence - 1]
            return chosen if eligible(chosen, sel) else None
        return None
    ranked = sorted(candidates, key=lambda c: -c.score)
    if not ranked or not eligible(ranked[0], sel):
        return None
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < MARGIN:
        return None
    return ranked[0]
