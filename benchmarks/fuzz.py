#!/usr/bin/env python3
"""A long fuzzing run: thousands of mutated projects, counted by outcome.

    .venv/bin/python benchmarks/fuzz.py [--cases 5000] [--seed 1] [--show 5]

The cases are those of `tests/test_fuzz.py` (see `tests/fuzzing.py`): the golden project
with one to four mutations of its briefs, entities, topics, `site.yaml` and seeds, drawn
from a seeded random stream, so that a run is repeatable. Each is checked by one
long-lived builder. The goal: 0 internal errors, 0 hangs, 0 mislocated errors. The script
prints the counts and the first failures of each kind, and makes no judgement on them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tests.fuzzing import BAD_BYTES, OPERATIONS, SNIPPETS, TARGETS, Fuzzer, Mutation

ALPHABET = "ab :-#'\"[]{},&*!|>\t\n\r\x00\x01\x7f\x85\u2028\u2029\ufeff\u00e9\U0001f600"


def random_mutation(rng: random.Random) -> Mutation:
    """One mutation, as Hypothesis would draw it in tests/test_fuzz.py."""
    if rng.random() < 0.7:
        snippet = rng.choice(SNIPPETS)
    else:
        snippet = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))
    raw = rng.choice(BAD_BYTES) if rng.random() < 0.1 else b""
    return Mutation(
        rng.randrange(len(TARGETS)),
        rng.choice(OPERATIONS),
        rng.random(),
        rng.random(),
        snippet,
        raw,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=5, help="failures of each kind to print")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    internal: list[tuple[list[Mutation], str]] = []
    hangs: list[list[Mutation]] = []
    mislocated: list[tuple[list[Mutation], str]] = []
    with_errors = 0
    seconds: list[float] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="briefsite-fuzz-") as temp:
        fuzzer = Fuzzer(Path(temp) / "project")
        for number in range(1, args.cases + 1):
            mutations = [random_mutation(rng) for _ in range(rng.randint(1, 4))]
            outcome = fuzzer.run(mutations)
            seconds.append(outcome.seconds)
            with_errors += outcome.errors > 0
            if outcome.internal_error is not None:
                internal.append((mutations, outcome.internal_error))
            if outcome.hang:
                hangs.append(mutations)
            if outcome.mislocated:
                mislocated.append((mutations, "\n".join(outcome.mislocated)))
            if number % 500 == 0:
                print(f"  {number} cases, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    for title, found in (("internal error", internal), ("mislocated", mislocated)):
        for mutations, text in found[: args.show]:
            print(f"--- {title}: {mutations!r}\n{text}")
    for mutations in hangs[: args.show]:
        print(f"--- hang: {mutations!r}")
    ordered = sorted(seconds)
    print(f"cases:            {args.cases} (seed {args.seed})")
    print(f"with errors:      {with_errors}")
    print(f"internal errors:  {len(internal)}")
    print(f"hangs:            {len(hangs)}")
    print(f"mislocated:       {len(mislocated)}")
    print(
        f"check time:       median {statistics.median(ordered) * 1000:.1f} ms, "
        f"p99 {ordered[int(len(ordered) * 0.99) - 1] * 1000:.1f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms; total {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
