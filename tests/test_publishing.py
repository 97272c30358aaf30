"""What a build publishes for readers away from the site: Atom feeds checked against RFC
4287's requirements, the sitemap, robots.txt, and every page's metadata; `base_url` with a
path prefix everywhere, and its absence as one warning (an error with `--strict`)."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefsite.errors import BriefsiteError
from tests.conftest import BRIEF, SITE, ProjectFactory
from tests.helpers import build, errors

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
BASE = "https://briefs.example.test/millbrook/"
A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# RFC 3339 date-time as Atom requires it (section 3.3): upper-case T and a zone.
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("publishing") / "site"
    build(GOLDEN, output)
    return output


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return element.findall(f"{A}{name}")


def check_person(person: ET.Element, where: str) -> None:
    # 3.2: a Person construct MUST contain exactly one atom:name.
    assert len(children(person, "name")) == 1, where
    assert (children(person, "name")[0].text or "").strip(), where


def check_date(element: ET.Element, where: str) -> None:
    assert DATE_TIME.fullmatch(element.text or ""), f"{where}: {element.text!r}"


def check_text(element: ET.Element, where: str) -> None:
    # 3.1: a Text construct's type, if present, is text, html or xhtml.
    assert element.get("type", "text") in ("text", "html", "xhtml"), where


def check_feed(path: Path) -> ET.Element:
    """Every requirement RFC 4287 places on a feed and its entries (sections 4.1.1-4.2)."""
    feed = ET.parse(path).getroot()
    where = str(path)
    assert feed.tag == f"{A}feed", where
    # 4.1.1: exactly one id, title and updated; an author unless every entry has one.
    for name in ("id", "title", "updated"):
        assert len(children(feed, name)) == 1, f"{where}: atom:{name}"
    check_date(children(feed, "updated")[0], where)
    check_text(children(feed, "title")[0], where)
    assert (children(feed, "title")[0].text or "").strip(), where
    entries = children(feed, "entry")
    authors = children(feed, "author")
    assert authors or all(children(e, "author") for e in entries), f"{where}: no author"
    for person in authors:
        check_person(person, where)
    # 4.2.7: links have href; at most one alternate per type and hreflang; self is there.
    links = children(feed, "link")
    assert all(link.get("href") for link in links), where
    alternates = [(x.get("type"), x.get("hreflang")) for x in links if x.get("rel") == "alternate"]
    assert len(alternates) == len(set(alternates)), where
    # 4.2.6: ids are absolute IRIs.
    ids = [children(feed, "id")[0].text or ""] + [children(e, "id")[0].text or "" for e in entries]
    assert all(re.match(r"[a-z][a-z0-9+.-]*:", i) for i in ids), where
    assert len({children(e, "id")[0].text for e in entries}) == len(entries), "duplicate ids"
    for entry in entries:
        at = f"{where}: entry {children(entry, 'id')[0].text}"
        # 4.1.2: exactly one id, title and updated; an alternate link without content.
        for name in ("id", "title", "updated"):
            assert len(children(entry, name)) == 1, f"{at}: atom:{name}"
        for name in ("published", "summary", "content", "rights", "source"):
            assert len(children(entry, name)) <= 1, f"{at}: atom:{name}"
        check_date(children(entry, "updated")[0], at)
        for published in children(entry, "published"):
            check_date(published, at)
        check_text(children(entry, "title")[0], at)
        for summary in children(entry, "summary"):
            check_text(summary, at)
        if not children(entry, "content"):
            assert any(x.get("rel", "alternate") == "alternate" for x in children(entry, "link"))
        for person in children(entry, "author"):
            check_person(person, at)
        assert all(x.get("href") for x in children(entry, "link")), at
    return feed


def test_every_feed_meets_rfc_4287(site: Path) -> None:
    feeds = sorted(site.rglob("feed.xml"))
    assert [f.relative_to(site).as_posix() for f in feeds] == [
        "entities/ada-penrose/feed.xml",
        "entities/millbrook-council/feed.xml",
        "entities/valeline/feed.xml",
        "feed.xml",
        "topics/local-services/feed.xml",
        "topics/transport/feed.xml",
    ]
    for path in feeds:
        feed = check_feed(path)
        own = [x.get("href") for x in children(feed, "link") if x.get("rel") == "self"]
        assert own == [BASE + path.relative_to(site).as_posix()]


def test_the_site_feed_lists_briefs_newest_first_with_what_each_entry_needs(site: Path) -> None:
    feed = ET.parse(site / "feed.xml").getroot()
    entries = children(feed, "entry")
    assert [children(e, "id")[0].text for e in entries] == [
        f"{BASE}briefs/library-sundays/",
        f"{BASE}briefs/bus-depot/",
        f"{BASE}briefs/parking-fees/",
    ]
    depot = entries[1]
    # `updated` is the brief's; its latest correction is in the summary.
    assert children(depot, "updated")[0].text == "2025-03-14T00:00:00Z"
    assert children(depot, "published")[0].text == "2025-03-12T00:00:00Z"
    assert [children(a, "name")[0].text for a in children(depot, "author")] == [
        "Sam Okafor",
        "Priya Nandakumar",
    ]
    summary = children(depot, "summary")[0]
    assert summary.get("type") == "html"
    assert "<strong>£4.2 million</strong>" in (summary.text or "")
    assert "Correction, 2025-03-14: Added a link to" in (summary.text or "")
    assert f'href="{BASE}entities/valeline/"' in (summary.text or "")
    # A brief without authors is the site's.
    assert [children(a, "name")[0].text for a in children(entries[2], "author")] == [
        "Millbrook Briefs"
    ]
    assert [children(a, "name")[0].text for a in children(feed, "author")] == ["Millbrook Briefs"]
    assert children(feed, "updated")[0].text == "2025-04-02T00:00:00Z"


def test_a_correction_updates_its_briefs_entry(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project(
        {
            "content/briefs/agency-move.yaml": BRIEF
            + "corrections:\n  - date: 2024-06-09\n    note: Fixed the *count* of staff.\n"
        }
    )
    build(root, tmp_path / "site")
    feed = ET.parse(tmp_path / "site/feed.xml").getroot()
    (entry,) = children(feed, "entry")
    assert children(entry, "updated")[0].text == "2024-06-09T00:00:00Z"
    assert children(entry, "published")[0].text == "2024-05-01T00:00:00Z"
    assert "Correction, 2024-06-09: Fixed the <em>count</em> of staff." in (
        children(entry, "summary")[0].text or ""
    )
    assert children(feed, "updated")[0].text == "2024-06-09T00:00:00Z"


def test_the_sitemap_names_every_page_with_its_last_change(site: Path) -> None:
    urlset = ET.parse(site / "sitemap.xml").getroot()
    assert urlset.tag == f"{SM}urlset"
    found = {
        (u.find(f"{SM}loc").text or ""): (u.find(f"{SM}lastmod").text or "")  # type: ignore[union-attr]
        for u in urlset.findall(f"{SM}url")
    }
    pages = {
        BASE + p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("*.html")
        if p.relative_to(site).as_posix() not in ("404.html", "search/index.html")
    }
    assert set(found) == pages
    assert len(urlset.findall(f"{SM}url")) == len(pages)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in found.values())
    assert found[f"{BASE}briefs/bus-depot/"] == "2025-03-14"  # its update
    assert found[f"{BASE}topics/transport/"] == "2025-03-14"  # its newest brief
    assert found[BASE] == "2025-04-02"  # the newest brief of all


def test_robots_txt_names_the_sitemap(site: Path) -> None:
    text = (site / "robots.txt").read_text(encoding="utf-8")
    assert text == f"User-agent: *\nDisallow:\n\nSitemap: {BASE}sitemap.xml\n"


class Head(HTMLParser):
    """The `<link>` and `<meta>` elements of a page's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str | None]] = []
        self.meta: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link":
            self.links.append(values)
        elif tag == "meta" and values.get("content") is not None:
            name = values.get("property") or values.get("name")
            if name:
                self.meta.append((str(name), str(values["content"])))

    def one(self, name: str) -> str:
        found = [c for n, c in self.meta if n == name]
        assert len(found) == 1, f"{name}: {found}"
        return found[0]

    def all(self, name: str) -> list[str]:
        return [c for n, c in self.meta if n == name]


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_says_where_it_is_and_what_it_is(site: Path) -> None:
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        page = head(path)
        canonical = [x["href"] for x in page.links if x.get("rel") == "canonical"]
        if relative == "404.html":  # served at any address: it has none of its own
            assert canonical == []
        else:
            url = BASE + relative.removesuffix("index.html")
            assert canonical == [url], relative
            assert page.one("og:url") == url
        brief = relative.startswith("briefs/") and relative != "briefs/index.html"
        assert page.one("og:type") == ("article" if brief else "website"), relative
        assert page.one("og:site_name") == "Millbrook Briefs"
        assert page.one("og:locale") == "en_GB"
        assert page.one("og:title") == page.one("twitter:title")
        assert page.one("twitter:card") == "summary"
        assert page.one("description") == page.one("og:description")
        feeds = [x["href"] for x in page.links if x.get("type") == "application/atom+xml"]
        assert feeds[0] == f"{BASE}feed.xml", relative


def test_topic_and_entity_pages_link_their_own_feeds(site: Path) -> None:
    def feeds(relative: str) -> list[str | None]:
        page = head(site / relative)
        return [x["href"] for x in page.links if x.get("type") == "application/atom+xml"]

    assert feeds("topics/transport/index.html") == [
        f"{BASE}feed.xml",
        f"{BASE}topics/transport/feed.xml",
    ]
    assert feeds("entities/valeline/index.html") == [
        f"{BASE}feed.xml",
        f"{BASE}entities/valeline/feed.xml",
    ]
    # An entity no brief mentions has no feed, and no link to one.
    assert feeds("entities/transport-board/index.html") == [f"{BASE}feed.xml"]
    assert not (site / "entities/transport-board/feed.xml").exists()


def test_brief_pages_have_the_tags_reference_managers_read(site: Path) -> None:
    page = head(site / "briefs/bus-depot/index.html")
    assert page.one("citation_title") == "Millbrook council votes to move the bus depot"
    assert page.all("citation_author") == ["Sam Okafor", "Priya Nandakumar"]
    assert page.one("citation_publication_date") == "2025/03/12"
    assert page.one("citation_publisher") == "Millbrook Briefs"
    # What makes Zotero file the page as a report.
    assert page.one("citation_technical_report_institution") == "Millbrook Briefs"
    assert page.one("citation_public_url") == f"{BASE}briefs/bus-depot/"
    assert not head(site / "index.html").all("citation_title")


IMAGE = "image:\n  url: https://img.example.test/{}\n  alt: {}\n"


def test_images_of_the_brief_and_the_site_for_link_previews(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project(
        {
            "content/site.yaml": SITE + IMAGE.format("site.png", "The site's logo"),
            "content/briefs/agency-move.yaml": BRIEF + IMAGE.format("move.jpg", "Boxes in a hall"),
        }
    )
    build(root, tmp_path / "site")
    brief = head(tmp_path / "site/briefs/agency-move/index.html")
    assert (
        brief.one("og:image") == brief.one("twitter:image") == "https://img.example.test/move.jpg"
    )
    assert brief.one("og:image:alt") == brief.one("twitter:image:alt") == "Boxes in a hall"
    assert brief.one("twitter:card") == "summary_large_image"
    index = head(tmp_path / "site/index.html")
    assert index.one("og:image") == "https://img.example.test/site.png"
    assert index.one("og:image:alt") == "The site's logo"


@pytest.mark.parametrize("url", ["logo.svg", "logo.SVG?v=2", "logo", "logo.svgz"])
def test_an_image_that_previews_cannot_show_is_an_error(
    make_project: ProjectFactory, tmp_path: Path, url: str
) -> None:
    root = make_project({"content/site.yaml": SITE + IMAGE.format(url, "A logo")})
    with pytest.raises(BriefsiteError) as caught:
        build(root, tmp_path / "site")
    (problem,) = caught.value.diagnostics
    assert (problem.location.path, problem.location.line) == ("content/site.yaml", 5)
    assert problem.message == (
        f"'url' 'https://img.example.test/{url}' is not valid: use the full address of a "
        "PNG, JPEG, GIF or WebP image (not SVG: link previews do not show it)"
    )
    assert not (tmp_path / "site").exists()


WITHOUT_BASE = "title: Test briefs\nlanguage: en\n"
NEEDS_BASE = (
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "annotations.jsonld",
    "briefs/agency-move/annotations.jsonld",
    "topics/staffing/feed.xml",
    "entities/agency/feed.xml",
)


def test_without_base_url_one_warning_and_only_what_needs_it_is_left_out(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project({"content/site.yaml": WITHOUT_BASE})
    built = build(root, tmp_path / "site")
    assert [d.format() for d in built.diagnostics] == [
        "content/site.yaml:1:1: warning: base_url is not set: feeds, the sitemap, robots.txt, "
        "canonical links, structured data and annotations are left out\n"
        "  hint: add the site's public address, e.g. `base_url: https://example.org/briefs/`"
    ]
    for relative in NEEDS_BASE:
        assert not (tmp_path / "site" / relative).exists(), relative
    for relative in ("index.html", "briefs/agency-move/index.html", "search/index.html"):
        assert (tmp_path / "site" / relative).exists(), relative
    page = (tmp_path / "site/briefs/agency-move/index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in page and "application/ld+json" not in page
    assert "og:url" not in page and "application/atom+xml" not in page
    assert 'property="og:title"' in page  # what needs no address is still there
    assert (tmp_path / "site/pagefind/pagefind.js").exists()


def test_strict_makes_a_missing_base_url_an_error(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project({"content/site.yaml": WITHOUT_BASE})
    with pytest.raises(BriefsiteError) as caught:
        build(root, tmp_path / "site", strict=True)
    (problem,) = caught.value.diagnostics
    assert problem.severity == "error" and problem.message.startswith("base_url is not set")
    assert not (tmp_path / "site").exists()


def test_a_base_url_with_a_path_prefixes_every_address(site: Path) -> None:
    addresses: list[str] = []
    for path in site.rglob("*"):
        if path.suffix not in (".xml", ".jsonld", ".txt", ".html"):
            continue
        text = path.read_text(encoding="utf-8")
        addresses += re.findall(r"https://briefs\.example\.test[^\s\"'<&]*", text)
    assert addresses
    assert all(a.startswith(BASE) for a in addresses), sorted(set(addresses))[:5]


def test_two_builds_of_the_same_project_publish_the_same_bytes(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(GOLDEN, project)
    build(project, tmp_path / "one")
    build(project, tmp_path / "two")
    for name in ("feed.xml", "sitemap.xml", "robots.txt", "annotations.jsonld"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert not errors(build(project, tmp_path / "three"))


def test_hostile_text_reaches_feeds_and_the_sitemap_as_text(tmp_path: Path) -> None:
    build(GOLDEN.parent / "hostile", tmp_path / "site")
    site = tmp_path / "site"
    for path in sorted(site.rglob("feed.xml")):
        check_feed(path)  # it parses: every string was escaped by the serializer
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [children(e, "title")[0].text for e in children(feed, "entry")]
    assert (
        'Brief title {{ 7*7 }} <script>alert(1)</script> " onmouseover="alert(1) {% raw %}'
        in titles
    )
    assert children(feed, "title")[0].text == (
        'Site {{ 7*7 }} {% raw %} </title><script>alert(1)</script> " onmouseover="alert(1)'
    )
    authors = [
        children(a, "name")[0].text for e in children(feed, "entry") for a in children(e, "author")
    ]
    assert "Author {{ 7*7 }} <script>alert(1)</script>" in authors
    summaries = " ".join(children(e, "summary")[0].text or "" for e in children(feed, "entry"))
    assert "<script" not in summaries and "javascript:" not in summaries  # sanitised HTML
    ET.parse(site / "sitemap.xml")


def test_a_page_is_described_by_its_own_summary(site: Path) -> None:
    brief = head(site / "briefs/bus-depot/index.html")
    assert brief.one("description") == (
        "The council will move the depot out of Quarry Lane. The £4.2 million figure is the "
        "council's own estimate, and the 120 homes are a hope, not a plan."
    )
    topic = head(site / "topics/transport/index.html")
    assert topic.one("description") == (
        "Buses, roads and parking in Millbrook. Start with the bus depot brief."
    )
    index = head(site / "index.html")
    assert index.one("description").startswith("Fictional sample briefs")  # the site's
