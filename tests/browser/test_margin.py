"""Notes in the margin on wide screens: criteria C1-C5 and C8 (see `layout.py`), measured
on the example brief and on briefs made to be hard to lay out, at three widths, with and
without JavaScript. Run with `-s` to see the figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import BRIEF, Opener, Site
from tests.browser.layout import Layout, measure, moved, settle

BRIEFS = [
    ("example", BRIEF),
    ("margin", "briefs/dense/"),  # six notes on a three-line paragraph
    ("margin", "briefs/tall/"),  # a note far taller than its paragraph
    ("margin", "briefs/overlap/"),  # nested, crossing and identical quotes
]
WIDTHS = (1440, 1280, 1024)
HEIGHT = 900


def _open(open_page: Opener, site: Site, path: str, width: int, js: bool) -> Page:
    page = open_page(site.url + path, {"width": width, "height": HEIGHT}, js=js).page
    settle(page)
    return page


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", WIDTHS)
def test_notes_sit_beside_an_unbroken_article(
    sites: dict[str, Site], open_page: Opener, width: int, js: bool
) -> None:
    for name, path in BRIEFS:
        layout = measure(_open(open_page, sites[name], path, width, js))
        print(f"\n{path:<40} {width} {'js' if js else 'no-js':<5} {layout.row()}")
        where = (path, width, js)
        assert layout.overlaps == 0, where  # C1
        assert layout.min_gap >= 8, where  # C1
        assert layout.paragraph_gap <= 4, where  # C3
        assert layout.inversions == 0, where  # C4
        assert layout.outside == 0, where  # C5
        assert not layout.sideways, where
        if js:  # C2: without the script notes may sit nearer the end of their paragraph
            assert abs(layout.roomy_drift) <= 4, where
            if name == "example":
                assert layout.median_drift <= 40, where
                assert layout.p95_drift <= 300, where


def _resized(page: Page) -> tuple[Layout, Layout]:
    page.set_viewport_size({"width": 1400, "height": HEIGHT})
    settle(page)
    before = measure(page)
    page.set_viewport_size({"width": 1000, "height": HEIGHT})
    settle(page)
    page.set_viewport_size({"width": 1400, "height": HEIGHT})
    settle(page)
    return before, measure(page)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_notes_return_to_their_places_after_a_resize(
    sites: dict[str, Site], open_page: Opener, js: bool
) -> None:
    for name, path in BRIEFS:
        page = _open(open_page, sites[name], path, 1400, js)
        before, after = _resized(page)
        print(f"\n{path:<40} C8 resize {'js' if js else 'no-js'}: {moved(before, after):.2f} px")
        assert moved(before, after) <= 1, path  # C8


def test_notes_follow_the_text_when_a_font_loads_late(
    sites: dict[str, Site], open_page: Opener, tmp_path: Path
) -> None:
    """A web font that arrives after the notes were placed moves the text: the notes are
    placed again, where a fresh layout would put them."""
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf")
    if not font.exists():
        pytest.fail(f"this test needs a font file to serve, and {font} is missing")
    for name, path in BRIEFS:
        site = sites[name]
        shutil.copyfile(font, site.folder / "late.ttf")
        page = _open(open_page, site, path, 1400, True)
        early = measure(page)
        page.evaluate(
            """url => { const style = document.createElement('style');
                style.textContent = `@font-face { font-family: Late; src: url(${url}); }
                  .article-text p, .article-text h3 { font-family: Late, serif; }`;
                document.head.append(style); }""",
            site.url + "late.ttf",
        )
        settle(page)
        page.wait_for_function("document.fonts.check('1em Late')")
        settle(page)
        loaded = measure(page)
        shift = max(abs(a - b) for a, b in zip(early.passages, loaded.passages, strict=True))
        assert shift > 10, "the late font did not move the text: no test"
        page.evaluate("dispatchEvent(new Event('resize'))")  # a fresh placement
        settle(page)
        fresh = measure(page)
        print(f"\n{path:<40} C8 late font: {moved(loaded, fresh):.2f} px")
        assert moved(loaded, fresh) <= 1, path  # C8
        assert loaded.overlaps == 0 and abs(loaded.roomy_drift) <= 4, path
