"""The persistent cache: kept between runs, never trusted into a wrong page, and never a
reason for a build to fail, whatever state it is found in; builds killed at any moment and
builds run side by side leave the output and the cache usable."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from briefsite.build.builder import Builder
from briefsite.build.output import output_lock
from briefsite.build.store import FOLDER, Store
from briefsite.build.write import FAULT_VARIABLE
from briefsite.cli import main as cli
from tests.helpers import site_files

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "fixtures" / "golden"
BUS = "content/briefs/bus-depot.yaml"
DATABASE = f"{FOLDER}/cache.sqlite"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    return root


def _clean(root: Path, tmp_path: Path) -> dict[str, bytes]:
    output = tmp_path / "clean"
    assert Builder(root, Store.none()).build(output).ok
    return site_files(output)


def _edit(root: Path) -> None:
    path = root / BUS
    path.write_text(path.read_text("utf-8").replace("since 1974", "since 1975"), "utf-8")


def _command(root: Path, output: Path, *extra: str) -> list[str]:
    build = [sys.executable, str(REPO / "build.py"), "build"]
    return [*build, "--project", str(root), "--output", str(output), *extra]


def _build(root: Path, output: Path, *extra: str) -> tuple[int, str, str]:
    done = subprocess.run(
        _command(root, output, *extra),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_the_cache_is_made_in_the_project_and_used_by_the_next_process(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _build(root, tmp_path / "site")[0] == 0
    assert (root / DATABASE).is_file()
    _edit(root)
    code, out, _ = _build(root, tmp_path / "site", "-v")
    assert code == 0
    # The edited brief, the entity page listing its note, and the brief's annotations.
    assert "3 files written" in out
    assert site_files(tmp_path / "site") == _clean(root, tmp_path)


def test_no_cache_drops_it_and_works_from_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _build(root, tmp_path / "site")[0] == 0
    code, _, _ = _build(root, tmp_path / "site", "--no-cache", "-v")
    assert code == 0
    assert not (root / FOLDER).exists()
    assert site_files(tmp_path / "site") == _clean(root, tmp_path)


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def _garbage(db: Path) -> None:
    db.write_bytes(b"this is not a database at all" * 100)


def _folder_in_its_place(db: Path) -> None:
    db.unlink()
    db.mkdir()
    (db / "x").write_text("x", encoding="utf-8")


def _other_version(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE meta SET value = 'another briefsite' WHERE key = 'cache'")


def _corrupt_values(db: Path) -> None:
    # Every value keeps its length and row, but its bytes are no longer what was written.
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT tab, key, value FROM entries").fetchall()
        for tab, key, value in rows:
            flipped = bytes(b ^ 0x5A for b in value)
            connection.execute(
                "UPDATE entries SET value = ? WHERE tab = ? AND key = ?", (flipped, tab, key)
            )


def _wrong_shapes(db: Path) -> None:
    # Intact checksums around values of the wrong shape: as from a cache made by a bug.
    import hashlib
    import marshal

    with sqlite3.connect(db) as connection:
        for tab, key in connection.execute("SELECT tab, key FROM entries").fetchall():
            data = marshal.dumps(("unexpected", 1, None))
            value = hashlib.blake2b(data, digest_size=16).digest() + data
            connection.execute(
                "UPDATE entries SET value = ? WHERE tab = ? AND key = ?", (value, tab, key)
            )


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated": (_truncate, "could not be read"),
    "not a database": (_garbage, "could not be read"),
    "a folder in its place": (_folder_in_its_place, "could not be read"),
    "another version": (_other_version, "another version of briefsite"),
    "corrupt values": (_corrupt_values, ""),
    "values of the wrong shape": (_wrong_shapes, ""),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_cache_is_dropped_and_never_trusted(
    tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    output = tmp_path / "site"
    assert cli.main(["build", "--project", str(root), "--output", str(output)]) == 0
    _edit(root)  # so that a cache trusted as it is would leave a stale page
    harm, note = DAMAGE[damage]
    harm(root / DATABASE)
    capsys.readouterr()
    assert cli.main(["build", "--project", str(root), "--output", str(output), "-v"]) == 0
    err = capsys.readouterr().err
    if note:
        assert f"note: the cache {note}" in err or f"note: the cache was made by {note}" in err
    assert "Traceback" not in err
    assert site_files(output) == _clean(root, tmp_path)
    # The rebuilt cache works for the next build.
    _edit_back = (root / BUS).read_text("utf-8").replace("since 1975", "since 1974")
    (root / BUS).write_text(_edit_back, "utf-8")
    assert cli.main(["build", "--project", str(root), "--output", str(output)]) == 0
    assert site_files(output) == _clean(root, tmp_path)


def test_a_cache_folder_that_cannot_be_made_leaves_the_build_without_a_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    (root / FOLDER).write_text("a file where the cache folder would be", encoding="utf-8")
    assert cli.main(["build", "--project", str(root), "--output", str(tmp_path / "s"), "-v"]) == 0
    assert "note: the cache folder cannot be used" in capsys.readouterr().err
    assert site_files(tmp_path / "s") == _clean(root, tmp_path)


class _FullDisk:
    """A database connection whose writes fail as on a full disk."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute(self, *args: object) -> sqlite3.Cursor:
        return self.real.execute(*args)  # type: ignore[arg-type]

    def executemany(self, *args: object) -> sqlite3.Cursor:
        raise sqlite3.OperationalError("database or disk is full")

    def close(self) -> None:
        self.real.close()


def test_a_cache_that_cannot_be_written_is_a_warning_and_the_build_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    real_open = Store.open

    def full(project: Path, key: str | None = None) -> Store:
        store = real_open(project, key)
        store._db = _FullDisk(store._db)  # type: ignore[assignment,arg-type]
        return store

    monkeypatch.setattr(Store, "open", staticmethod(full))
    assert cli.main(["build", "--project", str(root), "--output", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    assert "warning: the build cache could not be written (database or disk is full)" in err
    assert site_files(tmp_path / "s") == _clean(root, tmp_path)


@pytest.mark.parametrize("step", ["staged", "synced", "swapped", "cleaned"])
def test_a_build_killed_at_each_step_of_the_write_leaves_a_whole_output(
    tmp_path: Path, step: str
) -> None:
    root = _project(tmp_path)
    output = tmp_path / "site"
    assert _build(root, output)[0] == 0
    before = site_files(output)
    _edit(root)
    done = subprocess.run(
        _command(root, output),
        capture_output=True,
        env={**os.environ, FAULT_VARIABLE: step},
        cwd=REPO,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL
    after = site_files(output)
    assert after in (before, _clean(root, tmp_path)), "the old build or the new one, whole"
    assert not list(output.rglob(".briefsite-*")), "no temporary file inside the output"
    # The next build cleans up and finishes the job, with the cache it finds.
    assert _build(root, output)[0] == 0
    assert site_files(output) == _clean(root, tmp_path)
    beside = {p.name for p in tmp_path.iterdir()}
    spares = {".site-spare", ".clean-spare"}  # the builds before, kept to be brought up to date
    assert {"clean", "project", "site"} <= beside <= {"clean", "project", "site", *spares}


def test_builds_killed_at_random_moments_leave_output_and_cache_usable(tmp_path: Path) -> None:
    root = _project(tmp_path)
    output = tmp_path / "site"
    chance = random.Random(8)
    for round_number in range(8):
        if round_number % 2:
            _edit(root)
        process = subprocess.Popen(
            _command(root, output, "--quiet"),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(chance.uniform(0.05, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        text = (root / BUS).read_text("utf-8")
        (root / BUS).write_text(
            text.replace("since 1975", "since 1974")
            if "since 1975" in text
            else text.replace("since 1974", "since 1975"),
            "utf-8",
        )
        if output.exists():
            assert (output / "index.html").is_file(), "an output that exists is whole"
    assert _build(root, output)[0] == 0
    assert site_files(output) == _clean(root, tmp_path)


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    root = _project(tmp_path)
    output = tmp_path / "site"
    with output_lock(output):  # as a first build would hold it
        process = subprocess.Popen(
            _command(root, output),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)
        assert process.poll() is None, "the second build does not write while the first runs"
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "waiting for another build of this output to finish" in out
    assert site_files(output) == _clean(root, tmp_path)


def _rows(root: Path) -> dict[str, int]:
    db = sqlite3.connect(root / DATABASE)
    try:
        return dict(db.execute("SELECT tab, COUNT(*) FROM entries GROUP BY tab").fetchall())
    finally:
        db.close()


def test_a_note_edited_again_and_again_does_not_grow_the_cache_without_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefsite.build import store

    monkeypatch.setattr(store, "_KEPT_GENERATIONS", 6)
    monkeypatch.setattr(store, "_SWEEP_EVERY", 3)
    root = _project(tmp_path)
    output = tmp_path / "site"
    path = root / BUS
    original = path.read_text("utf-8")
    assert "since 1974" in original, "the fixture changed: pick another edit"
    sizes: list[dict[str, int]] = []
    for year in range(1900, 1940):  # each edit is a note text no run will ask for again
        path.write_text(original.replace("since 1974", f"since {year}"), "utf-8")
        kept = Store.open(root)
        assert Builder(root, kept).build(output).ok
        kept.close()
        sizes.append(_rows(root))
    first, last = sizes[5], sizes[-1]
    for table in ("md", "fragment", "page"):
        assert last[table] <= first[table] + 8, (table, first[table], last[table])
    # What the sweep kept is what the next build needs: nothing is rendered again.
    kept = Store.open(root)
    built = Builder(root, kept).build(output)
    kept.close()
    assert built.ok and built.rendered == ()
    assert site_files(output) == _clean(root, tmp_path)


def test_fragments_read_lately_are_kept_in_memory_within_their_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefsite.build import store

    monkeypatch.setattr(store, "_RECENT_BYTES", 64)
    kept = Store.open(tmp_path)
    for key, text in (("a", "x" * 40), ("b", "y" * 40)):
        kept.put("fragment", key, text)
    kept.commit()
    assert kept.get("fragment", "a") == "x" * 40
    assert kept.get("fragment", "b") == "y" * 40  # and "a" no longer fits beside it
    with sqlite3.connect(tmp_path / DATABASE) as db:
        db.execute("DELETE FROM entries")
    assert kept.get("fragment", "b") == "y" * 40, "read again from memory"
    assert kept.get("fragment", "a") is None, "memory holds no more than its bound"
    kept.put("fragment", "b", "z")
    assert kept.get("fragment", "b") == "z", "what is put is what is read"
    kept.delete("fragment", "b")
    assert kept.get("fragment", "b") is None
    kept.close()


def test_a_list_of_fragments_is_read_as_each_would_be_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefsite.build import store

    monkeypatch.setattr(store, "_KEYS_PER_QUERY", 3)  # several queries for one list
    monkeypatch.setattr(store, "_RECENT_BYTES", 1)  # each read from the database
    kept = Store.open(tmp_path)
    for number in range(8):
        kept.put("fragment", f"k{number}", f"text {number}")
    kept.commit()
    kept.put("fragment", "k1", "put, not yet written")
    kept.put("fragment", "k9", "new, not yet written")
    kept.delete("fragment", "k2")
    with sqlite3.connect(tmp_path / DATABASE) as db:
        db.execute("UPDATE entries SET value = x'00' WHERE key = 'k3'")  # damaged
    keys = [f"k{number}" for number in range(11)]
    many = kept.get_many("fragment", keys)
    expected = {key: kept.get("fragment", key) for key in keys}
    assert many == {k: v for k, v in expected.items() if v is not None}
    assert expected["k1"] == "put, not yet written" and expected["k9"] == "new, not yet written"
    assert expected["k2"] is expected["k3"] is expected["k10"] is None
    assert expected["k7"] == "text 7"
    assert Store.none().get_many("fragment", keys) == {}
    kept.close()
