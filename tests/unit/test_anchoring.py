"""Placing quotes in seeds: folding of typography, choosing among repeats, helpful errors."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from briefsite.anchor.anchoring import Anchor, Unplaced, anchor_brief
from briefsite.anchor.folding import Normalized, fold
from briefsite.errors import Diagnostic, Diagnostics, SourceLocation
from briefsite.model import Annotation, Brief, Ref, Seed, Text
from briefsite.read.seeds import parse_seed

QUOTE_AT = SourceLocation("content/briefs/b.yaml", 7, 12)


def _seed(text: str) -> Seed:
    return parse_seed(text, "s", "seeds/s.txt")


def _note(
    quote: str,
    prefix: str | None = None,
    suffix: str | None = None,
    occurrence: int | None = None,
    note_id: str = "n",
) -> Annotation:
    at = SourceLocation("content/briefs/b.yaml", 6, 5)
    return Annotation(
        id=note_id,
        at=at,
        quote=quote,
        quote_at=QUOTE_AT,
        prefix=prefix,
        suffix=suffix,
        occurrence=occurrence,
        type="context",
        note=Text("A note.", at),
        entities=(),
        sources=(),
        verdict=None,
    )


def _brief(*notes: Annotation) -> Brief:
    return Brief(
        slug="b",
        path="content/briefs/b.yaml",
        seed=Ref("s", SourceLocation("content/briefs/b.yaml", 1, 7)),
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
    )


def _place(seed: Seed, note: Annotation) -> tuple[Anchor | Unplaced, list[Diagnostic]]:
    diagnostics = Diagnostics()
    (result,) = anchor_brief(_brief(note), seed, diagnostics)
    return result, diagnostics.items


def _placed_text(seed: Seed, note: Annotation) -> str:
    result, problems = _place(seed, note)
    assert problems == []
    assert isinstance(result, Anchor)
    assert result.note_id == note.id
    assert result.status == "exact"
    return seed.text[result.start : result.end]


def _one_error(seed: Seed, note: Annotation) -> tuple[Anchor | Unplaced, Diagnostic]:
    result, problems = _place(seed, note)
    assert len(problems) == 1, problems
    assert problems[0].location == QUOTE_AT
    assert problems[0].severity == "error"
    return result, problems[0]


# --- folding -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "folded"),
    [
        ("\u201cquoted\u201d", '"quoted"'),
        ("\u201equoted\u201f", '"quoted"'),
        ("it\u2019s", "it's"),
        ("\u2018single\u2019", "'single'"),
        ("a\u2014b", "a-b"),
        ("a \u2014 b", "a-b"),
        ("a\u2013b", "a-b"),
        ("a \u2013 b", "a-b"),
        ("a -- b", "a-b"),
        ("a--b", "a-b"),
        ("a - b", "a-b"),
        ("a -b", "a-b"),
        ("a\u2212b", "a-b"),
        ("a   b", "a b"),
        ("a\n\nb", "a b"),
        ("a \t\n b", "a b"),
        ("a\u00a0b", "a b"),
        ("well-known", "well-known"),
    ],
)
def test_fold_makes_typographic_variants_equal(variant: str, folded: str) -> None:
    assert fold(variant) == folded
    assert Normalized(variant).text == folded


def test_fold_is_idempotent() -> None:
    text = "\u201cA \u2014 b\u201d -- it\u2019s   here\n\nnow"
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    "original",
    [
        "plain text with no runs",
        "a \u2014 b -- c\u2013d  e\n\nf",
        "  leading and trailing  ",
        "- dash first, and last -",
        "\u201cq\u201d \u2018r\u2019\u2003\u2003s",
    ],
)
def test_normalized_maps_every_folded_char_back_to_its_original(original: str) -> None:
    # A folded "-" must come from a dash of the original, a folded space from white space.
    norm = Normalized(original)
    for index, char in enumerate(norm.text):
        back = norm.to_original(index)
        assert fold(original[back]) == char, (index, back)
    assert norm.to_original(len(norm.text)) == len(original)


# --- placing quotes: offsets map back exactly to the original text ----------------------


TYPO_SEED = (
    "Agency \u2014 moves staff\n\n"
    "The director said \u201cWe need the help,\u201d and it\u2019s true.\n\n"
    "Critics said the cost -- or the plan -- was unclear.\n\n"
    "It was a well-known   plan,\n  wrapped over\n    three lines.\n\n"
    "Dates 2019\u20132020 and 2021 \u2013 2022."
)


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ('"We need the help,"', "\u201cWe need the help,\u201d"),
        ("it's true", "it\u2019s true"),
        ("Agency -- moves", "Agency \u2014 moves"),
        ("Agency\u2014moves", "Agency \u2014 moves"),
        ("Agency - moves staff", "Agency \u2014 moves staff"),
        ("cost \u2014 or the plan \u2014 was", "cost -- or the plan -- was"),
        ("cost\u2013or", "cost -- or"),
        ("well-known plan, wrapped over three", "well-known   plan, wrapped over three"),
        ("well-known   plan,\n  wrapped", "well-known   plan, wrapped"),
        ("2019-2020", "2019\u20132020"),
        ("2021-2022", "2021 \u2013 2022"),
        ("  director said  ", "director said"),
        ("moves staff The director", "moves staff\n\nThe director"),
    ],
)
def test_quote_is_found_despite_typography_and_maps_back_exactly(quote: str, expected: str) -> None:
    assert _placed_text(_seed(TYPO_SEED), _note(quote)) == expected


def test_quote_in_a_later_paragraph_has_document_offsets() -> None:
    seed = _seed(TYPO_SEED)
    result, _ = _place(seed, _note("three lines."))
    assert isinstance(result, Anchor)
    assert (result.start, result.end) == (len(seed.text.split("three")[0]), result.start + 12)
    assert seed.locate(result.start) == SourceLocation("seeds/s.txt", 9, 5)


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("cost \u2014", "cost --"),
        ("the cost --", "the cost --"),
        ("-- or the plan", "-- or the plan"),
        ("\u2014 moves staff", "\u2014 moves staff"),
    ],
)
def test_quote_starting_or_ending_with_a_dash_highlights_the_dash_not_the_space(
    quote: str, expected: str
) -> None:
    assert _placed_text(_seed(TYPO_SEED), _note(quote)) == expected


def test_quote_starting_with_a_dash_at_a_paragraph_start_stays_in_that_paragraph() -> None:
    seed = _seed("Head\n\nFirst paragraph.\n\n\u2014 Yes, he said.")
    result, problems = _place(seed, _note("\u2014 Yes"))
    assert problems == []
    assert isinstance(result, Anchor)
    assert seed.text[result.start : result.end] == "\u2014 Yes"
    last = seed.blocks[-1]
    assert last.start <= result.start < result.end <= last.end


# --- choosing among repeats -------------------------------------------------------------


REPEATS = (
    "Head\n\nThe cat sat on the mat. The dog sat on the\n"
    "  mat too. A cat sat.\n\nThe cat sat again."
)


def _start_of(seed: Seed, note: Annotation) -> int:
    result, problems = _place(seed, note)
    assert problems == [], [p.format() for p in problems]
    assert isinstance(result, Anchor)
    return result.start


def test_prefix_chooses_among_repeats() -> None:
    seed = _seed(REPEATS)
    start = _start_of(seed, _note("cat sat", prefix="A"))
    assert seed.locate(start) == SourceLocation("seeds/s.txt", 4, 14)


def test_suffix_chooses_among_repeats() -> None:
    seed = _seed(REPEATS)
    start = _start_of(seed, _note("cat sat", suffix="again"))
    assert seed.locate(start) == SourceLocation("seeds/s.txt", 6, 5)


def test_prefix_and_suffix_ignore_surrounding_space_and_typography() -> None:
    seed = _seed("Head\n\nHe said \u201cyes\u201d \u2014 twice. She said \u201cyes\u201d once.")
    start = _start_of(seed, _note("yes", prefix='He said "', suffix='" -- twice'))
    assert start == seed.text.index("yes")


def test_occurrence_counts_from_one_in_reading_order() -> None:
    seed = _seed(REPEATS)
    starts = [_start_of(seed, _note("cat sat", occurrence=n)) for n in (1, 2, 3)]
    assert [seed.locate(s) for s in starts] == [
        SourceLocation("seeds/s.txt", 3, 5),
        SourceLocation("seeds/s.txt", 4, 14),
        SourceLocation("seeds/s.txt", 6, 5),
    ]


def test_occurrence_counts_among_the_matches_of_the_prefix() -> None:
    seed = _seed(REPEATS)
    start = _start_of(seed, _note("cat sat", prefix="The", occurrence=2))
    assert seed.locate(start) == SourceLocation("seeds/s.txt", 6, 5)


def test_quote_across_a_wrapped_line_is_found() -> None:
    seed = _seed(REPEATS)
    start = _start_of(seed, _note("sat on the mat too"))
    assert seed.text[start:].startswith("sat on the mat too")
    assert seed.locate(start) == SourceLocation("seeds/s.txt", 3, 33)


def test_overlapping_repeats_are_all_counted() -> None:
    seed = _seed("Head\n\naaa")
    result, error = _one_error(seed, _note("aa"))
    assert result == Unplaced("n", "ambiguous")
    assert "twice" in error.message
    first = _start_of(seed, _note("aa", occurrence=1))
    second = _start_of(seed, _note("aa", occurrence=2))
    assert (first, second) == (6, 7)


def test_a_unique_quote_with_an_unneeded_prefix_must_still_match_it() -> None:
    seed = _seed(REPEATS)
    result, error = _one_error(seed, _note("dog sat", prefix="A"))
    assert result == Unplaced("n", "orphan")
    assert error.message == "quote is in seed 's' once, but never with the given prefix"


def test_every_note_of_a_brief_is_placed_in_order() -> None:
    seed = _seed(REPEATS)
    diagnostics = Diagnostics()
    results = anchor_brief(
        _brief(_note("dog", note_id="a"), _note("zebra", note_id="b"), _note("cat", note_id="c")),
        seed,
        diagnostics,
    )
    assert [r.note_id for r in results] == ["a", "b", "c"]
    assert isinstance(results[0], Anchor)
    assert results[1] == Unplaced("b", "orphan")
    assert results[2] == Unplaced("c", "ambiguous")
    assert len(diagnostics.errors) == 2


# --- errors: not found ------------------------------------------------------------------


def test_not_found_names_the_quote_and_the_closest_passage_with_its_place() -> None:
    seed = _seed(REPEATS)
    result, error = _one_error(seed, _note("The dgo sat"))
    assert result == Unplaced("n", "orphan")
    assert error.message == "quote not found in seed 's': \"The dgo sat\""
    assert "seeds/s.txt:3:25" in error.hint
    assert '"The dog sat"' in error.hint
    assert "% similar" in error.hint


def _one_warning(seed: Seed, note: Annotation) -> tuple[Anchor, Diagnostic]:
    result, problems = _place(seed, note)
    assert len(problems) == 1, problems
    assert problems[0].location == QUOTE_AT
    assert problems[0].severity == "warning"
    assert isinstance(result, Anchor)
    assert result.status == "fuzzy"
    return result, problems[0]


def test_mistyped_quote_is_placed_fuzzy_with_a_fix_in_the_seed_s_own_typography() -> None:
    seed = _seed("Head\n\nIntro text here.\n\nThe director said \u201cWe need the help.\u201d")
    result, warning = _one_warning(seed, _note('director sad "We need the help."'))
    assert seed.text[result.start : result.end] == "director said \u201cWe need the help.\u201d"
    assert "seeds/s.txt:5:5" in warning.message
    assert "the seed reads: director [-sad-] {+said+}" in warning.hint
    assert 'quote: "director said \u201cWe need the help.\u201d"' in warning.hint


def test_fuzzy_placement_in_a_wrapped_paragraph_points_at_the_right_file_line() -> None:
    seed = _seed("Head\n\nFirst line of text\n    second line with the target wordz here")
    result, warning = _one_warning(seed, _note("the target words here"))
    match = re.search(r"closest passage, seeds/s\.txt:(\d+):(\d+) ", warning.message)
    assert match is not None, warning.message
    line, col = int(match[1]), int(match[2])
    assert line == 4
    file_line = "    second line with the target wordz here"
    assert file_line[col - 1 :] == seed.text[result.start : result.end]


def test_not_found_without_anything_similar_says_to_copy_the_quote() -> None:
    _, error = _one_error(_seed("Head\n\nText."), _note("zzzz"))
    assert error.hint == "copy the quote exactly from the seed"


def test_quote_longer_than_the_seed_is_simply_not_found() -> None:
    result, error = _one_error(_seed("Hi"), _note("a quote longer than the whole seed"))
    assert result == Unplaced("n", "orphan")
    assert error.message.startswith("quote not found")


# --- errors: ambiguous, and hints that really choose --------------------------------------


_HINT_LINE = re.compile(
    r"^ {2}(seeds/s\.txt):(\d+):(\d+)(?: \(context \d+%, score \d\.\d\d\))?: "
    r"(prefix|suffix|occurrence): (.+)$"
)


def _hint_choices(hint: str) -> list[tuple[SourceLocation, str, str]]:
    lines = hint.split("\n")
    choices = []
    for line in lines[1:]:
        match = _HINT_LINE.match(line)
        assert match is not None, line
        at = SourceLocation(match[1], int(match[2]), int(match[3]))
        choices.append((at, match[4], match[5]))
    return choices


def _with_choice(note: Annotation, key: str, value: str) -> Annotation:
    if key == "occurrence":
        return _note(note.quote, note.prefix, note.suffix, int(value))
    text = json.loads(value)
    assert isinstance(text, str)
    if key == "prefix":
        return _note(note.quote, text, note.suffix, note.occurrence)
    return _note(note.quote, note.prefix, text, note.occurrence)


AMBIGUOUS = [
    (REPEATS, "cat sat", 3),
    (REPEATS, "sat on the mat", 2),
    ("Head\n\naaa", "aa", 2),
    ("Head\n\nrun fast. run fast. run fast.", "run fast", 3),
    ("Head\n\nx x x x", "x", 4),
    ("Head\n\nThe \u201cplan\u201d \u2014 a plan. The plan -- a plan.\n\nThe plan.", "plan", 5),
    ("Head\n\nWe said yes.\n\nWe said yes.\n\nWe said yes.", "said yes", 3),
]


@pytest.mark.parametrize(("text", "quote", "count"), AMBIGUOUS)
def test_ambiguous_quote_lists_every_place_with_a_choice_that_picks_it(
    text: str, quote: str, count: int
) -> None:
    seed = _seed(text)
    note = _note(quote)
    result, error = _one_error(seed, note)
    assert result == Unplaced("n", "ambiguous")
    assert "ambiguous" in error.message
    choices = _hint_choices(error.hint)
    assert len(choices) == count
    assert len({at for at, _, _ in choices}) == count
    for at, key, value in choices:
        start = _start_of(seed, _with_choice(note, key, value))
        assert seed.locate(start) == at, (key, value)
        assert fold(seed.text[start:]).startswith(fold(quote))


@pytest.mark.parametrize(("text", "quote", "count"), AMBIGUOUS)
def test_hint_places_are_where_the_quote_is_in_the_file(text: str, quote: str, count: int) -> None:
    _, error = _one_error(_seed(text), _note(quote))
    file_lines = text.split("\n")
    for at, _, _ in _hint_choices(error.hint):
        assert fold(file_lines[at.line - 1][at.col - 1 :]).startswith(fold(quote).split(" ")[0])


def test_ambiguous_with_a_prefix_hints_only_the_remaining_places() -> None:
    seed = _seed(REPEATS)
    note = _note("cat sat", prefix="The")
    result, error = _one_error(seed, note)
    assert result == Unplaced("n", "ambiguous")
    assert error.message == "quote is ambiguous: it is in seed 's' twice"
    choices = _hint_choices(error.hint)
    assert [at.line for at, _, _ in choices] == [3, 6]
    for at, key, value in choices:
        assert seed.locate(_start_of(seed, _with_choice(note, key, value))) == at


def test_prefix_that_matches_nowhere_lists_every_place() -> None:
    seed = _seed(REPEATS)
    note = _note("cat sat", prefix="nope")
    result, error = _one_error(seed, note)
    assert result == Unplaced("n", "orphan")
    assert error.message == "quote is in seed 's' 3 times, but never with the given prefix"
    assert error.hint.startswith("fix the prefix/suffix")
    assert len(_hint_choices(error.hint)) == 3
    assert error.hint.count(" (context ") == 3  # how well "nope" fits at each place


def test_prefix_and_suffix_that_never_meet_are_both_named() -> None:
    _, error = _one_error(_seed(REPEATS), _note("cat sat", prefix="A", suffix="again"))
    assert error.message.endswith("never with the given prefix and suffix")


def test_occurrence_past_the_last_repeat_is_an_error_listing_them() -> None:
    seed = _seed(REPEATS)
    result, error = _one_error(seed, _note("cat sat", occurrence=4))
    assert result == Unplaced("n", "orphan")
    assert error.message == "occurrence: 4, but the quote is in seed 's' only 3 times"
    assert len(_hint_choices(error.hint)) == 3


def test_occurrence_past_the_matches_of_a_prefix_says_so() -> None:
    _, error = _one_error(_seed(REPEATS), _note("cat sat", prefix="The", occurrence=3))
    assert error.message == (
        "occurrence: 3, but the quote is in seed 's' only twice with that prefix/suffix"
    )
