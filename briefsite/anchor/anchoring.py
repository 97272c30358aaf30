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

from briefsite.anchor.explain import (
    candidate_line,
    choices_hint,
    percent,
    report_not_found,
    times,
)
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
from briefsite.model import Annotation, Brief, NoteType, Seed

# The notes that never follow changed words unconfirmed: a verdict stands on the words it
# rated, and a correction on the words it corrects.
GUARDED: tuple[NoteType, ...] = ("claim", "correction")
NOTE_NAMES = {"claim": "claim's verdict", "correction": "correction"}
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
    """A note that is not placed: its quote was not found or found more than once (both
    errors), or the note is retired (its passage is gone from the source: no error)."""

    note_id: str
    status: Literal["ambiguous", "orphan", "retired"]


class _Context:
    """One seed, folded, with its word boundaries computed on first use."""

    def __init__(self, brief: str, seed: Seed) -> None:
        self.brief = brief  # its slug
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
    ctx = _Context(brief.slug, seed)
    placed = tuple(
        Unplaced(note.id, "retired") if note.retired else _anchor(note, ctx, diagnostics)
        for note in brief.annotations
    )
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
            f"quote is in seed '{seed.slug}' {times(len(starts))}, but never with the given "
            + " and ".join(
                w for w, v in (("prefix", note.prefix), ("suffix", note.suffix)) if v is not None
            ),
            choices_hint(
                starts, quote, seed, doc, "fix the prefix/suffix, or use one of these:", sel
            ),
        )
        return Unplaced(note.id, "orphan")
    if note.occurrence is not None:
        if note.occurrence > len(chosen):
            diagnostics.error(
                note.quote_at,
                f"occurrence: {note.occurrence}, but the quote is in seed '{seed.slug}' only "
                f"{times(len(chosen))}" + (" with that prefix/suffix" if chosen != starts else ""),
                choices_hint(starts, quote, seed, doc, "choose one of these:"),
            )
            return Unplaced(note.id, "orphan")
        chosen = [chosen[note.occurrence - 1]]
    if len(chosen) > 1:
        best = _by_context(note, sel, chosen, doc) or _edited(note, sel, ctx, diagnostics)
        if best is not None:
            return best
        diagnostics.error(
            note.quote_at,
            f"quote is ambiguous: it is in seed '{seed.slug}' {times(len(chosen))}",
            choices_hint(chosen, quote, seed, doc, "add a prefix or suffix to choose one:", sel),
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


def _report_fuzzy(
    note: Annotation,
    best: Candidate,
    ctx: _Context,
    start: int,
    end: int,
    diagnostics: Diagnostics,
) -> None:
    """A note placed on words that differ from its quote: a warning with the word diff and
    the selectors to paste; an error for a claim or correction no person confirmed."""
    seed, doc = ctx.seed, ctx.doc
    where = f"{seed.locate(start)} ({percent(best.quote)} similar, score {best.score:.2f})"
    lines = [f"the seed reads: {word_diff(note.quote, seed.text[start:end])}"]
    if best.changed:
        lines.append(
            f"its {' and '.join(best.changed)} changed; the note follows them as the text on "
            "both sides is as it was: the same sentence, edited"
        )
    if note.type in GUARDED and note.reviewed is None:
        diagnostics.error(
            note.quote_at,
            f"{note.type} '{note.id}' would stand on changed words: its quote is not in seed "
            f"'{seed.slug}' as written; the closest passage is {where}",
            "\n".join(
                [
                    *lines,
                    f"a {NOTE_NAMES[note.type]} stands on the words it was written for: read the "
                    "diff, then confirm the new words",
                    f"with `{COMMAND} anchor {ctx.brief} --write` (the quote becomes the seed's "
                    "words), or add `reviewed: YYYY-MM-DD` (the day you checked) to the note",
                ]
            ),
        )
        return
    fix = selectors_for(seed, doc, start, end)
    diagnostics.warning(
        note.quote_at,
        f"quote is not in seed '{seed.slug}' as written; placed on the closest passage, {where}",
        "\n".join(
            [
                *lines,
                f"paste these selectors, or run `{COMMAND} anchor --write`:",
                *(f"  {line}" for line in paste_lines(fix)),
            ]
        ),
    )


def _anchor_fuzzy(
    note: Annotation, sel: Selector, ctx: _Context, diagnostics: Diagnostics
) -> Anchor | Unplaced:
    doc, seed = ctx.doc, ctx.seed
    candidates = fuzzy_candidates(doc.text, sel, ctx.bounds) if sel.quote else []
    best = choose(candidates, sel)
    if best is not None:
        start, end = doc.span(best.start, best.end)
        _report_fuzzy(note, best, ctx, start, end, diagnostics)
        return Anchor(note.id, start, end, "fuzzy", round(best.score, 3))
    if not candidates:
        report_not_found(note, sel.quote, seed, doc, diagnostics)
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
    hint = [lead] + [candidate_line(c, seed, doc) for c in candidates[:_SHOWN]]
    diagnostics.error(note.quote_at, message, "\n".join(hint))
    return Unplaced(note.id, "ambiguous" if len(close) > 1 else "orphan")


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
