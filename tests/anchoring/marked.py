"""Article text as paragraphs of sentences, with the quote marked by two private-use
characters so that every edit carries the ground truth along."""

from __future__ import annotations

import re

OPEN, CLOSE = "\ue000", "\ue001"
_SPLIT = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"”\ue001])|(?<=[.!?][\"”]\ue001)) (?=[\"“\ue000]*[A-Z])"
)
Doc = list[list[str]]  # paragraphs of sentences, the quote marked


def parse(text: str) -> Doc:
    """Paragraphs of sentences."""
    return [_SPLIT.split(p) for p in text.split("\n\n")]


def join(doc: Doc) -> str:
    """The text again, empty sentences and paragraphs left out."""
    return "\n\n".join(" ".join(s for s in p if s) for p in doc if any(p))


def marked_at(doc: Doc) -> tuple[int, int]:
    """(paragraph, sentence) of the marked quote."""
    for i, p in enumerate(doc):
        for j, s in enumerate(p):
            if OPEN in s or CLOSE in s:
                return i, j
    raise LookupError("no marked sentence")
