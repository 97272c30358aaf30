"""The anchoring evaluation: briefsite never places a note on the wrong words, recovers at
least 95% of the notes that can be recovered, and leaves every note whose quote is gone,
including those whose sentence was deleted beside another that looks alike but says a
different figure, name or negation."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.anchoring.meaning_cases import KINDS as MEANING_KINDS
from tests.anchoring.scoring import Tally, evaluate, place_briefsite, place_hypothesis
from tests.anchoring.suite import EDITS, Case, generate


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return generate()


@pytest.fixture(scope="module")
def briefsite(cases: list[Case]) -> Tally:
    return evaluate(place_briefsite, cases)


def test_the_suite_covers_every_kind_of_edit(cases: list[Case]) -> None:
    assert len(cases) >= 300
    kinds = Counter(c.kind for c in cases)
    for kind in [*EDITS, "typo-fixed-in-quote", "typo-fixed-nearby", "quote-mistyped"]:
        assert kinds[kind] >= 25, kind
    # What changes a statement: the note follows its sentence edited in place, and never
    # moves to another sentence that only looks alike.
    for kind in MEANING_KINDS:
        for way in ("edited" if kind != "negation" else "removed", "lookalike"):
            assert kinds[f"{kind}-{way}"] >= 10, (kind, way)
    assert sum(c.short for c in cases) >= 80
    assert sum(c.expected is None for c in cases) >= 30
    assert {c.before.slug for c in cases} == {
        "border-patrol-sanctuary-cities",
        "county-budget",
        "harbour-dredging",
        "school-meals",
    }


def test_no_note_is_placed_on_the_wrong_words(briefsite: Tally) -> None:
    assert briefsite.wrong == 0, briefsite.wrong_ids


def test_at_least_95_percent_of_recoverable_notes_are_placed_right(briefsite: Tally) -> None:
    assert briefsite.recall >= 0.95, briefsite.missed_ids


def test_every_note_whose_quote_is_gone_is_left_unplaced(briefsite: Tally) -> None:
    assert briefsite.orphan_rate == 1.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_draws_of_the_suite_hold_too(seed: int) -> None:
    tally = evaluate(place_briefsite, generate(seed))
    assert (tally.wrong, tally.orphan_rate) == (0, 1.0), tally.wrong_ids
    assert tally.recall >= 0.95, tally.missed_ids


def test_the_hypothesis_style_baseline_places_notes_on_wrong_words(cases: list[Case]) -> None:
    # What the floors are for: with none, deleted quotes land on lookalike passages.
    baseline = evaluate(place_hypothesis, cases)
    assert baseline.wrong > 0
    assert baseline.orphan_rate < 1.0
