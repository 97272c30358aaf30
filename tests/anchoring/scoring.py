"""Placing each case's note with briefsite or with a Hypothesis-style baseline, and scoring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from briefsite.anchor.anchoring import Anchor, anchor_brief
from briefsite.anchor.folding import Normalized, fold, occurrences
from briefsite.anchor.reanchor import Boundaries, Selector, approximate, score
from briefsite.errors import Diagnostics, SourceLocation
from briefsite.model import Annotation, Brief, Ref, Text
from tests.anchoring.suite import Case

Span = tuple[int, int]
Method = Callable[[Case], Span | None]
_AT = SourceLocation("content/briefs/eval.yaml", 1, 1)


def place_briefsite(case: Case) -> Span | None:
    """Where briefsite places the case's note, if it places it."""
    note = Annotation(
        id="n",
        at=_AT,
        quote=case.quote,
        quote_at=_AT,
        prefix=case.prefix,
        suffix=case.suffix,
        occurrence=None,
        type="context",
        note=Text("x", _AT),
        entities=(),
        sources=(),
        verdict=None,
        start=case.start,
    )
    brief = Brief(
        slug="eval",
        path="content/briefs/eval.yaml",
        seed=Ref(case.after.slug, _AT),
        title=None,
        summary=None,
        key_points=(),
        published=dt.date(2026, 1, 1),
        updated=None,
        authors=(),
        source=None,
        topics=(),
        related=(),
        corrections=(),
        annotations=(note,),
        note_ids=frozenset({"n"}),
    )
    (placed,) = anchor_brief(brief, case.after, Diagnostics())
    return (placed.start, placed.end) if isinstance(placed, Anchor) else None


def place_hypothesis(case: Case) -> Span | None:
    """Hypothesis's documented fuzzy anchoring: the exact quote first; else approximate
    matches within len/2 errors; the best of the minimum-error candidates by
    (50*quote + 20*prefix + 20*suffix + 2*position)/92, with no floor."""
    doc = Normalized(case.after.text)
    text = doc.text
    quote = fold(case.quote).strip(" ")
    sel = Selector(
        quote,
        fold(case.prefix).strip(" ") if case.prefix else None,
        fold(case.suffix).strip(" ") if case.suffix else None,
        doc.to_folded(case.start) if case.start is not None else None,
    )
    exact = occurrences(text, quote)
    if exact:
        spans = [(s, s + len(quote)) for s in exact]
    else:
        found = approximate(text, quote, len(quote) // 2, Boundaries(text))
        if not found:
            return None
        least = min(d for _, _, d in found)
        spans = [(a, b) for a, b, d in found if d == least]
    best = max(spans, key=lambda s: score(text, sel, s[0], s[1], "approximate").score)
    return doc.span(*best)


def correct(placed: Span, expected: Span) -> bool:
    """Whether a placement is on the expected words: 80% of their union in common."""
    common = min(placed[1], expected[1]) - max(placed[0], expected[0])
    union = max(placed[1], expected[1]) - min(placed[0], expected[0])
    return common > 0 and common / union >= 0.8


@dataclass
class Tally:
    """The outcome of one method over the suite."""

    cases: int = 0
    recoverable: int = 0
    placed_right: int = 0
    wrong: int = 0
    unrecoverable: int = 0
    orphaned: int = 0
    wrong_ids: list[str] = field(default_factory=list)
    missed_ids: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of recoverable notes placed on the right words."""
        return self.placed_right / self.recoverable if self.recoverable else 1.0

    @property
    def orphan_rate(self) -> float:
        """Share of notes whose quote is gone that were left unplaced."""
        return self.orphaned / self.unrecoverable if self.unrecoverable else 1.0


def evaluate(method: Method, cases: Sequence[Case]) -> Tally:
    """Run `method` on every case and count right, wrong and missing placements."""
    tally = Tally()
    for case in cases:
        tally.cases += 1
        placed = method(case)
        if case.expected is None:
            tally.unrecoverable += 1
            if placed is None:
                tally.orphaned += 1
            else:
                tally.wrong += 1
                tally.wrong_ids.append(case.id)
            continue
        tally.recoverable += 1
        if placed is None:
            tally.missed_ids.append(case.id)
        elif correct(placed, case.expected):
            tally.placed_right += 1
        else:
            tally.wrong += 1
            tally.wrong_ids.append(case.id)
    return tally
