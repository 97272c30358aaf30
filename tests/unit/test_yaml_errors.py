"""YAML syntax errors in plain words: each common mistake named where it is, with the fix."""

from __future__ import annotations

import pytest

from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics
from briefsite.read import schema
from briefsite.read.yaml_errors import GENERAL_HINT
from briefsite.read.yaml_reader import load_yaml

F = "content/briefs/x.yaml"
HEAD = "seed: s\npublished: 2024-01-01\n"
NOTE = "annotations:\n  - id: a\n    quote: q\n    type: context\n    note: n\n"


def _problems(text: str) -> list[Diagnostic]:
    diagnostics = Diagnostics()
    try:
        load_yaml(text, F, schema.BRIEF, diagnostics)
    except BriefsiteError as exc:
        return list(exc.diagnostics)
    return diagnostics.items


def _one(text: str) -> tuple[int, int, str, str]:
    (d,) = _problems(text)
    return d.location.line, d.location.col, d.message, d.hint


APOSTROPHE = "a `'` inside a single-quoted string ends it: write `''` or use double quotes"


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        pytest.param(
            HEAD + "title: 'the city's plan'\n", (3, 17), 'write "the city\'s plan"', id="key"
        ),
        pytest.param(
            HEAD + "key_points:\n  - 'it's late'\n", (4, 8), 'write "it\'s late"', id="list-item"
        ),
        pytest.param(
            HEAD + NOTE.replace("quote: q", "quote: 'don't'"),
            (5, 16),
            'write "don\'t"',
            id="note",
        ),
    ],
)
def test_an_apostrophe_that_ends_a_single_quoted_string(
    text: str, where: tuple[int, int], hint: str
) -> None:
    assert _one(text) == (*where, APOSTROPHE, hint)


def test_a_doubled_apostrophe_is_fine() -> None:
    assert _problems(HEAD + "title: 'the city''s plan'\n") == []


def test_a_key_indented_more_than_the_key_above_it_names_both() -> None:
    line, col, message, hint = _one(HEAD + NOTE + "      entities: [a]\n")
    assert (line, col, message) == (8, 7, "this line is indented more than the key above it")
    assert hint.startswith("line `entities:` up with `note:` (column 5)")


def test_a_note_key_indented_less_than_its_siblings() -> None:
    text = HEAD + NOTE.replace("    type: context", "  type: context")
    assert _one(text) == (
        6,
        3,
        "this line is indented less than the keys of the list item above it",
        "indent it to column 5, like the item's other keys, or start a new item with `- `",
    )


def test_keys_of_an_empty_mapping_key_written_beside_it() -> None:
    problems = _problems(HEAD + "source:\npublisher: Daily\nbyline: Ann\n")
    assert [(d.location.line, d.message) for d in problems] == [
        (4, "the keys under `source:` must be indented under it")
    ]
    assert problems[0].hint == (
        "indent `publisher:` and the other keys of `source:` by two more spaces than `source:`"
    )


def test_an_unknown_key_after_an_empty_mapping_key_is_still_unknown() -> None:
    problems = _problems(HEAD + "source:\ncolour: red\n")
    assert [d.message for d in problems] == ["unknown key 'colour' in brief"]


def test_a_value_starting_with_a_reserved_character() -> None:
    assert _one(HEAD + "title: `x` marks\n") == (
        3,
        8,
        "a value cannot start with a backtick unless it is quoted",
        'put the value in double quotes: `title: "`x` marks"`',
    )


def test_what_is_not_recognised_keeps_the_parser_words_and_a_hint() -> None:
    line, _, message, hint = _one(HEAD + "title: [a]]\n")
    assert message.startswith("invalid YAML: ")
    assert hint == GENERAL_HINT
    assert line == 3
