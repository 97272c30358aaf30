"""Where a brief's notes sit on a wide screen, measured in the browser (criteria C1-C5, C8).

- C1: in the margin, each note starts at least `NOTE_GAP` px below the previous one's bottom;
  no two notes overlap.
- C2: drift, a note's top minus the top of its passage's first line. A note *with room* is
  one whose passage starts at least `NOTE_GAP` px below the previous note's bottom.
- C3: the gap between consecutive paragraphs of the article beyond their CSS margin.
- C4: inversions: notes whose top is above a note that comes before them in reading order.
- C5: notes that leave the margin: left of the text column's right edge, beyond the page's
  right edge, or over any text of the article or of the page after it.
- C8: how far any note moved, between two layouts that should be the same.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page

NOTE_GAP = 8

# One read of the page: every shown note of the article (in reading order, which is the
# order of the page's source) with its passage's first line, and the article's text boxes.
_MEASURE = """() => {
  const text = document.querySelector('.article-text');
  const box = el => { const r = el.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left + scrollX,
            right: r.right + scrollX}; };
  const notes = Array.from(text.querySelectorAll('.note'))
    .filter(n => n.getClientRects().length > 0)
    .map(n => {
      const mark = text.querySelector(`mark[data-notes~="${n.id}"]`);
      const first = mark.getClientRects()[0];
      return {id: n.id, ...box(n), passage: first.top + scrollY};
    });
  const paras = Array.from(text.querySelectorAll('p, h3'))
    .filter(p => !p.closest('.note'))
    .map(p => { const s = getComputedStyle(p);
      return {...box(p), mt: parseFloat(s.marginTop), mb: parseFloat(s.marginBottom)}; });
  const after = Array.from(document.querySelectorAll(
      '.end-matter p, .end-matter h2, .end-matter h3, .end-matter li, .end-matter td'))
    .map(box);
  return {notes, paras, after, width: document.documentElement.clientWidth,
          scrollWidth: document.documentElement.scrollWidth};
}"""


def _overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    )


@dataclass(frozen=True)
class Layout:
    """The figures of one brief at one width."""

    notes: int
    overlaps: int  # C1: pairs of notes that overlap or sit closer than NOTE_GAP
    min_gap: float  # C1: the smallest gap between consecutive notes
    roomy_drift: float  # C2: the largest drift of a note with room
    median_drift: float  # C2
    p95_drift: float  # C2
    max_drift: float  # C2
    paragraph_gap: float  # C3: the largest gap beyond the CSS margin
    inversions: int  # C4
    outside: int  # C5
    sideways: bool  # the page scrolls sideways
    tops: tuple[tuple[str, float, float], ...]  # (id, left, top) of every note, for C8
    passages: tuple[float, ...]  # the top of every note's passage

    def row(self) -> str:
        """The figures as one line of a table."""
        return (
            f"{self.notes:>3} notes  C1 overlaps {self.overlaps} (min gap {self.min_gap:.0f})"
            f"  C2 roomy max {self.roomy_drift:.1f}, median {self.median_drift:.0f},"
            f" p95 {self.p95_drift:.0f}, max {self.max_drift:.0f}"
            f"  C3 {self.paragraph_gap:.1f}  C4 {self.inversions}  C5 {self.outside}"
        )


def measure(page: Page) -> Layout:
    """Measure the notes of the brief open in `page`; fails if the premise is false (the
    page has no notes in the margin)."""
    found: dict[str, Any] = page.evaluate(_MEASURE)
    notes, paras = found["notes"], found["paras"]
    assert notes, "the page shows no notes: is it a brief, and wide enough for the margin?"
    text_right = max(p["right"] for p in paras)
    gaps = [b["top"] - a["bottom"] for a, b in itertools.pairwise(notes)]
    overlaps = sum(1 for g in gaps if g < NOTE_GAP - 0.5) + sum(
        1
        for i, a in enumerate(notes)
        for b in notes[i + 2 :]  # consecutive pairs are counted by their gap
        if _overlaps(a, b)
    )
    drifts = [n["top"] - n["passage"] for n in notes]
    roomy = [
        n["top"] - n["passage"]
        for i, n in enumerate(notes)
        if i == 0 or n["passage"] >= notes[i - 1]["bottom"] + NOTE_GAP
    ]
    paragraph_gaps = [
        b["top"] - a["bottom"] - max(a["mb"], b["mt"]) for a, b in itertools.pairwise(paras)
    ]
    inversions = sum(
        1 for i, a in enumerate(notes) for b in notes[i + 1 :] if b["top"] < a["top"] - 0.5
    )
    texts = paras + found["after"]
    outside = sum(
        1
        for n in notes
        if n["left"] < text_right
        or n["right"] > found["width"] + 0.5
        or any(_overlaps(n, t) for t in texts)
    )
    ordered = sorted(drifts)
    return Layout(
        notes=len(notes),
        overlaps=overlaps,
        min_gap=min(gaps, default=float("inf")),
        roomy_drift=max(roomy, key=abs, default=0.0),
        median_drift=statistics.median(drifts),
        p95_drift=ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        max_drift=ordered[-1],
        paragraph_gap=max(paragraph_gaps, default=0.0),
        inversions=inversions,
        outside=outside,
        sideways=found["scrollWidth"] > found["width"],
        tops=tuple((n["id"], n["left"], n["top"]) for n in notes),
        passages=tuple(n["passage"] for n in notes),
    )


def settle(page: Page) -> None:
    """Wait until the page has laid out after a change: fonts loaded and, when the script
    runs, two frames drawn (it places notes in the next frame). Without scripts, reading a
    box lays the page out there and then."""
    page.evaluate("document.fonts.ready.then(() => true)")
    if page.evaluate("document.documentElement.classList.contains('js')"):
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def moved(before: Layout, after: Layout) -> float:
    """How far the note that moved most moved (C8); every note must still be there."""
    assert [t[0] for t in before.tops] == [t[0] for t in after.tops], "notes came or went"
    return max(
        (
            max(abs(a[1] - b[1]), abs(a[2] - b[2]))
            for a, b in zip(before.tops, after.tops, strict=True)
        ),
        default=0.0,
    )
