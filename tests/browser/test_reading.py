"""Reading a brief in a browser: inline notes, keyboard, print, no script (the margin notes
of wide screens are measured in test_margin.py)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.browser.conftest import BRIEF, PHONE, WIDE, Opener, Site
from tests.browser.layout import measure, settle

Box = dict[str, float]
# The bottom of the text of the paragraph (or headline) whose notes include note `id`.
PARA_BOTTOM = (
    "id => document.getElementById(id).closest('.para')"
    ".querySelector(':scope > p, :scope > h3').getBoundingClientRect().bottom + scrollY"
)


def boxes(page: Page, selector: str) -> list[dict[str, Any]]:
    """Each matching element's id, visibility and page-relative box."""
    result: list[dict[str, Any]] = page.evaluate(
        """sel => Array.from(document.querySelectorAll(sel)).map(el => {
            const r = el.getBoundingClientRect();
            return {id: el.id, shown: el.offsetParent !== null && r.height > 0,
                    x: r.left + scrollX, y: r.top + scrollY, right: r.right + scrollX,
                    bottom: r.bottom + scrollY};
        })""",
        selector,
    )
    return result


def box_of(page: Page, selector: str) -> dict[str, Any]:
    (found,) = boxes(page, selector)
    return found


def overlap(a: Box, b: Box) -> bool:
    return (
        a["x"] < b["right"]
        and b["x"] < a["right"]
        and a["y"] < b["bottom"]
        and b["y"] < a["bottom"]
    )


def note_ids(page: Page) -> list[str]:
    ids: list[str] = page.evaluate(
        "Array.from(document.querySelectorAll('.article-text .note')).map(n => n.id)"
    )
    return ids


def test_each_note_opens_under_its_paragraph_by_tab_then_enter(
    sites: dict[str, Site], open_page: Opener
) -> None:
    watched = open_page(sites["example"].url + BRIEF, PHONE)
    page = watched.page
    expected = set(note_ids(page))
    assert all(not n["shown"] for n in boxes(page, ".article-text .note"))
    opened: set[str] = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        target = page.evaluate(
            "() => { const a = document.activeElement;"
            " return a && a.matches('.article-text a.ref, .article-text a.hl-link')"
            " ? a.getAttribute('href').slice(1) : null; }"
        )
        if target is None or target in opened:
            continue
        page.keyboard.press("Enter")
        note = box_of(page, f"#{target}")
        para = page.evaluate(PARA_BOTTOM, target)
        assert note["shown"] and note["y"] >= para - 1, target
        assert note["x"] >= 0 and note["right"] <= PHONE["width"], target
        assert page.evaluate("document.activeElement.id") == target
        page.keyboard.press("Escape")
        assert not box_of(page, f"#{target}")["shown"], target
        opened.add(target)
        if opened == expected:
            break
    assert opened == expected
    assert watched.errors == []


def test_each_note_opens_by_tap_and_without_javascript(
    sites: dict[str, Site], open_page: Opener
) -> None:
    for js in (True, False):
        watched = open_page(sites["example"].url + BRIEF, PHONE, js=js, touch=True)
        page = watched.page
        for note_id in note_ids(page):
            page.locator(f'.article-text a.ref[href="#{note_id}"]').tap()
            note = box_of(page, f"#{note_id}")
            assert note["shown"], (js, note_id)
            para = page.evaluate(PARA_BOTTOM, note_id)
            assert note["y"] >= para - 1, (js, note_id)
        # The first segment of a passage is a link to its note too.
        first = note_ids(page)[0]
        page.locator(f'.article-text a.hl-link[href="#{first}"]').first.tap()
        assert box_of(page, f"#{first}")["shown"]
        assert watched.errors == []


def test_tab_order_reaches_every_highlight_and_every_note(
    sites: dict[str, Site], open_page: Opener
) -> None:
    page = open_page(sites["example"].url + BRIEF, WIDE).page
    total = page.evaluate(
        "() => { let i = 0; for (const el of document.querySelectorAll('a[href], button'))"
        " el.dataset.tab = String(i++); return i; }"
    )
    reached: set[str] = set()
    notes_reached: set[str] = set()
    for _ in range(total + 5):
        page.keyboard.press("Tab")
        tab, note = page.evaluate(
            "() => { const a = document.activeElement; const n = a.closest('.note');"
            " return [a.dataset.tab || null, n ? n.id : null]; }"
        )
        if tab:
            reached.add(tab)
        if note:
            notes_reached.add(note)
    highlights = set(
        page.evaluate(
            "Array.from(document.querySelectorAll("
            "'.article-text mark a.hl-link, .article-text a.ref')).map(a => a.dataset.tab)"
        )
    )
    assert highlights and highlights <= reached
    assert notes_reached == set(note_ids(page))


def test_the_page_reads_whole_without_javascript(sites: dict[str, Site], open_page: Opener) -> None:
    page = open_page(sites["example"].url + BRIEF, WIDE, js=False).page
    shown = page.evaluate("document.body.innerText")
    assert all(n["shown"] for n in boxes(page, ".article-text .note"))
    bodies: list[str] = page.evaluate(
        "Array.from(document.querySelectorAll('.note-body')).map(b => b.innerText.trim())"
    )
    assert len(bodies) == 19
    squashed = " ".join(shown.split())
    for body in bodies:
        assert " ".join(body.split()) in squashed
    for heading in ("The bottom line", "Claims checked", "Sources", "How to cite this brief"):
        assert heading.casefold() in shown.casefold()


def test_highlight_click_focuses_its_note_and_a_note_lights_its_passage(
    sites: dict[str, Site], open_page: Opener
) -> None:
    watched = open_page(sites["example"].url + BRIEF, WIDE)
    page = watched.page
    page.locator('.article-text a.hl-link[href="#bortac"]').first.click()
    assert page.evaluate("document.activeElement.id") == "bortac"
    page.mouse.move(0, 0)
    page.locator("#detainers").hover()
    lit = page.evaluate(
        "Array.from(document.querySelectorAll('mark[data-notes~=detainers]'))"
        ".map(m => m.classList.contains('lit'))"
    )
    assert lit and all(lit)
    page.mouse.move(0, 0)
    assert not page.evaluate(
        "document.querySelector('mark[data-notes~=detainers]').classList.contains('lit')"
    )
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#bortac"
    assert watched.errors == []


def test_notes_can_be_filtered_by_type(sites: dict[str, Site], open_page: Opener) -> None:
    watched = open_page(sites["example"].url + BRIEF, WIDE)
    page = watched.page
    claim = page.locator(".legend button[aria-pressed]:has(.t-claim)")
    claim.click()
    assert claim.get_attribute("aria-pressed") == "false"
    claims = boxes(page, ".article-text .note.t-claim")
    others = boxes(page, ".article-text .note:not(.t-claim)")
    assert claims and not any(n["shown"] for n in claims)
    assert all(n["shown"] for n in others)
    claim.click()
    assert all(n["shown"] for n in boxes(page, ".article-text .note.t-claim"))
    assert watched.errors == []


def test_print_shows_numbered_endnotes_with_link_addresses(
    sites: dict[str, Site], open_page: Opener
) -> None:
    page = open_page(sites["example"].url + BRIEF, WIDE).page
    page.emulate_media(media="print")
    last_text = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll("
        "'.article-text p, .article-text h3.headline')).filter(p => !p.closest('.note'))"
        ".map(p => p.getBoundingClientRect().bottom + scrollY))"
    )
    title = page.evaluate(
        "getComputedStyle(document.querySelector('.article-text'), '::before').content"
    )
    notes = boxes(page, ".article-text .note")
    assert title == '"Notes"'
    assert all(n["shown"] and n["y"] > last_text for n in notes)
    assert [n["y"] for n in notes] == sorted(n["y"] for n in notes)
    numbers = page.evaluate(
        "Array.from(document.querySelectorAll('.article-text .note-num')).map(n => n.innerText)"
    )
    assert [" ".join(n.split()).split()[-1] for n in numbers] == [str(i) for i in range(1, 20)]
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.sources a[href^=\"http\"]'), '::after').content"
    )
    assert "http" in after
    underline = page.evaluate(
        "getComputedStyle(document.querySelector('mark.hl a.hl-link')).textDecorationLine"
    )
    assert "underline" in underline
    assert len(page.pdf()) > 10_000


def test_no_console_errors_on_any_page_type(sites: dict[str, Site], open_page: Opener) -> None:
    site = sites["example"]
    for path in ("", "briefs/", BRIEF, "entities/", "entities/ice/", "topics/", "404.html"):
        for viewport in (WIDE, PHONE):
            watched = open_page(site.url + path, viewport)
            watched.page.keyboard.press("Tab")
            watched.page.keyboard.press("Escape")
            assert watched.errors == [], (path, viewport)


def test_hostile_content_runs_no_script(sites: dict[str, Site], open_page: Opener) -> None:
    """Every page of every site, with pointer and focus events sent to every element: any
    script that slipped through (an inline handler, a `javascript:` link followed on focus)
    would show as a dialog, a console error or a changed global."""
    for site in sites.values():
        watched = open_page(site.url, WIDE)
        page = watched.page
        for path in site.pages():
            page.goto(site.url + path)
            page.evaluate(
                """() => { for (const el of document.querySelectorAll('body *')) {
                    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'pointerdown'])
                        el.dispatchEvent(new MouseEvent(type, {bubbles: true}));
                    if (el.focus) el.focus();
                    el.dispatchEvent(new FocusEvent('focus'));
                } }"""
            )
            page.keyboard.press("Escape")
            assert watched.dialogs == [], (site.name, path)
            assert watched.errors == [], (site.name, path)
            assert page.url.startswith(site.url), (site.name, path, page.url)


def test_a_long_note_is_cut_with_more_and_opens_in_place(
    sites: dict[str, Site], open_page: Opener
) -> None:
    watched = open_page(sites["margin"].url + "briefs/tall/", WIDE)
    page = watched.page
    settle(page)
    note = page.locator("#late-sailing")
    button = note.locator(".more")
    assert "cut" in (note.get_attribute("class") or "")
    assert button.inner_text() == "More" and button.get_attribute("aria-expanded") == "false"
    cut = note.bounding_box()
    passage = page.locator("mark[data-notes~=late-sailing]").bounding_box()
    assert cut and passage and cut["height"] < 80 and abs(cut["y"] - passage["y"]) <= 4
    button.click()
    settle(page)
    opened = note.bounding_box()
    assert opened and opened["height"] > 3 * cut["height"] and abs(opened["y"] - cut["y"]) <= 1
    assert button.inner_text() == "Less" and button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.classList.contains('more')")
    after = measure(page)
    assert after.overlaps == 0 and after.inversions == 0 and after.outside == 0
    button.click()
    settle(page)
    again = note.bounding_box()
    assert again and again["height"] == cut["height"]
    assert watched.errors == []


def test_tabbing_into_a_cut_note_opens_it(sites: dict[str, Site], open_page: Opener) -> None:
    page = open_page(sites["example"].url + BRIEF, WIDE).page
    settle(page)
    cut_id = page.evaluate("document.querySelector('.article-text .note.cut').id")
    page.locator(f"#{cut_id} .note-body a, #{cut_id} .note-sources a").first.focus()
    settle(page)
    assert "cut" not in (page.locator(f"#{cut_id}").get_attribute("class") or "")


def test_a_highlight_lights_its_note_and_the_note_its_highlight(
    sites: dict[str, Site], open_page: Opener
) -> None:
    page = open_page(sites["example"].url + BRIEF, WIDE).page
    settle(page)

    def lit(selector: str) -> bool:
        found: bool = page.evaluate(
            f"document.querySelector('{selector}').classList.contains('lit')"
        )
        return found

    page.locator('.article-text a.hl-link[href="#detainers"]').first.hover()
    assert lit("#detainers")
    page.mouse.move(0, 0)
    assert not lit("#detainers")
    page.locator('.article-text a.ref[href="#bortac"]').focus()
    assert lit("#bortac") and lit("mark[data-notes~=bortac]")
    page.locator("#bortac .note-body a").first.focus()
    assert lit("#bortac") and lit("mark[data-notes~=bortac]")


WRAP_WIDTHS = range(320, 1441, 37)


def test_a_badge_never_wraps_away_from_its_passage(
    sites: dict[str, Site], open_page: Opener
) -> None:
    for site, path in ((sites["example"], BRIEF), (sites["margin"], "briefs/overlap/")):
        page = open_page(site.url + path, WIDE).page
        for width in WRAP_WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            alone: list[str] = page.evaluate(
                """() => Array.from(document.querySelectorAll('.article-text a.ref'))
                .filter(ref => {
                    let mark = ref.previousElementSibling;
                    while (mark && mark.matches('a.ref')) mark = mark.previousElementSibling;
                    const rects = mark.getClientRects(), last = rects[rects.length - 1];
                    const own = ref.getClientRects()[0];
                    return !(own.top < last.bottom && own.bottom > last.top);
                }).map(ref => ref.getAttribute('href'))"""
            )
            assert alone == [], (path, width)


NARROW = ({"width": 375, "height": 812}, {"width": 760, "height": 900})


def test_narrow_screens_do_not_scroll_sideways(sites: dict[str, Site], open_page: Opener) -> None:
    site = sites["example"]
    paths = ("", "briefs/", BRIEF, "claims/", "claims/accurate/", "entities/", "entities/ice/")
    for viewport in NARROW:
        for path in paths:
            page = open_page(site.url + path, viewport).page
            wide = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert wide <= 0, (path, viewport)


def test_on_narrow_screens_every_note_opens_with_enter_and_with_space(
    sites: dict[str, Site], open_page: Opener
) -> None:
    for viewport in NARROW:
        for js, keys in ((True, ("Enter", " ")), (False, ("Enter",))):
            for site, path in ((sites["example"], BRIEF), (sites["margin"], "briefs/dense/")):
                watched = open_page(site.url + path, viewport, js=js)
                page = watched.page
                for note_id in note_ids(page):
                    for key in keys:
                        page.locator(f'.article-text a.ref[href="#{note_id}"]').focus()
                        page.keyboard.press(key)
                        note = box_of(page, f"#{note_id}")
                        assert note["shown"], (viewport, js, key, note_id)
                        assert note["x"] >= 0 and note["right"] <= viewport["width"], note_id
                        if js:
                            page.keyboard.press("Escape")
                            assert not box_of(page, f"#{note_id}")["shown"], (key, note_id)
                assert watched.errors == []


def test_nothing_is_hidden_without_a_control_to_show_it(
    sites: dict[str, Site], open_page: Opener
) -> None:
    """On narrow screens every element left out (`display: none`) is a note, with a link
    to it on screen that opens it."""
    for viewport in NARROW:
        for js in (True, False):
            for site, path in ((sites["example"], BRIEF), (sites["margin"], "briefs/overlap/")):
                page = open_page(site.url + path, viewport, js=js).page
                hidden: list[str] = page.evaluate(
                    """() => Array.from(document.body.querySelectorAll('*')).filter(el =>
                        getComputedStyle(el).display === 'none'
                        && !el.closest('script, template')
                        && !(el.id && Array.from(document.querySelectorAll(
                                `a[href="#${CSS.escape(el.id)}"]`))
                             .some(a => a.offsetParent !== null && !el.contains(a)))
                    ).map(el => el.outerHTML.slice(0, 80))"""
                )
                assert hidden == [], (viewport, js, path)


def test_without_javascript_a_highlight_opens_its_whole_note_in_the_margin(
    sites: dict[str, Site], open_page: Opener
) -> None:
    page = open_page(sites["example"].url + BRIEF, WIDE, js=False).page
    note = page.locator("#bortac")
    short = note.bounding_box()
    link = page.locator('.article-text a.hl-link[href="#bortac"]').first
    link.focus()
    page.keyboard.press("Enter")
    whole = note.bounding_box()
    assert short and whole and whole["height"] > short["height"] + 40
    about = "getComputedStyle(document.querySelector('#bortac .note-about')).display"
    assert page.evaluate(about) != "none"
    assert page.evaluate("location.hash") == "#bortac"
    # The rest of its text was clamped, not dropped: it is all on the page.
    body = page.locator("#bortac .note-body").inner_text()
    assert "drug raids" in body
