"""Re-anchoring after the seed changed: statuses, floors, messages and recorded selectors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from briefsite.anchor.anchoring import Anchor, Unplaced, anchor_brief
from briefsite.anchor.folding import Normalized, fold, has_prefix, has_suffix, occurrences
from briefsite.anchor.reanchor import SHORT_QUOTE
from briefsite.anchor.selectors import (
    CONTEXT_CHARS,
    seed_sha256,
    selectors_for,
    source_changed,
    word_diff,
)
from briefsite.errors import Diagnostic, Diagnostics, SourceLocation
from briefsite.model import Anchored, Annotation, Brief, Ref, Seed, Text
from briefsite.read.seeds import parse_seed

AT = SourceLocation("content/briefs/b.yaml", 7, 12)
REAL = (
    Path(__file__).resolve().parents[1] / "anchoring/texts/border-patrol-sanctuary-cities.txt"
).read_text("utf-8")
ARTICLE = (
    "Council approves new budget\n\n"
    "The vote was close.\n\n"
    "The city council approved a budget of 40 million on Tuesday, the mayor said. "
    "Opposition members said the plan would cut library hours across the city.\n\n"
    "The budget takes effect in July. The mayor said the council would review it in a year.\n\n"
    "Residents can read the full budget on the council website."
)


def _seed(text: str) -> Seed:
    return parse_seed(text, "s", "seeds/s.txt")


def _note(quote: str, note_id: str = "n", **selectors: object) -> Annotation:
    return Annotation(
        id=note_id,
        at=AT,
        quote=quote,
        quote_at=AT,
        prefix=selectors.get("prefix"),  # type: ignore[arg-type]
        suffix=selectors.get("suffix"),  # type: ignore[arg-type]
        occurrence=selectors.get("occurrence"),  # type: ignore[arg-type]
        type="context",
        note=Text("A note.", AT),
        entities=(),
        sources=(),
        verdict=None,
        start=selectors.get("start"),  # type: ignore[arg-type]
    )


def _anchored(seed: Seed, quote: str, note_id: str = "n") -> Annotation:
    """A note as `build.py anchor` records it on `seed`."""
    start = seed.text.index(quote)
    sel = selectors_for(seed, Normalized(seed.text), start, start + len(quote))
    return _note(sel.quote, note_id, prefix=sel.prefix, suffix=sel.suffix, start=sel.start)


def _brief(*notes: Annotation, anchored: Anchored | None = None) -> Brief:
    return Brief(
        slug="b",
        path="content/briefs/b.yaml",
        seed=Ref("s", AT),
        title=None,
        summary=None,
        key_points=(),
        published=dt.date(2024, 1, 1),
        updated=None,
        authors=(),
        source=None,
        topics=(),
        related=(),
        corrections=(),
        annotations=notes,
        note_ids=frozenset(n.id for n in notes),
        anchored=anchored,
    )


def _place(seed: Seed, note: Annotation) -> tuple[Anchor | Unplaced, list[Diagnostic]]:
    diagnostics = Diagnostics()
    (placed,) = anchor_brief(_brief(note), seed, diagnostics)
    return placed, diagnostics.items


# --- selectors ---------------------------------------------------------------------------


def test_selectors_are_about_32_characters_of_whole_words_that_make_the_quote_unique() -> None:
    seed = _seed(ARTICLE)
    start = seed.text.index("library hours")
    sel = selectors_for(seed, Normalized(seed.text), start, start + len("library hours"))
    assert sel.quote == "library hours"
    assert sel.start == start
    assert fold(seed.text[:start]).rstrip().endswith(sel.prefix)
    assert fold(seed.text[start + len("library hours") :]).startswith(" " + sel.suffix)
    for side in (sel.prefix, sel.suffix):
        assert CONTEXT_CHARS - 2 <= len(side) < CONTEXT_CHARS + 15
    assert sel.prefix == "members said the plan would cut"
    assert sel.suffix == "across the city. The budget takes"


def test_selectors_widen_until_the_quote_is_unique() -> None:
    repeated = "the same words here and there " * 2
    seed = _seed(f"Head\n\n{repeated}X {repeated}Y {repeated}")
    doc = Normalized(seed.text)
    quote = "words here"
    starts = occurrences(doc.text, quote)
    start = doc.to_original(starts[2])
    sel = selectors_for(seed, doc, start, start + len(quote))
    chosen = [
        s
        for s in starts
        if has_prefix(doc.text, s, fold(sel.prefix))
        and has_suffix(doc.text, s + len(quote), fold(sel.suffix))
    ]
    assert chosen == [starts[2]]
    assert len(sel.prefix) > CONTEXT_CHARS or len(sel.suffix) > CONTEXT_CHARS


def test_seed_hash_is_of_the_folded_document_text() -> None:
    plain = _seed("Head\n\nIt's a \u201cplan\u201d -- now.")
    curly = _seed('Head\r\n\r\nIt\u2019s a "plan"   \u2014   now.\n')
    assert seed_sha256(plain) == seed_sha256(curly)
    assert re.fullmatch(r"[0-9a-f]{64}", seed_sha256(plain))
    assert seed_sha256(plain) != seed_sha256(_seed("Head\n\nIt's a plan."))


def test_word_diff_marks_changed_words_only() -> None:
    assert word_diff("sanctuary citys", "sanctuary cities") == "sanctuary [-citys-] {+cities+}"
    assert word_diff("a \u201cb\u201d c", 'a "b" c') == 'a "b" c'
    assert word_diff("a b c", "a c d") == "a [-b-] c {+d+}"


# --- exact and moved ----------------------------------------------------------------------


def test_anchored_note_on_unchanged_seed_is_exact() -> None:
    seed = _seed(ARTICLE)
    placed, problems = _place(seed, _anchored(seed, "approved a budget of 40 million"))
    assert problems == []
    assert isinstance(placed, Anchor) and placed.status == "exact" and placed.score == 1.0


def test_text_inserted_before_keeps_the_note_exact_when_its_context_still_fits() -> None:
    seed = _seed(ARTICLE)
    note = _anchored(seed, "approved a budget of 40 million")
    edited = _seed(ARTICLE.replace("Council approves new", "Council approves a new"))
    placed, problems = _place(edited, note)
    assert problems == []
    assert isinstance(placed, Anchor) and placed.status == "exact"
    assert edited.text[placed.start : placed.end] == "approved a budget of 40 million"


def test_changed_context_is_moved_and_silent() -> None:
    seed = _seed(ARTICLE)
    note = _anchored(seed, "Residents can read the full budget")
    edited = _seed(ARTICLE.replace("review it in a year.", "review it in a year. More soon."))
    placed, problems = _place(edited, note)
    assert problems == []
    assert isinstance(placed, Anchor) and placed.status == "moved"
    assert edited.text[placed.start : placed.end] == "Residents can read the full budget"


def test_repeats_are_chosen_by_context_when_the_prefix_no_longer_matches_exactly() -> None:
    seed = _seed(ARTICLE)
    start = seed.text.index("The mayor said")
    sel = selectors_for(seed, Normalized(seed.text), start, start + len("The mayor said"))
    note = _note(sel.quote, prefix=sel.prefix, suffix=sel.suffix, start=sel.start)
    edited = _seed(ARTICLE.replace("takes effect in July.", "takes effect in August."))
    placed, problems = _place(edited, note)
    assert problems == []
    assert isinstance(placed, Anchor) and placed.status == "moved"
    assert placed.start == edited.text.index("The mayor said")


def test_short_quote_needs_a_strong_context_match() -> None:
    seed = _seed(ARTICLE)
    note = _anchored(seed, "July")
    assert len("July") < SHORT_QUOTE
    elsewhere = _seed(
        ARTICLE.replace("The budget takes effect in July.", "Nothing else.") + " July"
    )
    placed, problems = _place(elsewhere, note)
    assert isinstance(placed, Unplaced) and placed.status == "orphan"
    assert problems[0].severity == "error"


# --- fuzzy ----------------------------------------------------------------------------------


def test_typo_fixed_in_the_seed_is_fuzzy_with_a_word_diff_and_a_fix() -> None:
    typo = ARTICLE.replace("library hours", "libary hours")
    note = _anchored(_seed(typo), "would cut libary hours across the city")
    seed = _seed(ARTICLE)
    placed, problems = _place(seed, note)
    assert isinstance(placed, Anchor) and placed.status == "fuzzy"
    assert seed.text[placed.start : placed.end] == "would cut library hours across the city"
    assert 0.9 < placed.score < 1
    (warning,) = problems
    assert warning.severity == "warning"
    assert warning.message.startswith("quote is not in seed 's' as written; placed on")
    assert "the seed reads: would cut [-libary-] {+library+} hours across the city" in warning.hint
    assert 'quote: "would cut library hours across the city"' in warning.hint
    assert 'prefix: "' in warning.hint and 'suffix: "' in warning.hint


def test_quote_edited_in_place_is_found_between_its_prefix_and_suffix() -> None:
    seed = _seed(ARTICLE)
    note = _anchored(seed, "approved a budget of 40 million")
    edited = _seed(
        ARTICLE.replace("approved a budget of 40", "narrowly passed a spending plan of 42")
    )
    placed, _ = _place(edited, note)
    assert isinstance(placed, Anchor) and placed.status == "fuzzy"
    assert edited.text[placed.start : placed.end] == "narrowly passed a spending plan of 42 million"


def test_mistyped_sanctuary_citys_with_occurrence_is_fuzzy_with_the_fix() -> None:
    seed = parse_seed(REAL, "bp", "seeds/bp.txt")
    placed, problems = _place(seed, _note("sanctuary citys", occurrence=2))
    assert isinstance(placed, Anchor) and placed.status == "fuzzy"
    assert seed.text[placed.start : placed.end] == "sanctuary cities"
    assert placed.start == seed.text.index('"sanctuary cities,"') + 1
    (warning,) = problems
    assert "sanctuary [-citys-] {+cities+}" in warning.hint
    assert 'quote: "sanctuary cities"' in warning.hint


def test_mistyped_quote_near_several_passages_is_ambiguous_with_three_candidates() -> None:
    seed = parse_seed(REAL, "bp", "seeds/bp.txt")
    placed, problems = _place(seed, _note("sanctuary citys"))
    assert placed == Unplaced("n", "ambiguous")
    (error,) = problems
    assert error.severity == "error"
    assert "3 passages are about equally close" in error.message
    lines = error.hint.splitlines()
    assert lines[0] == "choose one of these:"
    assert len(lines) == 4
    for line in lines[1:]:
        assert re.fullmatch(
            r'  seeds/bp\.txt:\d+:\d+ \(\d+% similar, score \d\.\d\d\): quote: ".+', line
        )


# --- never on the wrong words ------------------------------------------------------------------


def test_deleted_quote_is_orphan_even_when_a_lookalike_remains() -> None:
    text = ARTICLE + " The mayor said the council would revise it later."
    seed = _seed(text)
    note = _anchored(seed, "The mayor said the council would review it")
    edited = _seed(text.replace("The mayor said the council would review it in a year.", ""))
    placed, problems = _place(edited, note)
    assert placed == Unplaced("n", "orphan")
    (error,) = problems
    assert error.message.startswith("quote not found in seed 's'")
    assert error.hint.startswith("no passage is close enough to place the note on; the closest:")
    assert 'quote: "The mayor said the council would revise it"' in error.hint


def test_exact_lookalike_elsewhere_loses_to_the_quote_edited_in_place() -> None:
    text = ARTICLE + " The mayor said the budget was fair."
    seed = _seed(text)
    start = seed.text.index("The mayor said the council")
    sel = selectors_for(seed, Normalized(seed.text), start, start + len("The mayor said the"))
    note = _note(sel.quote, prefix=sel.prefix, suffix=sel.suffix, start=sel.start)
    edited = _seed(text.replace("The mayor said the council", "The mayor stated the council"))
    placed, _ = _place(edited, note)
    assert isinstance(placed, Anchor) and placed.status == "fuzzy"
    assert edited.text[placed.start : placed.end] == "The mayor stated the"


# --- source changed --------------------------------------------------------------------------


def test_changed_seed_is_reported_once_with_the_anchored_date_and_the_notes_not_exact() -> None:
    seed = _seed(ARTICLE)
    notes = (
        _anchored(seed, "approved a budget of 40 million", "budget"),
        _anchored(seed, "would cut library hours", "library"),
    )
    anchored = Anchored(seed_sha256(seed), dt.date(2026, 1, 2), SourceLocation("b.yaml", 3, 3))
    brief = _brief(*notes, anchored=anchored)
    assert source_changed(brief, seed) is None
    same = Diagnostics()
    anchor_brief(brief, seed, same)
    assert same.items == []

    edited = _seed(ARTICLE.replace("would cut library", "would reduce library"))
    assert source_changed(brief, edited) == dt.date(2026, 1, 2)
    diagnostics = Diagnostics()
    anchor_brief(brief, edited, diagnostics)
    changed = [d for d in diagnostics.items if d.location == anchored.at]
    assert len(changed) == 1
    assert changed[0].severity == "warning"
    assert changed[0].message == "seed 's' has changed since the notes were anchored on 2026-01-02"
    assert "library (fuzzy, now at seeds/s.txt:5:" in changed[0].hint
    assert "would [-cut-] {+reduce+} library hours" in changed[0].hint
    assert "budget" not in changed[0].hint


def test_strict_promotes_warnings() -> None:
    diagnostics = Diagnostics()
    diagnostics.warning(AT, "fuzzy", "h")
    diagnostics.promote_warnings()
    assert [dataclasses.astuple(d)[-1] for d in diagnostics.items] == ["error"]
