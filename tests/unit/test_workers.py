"""Work spread over forked workers: each keeps its memory between calls, a failure is
reported, and a parallel build writes the same bytes and reports the same problems as a
serial one."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from briefsite import workers
from briefsite.build import briefs, derive
from briefsite.build.builder import Builder
from briefsite.build.store import Store
from briefsite.read.markup import Html, MarkdownRenderer
from briefsite.render.templates import render_fragment
from tests.conftest import write_project
from tests.helpers import errors, site_files

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden"

_seen: list[int] = []  # what a worker was given so far: its own memory between calls


def _remember(item: int) -> tuple[int, list[int]]:
    _seen.append(item)
    return os.getpid(), list(_seen)


def _fail(item: int) -> int:
    raise ValueError(f"no good: {item}")


def test_each_worker_keeps_its_memory_from_one_call_to_the_next() -> None:
    team = workers.Team(2, lambda: None)
    try:
        first = team.call(_remember, [1, 2])
        second = team.call(_remember, [3, 4])
    finally:
        team.close()
    pids = [pid for pid, _ in first]
    assert len(set(pids)) == 2 and os.getpid() not in pids
    assert [pid for pid, _ in second] == pids  # worker i gets argument i
    assert [seen for _, seen in second] == [[1, 3], [2, 4]]
    assert _seen == []  # nothing of what the workers did reached this process


def test_a_failing_worker_is_reported_with_its_traceback() -> None:
    team = workers.Team(2, lambda: None)
    try:
        with pytest.raises(workers.WorkerFailed) as failed:
            team.call(_fail, [1, 2])
    finally:
        team.close()
    assert "ValueError: no good: 1" in str(failed.value)


def _parts(item: tuple[int, str]) -> Iterator[tuple[int, int, bytes]]:
    """Parts larger than a pipe holds; the second is made only once the parent has taken
    the first (`flag` appears)."""
    count, flag = item
    for i in range(count):
        if i == 1:
            deadline = time.monotonic() + 10
            while not Path(flag).exists():
                if time.monotonic() > deadline:
                    raise TimeoutError("the first part was not taken while the worker ran")
                time.sleep(0.01)
        yield os.getpid(), i, bytes(300_000)


def _fail_after_one(item: int) -> Iterator[int]:
    yield item
    raise ValueError(f"no good after {item}")


def test_a_streamed_call_hands_on_each_part_as_it_comes_in_order(tmp_path: Path) -> None:
    flags = [tmp_path / "0", tmp_path / "1"]
    taken: list[list[tuple[int, int]]] = [[], []]

    def take(worker: int, part: tuple[int, int, bytes]) -> None:
        pid, i, data = part
        assert len(data) == 300_000
        taken[worker].append((pid, i))
        flags[worker].touch()

    team = workers.Team(2, lambda: None)
    try:
        team.stream(_parts, [(5, str(flags[0])), (3, str(flags[1]))], take)
    finally:
        team.close()
    assert [[i for _, i in parts] for parts in taken] == [[0, 1, 2, 3, 4], [0, 1, 2]]
    pids = [{pid for pid, _ in parts} for parts in taken]
    assert len(pids[0] | pids[1]) == 2 and os.getpid() not in pids[0] | pids[1]


def test_a_worker_failing_in_a_streamed_call_is_reported_after_its_parts() -> None:
    taken: list[tuple[int, int]] = []
    team = workers.Team(2, lambda: None)
    try:
        with pytest.raises(workers.WorkerFailed) as failed:
            team.stream(_fail_after_one, [1, 2], lambda worker, part: taken.append((worker, part)))
    finally:
        team.close()
    assert "ValueError: no good after" in str(failed.value)
    assert taken and all(part == worker + 1 for worker, part in taken)


def test_a_process_running_threads_forms_no_team() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not workers.can_fork()
    finally:
        stop.set()
        thread.join()


@pytest.fixture
def teams(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Let even a tiny project be built by a team (also when other tests of the session
    left idle server threads running, which would keep it serial); the sizes formed."""
    formed: list[int] = []
    real = workers.Team.__init__

    def spy(self: workers.Team, size: int, setup: object) -> None:
        formed.append(size)
        real(self, size, setup)  # type: ignore[arg-type]

    monkeypatch.setattr(briefs, "MIN_BRIEFS_FOR_A_TEAM", 1)
    monkeypatch.setattr(briefs, "BRIEFS_PER_PART", 1)  # every brief's work handed on alone
    monkeypatch.setattr(briefs, "can_fork", lambda: True)
    monkeypatch.setattr(workers.Team, "__init__", spy)
    return formed


def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(
    tmp_path: Path, teams: list[int]
) -> None:
    assert Builder(GOLDEN, Store.none(), 1).build(tmp_path / "serial").ok
    assert teams == []
    assert Builder(GOLDEN, Store.none(), 2).build(tmp_path / "parallel").ok
    assert teams == [2]
    serial = site_files(tmp_path / "serial")
    assert len(serial) > 10
    assert site_files(tmp_path / "parallel") == serial


def test_a_parallel_build_with_a_cache_writes_the_same_bytes_and_leaves_a_cache_to_use(
    tmp_path: Path, teams: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the workers hand on goes into the cache as it comes, and is read back from it:
    # the list pages, built in the parent, are made of the cards the workers rendered.
    assert Builder(GOLDEN, Store.none(), 1).build(tmp_path / "serial").ok
    root = tmp_path / "p"
    shutil.copytree(GOLDEN, root)
    made: list[str] = []  # the conversions and fragments made in this process
    converter = MarkdownRenderer.convert

    def fragment(*args: Any) -> Markup:
        made.append(args[3])
        return render_fragment(*args)

    def convert(self: MarkdownRenderer, text: str) -> Html:
        made.append(text)
        return converter(self, text)

    monkeypatch.setattr(derive, "render_fragment", fragment)
    store = Store.open(root)
    try:
        assert Builder(root, store, 2).build(tmp_path / "parallel").ok
    finally:
        store.close()
    assert teams == [2]
    assert made == []  # the parent rendered no card: it had the workers' from the cache
    serial = site_files(tmp_path / "serial")
    assert site_files(tmp_path / "parallel") == serial
    shutil.rmtree(tmp_path / "parallel")
    monkeypatch.setattr(MarkdownRenderer, "convert", convert)
    store = Store.open(root)
    try:
        again = Builder(root, store, 2).build(tmp_path / "parallel")
    finally:
        store.close()
    assert made == []  # every conversion and fragment came from the cache
    assert again.ok and teams == [2]  # nothing to derive again: no second team
    assert sorted(again.rendered) == sorted(serial)  # every page written again, from the cache
    assert site_files(tmp_path / "parallel") == serial


def test_problems_found_in_workers_are_reported_once_as_a_serial_run_reports_them(
    tmp_path: Path, teams: list[int]
) -> None:
    root = tmp_path / "p"
    shutil.copytree(GOLDEN, root)
    write_project(root, {"layouts/base.html": "<html>\n{{ site.titel }}\n</html>\n"})
    brief = root / "content/briefs/bus-depot.yaml"
    brief.write_text(brief.read_text("utf-8").replace("entity:valeline", "entity:valeine"))
    serial = Builder(root, Store.none(), 1).check()
    assert [d.message for d in errors(serial)] == [
        "link to unknown entity 'valeine' (entity:valeine)"
    ] * 3
    parallel = Builder(root, Store.none(), 2).check()
    assert teams == [2]
    assert parallel.diagnostics == serial.diagnostics
    brief.write_text(brief.read_text("utf-8").replace("entity:valeine", "entity:valeline"))
    templates = Builder(root, Store.none(), 2).check()
    assert [(str(d.location), d.message.split(":")[0]) for d in errors(templates)] == [
        ("layouts/base.html:2:1", "template error while rendering index.html")
    ]
