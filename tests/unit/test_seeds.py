"""Seed articles: how a text file becomes headline, standfirst, paragraphs and offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefsite.errors import BriefsiteError, SourceLocation
from briefsite.model import Seed
from briefsite.read.seeds import STANDFIRST_MAX_CHARS, parse_seed
from briefsite.read.textfile import read_text

SHOWN = "seeds/x.txt"


def _parse(text: str) -> Seed:
    return parse_seed(text, "x", SHOWN)


def _blocks(seed: Seed) -> list[tuple[str, str]]:
    return [(b.kind, seed.text[b.start : b.end]) for b in seed.blocks]


def test_headline_standfirst_and_paragraphs() -> None:
    seed = _parse("The headline\n\nA short dek.\n\nFirst paragraph.\n\nSecond paragraph.\n")
    assert _blocks(seed) == [
        ("headline", "The headline"),
        ("standfirst", "A short dek."),
        ("paragraph", "First paragraph."),
        ("paragraph", "Second paragraph."),
    ]
    assert seed.text == "The headline\n\nA short dek.\n\nFirst paragraph.\n\nSecond paragraph."
    assert seed.headline == "The headline"
    assert (seed.slug, seed.path) == ("x", SHOWN)


def test_standfirst_may_be_exactly_the_maximum_length() -> None:
    dek = "d" * STANDFIRST_MAX_CHARS
    seed = _parse(f"Head\n\n{dek}\n\nBody.")
    assert [b.kind for b in seed.blocks] == ["headline", "standfirst", "paragraph"]


def test_long_second_paragraph_is_body_not_standfirst() -> None:
    long_line = "word " * 40  # 200 characters on a single line
    seed = _parse(f"Head\n\n{long_line}\n\nBody.")
    assert [b.kind for b in seed.blocks] == ["headline", "paragraph", "paragraph"]
    assert STANDFIRST_MAX_CHARS == 160


def test_one_char_over_the_maximum_is_a_paragraph() -> None:
    seed = _parse("Head\n\n" + "d" * (STANDFIRST_MAX_CHARS + 1))
    assert [b.kind for b in seed.blocks] == ["headline", "paragraph"]


def test_second_paragraph_over_several_lines_is_not_a_standfirst() -> None:
    seed = _parse("Head\n\nShort line\nanother short line\n\nBody.")
    assert _blocks(seed)[1] == ("paragraph", "Short line another short line")


def test_only_the_second_block_can_be_a_standfirst() -> None:
    seed = _parse("Head\n\nFirst.\n\nShort.\n\nAlso short.")
    assert [b.kind for b in seed.blocks] == ["headline", "standfirst", "paragraph", "paragraph"]


def test_headline_alone() -> None:
    seed = _parse("Only a headline")
    assert _blocks(seed) == [("headline", "Only a headline")]


def test_text_directly_under_the_headline_is_its_own_block() -> None:
    seed = _parse("Head\nDek right below.\n\nBody text.")
    assert _blocks(seed) == [
        ("headline", "Head"),
        ("standfirst", "Dek right below."),
        ("paragraph", "Body text."),
    ]
    assert seed.text == "Head\n\nDek right below.\n\nBody text."


def test_wrapped_text_directly_under_the_headline_is_a_paragraph() -> None:
    seed = _parse("Head\nline one\nline two\n\nBody text.")
    assert _blocks(seed) == [
        ("headline", "Head"),
        ("paragraph", "line one line two"),
        ("paragraph", "Body text."),
    ]


def test_wrapped_lines_join_with_one_space_and_lose_their_indentation() -> None:
    seed = _parse("Head\n\nBody one\n   continues here  \n\tand ends.\n")
    assert _blocks(seed)[1] == ("paragraph", "Body one continues here and ends.")


def test_several_blank_lines_are_one_paragraph_break() -> None:
    seed = _parse("Head\n\n\n\n  \n\t\nDek.\n\n\n\nBody.")
    assert seed.text == "Head\n\nDek.\n\nBody."


def test_leading_and_trailing_blank_lines_are_ignored() -> None:
    seed = _parse("\n\n   \nHead\n\nBody.\n\n\n  \n")
    assert _blocks(seed) == [("headline", "Head"), ("standfirst", "Body.")]
    assert seed.locate(0) == SourceLocation(SHOWN, 4, 1)


def test_missing_final_newline_changes_nothing() -> None:
    assert _parse("Head\n\nDek.\n\nBody.") == _parse("Head\n\nDek.\n\nBody.\n")


def test_block_offsets_cover_exactly_their_text() -> None:
    seed = _parse("Head\n\nDek.\n\nBody one\nbody two.")
    starts = [(b.start, b.end) for b in seed.blocks]
    assert starts == [(0, 4), (6, 10), (12, 30)]
    assert [seed.text[a:b] for a, b in starts] == ["Head", "Dek.", "Body one body two."]


@pytest.mark.parametrize(
    "raw",
    [
        b"Head\r\n\r\nDek.\r\n\r\nBody one\r\nbody two.\r\n",
        b"Head\r\rDek.\r\rBody one\rbody two.\r",
        b"\xef\xbb\xbfHead\n\nDek.\n\nBody one\nbody two.\n",
        b"\xef\xbb\xbfHead\r\n\r\nDek.\r\n\r\nBody one\r\nbody two.",
        b"Head\n\nDek.\n\nBody one\nbody two.",
    ],
    ids=["crlf", "cr", "bom", "bom-crlf-no-final-newline", "lf-no-final-newline"],
)
def test_file_encodings_and_newlines_all_read_the_same(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(raw)
    seed = parse_seed(read_text(path, SHOWN), "x", SHOWN)
    assert seed.text == "Head\n\nDek.\n\nBody one body two."
    assert [b.kind for b in seed.blocks] == ["headline", "standfirst", "paragraph"]
    # The BOM is not a column and CRLF/CR are one line break each.
    assert seed.locate(0) == SourceLocation(SHOWN, 1, 1)
    assert seed.locate(seed.text.index("body two")) == SourceLocation(SHOWN, 6, 1)


def test_empty_seed_is_an_error() -> None:
    with pytest.raises(BriefsiteError) as info:
        _parse("")
    (d,) = info.value.diagnostics
    assert d.location == SourceLocation(SHOWN)
    assert d.message == "seed is empty"
    assert "headline" in d.hint


def test_seed_of_blank_lines_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xef\xbb\xbf \r\n\t\r\n\r\n")
    with pytest.raises(BriefsiteError) as info:
        parse_seed(read_text(path, SHOWN), "x", SHOWN)
    assert info.value.diagnostics[0].message == "seed is empty"


def test_reading_a_seed_reports_invalid_utf8_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"Head\n\nBad \xff byte\n")
    with pytest.raises(BriefsiteError) as info:
        parse_seed(read_text(path, SHOWN), "x", SHOWN)
    assert info.value.diagnostics[0].location == SourceLocation(SHOWN, 3, 5)


# Line numbers:     1        2  3               4                   5         6
LOCATE_TEXT = (
    "Headline here\n\n  Indented dek\n\nFirst line wraps\n    onto this one\n\n\tTabbed para."
)


@pytest.mark.parametrize(
    ("needle", "line", "col"),
    [
        ("Headline", 1, 1),
        ("here", 1, 10),
        ("Indented", 3, 3),
        ("dek", 3, 12),
        ("First", 5, 1),
        ("wraps", 5, 12),
        ("onto", 6, 5),
        ("this one", 6, 10),
        ("Tabbed", 8, 2),
        ("para.", 8, 9),
    ],
)
def test_locate_maps_document_offsets_to_file_line_and_column(
    needle: str, line: int, col: int
) -> None:
    seed = _parse(LOCATE_TEXT)
    assert seed.locate(seed.text.index(needle)) == SourceLocation(SHOWN, line, col)


def test_locate_every_character_of_a_wrapped_paragraph() -> None:
    text = "Head\n\n  alpha beta\n gamma\n   delta"
    seed = _parse(text)
    file_lines = text.split("\n")
    body = seed.blocks[1]
    for offset in range(body.start, body.end):
        where = seed.locate(offset)
        char = seed.text[offset]
        if char == " " and file_lines[where.line - 1][where.col - 1 :] == "":
            continue  # the space that joins two file lines is at the end of the first
        assert file_lines[where.line - 1][where.col - 1] == char, (offset, where)


def test_locate_the_joining_space_points_just_after_the_line() -> None:
    seed = _parse("Head\n\nalpha\nbeta")
    assert seed.text == "Head\n\nalpha beta"
    assert seed.locate(seed.text.index(" beta")) == SourceLocation(SHOWN, 3, 6)


def test_locate_end_of_text_is_just_after_the_last_character() -> None:
    seed = _parse("Head\n\nBody.")
    assert seed.locate(len(seed.text)) == SourceLocation(SHOWN, 3, 6)
