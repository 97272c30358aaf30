"""Spread independent work over processes: Markdown conversion and page rendering.

The build stays a pure function of its inputs: children are forked after everything
they read is in memory, they write nothing, and results come back in input order, so a
parallel build is byte-identical to a serial one. Small jobs, platforms without `fork`,
and processes that already run threads (the preview server) stay serial.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

_In = TypeVar("_In")
_Out = TypeVar("_Out")

# Below this many items per process, starting the processes costs more than it saves
# (a fork and pickled results take tens of milliseconds; benchmarks/build_speed.py).
MIN_ITEMS_PER_JOB = 200


def default_jobs() -> int:
    """How many processes to use when the user does not say: the CPUs this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking is available and safe here (no other threads to copy half-way)."""
    import multiprocessing  # only where work is spread: costs start-up time otherwise

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def map_chunks(
    work: Callable[[Sequence[_In]], list[_Out]], items: Sequence[_In], jobs: int
) -> list[_Out]:
    """Run `work` over `items` in up to `jobs` forked processes; results keep input order.

    `work` must be a module-level function; it sees the parent's memory as it was at the
    fork, which is how it reaches the project without pickling it.
    """
    jobs = min(jobs, len(items) // MIN_ITEMS_PER_JOB)
    if jobs <= 1 or not can_fork():
        return work(items)
    size = -(-len(items) // (jobs * 4))  # a few chunks per process evens out slow pages
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        parts = pool.map(work, chunks, chunksize=1)
    return [result for part in parts for result in part]
