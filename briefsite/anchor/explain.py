"""What the errors and warnings about placing notes say: where the candidates are, how
close they come, and a selector to paste that picks each."""

from __future__ import annotations

from briefsite.anchor.folding import Normalized, fold, has_prefix, has_suffix, occurrences
from briefsite.anchor.reanchor import Candidate, Selector, score
from briefsite.anchor.selectors import selectors_for, yaml_str
from briefsite.errors import Diagnostics
from briefsite.model import Annotation, Seed

# How many words of context the ambiguity hint may offer before falling back to occurrence.
_MAX_HINT_WORDS = 8


def percent(value: float) -> str:
    """A share as a whole percentage."""
    return f"{value * 100:.0f}%"


def candidate_line(c: Candidate, seed: Seed, doc: Normalized) -> str:
    """One of the closest passages to an unplaced quote: where, how close, and what to paste."""
    start, end = doc.span(c.start, c.end)
    parts = [f"{percent(c.quote)} similar"]
    if c.context is not None:
        parts.append(f"context {percent(c.context)}")
    parts.append(f"score {c.score:.2f}")
    if c.changed:
        parts.append(f"its {' and '.join(c.changed)} differ")
    fix = selectors_for(seed, doc, start, end)
    quote = fold(fix.quote).strip(" ")
    pick = ""
    if len(occurrences(doc.text, quote)) > 1:
        pick = f", prefix: {yaml_str(fix.prefix)}"
    return f"  {seed.locate(start)} ({', '.join(parts)}): quote: {yaml_str(fix.quote)}{pick}"


def times(count: int) -> str:
    """`once`, `twice`, `3 times`."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def choices_hint(
    starts: list[int],
    quote: str,
    seed: Seed,
    doc: Normalized,
    lead: str,
    sel: Selector | None = None,
) -> str:
    """Every place of an exact quote with a selector that picks it; with the scores of
    the given prefix/suffix there, when there are any."""
    lines = [lead]
    for number, start in enumerate(starts, start=1):
        where = seed.locate(doc.to_original(start))
        scored = ""
        if sel is not None and sel.has_context:
            c = score(doc.text, sel, start, start + len(quote), "exact")
            scored = f" (context {percent(c.context or 0)}, score {c.score:.2f})"
        key, value = disambiguate(starts, start, quote, seed, doc, number)
        shown = yaml_str(value) if isinstance(value, str) else value
        lines.append(f"  {where}{scored}: {key}: {shown}")
    return "\n".join(lines)


def disambiguate(
    starts: list[int], start: int, quote: str, seed: Seed, doc: Normalized, number: int
) -> tuple[str, str | int]:
    """Among the folded `starts` of a folded quote, what picks the one at `start` alone:
    the shortest word-aligned prefix or suffix within its paragraph, or `occurrence`
    (`number`) when there is none; as (key, value)."""
    text = doc.text
    orig_start, orig_end = doc.span(start, start + len(quote))
    block = next(b for b in seed.blocks if b.start <= orig_start <= b.end)
    options: list[tuple[str, str | int]] = []
    before = fold(seed.text[block.start : orig_start]).split()
    for words in range(1, min(_MAX_HINT_WORDS, len(before)) + 1):
        prefix = " ".join(before[-words:])
        if [s for s in starts if has_prefix(text, s, prefix)] == [start]:
            options.append(("prefix", prefix))
            break
    after = fold(seed.text[orig_end : max(block.end, orig_end)]).split()
    for words in range(1, min(_MAX_HINT_WORDS, len(after)) + 1):
        suffix = " ".join(after[:words])
        if [s for s in starts if has_suffix(text, s + len(quote), suffix)] == [start]:
            options.append(("suffix", suffix))
            break
    if not options:
        return "occurrence", number
    return min(options, key=lambda option: len(str(option[1])))


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words and trim the spaces at its ends."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    while start < end - 1 and text[start] == " ":
        start += 1
    while end > start + 1 and text[end - 1] == " ":
        end -= 1
    return start, max(end, start + 1)


def report_not_found(
    note: Annotation, quote: str, seed: Seed, doc: Normalized, diagnostics: Diagnostics
) -> None:
    hint = "copy the quote exactly from the seed"
    if len(quote) <= len(doc.text):
        from rapidfuzz import fuzz  # only for a quote that is not found

        best = fuzz.partial_ratio_alignment(quote, doc.text)
        if best is not None and best.score > 0:
            start, end = _whole_words(doc.text, best.dest_start, best.dest_end)
            start, end = doc.span(start, end)
            hint = (
                f"the closest passage ({best.score:.0f}% similar) is at {seed.locate(start)}: "
                f"{yaml_str(seed.text[start:end])}"
            )
    diagnostics.error(
        note.quote_at, f"quote not found in seed '{seed.slug}': {yaml_str(note.quote)}", hint
    )
