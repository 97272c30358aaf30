"""Every error is reported where an editor shows the mistake: control characters at their
own line and column, syntax errors never past the end of the file, lines counted as editors
count them whatever the newline style or the YAML 1.1 line breaks inside values, template
errors at their template line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefsite.errors import Diagnostics
from briefsite.read.records import read_project
from tests.helpers import check, errors

BRIEF_FILE = "content/briefs/agency-move.yaml"
Located = tuple[str, int, int, str]


def _errors(root: Path) -> list[Located]:
    return [
        (e.location.path, e.location.line, e.location.col, e.message) for e in errors(check(root))
    ]


def _filler(lines: int) -> str:
    """YAML comment lines, so that a mistake can be put far down a file."""
    return "".join(f"# filler line {n}\n" for n in range(lines))


BRIEF = (
    "seed: agency-move\n"
    "published: 2024-05-01\n"
    "annotations:\n"
    "  - id: staff\n"
    "    quote: move 40 staff\n"
    "    type: context\n"
    "    note: About the move.\n"
)


@pytest.mark.parametrize(
    ("newline", "name"), [("\n", "LF"), ("\r\n", "CRLF"), ("\r", "CR")], ids=lambda v: str(v)
)
@pytest.mark.parametrize(
    ("char", "code"),
    [("\x00", "U+0000"), ("\x01", "U+0001"), ("\x7f", "U+007F"), ("\x9b", "U+009B")],
)
def test_a_control_character_is_reported_at_its_own_line_and_column(
    make_project: Callable[..., Path], newline: str, name: str, char: str, code: str
) -> None:
    text = _filler(197) + BRIEF.replace("About the move.", f"About{char} the move.")
    root = make_project({BRIEF_FILE: text.replace("\n", newline).encode()})
    assert _errors(root) == [(BRIEF_FILE, 204, 16, f"control character {code} is not allowed")]


def test_a_control_character_in_a_seed_is_located_too(make_project: Callable[..., Path]) -> None:
    seed = "Headline\n\n" + "A line of text.\n" * 148 + "Here \x02 it is.\n"
    root = make_project({"seeds/agency-move.txt": seed})
    assert _errors(root)[0] == (
        "seeds/agency-move.txt",
        151,
        6,
        "control character U+0002 is not allowed",
    )


@pytest.mark.parametrize("ending", ["", "\n"], ids=["no final newline", "final newline"])
def test_a_key_without_its_colon_on_the_last_line_is_reported_on_that_line(
    make_project: Callable[..., Path], ending: str
) -> None:
    root = make_project({BRIEF_FILE: BRIEF + "summary" + ending})
    assert _errors(root) == [(BRIEF_FILE, 8, 1, "invalid YAML: could not find expected ':'")]


def test_a_key_without_its_colon_mid_file_is_reported_at_the_key(
    make_project: Callable[..., Path],
) -> None:
    text = BRIEF.replace("published: 2024-05-01\n", "published 2024-05-01\n")
    root = make_project({BRIEF_FILE: text})
    assert _errors(root) == [(BRIEF_FILE, 2, 1, "invalid YAML: could not find expected ':'")]


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ('title: "never closed\n', 8, 8, 'the " that starts this text has no closing "'),
        ("title: 'never closed", 8, 8, "the ' that starts this text has no closing '"),
        ("topics: [staffing,\n  more\n", 8, 9, "the list that starts with `[` here is not closed"),
        ("key_points:\n  - {a: b\n", 9, 10, None),
    ],
)
def test_an_error_found_at_the_end_of_the_stream_is_within_the_file(
    make_project: Callable[..., Path], text: str, line: int, col: int, message: str | None
) -> None:
    # Found only at the end of the stream: reported where the text or list opens, or else at
    # the end of the last line, never past it.
    root = make_project({BRIEF_FILE: BRIEF + text})
    ((path, found_line, found_col, found),) = _errors(root)
    assert (path, found_line, found_col) == (BRIEF_FILE, line, col), found
    if message is None:
        assert found.startswith("invalid YAML: ")
    else:
        assert found == message


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"], ids=["U+2028", "U+2029", "U+0085"])
@pytest.mark.parametrize(
    "written",
    [
        "summary: Before{c}after.\n",
        'summary: "Before{c}after."\n',
        "summary: |\n  Before{c}after.\n  Second line.\n",
        "summary: >-\n  Before{c}after.\n",
    ],
    ids=["plain", "quoted", "literal", "folded"],
)
def test_yaml_1_1_line_breaks_in_values_do_not_shift_later_lines(
    make_project: Callable[..., Path], char: str, written: str
) -> None:
    value = written.format(c=char)
    text = "seed: agency-move\n" + value + "published: 2024-05-01\nbogus: 1\n"
    root = make_project({BRIEF_FILE: text})
    line = text.split("\n").index("bogus: 1") + 1
    assert _errors(root) == [(BRIEF_FILE, line, 1, "unknown key 'bogus' in brief")]
    (root / BRIEF_FILE).write_text(text.replace("bogus: 1\n", ""), encoding="utf-8")
    assert errors(check(root)) == []
    diagnostics = Diagnostics()
    summary = read_project(root.resolve(), diagnostics).briefs["agency-move"].summary
    assert summary is not None and f"Before{char}after." in summary.value


def test_a_line_break_character_in_a_key_does_not_shift_lines_either(
    make_project: Callable[..., Path],
) -> None:
    text = "seed: agency-move\npub\u2028lished: 2024-05-01\n"
    root = make_project({BRIEF_FILE: text})
    assert _errors(root) == [
        (BRIEF_FILE, 1, 1, "brief is missing required key 'published'"),
        (BRIEF_FILE, 2, 1, "unknown key 'pub\u2028lished' in brief"),
    ]


def test_a_missing_include_is_reported_at_the_template_line(
    make_project: Callable[..., Path],
) -> None:
    builtin = Path(__file__).resolve().parent.parent / "layouts" / "brief.html"
    lines = builtin.read_text(encoding="utf-8").split("\n")
    lines.insert(3, '{% include "nope.html" %}')
    root = make_project({"layouts/brief.html": "\n".join(lines)})
    assert _errors(root) == [
        (
            "layouts/brief.html",
            4,
            1,
            "template 'nope.html' not found (needed for briefs/agency-move/index.html)",
        )
    ]
