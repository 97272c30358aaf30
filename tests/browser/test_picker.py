"""The preview's quote picker: select words of the article, copy the note it offers, paste it
into the brief, and the note is placed on exactly the selected words.

`./build.py serve` runs as a real process on a fixture project; Chromium selects passages by
the text it shows (not by the offsets the picker uses), clicks Copy, and the test pastes
the clipboard into the brief, as a person would.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from briefsite.anchor.anchoring import Anchor
from briefsite.read.seeds import parse_seed
from tests.browser.conftest import ROOT, WIDE
from tests.conftest import write_project
from tests.helpers import check

BRIEF = "content/briefs/depot.yaml"
SEED = """\
Council votes to move the bus depot

The vote was close.

Millbrook Council voted on Tuesday to move the bus depot to Quarry Lane. The council said \
the move would free land for homes, and the council’s leader called it “a fair deal for \
everyone”.

Residents said the bus depot plan was approved too fast. The council denied it.
"""
BRIEF_TEXT = """\
seed: depot
published: 2024-05-01
annotations:
  - id: approved
    quote: the bus depot plan was approved too fast
    type: claim
    note: The committee met twice.
    verdict: {rating: missing-context, summary: It was debated for a month.}
"""
# (what to select, which occurrence of it on the page, 0-based)
CASES = {
    "repeated-phrase": ("the bus depot", 0),  # twice in the seed
    "across-a-mention-link": ("Council voted on Tuesday", 0),
    "curly-quotes": ("council’s leader called it “a fair deal", 0),
    "inside-a-highlight": ("depot plan was", 0),
}
SELECT = """([phrase, nth]) => {
  const article = document.querySelector(".article-text");
  const skip = ".sr, .ref, .margin, .note, .endnotes-title";
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT
                                                   : NodeFilter.FILTER_ACCEPT,
  });
  let shown = "";
  const nodes = [];
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, shown.length]);
    shown += walker.currentNode.data;
  }
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = shown.indexOf(phrase, at + 1);
    if (at < 0) throw new Error("not on the page: " + phrase);
  }
  const find = (pos, end) => nodes.find(([n, base]) =>
    pos >= base && (pos < base + n.data.length || (end && pos === base + n.data.length)));
  const [startNode, startBase] = find(at, false);
  const [endNode, endBase] = find(at + phrase.length, true);
  const range = document.createRange();
  range.setStart(startNode, at - startBase);
  range.setEnd(endNode, at + phrase.length - endBase);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""


@dataclass
class Serving:
    """A `./build.py serve` process and the address it serves."""

    process: subprocess.Popen[str]
    url: str

    def builds(self) -> int:
        with urllib.request.urlopen(self.url + "__briefsite/status", timeout=5) as response:
            count: int = json.load(response)["builds"]
            return count


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Path, Serving]]:
    root = write_project(
        tmp_path / "project",
        {
            "content/site.yaml": "title: Briefs\n",
            "content/entities/council.yaml": "name: Millbrook Council\nkind: organization\n",
            "seeds/depot.txt": SEED,
            BRIEF: BRIEF_TEXT,
        },
    )
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--project", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    url = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not url:
        line = process.stdout.readline()
        if line.startswith("Serving "):
            url = line.split()[1]
    assert url, "serve did not start"
    try:
        yield root, Serving(process, url)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _copy_snippet(page: Page, phrase: str, nth: int) -> str:
    page.evaluate(SELECT, [phrase, nth])
    page.locator("#briefsite-picker .briefsite-picker-copy").click()
    page.locator("#briefsite-picker .briefsite-picker-copy", has_text="Copied").wait_for()
    copied: str = page.evaluate("navigator.clipboard.readText()")
    return copied


def _expected(phrase: str, nth: int) -> tuple[int, int]:
    text = parse_seed(SEED, "depot", "seeds/depot.txt").text
    at = -1
    for _ in range(nth + 1):
        at = text.index(phrase, at + 1)
    return at, at + len(phrase)


def test_a_picked_quote_pasted_into_the_brief_anchors_to_the_selected_words(
    browser: Browser, serving: tuple[Path, Serving]
) -> None:
    root, server = serving
    context = browser.new_context(viewport=WIDE)  # type: ignore[arg-type]
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url[:-1])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        for case, (phrase, nth) in CASES.items():
            page.goto(server.url + "briefs/depot/")
            snippet = _copy_snippet(page, phrase, nth)
            assert snippet.startswith("  - id: "), snippet
            assert "    type: context\n" in snippet
            builds = server.builds()
            brief = root / BRIEF
            brief.write_text(brief.read_text(encoding="utf-8") + snippet, encoding="utf-8")
            deadline = time.monotonic() + 20
            while server.builds() == builds and time.monotonic() < deadline:
                time.sleep(0.1)
            note_id = snippet.split("\n", 1)[0].removeprefix("  - id: ")
            run = check(root)
            assert [d for d in run.diagnostics if d.severity == "error"] == [], case
            (placed,) = [a for a in run.anchors["depot"] if a.note_id == note_id]
            assert isinstance(placed, Anchor), (case, snippet)
            assert (placed.status, placed.start, placed.end) == ("exact", *_expected(phrase, nth))
        text = (root / BRIEF).read_text(encoding="utf-8")
        assert "prefix:" in text or "suffix:" in text, "the repeated phrase needs its context"
        assert text.count("quote:") == 1 + len(CASES)
        assert errors == []
    finally:
        context.close()


def test_the_picker_is_in_the_preview_only(serving: tuple[Path, Serving], tmp_path: Path) -> None:
    root, server = serving
    with urllib.request.urlopen(server.url + "briefs/depot/", timeout=5) as response:
        served = response.read().decode("utf-8")
    assert 'id="briefsite-picker"' in served and 'data-o="' in served
    preview = (root / ".briefsite/serve/briefs/depot/index.html").read_text(encoding="utf-8")
    assert 'data-o="' in preview and "briefsite-picker" not in preview
    assert not (root / "output").exists(), "serve never writes output/"
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--project", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for page in (root / "output").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for trace in ('data-o="', "data-brief", "briefsite-picker", "__briefsite"):
            assert trace not in html, (page, trace)
