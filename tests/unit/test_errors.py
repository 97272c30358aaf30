"""Diagnostics: how a problem is printed, ordered and raised."""

from __future__ import annotations

import pytest

from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics, SourceLocation


def test_location_prints_as_path_line_col() -> None:
    assert str(SourceLocation("content/briefs/x.yaml", 14, 5)) == "content/briefs/x.yaml:14:5"


def test_location_defaults_to_start_of_file() -> None:
    assert str(SourceLocation("seeds/x.txt")) == "seeds/x.txt:1:1"


def test_format_with_an_empty_hint_is_one_compiler_style_line() -> None:
    d = Diagnostic(SourceLocation("content/site.yaml", 2, 8), "'title' must not be empty", "")
    assert d.format() == "content/site.yaml:2:8: error: 'title' must not be empty"


def test_format_puts_hint_on_an_indented_line() -> None:
    d = Diagnostic(SourceLocation("a.yaml", 3, 1), "unknown key 'titel'", "did you mean 'title'?")
    assert d.format() == "a.yaml:3:1: error: unknown key 'titel'\n  hint: did you mean 'title'?"


def test_format_aligns_every_line_of_a_multi_line_hint() -> None:
    d = Diagnostic(SourceLocation("a.yaml", 1, 1), "ambiguous", "choose one:\n  x:1:1\n  x:2:1")
    lines = d.format().split("\n")
    assert lines == [
        "a.yaml:1:1: error: ambiguous",
        "  hint: choose one:",
        "          x:1:1",
        "          x:2:1",
    ]


def test_format_names_a_warning_as_a_warning() -> None:
    d = Diagnostic(SourceLocation("a.yaml", 1, 2), "odd", "", severity="warning")
    assert d.format() == "a.yaml:1:2: warning: odd"


def test_error_sorts_by_path_then_numeric_line_and_column() -> None:
    unsorted = [
        Diagnostic(SourceLocation("b.yaml", 1, 1), "in b", "h"),
        Diagnostic(SourceLocation("a.yaml", 10, 1), "line ten", "h"),
        Diagnostic(SourceLocation("a.yaml", 9, 7), "line nine col seven", "h"),
        Diagnostic(SourceLocation("a.yaml", 9, 3), "line nine col three", "h"),
    ]
    error = BriefsiteError(unsorted)
    assert [d.message for d in error.diagnostics] == [
        "line nine col three",
        "line nine col seven",
        "line ten",
        "in b",
    ]


def test_error_message_is_every_diagnostic_formatted_in_order() -> None:
    error = BriefsiteError(
        [
            Diagnostic(SourceLocation("b.yaml", 2, 1), "second", "fix b"),
            Diagnostic(SourceLocation("a.yaml", 1, 1), "first", ""),
        ]
    )
    assert str(error) == "a.yaml:1:1: error: first\nb.yaml:2:1: error: second\n  hint: fix b"


def test_error_at_holds_one_located_diagnostic() -> None:
    error = BriefsiteError.at(SourceLocation("seeds/x.txt", 4, 2), "bad byte", "re-save")
    assert error.diagnostics == (
        Diagnostic(SourceLocation("seeds/x.txt", 4, 2), "bad byte", "re-save"),
    )
    assert str(error) == "seeds/x.txt:4:2: error: bad byte\n  hint: re-save"


def test_diagnostics_collect_errors_and_warnings_apart() -> None:
    diagnostics = Diagnostics()
    diagnostics.warning(SourceLocation("a.yaml", 1, 1), "just so you know", "h")
    diagnostics.error(SourceLocation("a.yaml", 2, 1), "broken", "fix it")
    assert [d.message for d in diagnostics.errors] == ["broken"]
    assert [d.message for d in diagnostics.warnings] == ["just so you know"]
    assert diagnostics.errors[0].hint == "fix it"
    assert diagnostics.warnings[0].severity == "warning"


def test_raise_if_errors_is_silent_with_only_warnings() -> None:
    diagnostics = Diagnostics()
    diagnostics.warning(SourceLocation("a.yaml", 1, 1), "just so you know", "h")
    diagnostics.raise_if_errors()  # a warning alone must not fail the build
    assert len(diagnostics.items) == 1


def test_raise_if_errors_is_silent_when_nothing_was_found() -> None:
    Diagnostics().raise_if_errors()


def test_raise_if_errors_raises_every_error_but_no_warning() -> None:
    diagnostics = Diagnostics()
    diagnostics.error(SourceLocation("b.yaml", 5, 1), "second problem", "h")
    diagnostics.warning(SourceLocation("a.yaml", 1, 1), "a warning", "h")
    diagnostics.extend(
        [
            Diagnostic(SourceLocation("a.yaml", 3, 1), "first problem", "h"),
            Diagnostic(SourceLocation("c.yaml", 1, 1), "a later warning", "h", "warning"),
        ]
    )
    with pytest.raises(BriefsiteError) as info:
        diagnostics.raise_if_errors()
    assert [d.message for d in info.value.diagnostics] == ["first problem", "second problem"]
    assert "warning" not in str(info.value)
