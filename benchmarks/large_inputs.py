#!/usr/bin/env python3
"""Time and memory for large single inputs: a seed of up to 10 MB, a brief of up to 1 MB.

    .venv/bin/python benchmarks/large_inputs.py [--repeat K] [--profile seed|brief]

Two series of projects, each input at 1/8, 1/4, 1/2 and all of its size, so that the
figures show how cost grows with size (linear: seconds and MiB per MB stay level):

- seed:  one brief with 15 notes over a seed made of the synthetic text of
         `benchmarks/build_speed.py`, brief after brief, up to 10 MB;
- brief: one brief whose notes are those of many synthetic briefs (ids kept apart), over a
         seed holding all their text, up to a 1 MB brief file.

Each project is checked (`Builder(root, Store.none()).check()`: read, validate, anchor,
link, render in memory) in a fresh process; the figures are the median wall time of the
call and the process's peak RSS over `--repeat` runs. The script prints figures and makes
no judgement on them; it exits non-zero if a generated project has errors.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.build_speed import (
    BriefSpec,
    brief_yaml,
    generate,
    make_brief,
    make_entities,
    seed_text,
)

SIZES = (0.125, 0.25, 0.5, 1.0)
FULL = {"seed": 10_000_000, "brief": 1_000_000}
PROFILE_SHARE = 0.25
REPO = Path(__file__).resolve().parent.parent


def _unique(brief: BriefSpec, text: str) -> BriefSpec:
    """The brief without the notes whose quote is not once in `text` (white space folded),
    and without related briefs (they are not in the project)."""
    notes = tuple(n for n in brief.notes if text.count(" ".join(n.quote.split())) == 1)
    return dataclasses.replace(brief, notes=notes, related=())


def make_project(root: Path, kind: str, size: int) -> None:
    """A project with one seed of about `size` bytes (kind `seed`) or one brief file of
    about `size` bytes (kind `brief`)."""
    generate(root, 1)
    entities = make_entities()
    briefs = [make_brief(0, 1, entities)]
    seed_parts = [seed_text(briefs[0])]
    total = len(seed_parts[0])
    while total < size:
        brief = make_brief(len(briefs), 1, entities)
        briefs.append(brief)
        body = seed_text(brief).split("\n\n", 1)[1]  # the text, without its headline
        seed_parts.append(body)
        total += len(body) + 2
        if kind == "brief":  # a note is about 600 bytes of YAML to some 270 of seed
            total += int(len(body) * 1.2)
    seed = "\n\n".join(seed_parts)
    folded = " ".join(seed.split())
    first = _unique(briefs[0], folded)
    annotations = [brief_yaml(first, [first], entities)]
    if kind == "brief":
        for index, brief in enumerate(briefs[1:], start=1):
            other = _unique(brief, folded)
            notes = brief_yaml(other, [other], entities).split("annotations:\n", 1)[1]
            notes = re.sub(r"(- id: |\(#)(n\d\d-)", rf"\g<1>b{index}-\g<2>", notes)
            annotations.append(notes)
    (root / "seeds" / f"{first.slug}.txt").write_text(seed, "utf-8")
    (root / "content/briefs" / f"{first.slug}.yaml").write_text("".join(annotations), "utf-8")


def measure(root: Path) -> dict[str, object]:
    """Check the project in this process: seconds, peak RSS, errors."""
    from briefsite.build.builder import Builder
    from briefsite.build.store import Store

    builder = Builder(root, Store.none())
    started = time.perf_counter()
    run = builder.check()
    seconds = time.perf_counter() - started
    errors = [d.format() for d in run.diagnostics if d.severity == "error"]
    peak = _peak_kib()
    return {"seconds": seconds, "peak_kib": peak, "errors": errors[:5], "notes": run.notes}


def _peak_kib() -> int:
    """This process's peak resident memory (ru_maxrss would include the parent's, which
    Linux carries over a fork and an exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(root: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(root)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _profile(root: Path) -> None:
    profile = cProfile.Profile()
    profile.runcall(measure, root)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", choices=sorted(FULL))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(measure(args.child)))
        return 0
    failed = False
    with tempfile.TemporaryDirectory(prefix="briefsite-large-") as temp:
        if args.profile:
            root = Path(temp) / "project"
            make_project(root, args.profile, int(FULL[args.profile] * PROFILE_SHARE))
            _profile(root)
            return 0
        print(f"{'input':<7} {'size':>10} {'notes':>6} {'seconds':>8} {'s/MB':>6} "
              f"{'peak MiB':>9} {'MiB/MB':>7}")  # fmt: skip
        for kind, full in FULL.items():
            for share in SIZES:
                root = Path(temp) / f"{kind}-{share}"
                make_project(root, kind, int(full * share))
                path = next((root / ("seeds" if kind == "seed" else "content/briefs")).iterdir())
                size = path.stat().st_size
                runs = [_child(root) for _ in range(args.repeat)]
                seconds = statistics.median(float(str(r["seconds"])) for r in runs)
                peak = statistics.median(int(str(r["peak_kib"])) for r in runs) / 1024
                megabytes = size / 1e6
                print(
                    f"{kind:<7} {size:>10,} {runs[0]['notes']!s:>6} {seconds:>8.2f} "
                    f"{seconds / megabytes:>6.2f} {peak:>9.0f} {peak / megabytes:>7.1f}",
                    flush=True,
                )
                errors = runs[0]["errors"]
                if isinstance(errors, list) and errors:
                    failed = True
                    print("  errors:", *errors, sep="\n    ")
                shutil.rmtree(root)
    print(f"median of {args.repeat} runs each; command: {' '.join(sys.argv)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
