"""YAML with locations: every value checked against its spec, every problem located."""

from __future__ import annotations

import datetime as dt

import pytest

from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics, SourceLocation, did_you_mean
from briefsite.read import schema
from briefsite.read.yaml_reader import Record, load_yaml

F = "content/x.yaml"


def _load(text: str, spec: schema.Mapping = schema.BRIEF) -> tuple[Record | None, list[Diagnostic]]:
    diagnostics = Diagnostics()
    record = load_yaml(text, F, spec, diagnostics)
    return record, diagnostics.items


def _ok(text: str, spec: schema.Mapping = schema.BRIEF) -> Record:
    record, problems = _load(text, spec)
    assert problems == [], [p.format() for p in problems]
    assert record is not None
    assert record.complete
    return record


def _errors(text: str, spec: schema.Mapping = schema.BRIEF) -> list[tuple[int, int, str]]:
    _, problems = _load(text, spec)
    return [(d.location.line, d.location.col, d.message) for d in problems]


def _raises(text: str) -> Diagnostic:
    with pytest.raises(BriefsiteError) as info:
        _load(text)
    (d,) = info.value.diagnostics
    return d


BRIEF_HEAD = "seed: s\npublished: 2024-01-01\n"


def _note(extra: str = "", note_type: str = "context") -> str:
    """A brief with one note, the note's extra keys at line 8."""
    return BRIEF_HEAD + (
        f"annotations:\n  - id: a\n    quote: q\n    type: {note_type}\n    note: n\n{extra}"
    )


def _note_record(extra: str, note_type: str = "context") -> Record:
    (note,) = _ok(_note(extra, note_type)).records("annotations")
    return note


# --- a valid file ---------------------------------------------------------------------------


def test_values_are_converted_and_located() -> None:
    record = _ok(BRIEF_HEAD + "title: A title\nauthors: [Ann, Bob]\ntopics:\n  - x\n  - y-z\n")
    assert record.string("seed") == "s"
    assert record.day("published") == dt.date(2024, 1, 1)
    assert record.strs("authors") == ("Ann", "Bob")
    assert [(r.slug, r.at) for r in record.refs("topics")] == [
        ("x", SourceLocation(F, 6, 5)),
        ("y-z", SourceLocation(F, 7, 5)),
    ]
    assert record.loc("seed") == SourceLocation(F, 1, 7)
    assert record.loc("title") == SourceLocation(F, 3, 8)
    assert record.loc("updated") == SourceLocation(F, 1, 1)  # absent: the mapping itself
    assert record.at == SourceLocation(F, 1, 1)


def test_absent_optional_values_read_as_none_or_empty() -> None:
    record = _ok(BRIEF_HEAD)
    assert record.string("title") is None
    assert record.day("updated") is None
    assert record.text("summary") is None
    assert record.record("source") is None
    assert record.items("topics") == []
    assert record.strs("authors") == ()
    assert record.records("annotations") == []


def test_typed_getters_ignore_values_of_another_type() -> None:
    record = _ok(BRIEF_HEAD)
    assert record.string("published") is None
    assert record.day("seed") is None


def test_nested_mappings_and_lists_of_mappings() -> None:
    note = _note_record(
        "    occurrence: 2\n    entities: [ice]\n"
        "    sources:\n      - title: T\n        url: https://e.org/\n        date: 2020-02-15\n"
    )
    assert note.string("id") == "a"
    assert note.get("occurrence", int) == 2
    assert note.strs("entities") == ("ice",)
    (source,) = note.records("sources")
    assert source.string("url") == "https://e.org/"
    assert source.day("date") == dt.date(2020, 2, 15)
    assert source.at == SourceLocation(F, 11, 9)


# --- each scalar kind -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [("A title", "A title"), ("'5'", "5"), ("5", "5"), ("true", "true"),
     ("2024-01-01", "2024-01-01"), ('"a: b # c"', "a: b # c"), ("null-ish text", "null-ish text")],
)  # fmt: skip
def test_string_accepts_any_single_value_as_text(yaml_value: str, expected: str) -> None:
    assert _ok(BRIEF_HEAD + f"title: {yaml_value}\n").string("title") == expected


@pytest.mark.parametrize(
    ("yaml_value", "message"),
    [
        ("[a, b]", "'title' must be a string, not a list"),
        ("{a: b}", "'title' must be a string, not a mapping"),
        ('"   "', "'title' must not be empty"),
        ('""', "'title' must not be empty"),
    ],
)
def test_string_rejects_lists_mappings_and_blank_text(yaml_value: str, message: str) -> None:
    assert _errors(BRIEF_HEAD + f"title: {yaml_value}\n") == [(3, 8, message)]


def test_string_hint_says_how_to_write_text() -> None:
    _, (d,) = _load(BRIEF_HEAD + "title:\n  - a\n")
    assert "`|`" in d.hint


def test_markdown_keeps_its_text_and_location() -> None:
    summary = _ok(BRIEF_HEAD + "summary: The *bottom* line.\n").text("summary")
    assert summary is not None
    assert (summary.value, summary.at) == ("The *bottom* line.", SourceLocation(F, 3, 10))


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [("2020-02-16", dt.date(2020, 2, 16)), ('"2020-02-16"', dt.date(2020, 2, 16)),
     ("2024-02-29", dt.date(2024, 2, 29))],
)  # fmt: skip
def test_date_values(yaml_value: str, expected: dt.date) -> None:
    assert _ok(f"seed: s\npublished: {yaml_value}\n").day("published") == expected


@pytest.mark.parametrize(
    ("yaml_value", "reason"),
    [
        ("2023-02-29", "day is out of range for month"),
        ("2024-13-01", "month must be in 1..12"),
        ("20240101", "expected YYYY-MM-DD"),
        ("2024-1-1", "expected YYYY-MM-DD"),
        ("16/02/2020", "expected YYYY-MM-DD"),
        ("soon", "expected YYYY-MM-DD"),
        ("2024-01-01T10:00:00", "expected YYYY-MM-DD"),
    ],
)
def test_invalid_dates_are_located_with_a_reason(yaml_value: str, reason: str) -> None:
    record, problems = _load(f"seed: s\npublished: {yaml_value}\n")
    assert [(d.location.line, d.location.col) for d in problems] == [(2, 12)]
    assert problems[0].message == f"'published' is not a valid date: '{yaml_value}' ({reason})"
    assert "YYYY-MM-DD" in problems[0].hint
    assert record is not None
    assert not record.complete


@pytest.mark.parametrize(
    ("yaml_value", "expected"), [("1", 1), ("2", 2), ("12", 12), ("+3", 3), ("007", 7)]
)
def test_integer_values(yaml_value: str, expected: int) -> None:
    assert _note_record(f"    occurrence: {yaml_value}\n").get("occurrence", int) == expected


@pytest.mark.parametrize(
    ("yaml_value", "message"),
    [
        ("0", "'occurrence' must be at least 1, not 0"),
        ("-2", "'occurrence' must be at least 1, not -2"),
        ("two", "'occurrence' must be a whole number, not 'two'"),
        ('"2"', "'occurrence' must be a whole number, not '2'"),
        ("2.0", "'occurrence' must be a whole number, not '2.0'"),
        ("true", "'occurrence' must be a whole number, not 'true'"),
    ],
)
def test_invalid_integers_are_located(yaml_value: str, message: str) -> None:
    assert _errors(_note(f"    occurrence: {yaml_value}\n")) == [(8, 17, message)]


@pytest.mark.parametrize(("yaml_value", "number"), [("0x10", 16), ("0b10", 2), ("0o17", 15)])
def test_integers_in_other_bases_never_crash(yaml_value: str, number: int) -> None:
    # YAML reads these as integers; whatever the validator makes of them, the annotator
    # must get a number or a located error, never a traceback.
    record, problems = _load(_note(f"    occurrence: {yaml_value}\n"))
    assert record is not None
    (note,) = record.items("annotations")
    assert isinstance(note.data, Record)
    if problems:
        assert [(d.location.line, d.location.col) for d in problems] == [(8, 17)]
    else:
        assert note.data.get("occurrence", int) == number


@pytest.mark.parametrize("value", ["border-patrol", "a", "x1-2y"])
def test_slug_values(value: str) -> None:
    assert _ok(f"seed: {value}\npublished: 2024-01-01\n").string("seed") == value


@pytest.mark.parametrize("value", ["Border-Patrol", "a--b", "-a", "a_b", "'a b'", "a-"])
def test_invalid_slugs_say_what_a_slug_is(value: str) -> None:
    (line, col, message), *_ = _errors(f"seed: {value}\npublished: 2024-01-01\n")
    assert (line, col) == (1, 7)
    assert message.startswith("'seed' '")
    assert message.endswith("is not valid: use lowercase letters, digits and single hyphens")


@pytest.mark.parametrize(
    ("value", "example"),
    [
        ("Border_Patrol", "border-patrol"),
        ("Café Budget", "cafe-budget"),
        ("'--'", "housing-budget"),
    ],
)
def test_invalid_slugs_are_given_a_slug_that_would_do(value: str, example: str) -> None:
    _, problems = _load(f"seed: {value}\npublished: 2024-01-01\n")
    (d,) = problems
    assert d.hint == f"e.g. '{example}'"


@pytest.mark.parametrize("value", ["https://www.dhs.gov/", "http://example.org/a?b=c#d"])
def test_url_values(value: str) -> None:
    assert _ok(f"title: T\nbase_url: {value}\n", schema.SITE).string("base_url") == value


@pytest.mark.parametrize(
    "value", ["ftp://x.org/", "www.dhs.gov", "https://", "/about/", "mailto:a@b.c"]
)
def test_invalid_urls_ask_for_a_web_address(value: str) -> None:
    _, problems = _load(f"title: T\nbase_url: {value}\n", schema.SITE)
    (d,) = problems
    assert d.location == SourceLocation(F, 2, 11)
    assert d.message == f"'base_url' '{value}' is not a web address"
    assert "https://" in d.hint


def test_enum_values() -> None:
    assert _note_record("", note_type="definition").string("type") == "definition"


def test_invalid_enum_suggests_the_closest_choice() -> None:
    _, problems = _load(_note(note_type="clam"))
    (d,) = problems
    assert d.location == SourceLocation(F, 6, 11)
    assert d.message == "invalid type 'clam'"
    assert d.hint == "did you mean 'claim'?"


def test_invalid_enum_far_from_every_choice_lists_them_all() -> None:
    _, problems = _load(_note(note_type="zzz"))
    assert problems[0].hint == (
        "expected one of: context, definition, claim, source, question, correction"
    )


def test_language_pattern() -> None:
    assert _ok("title: T\nlanguage: en-GB\n", schema.SITE).string("language") == "en-GB"
    assert _errors("title: T\nlanguage: english\n", schema.SITE) == [
        (2, 11, "'language' 'english' is not valid: use a language tag such as en or en-GB")
    ]


# --- lists ------------------------------------------------------------------------------------


def test_a_single_value_where_a_list_is_expected() -> None:
    _, problems = _load(BRIEF_HEAD + "topics: border\n")
    (d,) = problems
    assert d.location == SourceLocation(F, 3, 9)
    assert d.message == "'topics' must be a list, not a single value"
    assert "[a, b]" in d.hint


def test_bad_list_items_are_each_located_and_the_rest_kept() -> None:
    record, problems = _load(BRIEF_HEAD + "topics: [ok, Not-OK, also-ok, ~]\n")
    assert [(d.location.col, d.message) for d in problems] == [
        (14, "item of 'topics' 'Not-OK' is not valid: use lowercase letters, digits and single "
             "hyphens"),
        (31, "item of 'topics' must be a slug, not empty value"),
    ]  # fmt: skip
    assert record is not None
    assert record.strs("topics") == ("ok", "also-ok")


def test_a_mapping_where_a_mapping_is_expected_not_a_list() -> None:
    _, problems = _load(BRIEF_HEAD + "source: [a]\n")
    (d,) = problems
    assert d.message == "'source' must be a mapping (source keys), not a list"
    assert "key: value" in d.hint


def test_incomplete_nested_records_are_left_out() -> None:
    record, problems = _load(BRIEF_HEAD + "corrections:\n  - date: 2024-02-01\n")
    assert [d.message for d in problems] == ["correction is missing required key 'note'"]
    assert record is not None
    assert record.records("corrections") == []
    assert record.complete  # the brief's own required keys are all there


# --- null handling ----------------------------------------------------------------------------


def test_empty_optional_key_is_simply_absent() -> None:
    record = _ok(BRIEF_HEAD + "title:\nsummary: ~\ntopics: null\n")
    assert record.string("title") is None
    assert "summary" not in record.values
    assert record.items("topics") == []


def test_empty_required_key_is_an_error_and_the_record_incomplete() -> None:
    record, problems = _load("seed:\npublished: 2024-01-01\n")
    assert [(d.location.line, d.message) for d in problems] == [
        (1, "'seed' in brief must not be empty")
    ]
    assert record is not None
    assert not record.complete
    assert record.string("seed") is None


def test_empty_required_key_in_a_nested_mapping() -> None:
    _, problems = _load(_note("", note_type="claim") + "    verdict:\n      rating:\n")
    assert ("'rating' in verdict must not be empty") in [d.message for d in problems]


def test_missing_required_keys_are_each_reported_at_the_mapping() -> None:
    _, problems = _load("title: only a title\n")
    assert [(d.location.line, d.location.col, d.message) for d in problems] == [
        (1, 1, "brief is missing required key 'seed'"),
        (1, 1, "brief is missing required key 'published'"),
    ]
    assert problems[0].hint.startswith("add `seed:` (the seed article")


def test_missing_key_in_a_list_item_is_located_at_the_item() -> None:
    _, problems = _load(BRIEF_HEAD + "annotations:\n  - id: a\n    quote: q\n    note: n\n")
    assert [(d.location.line, d.location.col, d.message) for d in problems] == [
        (4, 5, "annotation is missing required key 'type'")
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file_names_the_required_keys(text: str) -> None:
    record, problems = _load(text)
    assert record is None
    (d,) = problems
    assert d.location == SourceLocation(F)
    assert d.message == "file is empty: a brief needs at least 'seed', 'published'"


def test_file_that_is_not_a_mapping() -> None:
    record, problems = _load("- a\n- b\n")
    assert record is None
    assert [d.message for d in problems] == [
        "the brief file must be a mapping (brief keys), not a list"
    ]


# --- keys -------------------------------------------------------------------------------------


def test_unknown_key_suggests_the_closest_known_key() -> None:
    record, problems = _load("seed: s\npublised: 2024-01-01\n")
    assert [(d.location.line, d.location.col, d.message, d.hint) for d in problems] == [
        (2, 1, "unknown key 'publised' in brief", "did you mean 'published'?"),
        (1, 1, "brief is missing required key 'published'", problems[1].hint),
    ]
    assert record is not None
    assert not record.complete


def test_unknown_key_far_from_every_key_lists_them() -> None:
    _, problems = _load("title: T\nzzz: 1\n", schema.SITE)
    assert problems[0].hint == "expected one of: title, description, base_url, language, image"


def test_duplicate_key_is_reported_at_the_second_and_the_first_kept() -> None:
    record, problems = _load("seed: first\nseed: second\npublished: 2024-01-01\n")
    assert [(d.location.line, d.location.col, d.message) for d in problems] == [
        (2, 1, "duplicate key 'seed' in brief (first given at line 1)")
    ]
    assert record is not None
    assert record.string("seed") == "first"


def test_duplicate_key_in_a_nested_mapping() -> None:
    _, problems = _load(_note("    note: again\n"))
    assert [(d.location.line, d.message) for d in problems] == [
        (8, "duplicate key 'note' in annotation (first given at line 7)")
    ]


@pytest.mark.parametrize("key", ["[a, b]", "{a: 1}", "~", "? [x]\n"])
def test_keys_that_are_not_names(key: str) -> None:
    text = BRIEF_HEAD + f"{key}: y\n"
    _, problems = _load(text)
    assert [(d.location.line, d.message) for d in problems] == [
        (3, "the brief file has a key that is not a name")
    ]


def test_number_key_is_an_unknown_key() -> None:
    assert _errors(BRIEF_HEAD + "1: y\n") == [(3, 1, "unknown key '1' in brief")]


def test_every_problem_of_a_file_is_reported_in_one_pass() -> None:
    text = "seed: Bad Slug\npublished: 2024-02-30\ntitel: x\ntopics: nope\n"
    assert [line for line, _, _ in _errors(text)] == [1, 2, 3, 4]


# --- block scalars and Text.locate ------------------------------------------------------------


def test_literal_block_scalar_locates_each_line() -> None:
    text = BRIEF_HEAD + "summary: |\n  First line.\n  Second [x](entity:y) line.\n"
    summary = _ok(text).text("summary")
    assert summary is not None
    assert summary.value == "First line.\nSecond [x](entity:y) line.\n"
    assert summary.at == SourceLocation(F, 3, 10)
    assert summary.block_indent == 3
    file_lines = text.split("\n")
    for needle in ("First", "line.", "Second", "[x]", "entity:y"):
        at = summary.locate(summary.value.index(needle))
        assert file_lines[at.line - 1][at.col - 1 :].startswith(needle), needle
    assert summary.locate(summary.value.index("[x]")) == SourceLocation(F, 5, 10)


def test_block_scalar_in_a_list_item_locates_lines() -> None:
    text = _note().replace("    note: n\n", "    note: |\n      About\n      [ICE](entity:ice).\n")
    (note,) = _ok(text).records("annotations")
    body = note.text("note")
    assert body is not None
    assert body.locate(body.value.index("entity:ice")) == SourceLocation(F, 9, 13)


def test_block_scalar_with_leading_blank_line_and_chomping() -> None:
    text = BRIEF_HEAD + "summary: |-\n\n    Indented more.\n    Again.\n"
    summary = _ok(text).text("summary")
    assert summary is not None
    assert summary.value == "\nIndented more.\nAgain."
    assert summary.locate(summary.value.index("Again")) == SourceLocation(F, 6, 5)
    assert summary.locate(summary.value.index("Indented")) == SourceLocation(F, 5, 5)


@pytest.mark.parametrize(
    "line", ["summary: one [x](entity:y) line", "summary: 'one [x](entity:y) line'",
             'summary: "one [x](entity:y) line"'],
)  # fmt: skip
def test_one_line_text_locates_each_character(line: str) -> None:
    summary = _ok(BRIEF_HEAD + line + "\n").text("summary")
    assert summary is not None
    assert summary.locate(summary.value.index("entity:y")) == SourceLocation(
        F, 3, line.index("entity:y") + 1
    )


@pytest.mark.parametrize(
    "style",
    ["summary: >\n  folded\n  text [x](entity:y)\n", 'summary: "escaped\\t [x](entity:y)"',
     "summary: plain text\n  wrapped [x](entity:y)\n"],
)  # fmt: skip
def test_text_that_does_not_map_to_columns_locates_at_its_start(style: str) -> None:
    summary = _ok(BRIEF_HEAD + style + "\n").text("summary")
    assert summary is not None
    assert summary.value.endswith("[x](entity:y)") or summary.value.endswith("[x](entity:y)\n")
    assert summary.locate(summary.value.index("entity:y")) == SourceLocation(F, 3, 10)


# --- syntax errors ------------------------------------------------------------------------------


def test_an_unclosed_list_is_located_where_it_opens() -> None:
    d = _raises("seed: s\npublished: [2024-01-01\n")
    assert (d.location.line, d.location.col) == (2, 12)
    assert d.message == "the list that starts with `[` here is not closed"
    assert "close it with `]`" in d.hint


def test_colon_in_plain_text_is_located() -> None:
    d = _raises("seed: s\ntitle: Why: a question\n")
    assert (d.location.line, d.location.col) == (2, 11)
    assert d.message == "a `: ` inside a value looks like the start of another key"
    assert d.hint == 'put the value in double quotes: `title: "Why: a question"`'


def test_bad_indentation_is_located() -> None:
    d = _raises("seed: s\n  published: 2024-01-01\n")
    assert (d.location.line, d.location.col) == (2, 3)
    assert d.message == "this line is indented more than the key above it"


def test_unclosed_quote_is_located_where_it_opens() -> None:
    d = _raises('seed: s\ntitle: "unclosed\npublished: 2024-01-01\n')
    assert (d.location.line, d.location.col) == (2, 8)
    assert d.message == 'the " that starts this text has no closing "'


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("seed: s\nsource:\n\tpublisher: x\n", 3),
        ("seed: s\n\tpublished: 2024-01-01\n", 2),
        ("seed: s\npublished: 2024-01-01\nannotations:\n\t- id: a\n", 4),
    ],
)
def test_tab_indentation_gets_its_own_message(text: str, line: int) -> None:
    d = _raises(text)
    assert (d.location.line, d.location.col) == (line, 1)
    assert d.message == "tab character in indentation"
    assert d.hint == "YAML indents with spaces only: replace the tab"


def test_tab_inside_a_value_is_fine() -> None:
    assert _ok(BRIEF_HEAD + 'title: "a\\tb"\n').string("title") == "a\tb"


# --- did_you_mean ---------------------------------------------------------------------------


def test_did_you_mean_picks_a_close_word() -> None:
    assert did_you_mean("sumary", ["title", "summary"]) == "did you mean 'summary'?"


def test_did_you_mean_lists_at_most_twelve_choices() -> None:
    choices = [f"choice-{n:02d}" for n in range(15)]
    hint = did_you_mean("zzzzzzzzzzzzzz", choices)
    assert hint.startswith("expected one of: choice-00, ")
    assert "choice-11" in hint
    assert "choice-12" not in hint
    assert hint.endswith("(and 3 more)")
