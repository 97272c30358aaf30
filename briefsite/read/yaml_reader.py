"""Parse YAML with locations and check it against a schema spec, reporting every problem."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from urllib.parse import urlsplit

import yaml

from briefsite.errors import BriefsiteError, Diagnostics, SourceLocation, did_you_mean
from briefsite.model import Ref, Text
from briefsite.read.schema import (
    ListOf,
    Mapping,
    Scalar,
    Spec,
    describe_spec,
    fill_hint,
    pattern_example,
)
from briefsite.read.yaml_bounds import bound, mask_breaks
from briefsite.read.yaml_errors import GENERAL_HINT, syntax_error

try:  # libyaml's loader is several times faster; fall back to pure Python where it is absent
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)")


class _Loader(_BaseLoader):
    """Resolves only the tags the checker looks at: null and int; every other plain scalar
    is a string, whatever YAML 1.1 would make of it (`yes`, `1.5`, dates: the checker reads
    the text). PyYAML's general resolver took a third of the time of reading a brief."""

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and value is not None:
                if value in _NULLS:
                    return _NULL
                if _PLAIN_INT.fullmatch(value):
                    return _INT
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


_T = TypeVar("_T")


_DECIMAL = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True, slots=True)
class Value:
    """A checked value (str, int, date, list of Value, or Record) and where it was written."""

    data: object
    at: SourceLocation
    block_indent: int = 0
    inline_col: int = 0


@dataclass(frozen=True, slots=True)
class Record:
    """A checked mapping: the keys that were valid, and whether every required key was."""

    at: SourceLocation
    values: dict[str, Value]
    complete: bool
    invalid: frozenset[str] = frozenset()  # keys given with a value that failed its check

    def loc(self, key: str) -> SourceLocation:
        """Where `key`'s value was written, or the mapping's own location."""
        value = self.values.get(key)
        return value.at if value else self.at

    def get(self, key: str, kind: type[_T]) -> _T | None:
        """The value of `key` if present and of type `kind`."""
        value = self.values.get(key)
        return value.data if value is not None and isinstance(value.data, kind) else None

    def string(self, key: str) -> str | None:
        """A string value."""
        return self.get(key, str)

    def day(self, key: str) -> date | None:
        """A date value."""
        return self.get(key, date)

    def text(self, key: str) -> Text | None:
        """A Markdown value with its location."""
        value = self.values.get(key)
        return _text(value) if value is not None else None

    def record(self, key: str) -> Record | None:
        """A nested mapping that has all its required keys."""
        found = self.get(key, Record)
        return found if found is not None and found.complete else None

    def items(self, key: str) -> list[Value]:
        """The items of a list value, or an empty list."""
        items = self.get(key, list)
        return items if items is not None else []

    def strs(self, key: str) -> tuple[str, ...]:
        """A list of strings."""
        return tuple(v.data for v in self.items(key) if isinstance(v.data, str))

    def refs(self, key: str) -> tuple[Ref, ...]:
        """A list of slugs, each with its location."""
        return tuple(Ref(v.data, v.at) for v in self.items(key) if isinstance(v.data, str))

    def texts(self, key: str) -> tuple[Text, ...]:
        """A list of Markdown strings."""
        return tuple(_text(v) for v in self.items(key) if isinstance(v.data, str))

    def records(self, key: str) -> list[Record]:
        """A list of mappings, keeping only those with all their required keys."""
        return [v.data for v in self.items(key) if isinstance(v.data, Record) and v.data.complete]


def _web_address(raw: str) -> bool:
    """Whether a URL is an http or https address with a host."""
    try:
        parts = urlsplit(raw)
    except ValueError:  # e.g. a bracketed host that is not an IPv6 address
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _text(value: Value) -> Text:
    return Text(str(value.data), value.at, value.block_indent, value.inline_col)


def plain_data(text: str) -> object:
    """A YAML document as plain data, read as the checker reads it: strings (dates too),
    whole numbers, None, lists and dicts. This is what a JSON Schema of the format sees."""
    return yaml.load(text, Loader=_Loader)  # a safe loader: no Python objects


def load_yaml(text: str, shown: str, spec: Mapping, diagnostics: Diagnostics) -> Record | None:
    """Parse one YAML document and check it against `spec`; problems go to `diagnostics`."""
    lines = text.split("\n")
    masked, unmask = mask_breaks(text)
    try:
        node = yaml.compose(masked, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise syntax_error(exc, shown, lines) from exc
    except yaml.YAMLError as exc:
        raise BriefsiteError.at(
            SourceLocation(shown), f"invalid YAML: {exc}", GENERAL_HINT
        ) from exc
    if node is not None:
        bound(node, masked, shown, unmask)
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
        diagnostics.error(
            SourceLocation(shown),
            f"file is empty: a {spec.name} needs at least "
            + ", ".join(f"'{f.key}'" for f in spec.fields if f.required),
            f"add the required keys, e.g. `{spec.fields[0].key}: ...`",
        )
        return None
    checker = _Checker(shown, lines, diagnostics)
    value = checker.check(node, spec, f"the {spec.name} file")
    return value.data if value is not None and isinstance(value.data, Record) else None


def _kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "empty value" if node.tag == _NULL else "a single value"


class _Checker:
    def __init__(self, shown: str, lines: list[str], diagnostics: Diagnostics) -> None:
        self.shown = shown
        self.lines = lines
        self.diagnostics = diagnostics

    def at(self, node: yaml.Node) -> SourceLocation:
        return SourceLocation(self.shown, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: yaml.Node, message: str, hint: str) -> None:
        self.diagnostics.error(self.at(node), message, hint)

    def check(self, node: yaml.Node, spec: Spec, what: str) -> Value | None:
        if isinstance(spec, Mapping):
            return self.mapping(node, spec, what)
        if isinstance(spec, ListOf):
            return self.sequence(node, spec, what)
        return self.scalar(node, spec, what)

    def wrong_type(self, node: yaml.Node, spec: Spec, what: str) -> None:
        if isinstance(spec, ListOf):
            hint = "write a list: `[a, b]` on one line, or one `- item` per line"
        elif isinstance(spec, Mapping):
            hint = "write `key: value` pairs, indented under the key"
        elif spec.kind in ("string", "markdown"):
            hint = "put the text on the same line, or use `|` for several lines"
        else:
            hint = f"write {describe_spec(spec)} on the same line as the key"
        self.error(node, f"{what} must be {describe_spec(spec)}, not {_kind_of(node)}", hint)

    def mapping(self, node: yaml.Node, spec: Mapping, what: str) -> Value | None:
        if not isinstance(node, yaml.MappingNode):
            self.wrong_type(node, spec, what)
            return None
        values: dict[str, Value] = {}
        seen: dict[str, int] = {}
        invalid: set[str] = set()
        complete = True
        # An empty key whose own keys may follow it unindented by mistake: its name and spec.
        unindented: tuple[str, Mapping] | None = None
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL:
                self.error(key_node, f"{what} has a key that is not a name", "keys are plain words")
                continue
            key = str(key_node.value)
            if key in seen:
                self.error(
                    key_node,
                    f"duplicate key '{key}' in {spec.name} (first given at line {seen[key]})",
                    "remove one of the two",
                )
                continue
            seen[key] = key_node.start_mark.line + 1
            field = spec.field(key)
            if field is None and unindented is not None and unindented[1].field(key):
                parent = unindented[0]
                if parent not in invalid:
                    invalid.add(parent)
                    self.error(
                        key_node,
                        f"the keys under `{parent}:` must be indented under it",
                        f"indent `{key}:` and the other keys of `{parent}:` by two more spaces "
                        f"than `{parent}:`",
                    )
                continue
            unindented = None
            if field is None:
                self.error(
                    key_node,
                    f"unknown key '{key}' in {spec.name}",
                    did_you_mean(key, [f.key for f in spec.fields]),
                )
                continue
            if value_node.tag == _NULL and isinstance(value_node, yaml.ScalarNode):
                if isinstance(field.spec, Mapping):
                    unindented = (key, field.spec)
                if field.required:
                    self.error(
                        value_node, f"'{key}' in {spec.name} must not be empty", fill_hint(field)
                    )
                    complete = False
                continue
            checked = self.check(value_node, field.spec, f"'{key}'")
            if checked is None:
                complete = complete and not field.required
                invalid.add(key)
            else:
                values[key] = checked
        for field in spec.fields:
            if field.required and field.key not in seen:
                complete = False
                self.error(
                    node,
                    f"{spec.name} is missing required key '{field.key}'",
                    f"add `{field.key}:` ({field.doc[0].lower()}{field.doc[1:].rstrip('.')})",
                )
        record = Record(self.at(node), values, complete, frozenset(invalid))
        return Value(record, self.at(node))

    def sequence(self, node: yaml.Node, spec: ListOf, what: str) -> Value | None:
        if not isinstance(node, yaml.SequenceNode):
            self.wrong_type(node, spec, what)
            return None
        items = [self.check(item, spec.item, f"item of {what}") for item in node.value]
        return Value([i for i in items if i is not None], self.at(node))

    def scalar(self, node: yaml.Node, spec: Scalar, what: str) -> Value | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
            self.wrong_type(node, spec, what)
            return None
        raw = str(node.value)
        at = self.at(node)
        if spec.kind == "integer":
            if node.tag != _INT or not _DECIMAL.fullmatch(raw):
                self.error(
                    node,
                    f"{what} must be a whole number, not '{raw}'",
                    "write the number in digits, without quotes, e.g. `2`",
                )
                return None
            number = int(raw)
            if spec.minimum is not None and number < spec.minimum:
                self.error(
                    node,
                    f"{what} must be at least {spec.minimum}, not {number}",
                    f"counting starts at {spec.minimum}",
                )
                return None
            return Value(number, at)
        if not raw.strip():
            self.error(
                node,
                f"{what} must not be empty",
                "write the text after the key, or use `|` with its lines indented below",
            )
            return None
        if spec.max_chars is not None and len(raw) > spec.max_chars:
            self.error(
                node,
                f"{what} is too long: {len(raw):,} characters, at most {spec.max_chars:,}",
                "quote the passage itself, not the text around it",
            )
            return None
        if spec.kind == "date":
            return self.date(node, raw, what)
        if spec.kind == "enum" and raw not in spec.choices:
            name = what.strip("'")
            self.error(node, f"invalid {name} '{raw}'", did_you_mean(raw, spec.choices))
            return None
        if spec.pattern is not None and not spec.pattern.fullmatch(raw):
            self.error(
                node,
                f"{what} '{raw}' is not valid: use {spec.pattern_hint}",
                pattern_example(spec, raw),
            )
            return None
        if spec.kind == "url" and not _web_address(raw):
            self.error(
                node,
                f"{what} '{raw}' is not a web address",
                "use a full URL starting with https:// or http://",
            )
            return None
        if node.style == "|":
            return Value(raw, at, block_indent=self.block_indent(node))
        return Value(raw, at, inline_col=self.inline_col(node, raw))

    def date(self, node: yaml.ScalarNode, raw: str, what: str) -> Value | None:
        try:
            if len(raw) != 10:
                raise ValueError("expected YYYY-MM-DD")
            return Value(date.fromisoformat(raw), self.at(node))
        except ValueError as exc:
            reason = (
                str(exc) if "range" in str(exc) or "must be" in str(exc) else "expected YYYY-MM-DD"
            )
            self.error(
                node,
                f"{what} is not a valid date: '{raw}' ({reason})",
                "write dates as YYYY-MM-DD, e.g. 2020-02-16",
            )
            return None

    def inline_col(self, node: yaml.ScalarNode, raw: str) -> int:
        start, end = node.start_mark, node.end_mark
        if start.line != end.line or start.line >= len(self.lines):
            return 0
        quote = node.style if node.style in ("'", '"') else ""
        written = self.lines[start.line][start.column : end.column]
        return start.column + 1 + len(quote) if written == f"{quote}{raw}{quote}" else 0

    def block_indent(self, node: yaml.ScalarNode) -> int:
        for line in self.lines[node.start_mark.line + 1 :]:
            if line.strip():
                return len(line) - len(line.lstrip(" ")) + 1
        return 0
