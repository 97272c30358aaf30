"""The search index: what Pagefind indexes of a built site, with which filters and anchors,
and when a build makes it again (never with nothing changed)."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from briefsite.build import search
from briefsite.build.builder import Builder
from briefsite.build.search import BUNDLE, CHANGES, DELTA, INDEXED, PAGES, indexed_build
from briefsite.build.staged import stage_pages
from briefsite.build.store import Store
from briefsite.errors import BriefsiteError
from tests.helpers import build, search_records, site_files

TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "fixtures" / "golden"
HOSTILE = TESTS / "fixtures" / "hostile"


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    output = tmp_path_factory.mktemp("search") / "site"
    build(GOLDEN, output)
    return search_records(output)


def test_the_brief_pages_are_indexed_and_nothing_else(
    records: dict[str, dict[str, object]],
) -> None:
    assert sorted(records) == [
        "/briefs/bus-depot/",
        "/briefs/library-sundays/",
        "/briefs/parking-fees/",
    ]


def test_the_article_and_the_notes_are_indexed(records: dict[str, dict[str, object]]) -> None:
    content = str(records["/briefs/bus-depot/"]["content"])
    assert "Quarry Lane" in content  # the article
    assert "no map was published" in content  # a note
    assert "Back to the passage" not in content  # the notes' way back is not content
    assert "BibTeX" not in content  # nor how to cite it


def test_filters_by_note_type_verdict_topic_and_entity(
    records: dict[str, dict[str, object]],
) -> None:
    filters = records["/briefs/bus-depot/"]["filters"]
    assert isinstance(filters, dict)
    assert sorted(filters) == ["entity", "page", "topic", "type", "verdict"]
    assert filters["page"] == ["briefs/bus-depot/"]  # what a newer index replaces it by
    assert sorted(set(filters["type"])) == [
        "Claim check",
        "Context",
        "Correction",
        "Definition",
        "Open question",
        "Source",
    ]
    assert sorted(set(filters["verdict"])) == ["Missing context", "Unsupported"]
    assert filters["topic"] == ["Transport"]
    assert "Valeline Buses" in filters["entity"]


def test_each_note_is_marked_where_it_starts_and_ends(
    records: dict[str, dict[str, object]],
) -> None:
    anchors = records["/briefs/bus-depot/"]["anchors"]
    assert isinstance(anchors, list)
    ids = [a["id"] for a in anchors]
    for note in ("depot-move", "homes-claim", "open-date"):
        start, end = ids.index(f"{note}_h"), ids.index(f"{note}_end")
        assert start < end
        heading = anchors[start]
        assert heading["element"] == "h4"
        # Nothing but the note itself lies between its heading and its end.
        assert all(not a["id"].endswith("_h") for a in anchors[start + 1 : end])


def test_hostile_text_is_indexed_as_text(tmp_path: Path) -> None:
    build(HOSTILE, tmp_path / "site")
    found = search_records(tmp_path / "site")
    hostile = found["/briefs/hostile/"]
    meta = hostile["meta"]
    assert isinstance(meta, dict)
    assert meta["title"] == (
        'Brief title {{ 7*7 }} <script>alert(1)</script> " onmouseover="alert(1) {% raw %}'
    )
    filters = hostile["filters"]
    assert isinstance(filters, dict)
    assert filters["entity"] == ["Agency {{ 7*7 }} <script>alert(1)</script>"]
    assert filters["topic"] == [
        'Topic {{ 7*7 }} <img src=x onerror=alert(1)> " onmouseover="alert(1)'
    ]
    assert "Seed paragraph {{ 7*7 }}" in str(hostile["content"])


def test_a_build_with_nothing_changed_does_not_index(tmp_path: Path) -> None:
    project, output = _copied(tmp_path)
    assert Builder(project, Store.open(project)).build(output).ok
    marker = output / BUNDLE / INDEXED
    before = marker.stat().st_ino
    again = Builder(project, Store.open(project)).build(output)
    assert again.up_to_date and again.search_seconds == 0.0
    assert marker.stat().st_ino == before


def _edit(project: Path, old: str, new: str) -> None:
    brief = project / "content/briefs/bus-depot.yaml"
    text = brief.read_text(encoding="utf-8")
    assert old in text
    brief.write_text(text.replace(old, new), encoding="utf-8")


def _copied(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the golden project, and where its site goes."""
    project = tmp_path / "project"
    shutil.copytree(GOLDEN, project)
    return project, tmp_path / "site"


def _built(tmp_path: Path) -> tuple[Path, Path, Builder]:
    """A copy of the golden project, and its site as a builder without a cache built it."""
    project, output = _copied(tmp_path)
    builder = Builder(project, Store.none())
    assert builder.build(output).ok
    return project, output, builder


def _live(output: Path) -> str:
    return (output / ".briefsite").read_text(encoding="utf-8").split()[-1]


def test_a_changed_page_is_indexed_alone_beside_the_base(tmp_path: Path) -> None:
    project, output, builder = _built(tmp_path)
    base = sorted(p.stat().st_ino for p in (output / BUNDLE / "fragment").iterdir())
    _edit(project, "since 1974", "since 1974, zanzibar")
    built = builder.build(output)
    assert built.ok and built.search_seconds > 0
    # The base is the one made before (linked, not made again); the delta holds the page.
    assert sorted(p.stat().st_ino for p in (output / BUNDLE / "fragment").iterdir()) == base
    changes = json.loads((output / DELTA / CHANGES).read_text(encoding="utf-8"))
    assert changes["indexed"] == ["briefs/bus-depot/"]
    assert "briefs/bus-depot/" in changes["replaced"]
    assert "entities/millbrook-council/" in changes["replaced"]  # changed, not indexed
    found = search_records(output)
    assert "zanzibar" in str(found["/briefs/bus-depot/"]["content"])
    assert sorted(found) == [
        "/briefs/bus-depot/",
        "/briefs/library-sundays/",
        "/briefs/parking-fees/",
    ]
    assert indexed_build(output) == _live(output)
    # A second edit: the delta still stands for every change since the base.
    _edit(project, "zanzibar", "zanzibar and quokka")
    assert builder.build(output).ok
    assert "quokka" in str(search_records(output)["/briefs/bus-depot/"]["content"])


def test_a_removed_page_leaves_the_search(tmp_path: Path) -> None:
    project, output, builder = _built(tmp_path)
    (project / "content/briefs/parking-fees.yaml").unlink()
    assert builder.build(output).ok
    assert sorted(search_records(output)) == ["/briefs/bus-depot/", "/briefs/library-sundays/"]


def test_past_the_delta_limit_the_base_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, output, builder = _built(tmp_path)
    monkeypatch.setattr(search, "DELTA_LIMIT", 0)
    _edit(project, "since 1974", "since 1974, zanzibar")  # one page to index
    assert builder.build(output).ok
    assert json.loads((output / DELTA / CHANGES).read_text(encoding="utf-8")) == {
        "indexed": [],
        "replaced": [],
    }
    assert "zanzibar" in str(search_records(output)["/briefs/bus-depot/"]["content"])
    made_from = json.loads((output / BUNDLE / PAGES).read_text(encoding="utf-8"))
    assert (
        made_from["briefs/bus-depot/index.html"]
        == builder.build(output).pages["briefs/bus-depot/index.html"].digest
    )


def test_a_change_to_no_page_keeps_the_index_as_it_is(tmp_path: Path) -> None:
    project, output, builder = _built(tmp_path)
    fragments = sorted((output / BUNDLE / "fragment").iterdir())
    inodes = [f.stat().st_ino for f in fragments]
    (project / "layouts/static/assets").mkdir(parents=True)
    (project / "layouts/static/assets/extra.txt").write_text("More.\n", encoding="utf-8")
    built = builder.build(output)
    assert built.ok and "assets/extra.txt" in built.changed
    # The same files, linked from the build before: Pagefind did not run again.
    assert [f.stat().st_ino for f in sorted((output / BUNDLE / "fragment").iterdir())] == inodes
    assert indexed_build(output) == _live(output)


def test_an_index_that_cannot_be_made_leaves_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, output = _copied(tmp_path)
    assert Builder(project, Store.none()).build(output).ok
    before = site_files(output)
    brief = project / "content/briefs/bus-depot.yaml"
    brief.write_text(brief.read_text(encoding="utf-8").replace("1974", "1975"), encoding="utf-8")
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: no room left' >&2\nexit 3\n", encoding="utf-8")
    os.chmod(failing, 0o755)
    monkeypatch.setattr(search, "pagefind_binary", lambda: failing)
    with pytest.raises(BriefsiteError) as caught:
        Builder(project, Store.none()).build(output)
    (problem,) = caught.value.diagnostics
    assert problem.message == "the search index could not be made: Error: no room left"
    assert site_files(output) == before


def test_a_delta_made_while_the_site_is_staged_reads_earlier_changes_from_the_live_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, output, builder = _built(tmp_path)
    _edit(project, "since 1974", "since 1974, zanzibar")
    assert builder.build(output).ok
    # The delta is made before the site is staged: the spare being staged still holds the
    # first build's bus-depot page, and only the live output has the changed one.
    made = threading.Event()
    make_delta = search.make_delta

    def delta_first(*args: Any, **kwargs: Any) -> None:
        make_delta(*args, **kwargs)
        made.set()

    def staged_after(*args: Any, **kwargs: Any) -> Any:
        assert made.wait(60)
        return stage_pages(*args, **kwargs)

    monkeypatch.setattr(search, "make_delta", delta_first)
    monkeypatch.setattr("briefsite.build.builder.stage_pages", staged_after)
    parking = project / "content/briefs/parking-fees.yaml"
    text = parking.read_text(encoding="utf-8")
    parking.write_text(text.replace("the first since", "quokka, the first since"), encoding="utf-8")
    built = builder.build(output)
    assert built.ok and "briefs/bus-depot/index.html" not in built.rendered
    changes = json.loads((output / DELTA / CHANGES).read_text(encoding="utf-8"))
    assert changes["indexed"] == ["briefs/bus-depot/", "briefs/parking-fees/"]
    found = search_records(output)
    assert "zanzibar" in str(found["/briefs/bus-depot/"]["content"])
    assert "quokka" in str(found["/briefs/parking-fees/"]["content"])


def test_a_build_that_fails_while_staging_stops_its_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, output = _copied(tmp_path)

    def torn(*args: Any, **kwargs: Any) -> Any:
        raise OSError("the disk went away")

    # A first build makes a full index, which waits for the staged site to be whole.
    monkeypatch.setattr("briefsite.build.builder.stage_pages", torn)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            Builder(project, Store.none()).build(output)
        except OSError as exc:
            failures.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the build waited for an index of a site it gave up"
    assert [str(f) for f in failures] == ["the disk went away"]
    assert not output.exists()
