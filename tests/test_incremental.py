"""Incremental builds write exactly what a clean build writes, after any sequence of edits.

Each step of a random sequence of edits is built three ways: by one long-lived builder (as
`serve` does), by a fresh process that has only the persistent cache to go on (as `build`
after an earlier `build`), and by a clean build with no cache at all. The three outputs and
the three lists of diagnostics, warnings included, must be identical after every step:
every page and every document (feeds, sitemap, robots.txt, annotations) byte for byte, and
the search index by what it holds for each page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefsite.build.builder import Builder
from briefsite.build.built import Built
from briefsite.build.store import Store
from briefsite.render.layouts import BUILTIN_LAYOUTS
from tests.helpers import search_records, site_files

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
REPO = Path(__file__).resolve().parent.parent
Edit = Callable[[Path], set[Path]]

BUS = "content/briefs/bus-depot.yaml"
BUS_SEED = "seeds/millbrook-bus-depot.txt"
FEES_SEED = "seeds/millbrook-parking-fees.txt"
LIBRARY_SEED = "seeds/millbrook-library-sundays.txt"


def _fixture_file(relative: str) -> None:
    # An edit that names a file the fixture does not have would test nothing: fail loudly.
    assert (GOLDEN / relative).is_file(), f"the golden fixture has no {relative}"


RENAMED = {"content/briefs/parking-fees.yaml": "content/briefs/fees.yaml"}


def _current(root: Path, relative: str) -> Path:
    """Where a fixture file is now: renamed by another edit, or, when another edit removed
    it, put back as the fixture has it."""
    path = root / relative
    renamed = RENAMED.get(relative)
    if not path.exists() and renamed is not None and (root / renamed).exists():
        return root / renamed
    if not path.exists():
        path.write_bytes((GOLDEN / relative).read_bytes())
    return path


def _toggle(relative: str, old: str, new: str) -> Edit:
    """Replace `old` by `new`, or back when the file already has `new`: every application
    changes the file."""
    _fixture_file(relative)

    def edit(root: Path) -> set[Path]:
        path = _current(root, relative)
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        else:
            assert new in text, f"{relative} has neither {old!r} nor {new!r}"
            path.write_text(text.replace(new, old, 1), encoding="utf-8")
        return {path}

    return edit


def _exists(relative: str, text: str) -> Edit:
    """Create a file, or remove it when it is there."""

    def edit(root: Path) -> set[Path]:
        path = root / relative
        if path.exists():
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return {path}

    return edit


def _remove(relative: str) -> Edit:
    """Remove a file of the fixture, or put it back."""
    _fixture_file(relative)
    return _exists(relative, (GOLDEN / relative).read_text(encoding="utf-8"))


def _rename(old: str, new: str) -> Edit:
    _fixture_file(old)

    def edit(root: Path) -> set[Path]:
        source, target = (
            (root / old, root / new) if (root / old).exists() else (root / new, root / old)
        )
        assert source.exists(), f"neither {old} nor {new} exists"
        source.rename(target)
        return {root / old, root / new}

    return edit


def _override_template(name: str, old: str, new: str) -> Edit:
    builtin = (BUILTIN_LAYOUTS / name).read_text(encoding="utf-8")
    assert old in builtin, f"the built-in {name} has no {old!r}"
    return _exists(f"layouts/{name}", builtin.replace(old, new))


def _touch(relative: str) -> Edit:
    _fixture_file(relative)

    def edit(root: Path) -> set[Path]:
        path = _current(root, relative)
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        return {path}

    return edit


EDITS: dict[str, Edit] = {
    "note text": _toggle(BUS, "has run the depot since 1974.", "has run the depot since 1975."),
    "brief title": _toggle(
        BUS, "seed: millbrook-bus-depot\n", "seed: millbrook-bus-depot\ntitle: A depot\n"
    ),
    "seed typo fixed": _toggle(BUS_SEED, "Quarry Lane to", "Quarry  Lane to"),
    "seed loses a quote": _toggle(BUS_SEED, "ring road", "bypass"),
    "seed gains text": _toggle(FEES_SEED, "\n", "\n\nA new paragraph.\n"),
    "seed with a new mention": _toggle(
        LIBRARY_SEED, "\n", "\n\nValeline and the Millbrook Town Council agreed.\n"
    ),
    "new entity with an alias in the seeds": _exists(
        "content/entities/quarry-lane.yaml", "name: Quarry Lane\nkind: place\n"
    ),
    "entity deleted": _remove("content/entities/valeline.yaml"),
    "entity alias changed": _toggle(
        "content/entities/valeline.yaml", "aliases:", "aliases: [X]\n#"
    ),
    "entity summary changed": _toggle(
        "content/entities/ada-penrose.yaml",
        "name: Ada Penrose",
        "name: Ada Penrose\nurl: https://ada.example.test/",
    ),
    "topic added": _exists("content/topics/housing.yaml", "name: Housing\nsummary: Homes.\n"),
    "topic deleted": _remove("content/topics/transport.yaml"),
    "brief deleted": _remove("content/briefs/library-sundays.yaml"),
    "brief renamed": _rename("content/briefs/parking-fees.yaml", "content/briefs/fees.yaml"),
    "brief added": _exists(
        "content/briefs/depot-two.yaml",
        "seed: millbrook-bus-depot\npublished: 2025-06-01\ntitle: Second look\nsummary: Again.\n",
    ),
    "site title": _toggle("content/site.yaml", "title:", "title: New -"),
    "broken YAML": _toggle(BUS, "topics: [transport]\n", "topics: [transport\n"),
    "fuzzy quote": _toggle(
        BUS, "quote: move the town's bus depot", "quote: move the towns bus depot"
    ),
    "brief template overridden": _override_template("brief.html", "<h1>", "<h1 class='x'>"),
    "base template overridden": _override_template("base.html", "<footer", "<footer data-x"),
    "cards template overridden": _override_template(
        "_cards.html", '<li class="brief-card">', '<li class="brief-card x">'
    ),
    "brief template broken": _override_template("brief.html", "<h1", "{% if %}<h1"),
    "note now about another entity": _toggle(
        BUS, "    entities: [millbrook-council]", "    entities: [millbrook-council, valeline]"
    ),
    "static file added": _exists("layouts/static/humans.txt", "Made in Millbrook.\n"),
    "stylesheet overridden": _exists("layouts/static/assets/site.css", "body { margin: 0 }\n"),
    "file touched, unchanged": _touch(BUS),
    "related brief dropped": _toggle(
        "content/briefs/library-sundays.yaml", "related: [bus-depot]", "related: []"
    ),
    "headline of a seed whose brief has no summary": _toggle(
        FEES_SEED, "Parking fees to rise", "Parking charges to rise"
    ),
    "correction added": _toggle(
        BUS, "corrections:\n", "corrections:\n  - date: 2025-03-20\n    note: A later fix.\n"
    ),
    "brief authors changed": _toggle(
        BUS, "authors: [Sam Okafor, Priya Nandakumar]", "authors: [Sam Okafor]"
    ),
    "brief date moved": _toggle(
        "content/briefs/parking-fees.yaml", "published: 2025-02-20", "published: 2025-05-01"
    ),
    "base_url removed": _toggle(
        "content/site.yaml", "base_url: https://briefs.example.test/millbrook/\n", ""
    ),
    "site image added": _toggle(
        "content/site.yaml",
        "language: en-GB",
        "language: en-GB\nimage: {url: 'https://img.example.test/a.png', alt: A card}",
    ),
    "related brief added": _toggle(
        "content/briefs/parking-fees.yaml", "published:", "related: [bus-depot]\npublished:"
    ),
    # What the claims pages show of a brief: each claim's quote, rating and verdict, and
    # the brief's title (above) and date (the claims of the newest brief come first).
    "verdict rating": _toggle(BUS, "rating: missing-context", "rating: misleading"),
    # Its own seed is left without a brief (a note), and its quotes are not in the other.
    "brief takes another seed": _toggle(
        "content/briefs/library-sundays.yaml",
        "seed: millbrook-library-sundays",
        "seed: millbrook-bus-depot",
    ),
    "verdict summary": _toggle(
        BUS, "summary: Valeline has published no figures.", "summary: No figures were given."
    ),
    "claim quote": _toggle(
        BUS, "quote: cut empty running by 15 per cent", "quote: cut empty running"
    ),
    "note becomes a claim": _toggle(
        BUS,
        "    type: question\n    note: Which site",
        "    type: claim\n    verdict: {rating: false, summary: No site.}\n    note: Which site",
    ),
    "claims of a brief reordered by its date": _toggle(
        "content/briefs/library-sundays.yaml", "published: 2025-04-02", "published: 2024-04-02"
    ),
    "claim becomes a context note": _toggle(
        "content/briefs/library-sundays.yaml",
        "    type: claim\n    note: The survey asked only people already using the library.\n"
        "    verdict:\n      rating: mostly-accurate\n"
        "      summary: The figure is right, for the people who were asked.\n",
        "    type: context\n    note: The survey asked only people already using the library.\n",
    ),
}

# A fresh process with only the project's persistent cache to go on.
FRESH = """
import json, sys
from pathlib import Path
from briefsite.build.builder import Builder
from briefsite.build.store import Store
root, output = Path(sys.argv[1]), Path(sys.argv[2])
built = Builder(root, Store.open(root)).build(output)
print(json.dumps({"ok": built.ok, "diagnostics": [d.format() for d in built.diagnostics]}))
"""


def _fresh_process(root: Path, output: Path) -> tuple[bool, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", FRESH, str(root), str(output)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    return found["ok"], found["diagnostics"]


def _formatted(built: Built) -> list[str]:
    return [d.format() for d in built.diagnostics]


class ThreeWays:
    """One project built three ways after each edit: a long-lived builder with the cache, a
    fresh process with the cache, and a clean build without it."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.root = tmp / "project"
        shutil.copytree(GOLDEN, self.root)
        self.live = Builder(self.root, Store.open(self.root))

    def check(self, hint: set[Path] | None = None) -> Built:
        # The fresh process first: the cache's states are then the ones its output was made
        # from (the long-lived builder derived the same), and it fingerprints only the pages
        # whose inputs changed since, where that is enough (`since.py`).
        fresh_ok, fresh_diagnostics = _fresh_process(self.root, self.tmp / "fresh")
        live = self.live.build(self.tmp / "live", hint)
        clean = Builder(self.root, Store.none()).build(self.tmp / "clean")
        assert _formatted(live) == _formatted(clean), "the long-lived builder's diagnostics"
        assert fresh_diagnostics == _formatted(clean), "the fresh process's diagnostics"
        assert live.ok == fresh_ok == clean.ok
        if clean.ok:
            expected = site_files(self.tmp / "clean")
            assert site_files(self.tmp / "live") == expected
            assert site_files(self.tmp / "fresh") == expected
            # The search index, whose file names are not reproducible: what it finds.
            found = search_records(self.tmp / "clean")
            assert search_records(self.tmp / "live") == found
            assert search_records(self.tmp / "fresh") == found
        return live


@settings(
    max_examples=int(os.environ.get("BRIEFSITE_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=5), st.booleans())
def test_incremental_output_equals_a_clean_build_after_every_step(
    tmp_path_factory: pytest.TempPathFactory, edits: list[str], hinted: bool
) -> None:
    # `hinted`: the long-lived builder is told which paths changed, as the watcher tells
    # it when serving; otherwise it looks at every file itself.
    ways = ThreeWays(tmp_path_factory.mktemp("incremental"))
    ways.check()
    for name in edits:
        touched = EDITS[name](ways.root)
        ways.check(touched if hinted else None)


def test_every_kind_of_edit_is_applied_through_all_three(tmp_path: Path) -> None:
    # Each edit at least once, in a fixed order, seed edits included.
    ways = ThreeWays(tmp_path)
    ways.check()
    for name in sorted(EDITS):
        ways.check(EDITS[name](ways.root))


def test_each_edit_made_alone_to_a_whole_site_is_applied_through_all_three(
    tmp_path: Path,
) -> None:
    # Each edit made to the site as it was built whole, and then undone: what a long-lived
    # builder remembers of the last good run (its recall) is used for every one of them.
    ways = ThreeWays(tmp_path)
    assert ways.check().ok
    for name in sorted(EDITS):
        before = _files(ways.root)
        touched = EDITS[name](ways.root)
        ways.check(touched)
        assert ways.check(_restore(ways.root, before)).ok, f"{name}, undone"


def test_a_seed_without_a_brief_that_becomes_unreadable_is_reported_for_that_alone(
    tmp_path: Path,
) -> None:
    ways = ThreeWays(tmp_path)
    seed = ways.root / "seeds" / "spare.txt"
    seed.write_text("A spare seed\n\nIts text.\n", encoding="utf-8")
    built = ways.check()
    assert built.ok and any("seed 'spare' has no brief" in d.message for d in built.diagnostics)
    seed.write_bytes(b"A spare seed\n\n\xff\n")  # not UTF-8
    built = ways.check({seed})
    assert not any("has no brief" in d.message for d in built.diagnostics)
    assert [d.location.path for d in built.diagnostics if d.severity == "error"] == [
        "seeds/spare.txt"
    ]


def _files(root: Path) -> dict[Path, bytes]:
    """The project's sources and layouts (not the cache beside them), with their bytes."""
    folders = [root / name for name in ("seeds", "content", "layouts")]
    return {p: p.read_bytes() for folder in folders for p in folder.rglob("*") if p.is_file()}


def _restore(root: Path, files: dict[Path, bytes]) -> set[Path]:
    """Put the project's files back as they were; the paths that changed."""
    now = _files(root)
    for path in set(now) - set(files):
        path.unlink()
    for path, data in files.items():
        if now.get(path) != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return {path for path in set(now) | set(files) if now.get(path) != files.get(path)}


def test_only_pages_whose_inputs_changed_are_rendered(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    builder = Builder(root, Store.none())
    first = builder.build(tmp_path / "output")
    html = [p for p in first.pages if p.endswith(".html")]
    assert first.ok and len(first.rendered) == len(first.pages) and len(html) == 22
    EDITS["note text"](root)
    second = builder.build(tmp_path / "output")
    assert second.ok
    # The brief, its annotations and the pages listing that note: not the other briefs,
    # not the lists, not the feeds or the sitemap (which show no note).
    assert second.changed == (
        "briefs/bus-depot/annotations.jsonld",
        "briefs/bus-depot/index.html",
        "entities/millbrook-council/index.html",
    )
    assert set(second.rendered) == set(second.changed)
    third = builder.build(tmp_path / "output")
    assert third.ok and third.rendered == () and third.changed == ()


def test_a_build_with_nothing_changed_reads_nothing(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    assert Builder(root, Store.open(root)).build(tmp_path / "output").ok
    _settle(root)
    assert Builder(root, Store.open(root)).build(tmp_path / "output").ok  # stamps now settled
    again = Builder(root, Store.open(root))
    built = again.build(tmp_path / "output")
    assert built.ok and built.up_to_date and built.rendered == ()
    assert again.files.states == {}, "no file was read"


def test_a_touched_file_renders_nothing(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    builder = Builder(root, Store.open(root))
    assert builder.build(tmp_path / "output").ok
    EDITS["file touched, unchanged"](root)
    touched = Builder(root, Store.open(root)).build(tmp_path / "output")
    assert touched.ok and touched.rendered == () and touched.changed == ()


def test_a_build_after_files_were_touched_reads_only_those_and_finds_the_output_up_to_date(
    tmp_path: Path,
) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    (root / BUS).touch()  # saved just before the build: its stamp cannot be trusted after
    assert Builder(root, Store.open(root)).build(tmp_path / "output").ok
    _settle(root)  # every file touched: new stamps, the same bytes
    again = Builder(root, Store.open(root))
    built = again.build(tmp_path / "output")
    assert built.ok and built.up_to_date and built.rendered == ()
    assert again._knowledge is None, "no step was run"
    project_files = {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".briefsite-cache" not in p.parts
    }
    assert set(again.files.states) == project_files, "each touched file was read"
    third = Builder(root, Store.open(root))
    assert third.build(tmp_path / "output").up_to_date
    assert third.files.states == {}, "the new stamps were kept: no file was read"


def test_a_deleted_brief_leaves_no_stale_page(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    builder = Builder(root, Store.none())
    assert builder.build(tmp_path / "output").ok
    assert (tmp_path / "output/briefs/library-sundays/index.html").exists()
    EDITS["brief deleted"](root)
    outcome = builder.build(tmp_path / "output")
    assert outcome.ok
    assert outcome.removed == (
        "briefs/library-sundays/annotations.jsonld",
        "briefs/library-sundays/index.html",
        "topics/local-services/feed.xml",  # its only brief is gone: no feed without entries
    )
    assert not (tmp_path / "output/briefs/library-sundays").exists()


def test_a_failed_rebuild_keeps_the_last_good_site(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    builder = Builder(root, Store.none())
    assert builder.build(tmp_path / "output").ok
    before = site_files(tmp_path / "output")
    EDITS["broken YAML"](root)
    outcome = builder.build(tmp_path / "output")
    assert not outcome.ok
    assert outcome.diagnostics[0].location.path == BUS
    assert site_files(tmp_path / "output") == before


def test_an_edit_within_the_same_clock_tick_is_not_missed(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    path = root / BUS
    path.touch()  # just saved, as when an editor writes twice within one clock tick
    builder = Builder(root, Store.open(root))
    assert builder.build(tmp_path / "output").ok
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("since 1974", "since 1947"), encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    for fresh in (builder, Builder(root, Store.open(root))):
        assert fresh.build(tmp_path / "output").ok
        page = (tmp_path / "output/briefs/bus-depot/index.html").read_text(encoding="utf-8")
        assert "since 1947" in page


@pytest.mark.parametrize(
    "edits",
    [
        ["note now about another entity", "brief template broken", "brief template broken"],
        ["brief template broken", "note now about another entity", "brief template broken"],
        ["broken YAML", "entity deleted", "related brief added", "brief renamed", "broken YAML"],
    ],
)
@pytest.mark.parametrize("hinted", [False, True])
def test_edits_made_while_the_build_is_broken_are_all_applied_once_it_is_fixed(
    tmp_path: Path, edits: list[str], hinted: bool
) -> None:
    ways = ThreeWays(tmp_path)
    ways.check()
    for name in edits:
        touched = EDITS[name](ways.root)
        ways.check(touched if hinted else None)


def _settle(root: Path) -> None:
    """Age every file past the window in which a just-written file's stamp is not trusted."""
    old = 1_700_000_000_000_000_000
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(old, old))
