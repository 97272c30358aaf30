"""Search in Chromium, against `serve`: results as you type, a match in a note opens that
note, filters narrow the results, the index follows edits, and without JavaScript the
search page says what to do."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Opener, Site
from tests.test_serve import BUS, GOLDEN, Preview, _edit, _start, _stop


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Preview]:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    running = _start(root, tmp_path / "site")
    _wait_for_index(running, "Quarry Lane")
    yield running
    assert _stop(running) == 0, "".join(running.lines)


def _url(preview: Preview, path: str) -> str:
    return f"http://{preview.host}:{preview.port}{path}"


def _wait_for_index(preview: Preview, word: str, timeout: float = 30.0) -> None:
    """Wait until the preview's index (made in the background) finds `word`'s brief."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code, _, _ = preview.get("/pagefind/pagefind.js")
        marker = preview.output / "pagefind" / "briefsite-build"
        live = (preview.output / ".briefsite").read_text(encoding="utf-8").split()[-1]
        if code == 200 and marker.exists() and marker.read_text().strip() == live:
            return
        time.sleep(0.1)
    raise AssertionError(f"the preview's search index was not made for {word!r} in time")


def _results(page: Page) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "#search_results li p:first-child a", "links => links.map(a => a.href)"
    )
    return hrefs


def _type(page: Page, words: str) -> None:
    field = page.locator("#search_query")
    field.fill("")
    field.press_sequentially(words)


def test_a_word_in_one_note_finds_that_note_first_and_opens_it(
    served: Preview, open_page: Opener
) -> None:
    watched = open_page(_url(served, "/search/"))
    page = watched.page
    _type(page, "lease")
    page.wait_for_selector("#search_results li")
    first = _results(page)[0]
    assert first == _url(served, "/briefs/bus-depot/#close-date")
    page.locator("#search_results li a").first.click()
    page.wait_for_url("**/briefs/bus-depot/#close-date")
    assert page.evaluate("document.querySelector(':target').id") == "close-date"
    assert watched.errors == [] and watched.dialogs == []


def test_a_verdict_filter_narrows_the_results(served: Preview, open_page: Opener) -> None:
    page = open_page(_url(served, "/search/?q=council")).page
    page.wait_for_selector("#search_results li")
    everything = _results(page)
    assert len(everything) >= 2
    page.get_by_role("group", name="Verdict").get_by_label("Unsupported").check()
    page.wait_for_function(
        f"document.querySelectorAll('#search_results li').length < {len(everything)}"
    )
    narrowed = _results(page)
    assert narrowed and len(narrowed) < len(everything)
    assert all("/briefs/bus-depot/" in url for url in narrowed)


def test_the_index_follows_an_edit(served: Preview, open_page: Opener) -> None:
    _edit(
        served.root / BUS, "has run the depot since 1974.", "has run the zanzibar depot since 1974."
    )
    served.wait_builds(2)
    _wait_for_index(served, "zanzibar")
    page = open_page(_url(served, "/search/")).page
    _type(page, "zanzibar")
    page.wait_for_selector("#search_results li")
    assert _results(page) == [_url(served, "/briefs/bus-depot/#depot-move")]


def test_the_header_field_searches_from_any_page(served: Preview, open_page: Opener) -> None:
    page = open_page(_url(served, "/topics/transport/")).page
    page.locator("#site_search").fill("lease")
    page.locator("#site_search").press("Enter")
    page.wait_for_url("**/search/?q=lease")
    page.wait_for_selector("#search_results li")
    assert _results(page)[0].endswith("/briefs/bus-depot/#close-date")


def test_without_javascript_the_search_page_says_what_to_do(
    sites: dict[str, Site], open_page: Opener
) -> None:
    site = sites["golden"]
    watched = open_page(site.url + "briefs/", js=False)
    page = watched.page
    page.locator("#site_search").fill("lease")
    page.locator("#site_search").press("Enter")
    page.wait_for_url("**/search/?q=lease")
    text = page.locator("#search_without_script").inner_text()
    assert "needs JavaScript" in text
    assert page.get_by_role("link", name="all briefs").is_visible()


def test_hostile_words_found_by_search_run_no_script(
    sites: dict[str, Site], open_page: Opener
) -> None:
    watched = open_page(sites["hostile"].url + "search/?q=alert")
    page = watched.page
    page.wait_for_selector("#search_results li")
    page.wait_for_timeout(300)
    assert watched.dialogs == []
    assert (
        page.evaluate(
            "document.querySelectorAll('#search_results script, #search_results img').length"
        )
        == 0
    )
    titles = page.eval_on_selector_all(
        "#search_results li p:first-child a", "links => links.map(a => a.textContent)"
    )
    assert (
        'Brief title {{ 7*7 }} <script>alert(1)</script> " onmouseover="alert(1) {% raw %}'
        in titles
    )
