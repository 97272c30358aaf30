"""Every JSON-LD block a build writes parses, and every object in it has the properties its
type requires, from a table taken from the specifications that consumers publish."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from briefsite.model import RATINGS
from briefsite.site.structured import BEST_RATING, RATING_VALUES, WORST_RATING
from briefsite.site.views import RATING_LABELS
from tests.conftest import BRIEF, ProjectFactory
from tests.helpers import build

TESTS = Path(__file__).resolve().parent
FIXTURES = {name: TESTS / "fixtures" / name for name in ("golden", "hostile")}
README = (TESTS.parent / "README.md").read_text(encoding="utf-8")

# The properties each type must have.
# - ClaimReview, Rating and Claim: Google's fact-check structured data documentation
#   (developers.google.com/search/docs/appearance/structured-data/factcheck): ClaimReview
#   requires claimReviewed, reviewRating and url, and recommends author, datePublished and
#   itemReviewed; a Rating requires alternateName, and ratingValue, bestRating and
#   worstRating where the rating is numeric; a Claim recommends appearance (or
#   firstAppearance), author and datePublished.
# - Article: Google's article documentation recommends headline, author, datePublished
#   and dateModified; schema.org's CreativeWork gives publisher, and isBasedOn the work
#   it derives from.
# - CorrectionComment (schema.org Comment): its text and when it was published.
# - Person and Organization: a name (Google: author.name is required of an author).
# We require the recommended ones too: a fact check that leaves them out is not listed.
REQUIRED: dict[str, frozenset[str]] = {
    "ClaimReview": frozenset(
        {"claimReviewed", "reviewRating", "url", "author", "datePublished", "itemReviewed"}
    ),
    "Rating": frozenset({"alternateName", "ratingValue", "bestRating", "worstRating"}),
    "Claim": frozenset({"appearance"}),
    "Article": frozenset({"headline", "author", "datePublished", "publisher", "isBasedOn", "url"}),
    "CreativeWork": frozenset({"headline"}),
    "CorrectionComment": frozenset({"text", "datePublished"}),
    "Person": frozenset({"name"}),
    "Organization": frozenset({"name"}),
    "GovernmentOrganization": frozenset({"name", "url"}),
    "Place": frozenset({"name", "url"}),
    "Legislation": frozenset({"name", "url"}),
    "GovernmentService": frozenset({"name", "url"}),
    "Thing": frozenset({"name", "url"}),
    "ImageObject": frozenset({"url"}),
}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Blocks(HTMLParser):
    """The raw text of every `<script type="application/ld+json">` of a page, and the ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.ids: set[str] = set()
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.blocks[-1] += data


@pytest.fixture(scope="module", params=sorted(FIXTURES))
def pages(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    output = tmp_path_factory.mktemp("jsonld") / "site"
    build(FIXTURES[request.param], output)
    found = {}
    for path in sorted(output.rglob("*.html")):
        parser = Blocks()
        parser.feed(path.read_text(encoding="utf-8"))
        found[path.relative_to(output).as_posix()] = parser
    return found


def objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object with a type, at any depth."""
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for item in value.values():
            yield from objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from objects(item)


def resolved(graph: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A graph with every reference (an object holding only `@id`) replaced by the node of
    that `@id`, as a JSON-LD processor reads it; a reference to no node fails."""
    nodes = {o["@id"]: o for o in objects(graph) if "@id" in o}

    def follow(value: Any) -> Any:
        if isinstance(value, dict):
            if value.keys() == {"@id"}:
                assert value["@id"] in nodes, f"{value['@id']} names no node of the graph"
                return nodes[value["@id"]]
            return {k: follow(v) for k, v in value.items()}
        if isinstance(value, list):
            return [follow(v) for v in value]
        return value

    return [follow(node) for node in graph]


def test_every_block_parses_and_every_object_has_what_its_type_requires(pages: Any) -> None:
    checked = 0
    for path, page in pages.items():
        is_brief = path.startswith("briefs/") and path != "briefs/index.html"
        assert len(page.blocks) == (1 if is_brief else 0), path
        for raw in page.blocks:
            # Nothing in the data can end the element early: no `<` at all.
            assert "<" not in raw and "</script" not in raw.lower()
            data = json.loads(raw)
            assert data["@context"] == "https://schema.org"
            types = [o["@type"] for o in data["@graph"]]
            assert types[0] == "Article" and set(types[1:]) <= {"ClaimReview"}
            for item in objects(resolved(data["@graph"])):
                kind = item["@type"]
                assert kind in REQUIRED, f"{path}: no requirements known for {kind}"
                missing = REQUIRED[kind] - item.keys()
                assert not missing, f"{path}: {kind} lacks {sorted(missing)}"
                checked += 1
    assert checked


def test_each_claim_with_a_verdict_is_reviewed_as_google_asks(pages: Any) -> None:
    reviews = 0
    for path, page in pages.items():
        for raw in page.blocks:
            article, *claims = resolved(json.loads(raw)["@graph"])
            for review in claims:
                reviews += 1
                url = review["url"]
                assert url.startswith(article["url"] + "#")
                assert url.split("#", 1)[1] in page.ids, f"{path}: {url} has no note"
                assert 0 < len(review["claimReviewed"]) <= 75
                rating = review["reviewRating"]
                assert (rating["worstRating"], rating["bestRating"]) == (1, 6)
                assert 1 <= rating["ratingValue"] <= 6
                assert rating["alternateName"] in RATING_LABELS.values()
                label = next(k for k, v in RATING_LABELS.items() if v == rating["alternateName"])
                assert rating["ratingValue"] == RATING_VALUES[label]
                assert review["author"]["@type"] == "Organization"
                assert DATE.fullmatch(review["datePublished"])
                assert review["itemReviewed"]["@type"] == "Claim"
                assert review["itemReviewed"]["appearance"] == article["isBasedOn"]
    assert reviews


def test_the_golden_brief_as_structured_data(tmp_path: Path) -> None:
    build(FIXTURES["golden"], tmp_path / "site")
    parser = Blocks()
    parser.feed((tmp_path / "site/briefs/bus-depot/index.html").read_text(encoding="utf-8"))
    article, *claims = json.loads(parser.blocks[0])["@graph"]
    base = "https://briefs.example.test/millbrook/"
    assert article["headline"] == "Millbrook council votes to move the bus depot"
    assert (article["datePublished"], article["dateModified"]) == ("2025-03-12", "2025-03-14")
    assert [a["name"] for a in article["author"]] == ["Sam Okafor", "Priya Nandakumar"]
    assert article["publisher"] == {
        "@type": "Organization",
        "@id": f"{base}#publisher",
        "name": "Millbrook Briefs",
        "url": base,
    }
    assert article["isBasedOn"] == {
        "@type": "CreativeWork",
        "@id": f"{base}briefs/bus-depot/#source",
        "headline": "Millbrook council votes to move the bus depot",
        "url": "https://echo.example.test/news/bus-depot",
        "publisher": {"@type": "Organization", "name": "Millbrook Echo (fictional)"},
        "author": {"@type": "Person", "name": "Jo Field"},
        "datePublished": "2025-03-11",
    }
    assert {t["url"] for t in article["about"]} >= {f"{base}entities/valeline/"}
    assert [c["datePublished"] for c in article["correction"]] == ["2025-03-14", "2025-03-13"]
    assert article["correction"][1]["text"] == (
        "An earlier version said the vote was nine to two; it was seven to two."
    )
    assert [(c["url"].rsplit("#")[1], c["reviewRating"]["alternateName"]) for c in claims] == [
        ("homes-claim", "Missing context"),
        ("empty-running", "Unsupported"),
    ]
    assert claims[1]["claimReviewed"] == "cut empty running by 15 per cent"


LONG_CLAIM = """\
seed: agency-move
published: 2024-05-01
annotations:
  - id: long
    quote: The Agency said on Friday that it would move 40 staff to the city.
    type: claim
    note: A long claim.
    verdict: {rating: accurate, summary: It did.}
"""


def test_a_long_claim_is_shortened_at_a_word_with_an_ellipsis(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project({"content/briefs/agency-move.yaml": LONG_CLAIM})
    build(root, tmp_path / "site")
    parser = Blocks()
    parser.feed((tmp_path / "site/briefs/agency-move/index.html").read_text(encoding="utf-8"))
    (review,) = json.loads(parser.blocks[0])["@graph"][1:]
    shown = review["claimReviewed"]
    passage = "The Agency said on Friday that it would move 40 staff to the city."
    assert len(passage) == 66 and shown == passage  # it fits: nothing is cut


def test_a_claim_over_75_characters_is_cut_before_a_whole_word(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    quote = 'The Agency said on Friday that it would move 40 staff to the city. "We need the help,"'
    brief = LONG_CLAIM.replace(
        "quote: The Agency said on Friday that it would move 40 staff to the city.",
        f"quote: '{quote}'",
    )
    root = make_project({"content/briefs/agency-move.yaml": brief})
    build(root, tmp_path / "site")
    parser = Blocks()
    parser.feed((tmp_path / "site/briefs/agency-move/index.html").read_text(encoding="utf-8"))
    (review,) = json.loads(parser.blocks[0])["@graph"][1:]
    shown = review["claimReviewed"]
    assert len(shown) <= 75 and shown.endswith("…")
    kept = shown.removesuffix("…")
    assert quote.startswith(kept) and quote[len(kept)] == " "  # never mid-word
    assert shown == 'The Agency said on Friday that it would move 40 staff to the city. "We…'


def test_the_readme_documents_the_rating_scale() -> None:
    rows = re.findall(r"^\| `([a-z-]+)` \| (\d) \| ([A-Za-z ]+) \|$", README, re.MULTILINE)
    assert {r: (int(v), label) for r, v, label in rows} == {
        r: (RATING_VALUES[r], RATING_LABELS[r]) for r in RATINGS
    }
    assert (WORST_RATING, BEST_RATING) == (1, 6)


def test_a_note_cannot_end_the_script_element(make_project: ProjectFactory, tmp_path: Path) -> None:
    brief = BRIEF + (
        "corrections:\n  - date: 2024-05-02\n    note: 'A </script><script>alert(1)</script> fix'\n"
    )
    root = make_project({"content/briefs/agency-move.yaml": brief})
    build(root, tmp_path / "site")
    page = (tmp_path / "site/briefs/agency-move/index.html").read_text(encoding="utf-8")
    parser = Blocks()
    parser.feed(page)
    (raw,) = parser.blocks
    assert "</script" not in raw
    article = json.loads(raw)["@graph"][0]
    assert article["correction"][0]["text"] == "A fix"  # sanitised: the script is gone
