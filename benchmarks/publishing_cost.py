#!/usr/bin/env python3
"""What each publishing output adds to a build of a large synthetic project.

    .venv/bin/python benchmarks/publishing_cost.py [--briefs 1000] [--repeat 3]

On the synthetic project of build_speed.py (default 1000 briefs), each repeat:

1. a cold build (`--jobs 1`, no cache) in a fresh process, with every step that makes a
   publishing output timed where it runs: the feeds (site, topic and entity feeds, with
   the briefs' entries they are made of), the sitemap and robots.txt, the brief pages'
   JSON-LD, the W3C annotations (the brief pages of annotations and the collection), and
   the Pagefind run;
2. a build with nothing changed, in a fresh process with the cache warm;
3. a one-note edit, then a build in a fresh process with the cache warm, and how much of
   it was the search index; the same note edited again; then ten edits, each to another
   brief, each built so (the index of pages changed since its base grows with each, see
   build/search.py), with their median and largest time.

It prints the median of the repeats and every run on stderr; it judges nothing. The
machine's load changes these figures a lot: compare runs made together.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.build_speed import generate  # noqa: E402

# Runs in a fresh process: a cold build with the publishing steps timed where they run.
COLD = """
import json, sys, time
from collections import defaultdict
from pathlib import Path
from briefsite.build import derive
from briefsite.build.builder import Builder
from briefsite.build.store import Store
from briefsite.site import plan
spent = defaultdict(float)
GROUPS = {"feed": "feeds", "topic-feed": "feeds", "entity-feed": "feeds",
          "sitemap": "sitemap", "robots": "sitemap",
          "annotations": "annotations", "collection": "annotations"}
render, entry_view, structured = derive.render, derive.entry_view, plan.structured_data
def timed_render(planner, layouts, key):
    started = time.perf_counter()
    try:
        return render(planner, layouts, key)
    finally:
        group = GROUPS.get(key.kind)
        if group:
            spent[group] += time.perf_counter() - started
def timed_entry(planner, slug):
    started = time.perf_counter()
    try:
        return entry_view(planner, slug)
    finally:
        spent["feeds"] += time.perf_counter() - started  # entries are what feeds are made of
def timed_structured(planner, placed, title):
    started = time.perf_counter()
    try:
        return structured(planner, placed, title)
    finally:
        spent["json-ld"] += time.perf_counter() - started
derive.render, derive.entry_view, plan.structured_data = timed_render, timed_entry, timed_structured
root, output = Path(sys.argv[1]), Path(sys.argv[2])
started = time.perf_counter()
built = Builder(root, Store.open(root), 1).build(output)
total = time.perf_counter() - started
assert built.ok, [d.format() for d in built.diagnostics[:5]]
spent["pagefind"] = built.search_seconds
print(json.dumps({"total": total, **spent}))
"""

# Runs in a fresh process: a build with the cache warm, as `build.py build` would.
WARM = """
import json, sys, time
from pathlib import Path
from briefsite.build.builder import Builder
from briefsite.build.store import Store
root, output = Path(sys.argv[1]), Path(sys.argv[2])
started = time.perf_counter()
store = Store.open(root)
built = Builder(root, store, 2).build(output)
store.close()
total = time.perf_counter() - started
assert built.ok
print(json.dumps({"total": total, "pagefind": built.search_seconds,
                  "rendered": len(built.rendered), "up_to_date": built.up_to_date}))
"""


def _child(script: str, root: Path, output: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", script, str(root), str(output)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"a timed build failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout)
    return result


def _edit(path: Path, number: int) -> None:
    """Change one word of the first note (as edit_latency.py does)."""
    text = path.read_text(encoding="utf-8")
    marker = "    note: |\n"
    at = text.index(marker) + len(marker)
    end = text.index("\n", at)
    line = re.sub(r" \(edit \d+\)$", "", text[at:end])
    path.write_text(f"{text[:at]}{line} (edit {number}){text[end:]}", encoding="utf-8")


def main(argv: Sequence[str]) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", type=int, default=1000, help="briefs (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats (default 3)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="briefsite-publishing-"))
    runs: list[dict[str, float]] = []
    try:
        root = folder / "project"
        print(f"generating {args.briefs} briefs in {root} ...", file=sys.stderr)
        generate(root, args.briefs)
        briefs = sorted((root / "content" / "briefs").glob("*.yaml"))
        for number in range(1, args.repeat + 1):
            output = folder / "output"
            for leftover in (output, folder / ".output-spare", root / ".briefsite-cache"):
                shutil.rmtree(leftover, ignore_errors=True)
            cold = _child(COLD, root, output)
            time.sleep(1.1)  # past the window in which a just-written file's stamp is doubted
            _child(WARM, root, output)  # the stamps settle
            same = _child(WARM, root, output)
            _edit(briefs[number % len(briefs)], number)
            edited = _child(WARM, root, output)
            _edit(briefs[number % len(briefs)], number + 100)
            again = _child(WARM, root, output)
            spread = []
            for other in range(10):
                _edit(briefs[(number * 100 + other * 7 + 1) % len(briefs)], number)
                spread.append(_child(WARM, root, output))
            run = {
                **{f"cold {k}": v for k, v in cold.items()},
                "nothing changed": same["total"],
                "nothing changed: pagefind": same["pagefind"],
                "one note edited": edited["total"],
                "one note edited: pagefind": edited["pagefind"],
                "same note edited again": again["total"],
                "same note edited again: pagefind": again["pagefind"],
                "10 edits to other briefs: median": statistics.median(e["total"] for e in spread),
                "10 edits to other briefs: largest": max(e["total"] for e in spread),
                "10 edits: pagefind median": statistics.median(e["pagefind"] for e in spread),
            }
            print(f"run {number}: {json.dumps(run)}", file=sys.stderr)
            runs.append(run)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"briefsite publishing outputs, {args.briefs} briefs, median of {len(runs)} runs")
    print(f"{'what':<40} {'seconds':>9}")
    for name in runs[0]:
        print(f"{name:<40} {statistics.median(r[name] for r in runs):>9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
