"""The Nu HTML checker and axe-core over every page type: no errors, no violations."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tests.browser.conftest import AXE, BRIEF, PHONE, VNU, WIDE, Opener, Site, java, need

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE_TYPES = {
    "brief": BRIEF,
    "index": "",
    "briefs": "briefs/",
    "entity": "entities/ice/",
    "entities": "entities/",
    "topic": "topics/sanctuary-jurisdictions/",
    "topics": "topics/",
    "404": "404.html",
    "claims": "claims/",
    "claims of a rating": "claims/missing-context/",
    "search, with results": "search/?q=agents",
}


def run_axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
    )


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_axe_finds_no_wcag_22_aa_violations(
    sites: dict[str, Site], open_page: Opener, kind: str
) -> None:
    need(AXE, "axe-core")
    for viewport in (WIDE, PHONE):
        for dark in (False, True):
            page = open_page(sites["example"].url + PAGE_TYPES[kind], viewport, dark=dark).page
            violations = run_axe(page)
            assert violations == [], f"{kind} {viewport} dark={dark}:\n{describe(violations)}"


def test_axe_finds_no_violations_with_notes_cut_or_opened_in_the_margin(
    sites: dict[str, Site], open_page: Opener
) -> None:
    need(AXE, "axe-core")
    for dark in (False, True):
        page = open_page(sites["example"].url + BRIEF, WIDE, dark=dark).page
        assert page.locator(".article-text .note.cut .more").count() > 0
        violations = run_axe(page)
        assert violations == [], f"cut, dark={dark}:\n{describe(violations)}"
        page.locator(".article-text .note.cut .more").first.click()
        page.locator('.article-text a.hl-link[href="#bortac"]').first.hover()
        violations = run_axe(page)
        assert violations == [], f"opened, dark={dark}:\n{describe(violations)}"


def test_axe_finds_no_violations_with_a_note_open_or_filtered(
    sites: dict[str, Site], open_page: Opener
) -> None:
    need(AXE, "axe-core")
    page = open_page(sites["example"].url + BRIEF, PHONE).page
    page.locator('.article-text a.ref[href="#bortac"]').click()
    page.locator(".legend button:has(.t-claim)").click()
    violations = run_axe(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("name", ["golden", "hostile", "margin"])
def test_axe_finds_no_violations_on_the_fixture_sites(
    sites: dict[str, Site], open_page: Opener, name: str
) -> None:
    need(AXE, "axe-core")
    site = sites[name]
    for path in site.pages():
        page = open_page(site.url + path, WIDE).page
        violations = run_axe(page)
        assert violations == [], f"{name}/{path}:\n{describe(violations)}"


def test_nu_html_checker_finds_no_errors(sites: dict[str, Site]) -> None:
    """Every page of the example and golden sites. (The hostile fixture is left out on
    purpose: its URLs hold raw quotes to test escaping, which the checker rightly rejects.)"""
    need(VNU, "the Nu HTML checker (vnu-jar)")
    folders = [str(sites[name].folder) for name in ("example", "golden", "margin")]
    done = subprocess.run(
        [
            java(),
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            *folders,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    assert messages == [], "\n".join(
        f"{m.get('url', '')}:{m.get('lastLine', '')}: {m.get('message')}" for m in messages
    )
    assert done.returncode == 0
