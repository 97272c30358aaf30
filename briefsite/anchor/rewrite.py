"""`./build.py anchor`: record each note's selectors and the seed's hash in its brief file.

The file is edited in place by targeted text edits at the positions PyYAML reports: only the
values of `quote` (for a fuzzy fix, which also removes a `reviewed` that confirmed it),
`prefix`, `suffix`, `start` (of the notes whose other selectors changed), `occurrence`
(removed, as the context now chooses) and `anchored` change; comments, key order, quoting
style and every other byte stay as they were.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefsite.anchor.anchoring import Anchor, Unplaced
from briefsite.anchor.folding import Normalized
from briefsite.anchor.selectors import seed_sha256, selectors_for
from briefsite.errors import BriefsiteError, SourceLocation
from briefsite.model import Brief, Seed
from briefsite.read.yaml_bounds import mask_breaks
from briefsite.read.yaml_text import yaml_scalar

_NOTE_KEYS = ("quote", "prefix", "suffix", "start")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `text[start:end]` with `new`; insertions at one place keep their `order`."""

    start: int
    end: int
    new: str
    order: int = 0


@dataclass(frozen=True, slots=True)
class Plan:
    """What `anchor` would do to one brief file."""

    brief: str
    path: Path
    old: str
    new: str
    refused: tuple[str, ...]  # note ids that are ambiguous or orphan

    def diff(self) -> str:
        """A unified diff of the file, empty when nothing changes."""
        return "".join(
            difflib.unified_diff(
                self.old.splitlines(keepends=True),
                self.new.splitlines(keepends=True),
                f"a/{self.brief}",
                f"b/{self.brief}",
            )
        )


def plan_anchor(
    root: Path,
    brief: Brief,
    seed: Seed,
    placed: tuple[Anchor | Unplaced, ...],
    today: dt.date,
) -> Plan:
    """Work out a brief file's new text from its notes' places (`placed`)."""
    path = root / brief.path
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3 if bom else 0 :].decode("utf-8")
    refused = tuple(p.note_id for p in placed if isinstance(p, Unplaced) and p.status != "retired")
    doc = Normalized(seed.text)
    notes = {n.id: n for n in brief.annotations}
    values: dict[str, dict[str, str | int | None]] = {}
    for p in placed:
        if not isinstance(p, Anchor):
            continue
        note = notes[p.note_id]
        sel = selectors_for(seed, doc, p.start, p.end)
        quote = sel.quote if p.status == "fuzzy" else None
        prefix, suffix = sel.prefix or None, sel.suffix or None
        # `start` is only a hint: a note whose selectors stay as they are keeps its old one,
        # so that an edit that shifts the text does not rewrite every note's line.
        same = (
            quote is None
            and (prefix, suffix) == (note.prefix, note.suffix)
            and note.occurrence is None
            and note.start is not None
        )
        values[p.note_id] = {
            "quote": quote,
            "prefix": prefix,
            "suffix": suffix,
            "start": note.start if same else sel.start,
            "occurrence": None,
            # Once the quote is the seed's words again, there is nothing left to confirm.
            "reviewed": None if quote is not None or note.reviewed is None else "kept",
        }
    sha = seed_sha256(seed)
    # A brief whose selectors and hash are already current keeps its anchored date.
    new = _edit(text, brief, values, sha, None)
    if new != text:
        new = _edit(text, brief, values, sha, today)
    prefix = "\ufeff" if bom else ""
    return Plan(brief.path, path, prefix + text, prefix + new, refused)


def _edit(
    text: str,
    brief: Brief,
    values: dict[str, dict[str, str | int | None]],
    sha: str,
    today: dt.date | None,
) -> str:
    # Read as the build reads it: U+0085, U+2028 and U+2029 masked (one character for one,
    # so every mark's index is the text's), not taken for line breaks.
    masked, _ = mask_breaks(text)
    try:
        root = yaml.compose(masked, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # the build read it a moment ago; a race with an editor
        raise BriefsiteError.at(
            SourceLocation(brief.path),
            f"cannot re-read: {exc}",
            "the file changed while it was anchored: run the command again",
        ) from exc
    if not isinstance(root, yaml.MappingNode):
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    editor = _Editor(text, newline)
    keys = _pairs(root)
    if "annotations" in keys and isinstance(keys["annotations"][1], yaml.SequenceNode):
        for item in keys["annotations"][1].value:
            if not isinstance(item, yaml.MappingNode):
                continue
            fields = _pairs(item)
            note_id = fields.get("id", (None, None))[1]
            if isinstance(note_id, yaml.ScalarNode) and note_id.value in values:
                editor.note(item, fields, values[note_id.value])
    date = today or (brief.anchored.date if brief.anchored else dt.date.today())
    editor.anchored(root, keys, sha, date)
    return editor.apply()


def _pairs(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


class _Editor:
    def __init__(self, text: str, newline: str) -> None:
        self.text = text
        self.newline = newline
        self.edits: list[Edit] = []

    def apply(self) -> str:
        out: list[str] = []
        cursor = 0
        for e in sorted(self.edits, key=lambda e: (e.start, e.order)):
            out.append(self.text[cursor : max(cursor, e.start)] + e.new)
            cursor = max(cursor, e.end)
        out.append(self.text[cursor:])
        return "".join(out)

    def line_after(self, node: yaml.Node) -> int:
        """Where a line inserted after `node`'s value begins."""
        end = node.end_mark.index
        if end > 0 and self.text[end - 1] == "\n":
            return end
        at = self.text.find("\n", end)
        if at == -1:
            self.edits.append(Edit(len(self.text), len(self.text), self.newline, -1))
            return len(self.text)
        return at + 1

    def note(
        self,
        item: yaml.MappingNode,
        fields: dict[str, tuple[yaml.Node, yaml.Node]],
        new: dict[str, str | int | None],
    ) -> None:
        quote_key, quote_value = fields["quote"]
        style = quote_value.style if isinstance(quote_value, yaml.ScalarNode) else None
        after: yaml.Node = quote_value
        order = 0
        for key in _NOTE_KEYS:
            value = new[key]
            if key in fields:
                node = fields[key][1]
                if value is None:
                    if key != "quote":
                        self.remove(item, fields[key])
                    continue
                self.replace(node, value)
                after = node
                continue
            if value is None:
                continue
            order += 1
            rendered = _scalar(value, style)
            if item.flow_style:
                self.edits.append(
                    Edit(after.end_mark.index, after.end_mark.index, f", {key}: {rendered}", order)
                )
            else:
                at = self.line_after(after)
                indent = " " * quote_key.start_mark.column
                self.edits.append(Edit(at, at, f"{indent}{key}: {rendered}{self.newline}", order))
        if "occurrence" in fields:
            self.remove(item, fields["occurrence"])
        if "reviewed" in fields and new["reviewed"] is None:
            self.remove(item, fields["reviewed"])

    def replace(self, node: yaml.Node, value: str | int, plain: bool = False) -> None:
        if not isinstance(node, yaml.ScalarNode):
            return
        if isinstance(value, int) and node.value == str(value):
            return
        if isinstance(value, str) and node.value == value:
            return
        style = node.style if node.style in ("'", '"') else None
        rendered = str(value) if plain else _scalar(value, style)
        end = node.end_mark.index
        if node.style in ("|", ">"):  # a block scalar runs to the next key's line
            rendered += self.newline
        self.edits.append(Edit(node.start_mark.index, end, rendered))

    def remove(self, item: yaml.MappingNode, pair: tuple[yaml.Node, yaml.Node]) -> None:
        key, value = pair
        if item.flow_style:
            index = [k for k, _ in item.value].index(key)
            start = item.value[index - 1][1].end_mark.index if index else key.start_mark.index
            end = value.end_mark.index
            if not index and len(item.value) > 1:
                end = item.value[1][0].start_mark.index
            self.edits.append(Edit(start, end, ""))
            return
        line_start = self.text.rfind("\n", 0, key.start_mark.index) + 1
        if self.text[line_start : key.start_mark.index].strip():
            return  # the key shares its line with another (`- occurrence: 2`): leave it
        self.edits.append(Edit(line_start, self.line_after(value), ""))

    def anchored(
        self,
        root: yaml.MappingNode,
        keys: dict[str, tuple[yaml.Node, yaml.Node]],
        sha: str,
        date: dt.date,
    ) -> None:
        if "anchored" in keys and isinstance(keys["anchored"][1], yaml.MappingNode):
            node = keys["anchored"][1]
            children = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            if "seed_sha256" in children and "date" in children:
                self.replace(children["seed_sha256"], sha, plain=True)
                self.replace(children["date"], date.isoformat(), plain=True)
                return
            key = keys["anchored"][0]
            self.edits.append(Edit(key.start_mark.index, self.line_after(node), ""))
        block = (
            f"anchored:{self.newline}  seed_sha256: {sha}{self.newline}"
            f"  date: {date.isoformat()}{self.newline}"
        )
        if "annotations" in keys:
            at = keys["annotations"][0].start_mark.index
        else:
            at = len(self.text)
            if self.text and not self.text.endswith("\n"):
                block = self.newline + block
        self.edits.append(Edit(at, at, block, 1))


def _scalar(value: str | int, style: str | None) -> str:
    """A YAML scalar for `value`, in the given quoting style where that is safe."""
    if isinstance(value, int):
        return str(value)
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style is None:
        return yaml_scalar(value)
    return json.dumps(value, ensure_ascii=False)


def anchor_slugs(briefs: Sequence[str], known: Sequence[str]) -> list[str]:
    """The briefs to anchor: those named, or every brief; unknown names raise ValueError."""
    missing = [b for b in briefs if b not in known]
    if missing:
        raise ValueError(", ".join(missing))
    return list(briefs) or sorted(known)
