#!/usr/bin/env python3
"""How much memory briefsite's own processes take for a cold build of a large project.

    .venv/bin/python benchmarks/build_memory.py [--briefs N] [--jobs J] [--keep DIR]

The synthetic project of build_speed.py (N briefs, default 1000) is built once, cold (an
empty cache in the project, an output that does not exist), as `build` builds it but
without the search index: Pagefind is a separate binary whose own peak (several GiB at
10,000 briefs) would hide briefsite's, and compare.py times it apart already. The build
runs in a fresh spawned process; the script prints its time, the peak RSS of that process
(the parent, which lists, links and writes) and the largest peak RSS of its forked workers
(which read, derive and render the briefs). It judges nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.build_speed import environment_line, generate  # noqa: E402


def _build(root: str, output: str, jobs: int, conn: Connection) -> None:
    from briefsite.build.builder import Builder
    from briefsite.build.store import Store

    store = Store.open(Path(root))
    try:
        started = time.perf_counter()
        built = Builder(Path(root), store, jobs).build(Path(output), search=False)
        seconds = time.perf_counter() - started
    finally:
        store.close()
    errors = sum(d.severity == "error" for d in built.diagnostics)
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    conn.send((seconds, parent, workers, errors))
    conn.close()


def measure(root: Path, jobs: int) -> tuple[float, int, int, int]:
    """Build `root` cold in a spawned process: seconds, parent's and workers' peak KiB,
    errors."""
    shutil.rmtree(root / ".briefsite-cache", ignore_errors=True)
    shutil.rmtree(root / "output", ignore_errors=True)
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_build, args=(str(root), str(root / "output"), jobs, sender))
    process.start()
    sender.close()
    try:
        found: tuple[float, int, int, int] = receiver.recv()
    except EOFError:
        sys.exit(f"build_memory.py: error: the build process ended (exit code {process.exitcode})")
    process.join()
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the project, build it once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", type=int, default=1000, metavar="N")
    parser.add_argument("--jobs", type=int, default=2, metavar="J")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="a new folder to keep it in")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="briefsite-memory-") as folder:
        root = Path(args.keep or folder).resolve()
        if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
            sys.exit(f"build_memory.py: error: --keep {args.keep} must be a new or empty folder")
        root.mkdir(parents=True, exist_ok=True)
        print(f"generating {args.briefs} briefs in {root} ...", file=sys.stderr)
        generate(root, args.briefs)
        seconds, parent, workers, errors = measure(root, args.jobs)
    if errors:
        sys.exit(f"build_memory.py: error: the generated project has {errors} error(s)")
    print(f"briefsite cold build, no search index: {args.briefs} briefs, --jobs {args.jobs}")
    print(f"  time                      {seconds:8.1f} s")
    print(f"  peak RSS, parent          {parent / 1024:8.0f} MiB")
    print(f"  peak RSS, largest worker  {workers / 1024:8.0f} MiB")
    print(environment_line())
    command = ["benchmarks/build_memory.py", "--briefs", str(args.briefs), "--jobs", str(args.jobs)]
    print(f"reproduce: cd {shlex.quote(str(REPO))} && .venv/bin/python {shlex.join(command)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
