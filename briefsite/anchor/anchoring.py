"""Find each note's quote in its seed's document text, after edits to the seed too.

Matching ignores what copy-and-paste and typing change without changing the words (see
`folding`). Offsets in and out are code points of the original document text.

In order: the exact quote, chosen among repeats by `prefix`/`suffix`/`occurrence`; among
repeats that these do not settle, the one whose context scores clearly best; then an
approximate match or a span between the prefix and suffix (`reanchor`). A note is placed
only above the floors documented there; anything else is `ambiguous` or `orphan`, with the
closest candidates in the error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from briefsite.anchor.folding import Normalized, fold, has_prefix, has_suffix, occurrences
from briefsite.anchor.reanchor import (
    SHORT_QUOTE,
    Boundaries,
    Candidate,
    Selector,
    choose,
    eligible,
    fuzzy_candidates,
    score,
)
from briefsite.anchor.selectors import paste_lines, seed_sha256, selectors_for, word_diff, yaml_str
from briefsite.errors import COMMAND, Diagnostics
from briefsite.model import Annotation, Brief, Seed

# How many words of context the ambiguity hint may offer before falling back to occurrence.
_MAX_HINT_WORDS = 8
# How many candidates an unplaced note's error lists.
_SHOWN = 3
Placed = Literal["exact", "moved", "fuzzy"]


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a note's quote was placed in the document text, how, and how well (0 to 1).

    `exact`: the quote and every selector given match. `moved`: the quote matches exactly,
    but its context or position changed. `fuzzy`: the text found differs from the quote.
    """

    note_id: str
    start: int
    end: int
    status: Placed = "exact"
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A note whose quote could not be placed: not found, or found more than once."""

    note_id: str
    status: Literal["ambiguous", "orphan"]


class _Context:
    """One seed, folded, with its word boundaries computed on first use."""

    def __init__(self, seed: Seed) -> None:
        self.seed = seed
        self.doc = Normalized(seed.text)
        self._bounds: Boundaries | None = None

    @property
    def bounds(self) -> Boundaries:
        if self._bounds is None:
            self._bounds = Boundaries(self.doc.text)
        return self._bounds


def reading_order(placed: Iterable[Anchor | Unplaced]) -> list[Anchor]:
    """The placed notes in reading order: by start, and a longer passage before the
    passages nested in it."""
    return sorted((a for a in placed if isinstance(a, Anchor)), key=lambda a: (a.start, -a.end))


def anchor_brief(
    brief: Brief, seed: Seed, diagnostics: Diagnostics
) -> tuple[Anchor | Unplaced, ...]:
    """Place every note of `brief` in `seed`; report each quote not placed or placed
    approximately, and a seed changed since the brief was anchored."""
    ctx = _Context(seed)
    placed = tuple(_anchor(note, ctx, diagnostics) for note in brief.annotations)
    if brief.anchored is not None and brief.anchored.seed_sha256 != seed_sha256(seed):
        _report_changed(brief, ctx, placed, diagnostics)
    return placed


def _selector(note: Annotation, quote: str, doc: Normalized) -> Selector:
    return Selector(
        quote,
        fold(note.prefix).strip(" ") if note.prefix else None,
        fold(note.suffix).strip(" ") if note.suffix else None,
        doc.to_folded(note.start) if note.start is not None else None,
        note.occurrence,
    )


def _anchor(note: Annotation, ctx: _Context, diagnostics: Diagnostics) -> Anchor | Unplaced:
    doc, seed = ctx.doc, ctx.seed
    quote = fold(note.quote).strip(" ")
    starts = occurrences(doc.text, quote)
    if len(starts) == 1 and note.prefix is None and note.suffix is None and note.start is None:
        start, end = doc.span(starts[0], starts[0] + len(quote))  # the common, quick case
        return Anchor(note.id, start, end)
    sel = _selector(note, quote, doc)
    if not starts:
        return _anchor_fuzzy(note, sel, ctx, diagnostics)
    chosen = starts
    if sel.prefix is not None:
        chosen = [s for s in chosen if has_prefix(doc.text, s, sel.prefix)]
    if sel.suffix is not None:
        chosen = [s for s in chosen if has_suffix(doc.text, s + len(quote), sel.suffix)]
    if not chosen:
        best = _by_context(note, sel, starts, doc) or _edited(note, sel, ctx, diagnostics)
        if best is not None:
            return best
        diagnostics.error(
            note.quote_at,
            f"quote is in seed '{seed.slug}' {_times(len(starts))}, but never with the given "
            + " and ".join(
                w for w, v in (("prefix", note.prefix), ("suffix", note.suffix)) if v is not None
            ),
            _choices_hint(
                starts, quote, seed, doc, "fix the prefix/suffix, or use one of these:", sel
            ),
        )
        return Unplaced(note.id, "orphan")
    if note.occurrence is not None:
        if note.occurrence > len(chosen):
            diagnostics.error(
                note.quote_at,
                f"occurrence: {note.occurrence}, but the quote is in seed '{seed.slug}' only "
                f"{_times(len(chosen))}" + (" with that prefix/suffix" if chosen != starts else ""),
                _choices_hint(starts, quote, seed, doc, "choose one of these:"),
            )
            return Unplaced(note.id, "orphan")
        chosen = [chosen[note.occurrence - 1]]
    if len(chosen) > 1:
        best = _by_context(note, sel, chosen, doc) or _edited(note, sel, ctx, diagnostics)
        if best is not None:
            return best
        diagnostics.error(
            note.quote_at,
            f"quote is ambiguous: it is in seed '{seed.slug}' {_times(len(chosen))}",
            _choices_hint(chosen, quote, seed, doc, "add a prefix or suffix to choose one:", sel),
        )
        return Unplaced(note.id, "ambiguous")
    start, end = doc.span(chosen[0], chosen[0] + len(quote))
    # A shift of the whole text is no move while the recorded context still fits exactly.
    moved = note.start not in (None, start) and note.prefix is None and note.suffix is None
    return Anchor(note.id, start, end, "moved" if moved else "exact")


def _by_context(
    note: Annotation, sel: Selector, starts: list[int], doc: Normalized
) -> Anchor | None:
    """Among exact repeats that the selectors did not settle, the one whose context scores
    clearly best; a unique long quote whose context changed is placed as it is."""
    if not sel.has_context and not (len(starts) == 1 and len(sel.quote) >= SHORT_QUOTE):
        return None
    candidates = [score(doc.text, sel, s, s + len(sel.quote), "exact") for s in starts]
    best = choose(candidates, Selector(sel.quote, sel.prefix, sel.suffix, sel.hint))
    if best is None:
        return None
    start, end = doc.span(best.start, best.end)
    return Anchor(note.id, start, end, "moved", round(best.score, 3))


def _edited(
    note: Annotation, sel: Selector, ctx: _Context, diagnostics: Diagnostics
) -> Anchor | None:
    """A long quote whose exact matches lost their context may have been edited where it
    was, its old words now elsewhere by chance: the fuzzy search decides, if it can."""
    if len(sel.quote) < SHORT_QUOTE or not sel.has_context:
        return None
    found = Diagnostics()
    placed = _anchor_fuzzy(note, sel, ctx, found)
    if not isinstance(placed, Anchor):
        return None
    diagnostics.extend(found.items)
    return placed


def _anchor_fuzzy(
    note: Annotation, sel: Selector, ctx: _Context, diagnostics: Diagnostics
) -> Anchor | Unplaced:
    doc, seed = ctx.doc, ctx.seed
    candidates = fuzzy_candidates(doc.text, sel, ctx.bounds) if sel.quote else []
    best = choose(candidates, sel)
    if best is not None:
        start, end = doc.span(best.start, best.end)
        found = seed.text[start:end]
        fix = selectors_for(seed, doc, start, end)
        diagnostics.warning(
            note.quote_at,
            f"quote is not in seed '{seed.slug}' as written; placed on the closest passage, "
            f"{seed.locate(start)} ({_percent(best.quote)} similar, score {best.score:.2f})",
            "\n".join(
                [
                    f"the seed reads: {word_diff(note.quote, found)}",
                    f"paste these selectors, or run `{COMMAND} anchor --write`:",
                    *(f"  {line}" for line in paste_lines(fix)),
                ]
            ),
        )
        return Anchor(note.id, start, end, "fuzzy", round(best.score, 3))
    if not candidates:
        _report_not_found(note, sel.quote, seed, doc, diagnostics)
        return Unplaced(note.id, "orphan")
    close = [c for c in candidates if eligible(c, sel)]
    if len(close) > 1:
        message = (
            f"quote is not in seed '{seed.slug}' as written, and {len(close)} passages are "
            "about equally close to it"
        )
        lead = "choose one of these:"
    else:
        message = f"quote not found in seed '{seed.slug}': {yaml_str(note.quote)}"
        lead = (
            f"a quote under {SHORT_QUOTE} characters is placed only where it matches exactly; "
            "the closest passages:"
            if len(sel.quote) < SHORT_QUOTE
            else "no passage is close enough to place the note on; the closest:"
        )
    hint = [lead] + [_candidate_line(c, ctx) for c in candidates[:_SHOWN]]
    diagnostics.error(note.quote_at, message, "\n".join(hint))
    return Unplaced(note.id, "ambiguous" if len(close) > 1 else "orphan")


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _candidate_line(c: Candidate, ctx: _Context) -> str:
    start, end = ctx.doc.span(c.start, c.end)
    parts = [f"{_percent(c.quote)} similar"]
    if c.context is not None:
        parts.append(f"context {_percent(c.context)}")
    parts.append(f"score {c.score:.2f}")
    fix = selectors_for(ctx.seed, ctx.doc, start, end)
    quote = fold(fix.quote).strip(" ")
    pick = ""
    if len(occurrences(ctx.doc.text, quote)) > 1:
        pick = f", prefix: {yaml_str(fix.prefix)}"
    return f"  {ctx.seed.locate(start)} ({', '.join(parts)}): quote: {yaml_str(fix.quote)}{pick}"


def _report_changed(
    brief: Brief, ctx: _Context, placed: tuple[Anchor | Unplaced, ...], diagnostics: Diagnostics
) -> None:
    assert brief.anchored is not None
    notes = {n.id: n for n in brief.annotations}
    lines = []
    for p in placed:
        if p.status == "exact":
            continue
        note = notes[p.note_id]
        if isinstance(p, Anchor):
            found = ctx.seed.text[p.start : p.end]
            where = ctx.seed.locate(p.start)
            diff = f": {word_diff(note.quote, found)}" if p.status == "fuzzy" else ""
            lines.append(f"{p.note_id} ({p.status}, now at {where}){diff}")
        else:
            lines.append(f"{p.note_id} ({p.status}): {yaml_str(note.quote)}")
    summary = (
        "every note is still on its exact words"
        if not lines
        else f"{len(lines)} note{'s are' if len(lines) > 1 else ' is'} not on exact words:"
    )
    diagnostics.warning(
        brief.anchored.at,
        f"seed '{ctx.seed.slug}' has changed since the notes were anchored on "
        f"{brief.anchored.date.isoformat()}",
        "\n".join(
            [
                summary,
                *(f"  {line}" for line in lines),
                f"check the notes, then run `{COMMAND} anchor {brief.slug} --write`",
            ]
        ),
    )


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _choices_hint(
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
            scored = f" (context {_percent(c.context or 0)}, score {c.score:.2f})"
        choice = _disambiguate(starts, start, quote, seed, doc, number)
        lines.append(f"  {where}{scored}: {choice}")
    return "\n".join(lines)


def _disambiguate(
    starts: list[int], start: int, quote: str, seed: Seed, doc: Normalized, number: int
) -> str:
    """The shortest word-aligned prefix or suffix, within the quote's own paragraph, that
    picks this occurrence alone; `occurrence: N` when there is none."""
    text = doc.text
    orig_start, orig_end = doc.span(start, start + len(quote))
    block = next(b for b in seed.blocks if b.start <= orig_start <= b.end)
    options: list[str] = []
    before = fold(seed.text[block.start : orig_start]).split()
    for words in range(1, min(_MAX_HINT_WORDS, len(before)) + 1):
        prefix = " ".join(before[-words:])
        if [s for s in starts if has_prefix(text, s, prefix)] == [start]:
            options.append(f"prefix: {yaml_str(prefix)}")
            break
    after = fold(seed.text[orig_end : max(block.end, orig_end)]).split()
    for words in range(1, min(_MAX_HINT_WORDS, len(after)) + 1):
        suffix = " ".join(after[:words])
        if [s for s in starts if has_suffix(text, s + len(quote), suffix)] == [start]:
            options.append(f"suffix: {yaml_str(suffix)}")
            break
    return min(options, key=len) if options else f"occurrence: {number}"


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


def _report_not_found(
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
