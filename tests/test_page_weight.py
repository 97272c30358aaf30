"""The weight budget: a brief page is at most 100 KB of HTML, CSS and JavaScript together.

Every page type of the example site is weighed as a browser fetches it: the HTML plus the
stylesheets and scripts it links (images excluded). Nothing is loaded from another host.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.helpers import build

# A copy of the example project: the example itself is the user's to change.
EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "example"
LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"
BUDGET = 100_000
PAGES = {
    "brief": "briefs/border-patrol-sanctuary-cities/index.html",
    "index": "index.html",
    "briefs": "briefs/index.html",
    "entity": "entities/ice/index.html",
    "entities": "entities/index.html",
    "topic": "topics/sanctuary-jurisdictions/index.html",
    "topics": "topics/index.html",
    "404": "404.html",
    "claims": "claims/index.html",
    "claims of a rating": "claims/accurate/index.html",
}
# Everything a brief page does beyond reading (placing notes, opening them, filters) is one
# unminified script of at most this many bytes.
SCRIPT_BUDGET = 8_000


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.urls.append(str(values["href"]))
        if tag == "script" and values.get("src"):
            self.urls.append(str(values["src"]))


def weigh(site: Path, page: str) -> tuple[int, list[str]]:
    """The bytes of a page with its CSS and JS, and the files they came from."""
    html = (site / page).read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    files = [page]
    total = len(html)
    for url in parser.urls:
        assert "://" not in url and not url.startswith("//"), f"{page} loads {url} from elsewhere"
        if url.startswith("/"):  # the 404 page links from the site's base path
            path = url.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page), url))
        total += (site / path).stat().st_size
        files.append(path)
    return total, files


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("weight") / "site"
    build(EXAMPLE, output)
    return output


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_page_type_is_within_the_budget(site: Path, kind: str) -> None:
    total, files = weigh(site, PAGES[kind])
    print(f"{kind}: {total} bytes ({', '.join(files)})")
    assert total <= BUDGET, f"{kind} weighs {total} bytes: {files}"


def test_the_brief_pages_script_is_within_its_budget(site: Path) -> None:
    _, files = weigh(site, PAGES["brief"])
    scripts = [f for f in files if f.endswith(".js")]
    assert scripts == ["assets/brief.js"], "a brief page runs one script"
    # Measured as written, in the built-in layout: the site publishes it minified.
    size = (LAYOUTS / "static" / scripts[0]).stat().st_size
    print(f"brief.js: {size} bytes unminified, {(site / scripts[0]).stat().st_size} published")
    assert size <= SCRIPT_BUDGET
