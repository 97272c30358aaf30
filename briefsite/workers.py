"""Spread work over forked processes that keep their own memory between calls.

The build stays a pure function of its inputs: workers are forked once the run knows what
they need, they send back what they made, and results come back in worker order (a
streamed call's parts as they come, for what does not depend on their order), so a
parallel build is byte-identical to a serial one. Platforms without `fork`, and processes
that already run threads (the preview server), stay serial.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

_In = TypeVar("_In")
_Out = TypeVar("_Out")


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


class WorkerFailed(Exception):
    """A worker process raised: a bug; its traceback is the message."""


class Team:
    """Forked processes that each keep their own memory from one call to the next, so work
    can be given to the worker that already read what it needs (its share of the briefs).

    A call sends each worker one argument and returns their results in worker order; a
    streamed call hands on each worker's results part by part, as they come, so that
    neither side holds all of them at once. Functions must be module-level; each worker
    sees the parent's memory as it was at the fork, and nothing of what it does afterwards
    reaches the parent but its results.
    """

    def __init__(self, size: int, setup: Callable[[], None]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._pipes = []
        self._processes = []
        for _ in range(size):
            parent, child = context.Pipe()
            process = context.Process(target=_serve, args=(child, setup), daemon=True)
            process.start()
            child.close()
            self._pipes.append(parent)
            self._processes.append(process)

    @property
    def size(self) -> int:
        """How many workers there are."""
        return len(self._pipes)

    def call(self, work: Callable[[_In], _Out], arguments: Sequence[_In]) -> list[_Out]:
        """Run `work(arguments[i])` in worker i, all at once; their results, in order."""
        for pipe, argument in zip(self._pipes, arguments, strict=True):
            pipe.send((work, argument, False))
        results: list[_Out] = []
        for pipe in self._pipes:
            results.append(_received(pipe.recv(), _DONE))
        return results

    def stream(
        self,
        work: Callable[[_In], Iterable[_Out]],
        arguments: Sequence[_In],
        take: Callable[[int, _Out], None],
    ) -> None:
        """Run `work(arguments[i])` in worker i, all at once, and hand each part it yields
        to `take(i, part)` as it arrives: in order for each worker, in no fixed order
        between workers (a worker waits while the parent has not read its last part)."""
        from multiprocessing.connection import wait

        for pipe, argument in zip(self._pipes, arguments, strict=True):
            pipe.send((work, argument, True))
        running = dict(enumerate(self._pipes))
        while running:
            ready = {id(pipe) for pipe in wait(list(running.values()))}
            for i, pipe in list(running.items()):
                if id(pipe) not in ready:
                    continue
                message = pipe.recv()
                if message[0] == _DONE:
                    del running[i]
                else:
                    take(i, _received(message, _PART))

    def close(self) -> None:
        """End the workers and wait for them."""
        for pipe in self._pipes:
            with contextlib.suppress(OSError):  # the worker is gone already
                pipe.send(None)
            pipe.close()
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()


# What a worker sends: a call's result, one part of a streamed call's, or its traceback.
_DONE, _PART, _FAILED = "done", "part", "failed"


def _received(message: tuple[str, Any], expected: str) -> Any:
    kind, value = message
    if kind == _FAILED:
        raise WorkerFailed(value)
    assert kind == expected, f"a worker sent {kind!r} where {expected!r} was due"
    return value


def _serve(pipe: Any, setup: Callable[[], None]) -> None:
    import traceback

    setup()
    while True:
        message = pipe.recv()
        if message is None:
            return
        work, argument, streamed = message
        try:
            if streamed:
                for part in work(argument):
                    pipe.send((_PART, part))
                pipe.send((_DONE, None))
            else:
                pipe.send((_DONE, work(argument)))
        except BaseException:
            pipe.send((_FAILED, traceback.format_exc()))
