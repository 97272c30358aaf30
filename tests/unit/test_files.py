"""Parsed records kept within their bounds: in memory, then packed, then parsed again from
the file, always the same record."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefsite.build import files as files_module
from briefsite.build.files import Files, list_project
from briefsite.build.store import Store
from briefsite.read import records
from briefsite.read.sources import Source

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden"


def _briefs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Files, list[Source], list[str]]:
    """A project's files with one record kept in memory, its briefs, and the names of the
    files parsed from here on."""
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    monkeypatch.setattr(files_module, "RECORDS_KEPT", 1)
    listing = list_project(root)
    files = Files(root, Store.none())
    files.scan(listing.files(), None)
    parsed: list[str] = []
    parse: Callable[..., object] = records.parse_source

    def counted(source: Source, data: bytes) -> object:
        parsed.append(source.shown)
        return parse(source, data)

    monkeypatch.setattr(records, "parse_source", counted)
    return files, [s for s in listing.sources if s.what == "brief"][:2], parsed


def test_a_record_pushed_out_of_memory_is_unpacked_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, (one, other), parsed = _briefs(tmp_path, monkeypatch)
    first = files.record(one)
    files.record(other)  # the first makes way, packed
    assert files.record(one) == first
    assert parsed == [one.shown, other.shown]


def test_a_record_past_both_bounds_is_parsed_again_from_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files_module, "PACKED_BYTES", 1)  # no packed record fits
    files, (one, other), parsed = _briefs(tmp_path, monkeypatch)
    first = files.record(one)
    files.record(other)
    assert files.record(one) == first
    assert parsed == [one.shown, other.shown, one.shown]


def test_a_scan_told_of_one_file_looks_again_at_a_file_it_could_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A brief too large to read is reported; once it is mended, the next rebuild sees it
    even when the watcher names only another file."""
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    listing = list_project(root)
    one, other = [s for s in listing.sources if s.what == "brief"][:2]
    limit = max(Path(s.path).stat().st_size for s in listing.sources if s.what == "brief")
    monkeypatch.setitem(files_module.MAX_BYTES, "brief", limit)
    text = Path(one.path).read_text(encoding="utf-8")
    Path(one.path).write_text(text + "#" * limit + "\n", encoding="utf-8")
    files = Files(root, Store.none())
    files.scan(listing.files(), None)
    assert one.shown in files.problems and files.digest(one.shown) is None
    Path(one.path).write_text(text, encoding="utf-8")
    files.scan(listing.files(), {other.shown})
    assert one.shown not in files.problems and files.digest(one.shown) is not None
