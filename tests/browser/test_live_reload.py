"""Live reload in Chromium: an open page follows edits, shows errors, and swaps styles."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import Opener
from tests.test_serve import BUS, GOLDEN, Preview, _edit, _start, _stop


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Preview]:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    running = _start(root, tmp_path / "site")
    yield running
    assert _stop(running) == 0, "".join(running.lines)


def _url(preview: Preview, path: str) -> str:
    return f"http://{preview.host}:{preview.port}{path}"


def test_an_open_brief_reloads_itself_after_an_edit(served: Preview, open_page: Opener) -> None:
    brief = open_page(_url(served, "/briefs/bus-depot/"))
    other = open_page(_url(served, "/topics/local-services/"))
    for watched in (brief, other):
        watched.page.evaluate("window.__stillHere = true")
        watched.page.wait_for_function("window.EventSource !== undefined")
    brief.page.wait_for_timeout(300)  # the event stream is open
    _edit(served.root / BUS, "since 1974", "since 1975")
    brief.page.wait_for_function("!window.__stillHere", timeout=5000)  # it reloaded
    brief.page.wait_for_selector("text=since 1975")
    assert other.page.evaluate("window.__stillHere === true")  # its output did not change
    assert brief.errors == [] and other.errors == []


def test_a_bad_edit_shows_the_error_panel_over_the_page_until_fixed(
    served: Preview, open_page: Opener
) -> None:
    watched = open_page(_url(served, "/briefs/bus-depot/"))
    page = watched.page
    page.wait_for_timeout(300)
    _edit(served.root / BUS, "  - id: depot-move", "  - id: depot-move\n    qoute: x")
    panel = page.locator("#briefsite-errors")
    panel.wait_for(state="visible", timeout=5000)
    text = panel.inner_text()
    assert "Build failed: 1 error" in text
    assert f"{BUS}:" in text and "unknown key 'qoute' in annotation" in text
    assert "qoute: x" in text and "hint: did you mean 'quote'?" in text
    assert page.get_by_role("heading", level=1).count() == 1  # the last good page is still there
    _edit(served.root / BUS, "\n    qoute: x", "")
    panel.wait_for(state="detached", timeout=5000)
    assert watched.errors == []


def test_a_stylesheet_change_is_swapped_in_without_a_reload(
    served: Preview, open_page: Opener
) -> None:
    watched = open_page(_url(served, "/briefs/bus-depot/"))
    page = watched.page
    page.evaluate("window.__stillHere = true")
    page.wait_for_timeout(300)
    css = (Path(__file__).resolve().parents[2] / "layouts/static/assets/site.css").read_text()
    target = served.root / "layouts/static/assets/site.css"
    target.parent.mkdir(parents=True)
    target.write_text(css + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n", encoding="utf-8")
    page.wait_for_function(
        "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'", timeout=5000
    )
    assert page.evaluate("window.__stillHere === true")  # swapped, not reloaded
    assert watched.errors == []


def test_an_open_page_reconnects_and_reloads_after_the_server_restarts(
    tmp_path: Path, open_page: Opener
) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    first = _start(root, tmp_path / "site")
    try:
        watched = open_page(_url(first, "/briefs/bus-depot/"))
        watched.page.evaluate("window.__stillHere = true")
        watched.page.wait_for_timeout(300)
    finally:
        assert _stop(first) == 0
    _edit(root / BUS, "since 1974", "since 1975")  # changed while no server ran
    second = _start(root, tmp_path / "site", "--port", str(first.port))
    try:
        watched.page.wait_for_function("!window.__stillHere", timeout=10000)
        watched.page.wait_for_selector("text=since 1975")
    finally:
        assert _stop(second) == 0
