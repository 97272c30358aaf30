"""Parallel conversion and rendering: same bytes as a serial build, in more than one process."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from briefsite import workers
from tests.conftest import write_project
from tests.helpers import build, check, errors

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden"


def _pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in items]


@pytest.fixture
def small_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let even a tiny job be split, so tests can see the parallel path (also when other
    tests of the session left idle server threads running, which would keep it serial)."""
    monkeypatch.setattr(workers, "MIN_ITEMS_PER_JOB", 1)
    monkeypatch.setattr(workers, "can_fork", lambda: True)


@pytest.mark.usefixtures("small_jobs")
def test_work_is_spread_over_processes_and_keeps_its_order() -> None:
    results = workers.map_chunks(_pids, list(range(40)), jobs=2)
    assert [item for item, _ in results] == list(range(40))
    assert os.getpid() not in {pid for _, pid in results}


def test_a_process_running_threads_stays_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_ITEMS_PER_JOB", 1)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = workers.map_chunks(_pids, list(range(10)), jobs=2)
    finally:
        stop.set()
        thread.join()
    assert {pid for _, pid in results} == {os.getpid()}


def test_small_jobs_stay_in_this_process() -> None:
    results = workers.map_chunks(_pids, list(range(10)), jobs=8)
    assert {pid for _, pid in results} == {os.getpid()}


@pytest.mark.usefixtures("small_jobs")
def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(tmp_path: Path) -> None:
    build(GOLDEN, tmp_path / "serial", jobs=1)
    build(GOLDEN, tmp_path / "parallel", jobs=2)

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    serial = files(tmp_path / "serial")
    assert len(serial) > 10
    assert files(tmp_path / "parallel") == serial


@pytest.mark.usefixtures("small_jobs")
def test_template_errors_found_in_other_processes_are_reported_once(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    for item in GOLDEN.rglob("*"):
        if item.is_file():
            target = root / item.relative_to(GOLDEN)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.read_bytes())
    write_project(root, {"layouts/base.html": "<html>\n{{ site.titel }}\n</html>\n"})
    run = check(root, jobs=2)
    assert [(str(d.location), d.message.split(":")[0]) for d in errors(run)] == [
        ("layouts/base.html:2:1", "template error while rendering index.html")
    ]
