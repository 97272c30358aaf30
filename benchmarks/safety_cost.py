#!/usr/bin/env python3
"""What the build's safety costs: Jinja's sandbox, and flushing the output to disk.

    .venv/bin/python benchmarks/safety_cost.py [--briefs 1000] [--repeat 3] [--jobs 2]
    .venv/bin/python benchmarks/safety_cost.py --same-process 4   # the sandbox alone

A synthetic project (`benchmarks/build_speed.py: generate`) is built cold into a new
output folder, then one note is edited and built again by the same builder, in a fresh
process for each run, in three variants:

- `safe`:      as shipped: layouts rendered in the sandbox, the output flushed (`syncfs`)
               before it is swapped in, and the swap's folder entry flushed after;
- `plain`:     layouts rendered by a plain `jinja2.Environment`, no sandbox;
- `unflushed`: no flush before or after the swap.

It prints the median of `--repeat` runs of each figure and the differences; `build_cpu` is
the build's CPU time in its process (with `--jobs 1`, all of it), which a busy machine
disturbs far less than wall time. A flush writes
out whatever else is waiting on the same file system too, so its cost varies with what
else the machine writes. The script prints figures and makes no judgement on them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.build_speed import generate

VARIANTS = ("safe", "plain", "unflushed")
FIGURES = ("build", "build_cpu", "build_write", "edit", "edit_write")
REPO = Path(__file__).resolve().parent.parent


def measure(root: Path, output: Path, variant: str, jobs: int) -> dict[str, float]:
    """One cold build and one edit's rebuild in this process, as `variant` says."""
    import jinja2

    from briefsite.build import write
    from briefsite.build.builder import Builder
    from briefsite.build.store import Store
    from briefsite.render import templates

    if variant == "plain":

        class Plain(jinja2.Environment):
            """No sandbox: every attribute read directly."""

        templates._Sandbox = Plain  # type: ignore[misc,assignment]
    elif variant == "unflushed":
        write._sync = lambda folder: None
        write._sync_folder = lambda folder: None
    builder = Builder(root, Store.none(), jobs)
    started, cpu = time.perf_counter(), time.process_time()
    built = builder.build(output)
    build, build_cpu = time.perf_counter() - started, time.process_time() - cpu
    if not built.ok:
        raise RuntimeError(f"the generated project has errors: {built.diagnostics[:3]}")
    brief = sorted((root / "content" / "briefs").glob("*.yaml"))[0]
    text = brief.read_text("utf-8")
    brief.write_text(text.replace("summary: >-\n  ", "summary: >-\n  Edited. ", 1), "utf-8")
    started = time.perf_counter()
    edited = builder.build(output, {brief})
    edit = time.perf_counter() - started
    brief.write_text(text, "utf-8")
    return {
        "build": build,
        "build_cpu": build_cpu,
        "build_write": built.write_seconds,
        "edit": edit,
        "edit_write": edited.write_seconds,
    }


def sandbox_in_one_process(root: Path, pairs: int) -> tuple[list[float], list[float]]:
    """CPU seconds of `check` (every page rendered in memory, `--jobs 1`), alternately with
    and without the sandbox in this one process, so that what differs is the sandbox."""
    import jinja2

    from briefsite.build.builder import Builder
    from briefsite.build.store import Store
    from briefsite.render import templates

    class Plain(jinja2.Environment):
        """No sandbox: every attribute read directly."""

    sandboxed = templates._Sandbox
    safe: list[float] = []
    plain: list[float] = []
    for _ in range(pairs):
        for environment, times in ((sandboxed, safe), (Plain, plain)):
            templates._Sandbox = environment  # type: ignore[misc,assignment]
            cpu = time.process_time()
            run = Builder(root, Store.none(), 1).check()
            times.append(time.process_time() - cpu)
            if not run.ok:
                raise RuntimeError("the generated project has errors")
    templates._Sandbox = sandboxed  # type: ignore[misc]
    return safe, plain


def _child(root: Path, variant: str, jobs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="briefsite-out-") as out:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(root), variant, str(jobs), out],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
        )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--child":
        project, variant, jobs, out = sys.argv[2:6]
        print(json.dumps(measure(Path(project), Path(out) / "site", variant, int(jobs))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--briefs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--same-process",
        type=int,
        metavar="PAIRS",
        help="instead, time `check` with and without the sandbox PAIRS times in one process",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefsite-safety-") as temp:
        root = Path(temp) / "project"
        generate(root, args.briefs)
        if args.same_process:
            safe_cpu, plain_cpu = sandbox_in_one_process(root, args.same_process)
            a, b = statistics.median(safe_cpu), statistics.median(plain_cpu)
            print(f"{args.briefs} briefs, check in one process, CPU seconds, {args.same_process} "
                  f"pairs: sandbox {[round(t, 2) for t in safe_cpu]}, "
                  f"plain {[round(t, 2) for t in plain_cpu]}")  # fmt: skip
            print(f"sandbox:  median {a:.2f} s against {b:.2f} s: {(a - b) / b * 100:+.1f}%")
            return 0
        runs: dict[str, list[dict[str, float]]] = {v: [] for v in VARIANTS}
        for attempt in range(args.repeat):  # interleaved, so that drift hits every variant
            for variant in VARIANTS:
                runs[variant].append(_child(root, variant, args.jobs))
                print(f"  run {attempt + 1} {variant}: {runs[variant][-1]}", file=sys.stderr)
    median = {v: {f: statistics.median(r[f] for r in runs[v]) for f in FIGURES} for v in VARIANTS}
    print(f"{args.briefs} briefs, --jobs {args.jobs}, median of {args.repeat} runs (seconds)")
    print(f"{'variant':<10}" + "".join(f"{f:>13}" for f in FIGURES))
    for variant in VARIANTS:
        print(f"{variant:<10}" + "".join(f"{median[variant][f]:>13.3f}" for f in FIGURES))
    safe, plain, unflushed = (median[v] for v in VARIANTS)
    sandbox = safe["build"] - plain["build"]
    cpu = safe["build_cpu"] - plain["build_cpu"]
    print(f"sandbox:  {sandbox:+.2f} s of a {safe['build']:.2f} s build "
          f"({sandbox / plain['build'] * 100:+.1f}%); in CPU time {cpu:+.2f} s of "
          f"{safe['build_cpu']:.2f} s ({cpu / plain['build_cpu'] * 100:+.1f}%); "
          f"edit {(safe['edit'] - plain['edit']) * 1000:+.0f} ms")  # fmt: skip
    flush = safe["build_write"] - unflushed["build_write"]
    share = flush / unflushed["build"] * 100
    edit_flush = (safe["edit_write"] - unflushed["edit_write"]) * 1000
    print(f"flush:    {flush:+.2f} s of the build's write ({share:+.1f}% of the build); "
          f"edit's write {edit_flush:+.0f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
