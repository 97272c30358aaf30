"""YAML syntax errors in plain words, at the place a person would fix them.

libyaml reports what its parser expected ("did not find expected key while parsing a block
mapping"), at the token where it gave up. The common mistakes behind those messages are few:
a quote character that ends a quoted string early, a line indented more or less than the
keys around it, a `: ` inside a plain value, a list or string left open. Each is recognised
here from the parser's message and the lines of the file; anything else keeps the parser's
words, with a general hint.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

from briefsite.errors import BriefsiteError, SourceLocation

GENERAL_HINT = "check indentation, colons and quotes; quote text that contains ': ' or '#'"
_KEY = re.compile(r"^(?P<indent> *)(?:- +)*(?P<key>[^\s#'\"][^:#]*?):(?: +(?P<value>.*))?$")


@dataclass(frozen=True, slots=True)
class _Place:
    """A 0-based line and column of the file, and the lines themselves."""

    lines: list[str]
    line: int
    col: int

    def text(self, line: int | None = None) -> str:
        index = self.line if line is None else line
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def above(self) -> int | None:
        """The nearest line above that holds something other than a comment."""
        for index in range(min(self.line, len(self.lines)) - 1, -1, -1):
            stripped = self.lines[index].strip()
            if stripped and not stripped.startswith("#"):
                return index
        return None


def syntax_error(exc: yaml.MarkedYAMLError, shown: str, lines: list[str]) -> BriefsiteError:
    """The error for a file libyaml could not parse, in words a person understands."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line, mark.column) if mark else (0, 0)

    def at(where_line: int, where_col: int) -> SourceLocation:
        return _within(shown, lines, where_line, where_col)

    tab = _indenting_tab(lines, line)
    if tab is not None:
        return BriefsiteError.at(
            at(*tab),
            "tab character in indentation",
            "YAML indents with spaces only: replace the tab",
        )
    problem = exc.problem or ""
    context = exc.context or ""
    place = _Place(lines, line, col)
    if "another document" in problem:
        return BriefsiteError.at(
            at(line, col),
            "a second YAML document: each file holds one",
            "remove the `---` or `...` line, or move the rest to a file of its own",
        )
    found = None
    if problem == "did not find expected key":
        found = _quote_ends_early(place) or _out_of_line(place)
    elif problem == "mapping values are not allowed in this context":
        found = _indented_more(place) or _missing_space(place) or _colon_in_value(place)
    elif problem == "did not find expected '-' indicator":
        found = _quote_ends_early(place) or _indented_less(place)
    elif "while scanning a quoted scalar" in context and exc.context_mark is not None:
        cm = exc.context_mark
        quote = place.text(cm.line)[cm.column : cm.column + 1] or '"'
        found = (
            cm.line,
            cm.column,
            f"the {quote} that starts this text has no closing {quote}",
            f"end the text with {quote} on the same line, or use `|` for several lines",
        )
    elif "while parsing a flow sequence" in context and exc.context_mark is not None:
        cm = exc.context_mark
        found = (
            cm.line,
            cm.column,
            "the list that starts with `[` here is not closed",
            "close it with `]` on the same line, e.g. `topics: [housing, budget]`",
        )
    elif problem in ("found undefined alias", "found character that cannot start any token"):
        found = _special_start(place)
    elif "while scanning a simple key" in context:
        found = _unindented_block(place)
    if found is not None:
        where_line, where_col, message, hint = found
        return BriefsiteError.at(at(where_line, where_col), message, hint)
    if exc.context_mark is not None and problem == "could not find expected ':'":
        mark = exc.context_mark  # the key that lacks its colon, not where the scan gave up
        line, col = mark.line, mark.column
    message = f"invalid YAML: {problem or 'the file cannot be read as YAML'}"
    if exc.context and exc.context_mark and exc.context_mark is not mark:
        cm = exc.context_mark
        message += f" ({exc.context} at line {cm.line + 1}, column {cm.column + 1})"
    return BriefsiteError.at(at(line, col), message, GENERAL_HINT)


Found = tuple[int, int, str, str]


def _within(shown: str, lines: list[str], line: int, col: int) -> SourceLocation:
    """A 0-based place as a location, moved back to the end of the last line when the parser
    reports it past the end of the file (an error found only at the end of the stream)."""
    count = len(lines) - 1 if len(lines) > 1 and lines[-1] == "" else len(lines)
    if line + 1 > count:
        return SourceLocation(shown, count, len(lines[count - 1]) + 1)
    return SourceLocation(shown, line + 1, col + 1)


def _indenting_tab(lines: list[str], problem_line: int) -> tuple[int, int] | None:
    """The (line, column) of a tab in the indentation at or just before the problem line."""
    for index in (problem_line, problem_line - 1):
        if 0 <= index < len(lines):
            line = lines[index]
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent:
                return index, indent.index("\t")
    return None


def _quote_ends_early(place: _Place) -> Found | None:
    """`quote: 'the agency's plan'`: the apostrophe closed the string; text follows it."""
    line = place.text()
    col = place.col
    while 0 < col <= len(line) and line[col - 1] == " ":
        col -= 1  # the parser stops at the text after the closing quote
    if col < 1 or col > len(line) or line[col - 1] not in "'\"":
        return None
    quote = line[col - 1]
    match = _KEY.match(line)
    value = (match.group("value") or "") if match else line.lstrip(" -")
    opening = line.find(value) if value else -1
    if opening < 0 or not value.startswith(quote) or opening >= col - 1:
        return None
    end = line.rstrip().rfind(quote)
    meant = line[opening + 1 : end] if end > col - 1 else line[opening + 1 :].rstrip()
    if quote == "'":
        return (
            place.line,
            col - 1,
            "a `'` inside a single-quoted string ends it: write `''` or use double quotes",
            f"write {json.dumps(meant, ensure_ascii=False)}",
        )
    return (
        place.line,
        col - 1,
        'a `"` inside a double-quoted string ends it: write `\\"` or use single quotes',
        "write '" + meant.replace("'", "''") + "'",
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_col(line: str) -> int:
    """Where the key of a line starts, after its indentation and any `- `."""
    stripped = line.lstrip(" ")
    col = len(line) - len(stripped)
    while stripped.startswith("- "):
        rest = stripped[2:].lstrip(" ")
        col += len(stripped) - len(rest)
        stripped = rest
    return col


def _indented_more(place: _Place) -> Found | None:
    """A `key: value` line indented deeper than the `key: value` line above it."""
    above = place.above()
    if above is None:
        return None
    line, previous = place.text(), place.text(above)
    this, parent = _KEY.match(line), _KEY.match(previous)
    if this is None or parent is None or not parent.group("value"):
        return None
    if _key_col(line) <= _key_col(previous):
        return None
    key = parent.group("key").strip()
    return (
        place.line,
        _key_col(line),
        "this line is indented more than the key above it",
        f"line `{this.group('key').strip()}:` up with `{key}:` (column {_key_col(previous) + 1}); "
        f"a key indented under `{key}:` needs `{key}:` to have no value on its own line",
    )


def _missing_space(place: _Place) -> Found | None:
    """`seed:agency-move`: with no space after the colon, the line is text, not a key."""
    above = place.above()
    if above is None:
        return None
    previous = place.text(above)
    glued = re.match(r"^( *(?:- +)*)([A-Za-z_][\w-]*):(\S.*)$", previous)
    if glued is None or (_KEY.match(previous) and ": " in previous):
        return None
    key = glued.group(2)
    return (
        above,
        len(glued.group(1)) + len(key),
        f"`{key}:` needs a space after the colon",
        f"write `{key}: {glued.group(3)}`",
    )


def _colon_in_value(place: _Place) -> Found | None:
    """`summary: Note: it moved.`: a `: ` inside a plain value looks like another key."""
    line = place.text()
    match = _KEY.match(line)
    if match is None or not match.group("value"):
        return None
    value = match.group("value")
    if value[:1] in ("'", '"', "|", ">", "[", "{"):
        return None
    key = match.group("key").strip()
    return (
        place.line,
        place.col,
        "a `: ` inside a value looks like the start of another key",
        f"put the value in double quotes: `{key}: {json.dumps(value, ensure_ascii=False)}`",
    )


def _indented_less(place: _Place) -> Found | None:
    """A key of a list item indented less than the item's other keys."""
    line = place.text()
    item_col = None
    for index in range(place.line - 1, -1, -1):
        previous = place.text(index)
        if (
            previous.strip()
            and not previous.strip().startswith("#")
            and (_indent(previous) < _indent(line) or previous.lstrip().startswith("- "))
        ):
            item_col = _key_col(previous)
            break
    if item_col is None or _KEY.match(line) is None:
        return None
    return (
        place.line,
        _indent(line),
        "this line is indented less than the keys of the list item above it",
        f"indent it to column {item_col + 1}, like the item's other keys, "
        "or start a new item with `- `",
    )


def _out_of_line(place: _Place) -> Found | None:
    """A key or list item that lines up with nothing above it."""
    line = place.text()
    above = place.above()
    if above is None or not line.strip() or place.col > _indent(line):
        return None  # the parser stopped inside the line: not a matter of indentation
    if line.lstrip().startswith("- "):
        for index in range(place.line - 1, -1, -1):
            previous = place.text(index)
            if previous.lstrip().startswith("- ") and _indent(previous) != _indent(line):
                return (
                    place.line,
                    _indent(line),
                    "this list item does not line up with the item above it",
                    f"indent its `- ` to column {_indent(previous) + 1}, like the item at "
                    f"line {index + 1}",
                )
            if previous.strip() and _indent(previous) < _indent(line):
                break
    if line.lstrip().startswith("- ") and _KEY.match(place.text(above)):
        return (
            place.line,
            _indent(line),
            "a list item where a key was expected",
            "indent the item under the key it belongs to, and leave that key's value empty",
        )
    return (
        place.line,
        _indent(line),
        "this line does not line up with the keys above it",
        "indent it exactly as far as the other keys of the same mapping",
    )


def _special_start(place: _Place) -> Found | None:
    """`title: *new* plan` or `` title: `x` ``: a value starting with a character YAML keeps."""
    line = place.text()
    match = _KEY.match(line)
    if match is None or not match.group("value"):
        return None
    value = match.group("value")
    key = match.group("key").strip()
    first = "a backtick" if value[0] == "`" else f"`{value[0]}`"
    return (
        place.line,
        line.find(value),
        f"a value cannot start with {first} unless it is quoted",
        f"put the value in double quotes: `{key}: {json.dumps(value, ensure_ascii=False)}`",
    )


def _unindented_block(place: _Place) -> Found | None:
    """The lines of a `|` or `>` text must be indented under its key."""
    above = place.above()
    if above is None:
        return None
    for index in range(place.line, -1, -1):
        text = place.text(index).rstrip()
        if text.endswith(("|", ">", "|-", ">-", "|+", ">+")) and _KEY.match(text):
            key = _KEY.match(text)
            assert key is not None
            name = key.group("key").strip()
            return (
                index + 1,
                0,
                f"the lines of the text under `{name}:` must be indented under it",
                f"indent them by two more spaces than `{name}:`",
            )
    return None
