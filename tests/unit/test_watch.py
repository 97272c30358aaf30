"""The watcher: editor temp files ignored, bursts settled into one batch, polling fallback."""

from __future__ import annotations

import errno
import threading
import time
from pathlib import Path

import pytest
from watchdog.observers.inotify import InotifyObserver

from briefsite.serve import watch
from briefsite.serve.watch import ChangeQueue, is_editor_temp, start_watching


@pytest.mark.parametrize(
    "name",
    [
        "4913",
        ".bus-depot.yaml.swp",
        "bus-depot.yaml.swx",
        "bus-depot.yaml~",
        ".#bus-depot.yaml",
        "#bus-depot.yaml#",
        "bus-depot.yaml___jb_tmp___",
        "bus-depot.yaml___jb_old___",
        ".goutputstream-X1Y2Z3",
    ],
)
def test_editor_temp_files_are_ignored(name: str) -> None:
    assert is_editor_temp(f"/project/content/briefs/{name}")


@pytest.mark.parametrize("name", ["bus-depot.yaml", "x.txt", "brief.html", "49130.txt"])
def test_real_files_are_not_ignored(name: str) -> None:
    assert not is_editor_temp(f"/project/content/briefs/{name}")


def test_nothing_changed_means_no_batch() -> None:
    assert ChangeQueue().take(timeout=0.05) is None


def test_a_burst_becomes_one_batch_after_it_settles() -> None:
    changes = ChangeQueue()
    for i in range(50):
        changes.add(f"/p/content/briefs/b{i}.yaml")
    started = time.monotonic()
    batch = changes.take(timeout=1)
    assert batch is not None
    paths, _ = batch
    assert len(paths) == 50
    assert time.monotonic() - started >= watch.SETTLE_SECONDS * 0.9
    assert changes.take(timeout=0.05) is None


def test_a_steady_stream_is_not_waited_on_for_more_than_about_a_second() -> None:
    changes = ChangeQueue()
    stop = threading.Event()

    def trickle() -> None:
        i = 0
        while not stop.is_set():
            changes.add(f"/p/seeds/s{i}.txt")
            i += 1
            time.sleep(0.02)  # never quiet for the settle time

    thread = threading.Thread(target=trickle)
    thread.start()
    try:
        started = time.monotonic()
        batch = changes.take(timeout=2)
        waited = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
    assert batch is not None and len(batch[0]) > 10
    assert waited < watch.MAX_WAIT_SECONDS + 0.5


def test_changes_during_a_build_go_into_the_next_batch() -> None:
    changes = ChangeQueue()
    changes.add("/p/a.yaml")
    first = changes.take(timeout=1)
    changes.add("/p/b.yaml")  # arrives while the first batch is being built
    second = changes.take(timeout=1)
    assert first is not None and first[0] == {"/p/a.yaml"}
    assert second is not None and second[0] == {"/p/b.yaml"}


def test_native_watching_that_fails_falls_back_to_polling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Exhausted(InotifyObserver):
        def start(self) -> None:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watch, "Observer", Exhausted)
    changes = ChangeQueue()
    watching = start_watching(tmp_path.parent, (tmp_path.name,), [], changes, poll=False)
    try:
        assert watching.polling
        assert watching.reason == (
            "native file watching failed (inotify watch limit reached), polling instead"
        )
        (tmp_path / "new.yaml").write_text("name: x\n", encoding="utf-8")
        batch = changes.take(timeout=3)
        assert batch is not None and str(tmp_path / "new.yaml") in batch[0]
    finally:
        watching.stop()


def test_a_save_by_rename_reports_the_real_file(tmp_path: Path) -> None:
    target = tmp_path / "brief.yaml"
    target.write_text("a\n", encoding="utf-8")
    changes = ChangeQueue()
    watching = start_watching(tmp_path.parent, (tmp_path.name,), [], changes, poll=False)
    try:
        temporary = tmp_path / "brief.yaml___jb_tmp___"
        temporary.write_text("b\n", encoding="utf-8")
        temporary.replace(target)
        batch = changes.take(timeout=3)
        assert batch is not None
        assert str(target) in batch[0]
        assert not any(is_editor_temp(p) for p in batch[0])
    finally:
        watching.stop()


def test_a_watched_folder_created_later_is_watched_from_then_on(tmp_path: Path) -> None:
    changes = ChangeQueue()
    watching = start_watching(tmp_path, ("layouts",), [], changes, poll=False)
    try:
        (tmp_path / "layouts" / "static").mkdir(parents=True)
        assert changes.take(timeout=3) is not None
        time.sleep(0.2)
        (tmp_path / "layouts" / "static" / "site.css").write_text("body{}", encoding="utf-8")
        batch = changes.take(timeout=3)
        assert batch is not None and str(tmp_path / "layouts/static/site.css") in batch[0]
        (tmp_path / "notes.txt").write_text("not a watched folder", encoding="utf-8")
        assert changes.take(timeout=0.5) is None
    finally:
        watching.stop()
