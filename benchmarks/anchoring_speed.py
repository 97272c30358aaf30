#!/usr/bin/env python3
"""How long anchoring takes: the exact path for a brief, the fuzzy path for a note.

    .venv/bin/python benchmarks/anchoring_speed.py [--repeat K]

The seed is about 4 KB: the article in `seeds/` followed by one of the evaluation texts.
Fifteen notes are recorded on it as `build.py anchor` would (quote, prefix, suffix, start).

- exact:  `anchor_brief` for the 15 notes on the unchanged seed, every note `exact`;
- fuzzy:  one note a call whose quote is no longer in the seed (a typo fixed in it), so the
  approximate and bracketed searches run; and the slowest case, a quote that was deleted,
  which searches everything and places nothing.

Each figure is the median and the 95th percentile of K runs, after one warm-up run, with the
garbage collector off while timing (on a shared machine a single run can still be slow).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from briefsite.anchor.anchoring import Anchor, Unplaced, anchor_brief
from briefsite.anchor.folding import Normalized
from briefsite.anchor.selectors import selectors_for
from briefsite.errors import Diagnostics, SourceLocation
from briefsite.model import Annotation, Brief, Ref, Seed, Text
from briefsite.read.seeds import parse_seed

REPO = Path(__file__).resolve().parent.parent
AT = SourceLocation("content/briefs/bench.yaml", 1, 1)
QUOTES = [
    "specially trained Border Patrol unit",
    "Some 100 agents will be sent to assist the ICE deportation force",
    "the official said",
    "exacerbated by the rise of sanctuary jurisdictions",
    "the front lines of the sanctuary city debate",
    "asking ICE for extra help to detain migrants",
    "forced to make at-large arrests of criminal aliens",
    "recently suspended security pre-clearance programs",
    "John Cohen",
    "raising concerns about moving agents away",
    "204 pounds of fentanyl",
    "first reported by the New York Times",
    "deepen the main harbour channel by two metres",
    "Maria Costa",
    "ran two years late and cost nearly twice its budget",
]


def _seed(text: str) -> Seed:
    return parse_seed(text, "bench", "seeds/bench.txt")


def _note(n: int, quote: str, seed: Seed, typo: bool = False) -> Annotation:
    start = seed.text.index(quote)
    sel = selectors_for(seed, Normalized(seed.text), start, start + len(quote))
    written = quote.replace("e", "ee", 1) if typo else sel.quote
    return Annotation(
        id=f"n{n}",
        at=AT,
        quote=written,
        quote_at=AT,
        prefix=sel.prefix,
        suffix=sel.suffix,
        occurrence=None,
        type="context",
        note=Text("x", AT),
        entities=(),
        sources=(),
        verdict=None,
        start=sel.start,
    )


def _brief(*notes: Annotation) -> Brief:
    return Brief(
        slug="bench",
        path="content/briefs/bench.yaml",
        seed=Ref("bench", AT),
        title=None,
        summary=None,
        key_points=(),
        published=dt.date(2026, 1, 1),
        updated=None,
        authors=(),
        source=None,
        topics=(),
        related=(),
        corrections=(),
        annotations=notes,
        note_ids=frozenset(n.id for n in notes),
    )


def _anchor(brief: Brief, seed: Seed) -> object:
    return anchor_brief(brief, seed, Diagnostics())


def _time(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    call()
    runs = []
    gc.disable()
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            runs.append(time.perf_counter() - started)
    finally:
        gc.enable()
    return statistics.median(runs) * 1000, statistics.quantiles(runs, n=20)[-1] * 1000


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="runs a figure (default 200)")
    args = parser.parse_args()
    text = (REPO / "seeds/border-patrol-sanctuary-cities.txt").read_text("utf-8").rstrip()
    text += "\n\n" + (REPO / "tests/anchoring/texts/harbour-dredging.txt").read_text("utf-8")
    seed = _seed(text)
    print(f"seed: {len(seed.text.encode())} bytes, {len(QUOTES)} notes")

    exact = _brief(*(_note(n, q, seed) for n, q in enumerate(QUOTES)))
    placed = anchor_brief(exact, seed, Diagnostics())
    assert all(isinstance(p, Anchor) and p.status == "exact" for p in placed)
    median, worst = _time(lambda: anchor_brief(exact, seed, Diagnostics()), args.repeat)
    print(f"exact path, 15 notes:        median {median:.3f} ms, 95th percentile {worst:.3f} ms")

    fuzzy = [_brief(_note(n, q, seed, typo=True)) for n, q in enumerate(QUOTES) if len(q) >= 15]
    for brief in fuzzy:
        (one,) = anchor_brief(brief, seed, Diagnostics())
        assert isinstance(one, Anchor) and one.status == "fuzzy", brief.annotations[0].quote
    times = [_time(functools.partial(_anchor, b, seed), args.repeat // 4) for b in fuzzy]
    print(
        f"fuzzy path, a note:          median {statistics.median(t[0] for t in times):.3f} ms, "
        f"slowest note: median {max(t[0] for t in times):.3f} ms, "
        f"95th percentile {max(t[1] for t in times):.3f} ms"
    )

    gone = _note(0, QUOTES[1], seed)
    cut = _seed(text.replace(QUOTES[1], "A number of officers will help"))
    (result,) = anchor_brief(_brief(gone), cut, Diagnostics())
    assert isinstance(result, Unplaced)
    median, worst = _time(lambda: anchor_brief(_brief(gone), cut, Diagnostics()), args.repeat // 4)
    print(f"deleted quote (orphan), a note: median {median:.3f} ms, 95th percentile {worst:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
