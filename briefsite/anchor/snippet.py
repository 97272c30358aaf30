"""The note the preview offers for words selected in an article: ready to paste as YAML.

It is made from the seed's document text and the offsets the preview page embeds, never
from the text the browser shows (which has note numbers and screen-reader words in it): the
quote as the seed spells it, a `prefix` or `suffix` only where the quote occurs more than
once, the `start`, a suggested id no note of the brief has, and `type: context` to change.
Pasted under `annotations:`, it places the note on exactly the selected words.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefsite.anchor.explain import disambiguate
from briefsite.anchor.folding import Normalized, fold, occurrences
from briefsite.model import Brief, Seed
from briefsite.read.sources import slug_from
from briefsite.read.yaml_text import yaml_scalar

# How many words of the quote the suggested id is made of.
_ID_WORDS = 4


@dataclass(frozen=True, slots=True)
class Snippet:
    """A note to paste: its YAML (a list item), and the span of the seed it stands on."""

    note_id: str
    start: int
    end: int
    yaml: str


def note_snippet(brief: Brief, seed: Seed, start: int, end: int) -> Snippet | None:
    """The note for the words of `seed` between `start` and `end` (document offsets, white
    space at either end left out); None when there are no words there."""
    text = seed.text
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    quote = " ".join(text[start:end].split())  # a paragraph break reads as a space
    doc = Normalized(text)
    folded = fold(quote).strip(" ")
    starts = occurrences(doc.text, folded)
    here = doc.to_folded(start)
    note_id = _unique_id(brief, quote)
    # Indented as the notes of `annotations:` usually are, to paste at the start of a line.
    lines = [f"  - id: {note_id}", f"    quote: {yaml_scalar(quote)}"]
    if len(starts) > 1 and here in starts:
        key, value = disambiguate(starts, here, folded, seed, doc, starts.index(here) + 1)
        lines.append(f"    {key}: {yaml_scalar(value) if isinstance(value, str) else value}")
    lines += [
        f"    start: {start}",
        "    type: context",
        "    note: Write the note here, in Markdown.",
    ]
    return Snippet(note_id, start, end, "\n".join(lines) + "\n")


def _unique_id(brief: Brief, quote: str) -> str:
    """An id from the first words of the quote that no note of the brief has."""
    base = slug_from(" ".join(quote.split()[:_ID_WORDS]), most=40)
    taken = brief.note_ids
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
