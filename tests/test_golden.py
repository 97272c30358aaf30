"""Whole-site golden test: building `tests/fixtures/golden/` must give `tests/golden/` exactly.

The fixture is a small project about a fictional town council. It exercises all six note
types, a claim with a verdict, overlapping and nested quotes, quotes written with straight
quotes and dashes that match typographic ones in the seed, `prefix`/`suffix`/`occurrence`,
every kind of internal link (`entity:`, `topic:`, `brief:`, `brief:slug#note`, `#note`),
related briefs, corrections, sources, key points and entity aliases (including one that
must not match inside a longer word or in another case).

Every file of the built site is compared byte for byte, the `.briefsite` marker included,
and so is the list of file paths: a page that appears or disappears fails the test too.

To regenerate the expected files after an intended change to the output, run

    BRIEFSITE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

which replaces `tests/golden/` with a fresh build. Then read the changed files (the brief
pages at least) before committing them: the golden files are only as right as that review.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from briefsite.build.built import Built
from briefsite.build.search import BUNDLE, DELTA
from briefsite.model import RATINGS
from tests.helpers import build

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "fixtures" / "golden"
GOLDEN = TESTS / "golden"
UPDATE = os.environ.get("BRIEFSITE_UPDATE_GOLDEN") == "1"


def site_files(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by POSIX path relative to it, but the search index (Pagefind
    does not make its file names reproducible; tests/test_search.py checks what it finds)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] not in (BUNDLE, DELTA)
    }


def describe_difference(path: str, expected: bytes, actual: bytes) -> str:
    """A readable account of how one file differs: a unified diff for text."""
    try:
        old = expected.decode("utf-8").splitlines(keepends=True)
        new = actual.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return f"{path}: binary content differs ({len(expected)} vs {len(actual)} bytes)"
    diff = difflib.unified_diff(old, new, f"golden/{path}", f"built/{path}", n=2)
    return "".join(diff) or f"{path}: differs only in bytes that do not show as text"


def build_fixture(output: Path) -> Built:
    return build(FIXTURE, output)


def test_built_site_matches_golden_files(tmp_path: Path) -> None:
    output = tmp_path / "site"
    build_fixture(output)
    built = site_files(output)
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(output, GOLDEN, ignore=shutil.ignore_patterns(BUNDLE, DELTA))
        GOLDEN.chmod(0o755)  # copytree copies the output folder's own mode; keep it usual
    expected = site_files(GOLDEN)

    missing = sorted(expected.keys() - built.keys())
    extra = sorted(built.keys() - expected.keys())
    assert not missing and not extra, (
        f"files in tests/golden/ that the build did not write: {missing}; "
        f"files the build wrote that tests/golden/ lacks: {extra} "
        "(set BRIEFSITE_UPDATE_GOLDEN=1 to regenerate after an intended change)"
    )
    changed = [p for p in sorted(built) if built[p] != expected[p]]
    assert not changed, "\n".join(
        describe_difference(p, expected[p], built[p]) for p in changed
    ) + ("\n(set BRIEFSITE_UPDATE_GOLDEN=1 to regenerate after an intended change)")


def test_golden_fixture_builds_cleanly_with_every_page(tmp_path: Path) -> None:
    result = build_fixture(tmp_path / "site")
    assert (result.briefs, result.notes) == (3, 14)
    assert result.diagnostics == ()
    pages = {p for p in site_files(tmp_path / "site") if p.endswith(".html")}
    assert len([p for p in result.pages if p.endswith(".html")]) == len(pages)
    assert pages == {
        "index.html",
        "404.html",
        "briefs/index.html",
        "entities/index.html",
        "topics/index.html",
        "search/index.html",
        "briefs/bus-depot/index.html",
        "briefs/library-sundays/index.html",
        "briefs/parking-fees/index.html",
        "entities/ada-penrose/index.html",
        "entities/millbrook-council/index.html",
        "entities/transport-board/index.html",
        "entities/valeline/index.html",
        "topics/local-services/index.html",
        "topics/transport/index.html",
        "claims/index.html",
        *(f"claims/{rating}/index.html" for rating in RATINGS),
    }


def test_two_builds_of_the_same_project_are_identical(tmp_path: Path) -> None:
    build_fixture(tmp_path / "first")
    build_fixture(tmp_path / "second")
    assert site_files(tmp_path / "first") == site_files(tmp_path / "second")


class LinkParser(HTMLParser):
    """Collects the ids, link targets and `<mark>` segments of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.marks: list[str] = []
        self.mentions: list[str] = []
        self._mention: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag in ("a", "link") and values.get("href") is not None:
            self.links.append(str(values["href"]))
        if tag == "mark":
            self.marks.append(str(values.get("data-notes")))
        if tag == "a" and values.get("class") == "mention":
            self._mention = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._mention is not None:
            self.mentions.append("".join(self._mention))
            self._mention = None

    def handle_data(self, data: str) -> None:
        if self._mention is not None:
            self._mention.append(data)


def parse_page(path: Path) -> LinkParser:
    parser = LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_overlapping_and_nested_notes_are_split_into_segments(tmp_path: Path) -> None:
    build_fixture(tmp_path / "site")
    page = parse_page(tmp_path / "site/briefs/bus-depot/index.html")
    assert page.marks == [
        "depot-move",
        "depot-move ring-road-site",
        "depot-move ring-road-site quarry-lane",
        "ring-road-site",
        "homes-claim",
        "homes-claim cost",
        "who-pays",
        "empty-running",
        "close-date",
        "open-date",
    ]
    for note in ("depot-move", "ring-road-site", "quarry-lane", "homes-claim", "cost"):
        assert {note, f"passage_{note}"} <= page.ids
        assert f"#{note}" in page.links and f"#passage_{note}" in page.links


def test_aliases_match_whole_words_in_the_same_case_only(tmp_path: Path) -> None:
    build_fixture(tmp_path / "site")
    library = parse_page(tmp_path / "site/briefs/library-sundays/index.html")
    # "the Council’s" is a mention; "Councillor" and "the council’s" are not.
    assert library.mentions == ["Council", "Ada Penrose"]
    depot = parse_page(tmp_path / "site/briefs/bus-depot/index.html")
    assert depot.mentions == [
        "Millbrook Town Council",
        "Ada Penrose",
        "Penrose",
        "Valeline Buses",
        "Valeline",
    ]


def test_every_internal_link_reaches_a_page_and_fragment(tmp_path: Path) -> None:
    output = tmp_path / "site"
    build_fixture(output)
    pages = {p.relative_to(output).as_posix(): parse_page(p) for p in output.rglob("*.html")}
    files = set(site_files(output))
    broken: list[str] = []
    for name, page in sorted(pages.items()):
        for href in page.links:
            url = urlsplit(href)
            if url.scheme in ("http", "https", "mailto"):
                continue
            if not url.path:  # `#fragment` or `` (this page)
                path = name
            elif name == "404.html":  # served at any depth, so it links from the base path
                assert url.path.startswith("/millbrook/"), href
                path = url.path.removeprefix("/millbrook/")
            else:
                path = posixpath.normpath(posixpath.join(posixpath.dirname(name), url.path))
                path = "" if path == "." else path
            if path.startswith(".."):
                broken.append(f"{name}: {href} leaves the site")
                continue
            if path == "" or url.path.endswith("/"):
                path = posixpath.join(path, "index.html")
            if path not in files:
                broken.append(f"{name}: {href} -> {path} does not exist")
            elif url.fragment and url.fragment not in pages[path].ids:
                broken.append(f"{name}: {href} -> no id {url.fragment!r} in {path}")
    assert broken == []
