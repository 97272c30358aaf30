"""Work spread over forked workers: each keeps its memory between calls, a failure is
reported, and a parallel build writes the same bytes and reports the same problems as a
serial one."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from briefsite import workers
from briefsite.build import briefs
from briefsite.build.builder import Builder
from briefsite.build.store import Store
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
