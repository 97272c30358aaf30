"""The notes as W3C Web Annotations: every MUST of the Web Annotation Data Model
(https://www.w3.org/TR/annotation-model/) for an Annotation, its bodies and targets,
Specific Resources, the selectors used, an AnnotationPage and an AnnotationCollection,
stated here one by one; and each TextQuoteSelector, fed back through briefsite's own
anchoring, lands on the very span its TextPositionSelector names."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from briefsite.anchor.anchoring import Anchor, anchor_brief
from briefsite.errors import Diagnostics, SourceLocation
from briefsite.model import Annotation, Text
from briefsite.site.annotations import MOTIVATIONS
from briefsite.site.urls import iri
from tests.helpers import build, plan

TESTS = Path(__file__).resolve().parent
FIXTURES = {name: TESTS / "fixtures" / name for name in ("golden", "hostile")}
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# An IRI: a scheme, then no white space (RFC 3987's absolute form, loosely).
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
# xsd:dateTime, with the time zone the model asks for.
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
# The motivations the model defines (section 3.3.5).
MODEL_MOTIVATIONS = frozenset(
    {
        "assessing",
        "bookmarking",
        "classifying",
        "commenting",
        "describing",
        "editing",
        "highlighting",
        "identifying",
        "linking",
        "moderating",
        "questioning",
        "replying",
        "tagging",
    }
)


def types(value: dict[str, Any]) -> list[str]:
    found = value.get("type", [])
    return found if isinstance(found, list) else [found]


def one_iri(value: Any, what: str) -> None:
    assert isinstance(value, str) and IRI.fullmatch(value), f"{what}: {value!r} is not one IRI"


def check_context(value: Any) -> None:
    # 3.1 / 5: MUST have 1 or more @context values, and anno.jsonld MUST be one of them;
    # a single one is the string itself (no https, no trailing slash: exactly this IRI).
    contexts = value if isinstance(value, list) else [value]
    assert CONTEXT in contexts, value


def check_agent(agent: Any) -> None:
    # 3.3.3: an agent is an IRI, or an object whose type, if given, is an agent's.
    if isinstance(agent, str):
        one_iri(agent, "creator")
        return
    assert set(types(agent)) <= {"Person", "Organization", "Software"}, agent
    assert isinstance(agent.get("name"), str) and agent["name"], agent


def check_body(body: Any) -> None:
    if isinstance(body, str):
        one_iri(body, "body")
        return
    if "TextualBody" in types(body):
        # 3.2.4: an Embedded Textual Body MUST have exactly 1 value; it has no id needed.
        assert isinstance(body.get("value"), str), body
        assert "source" not in body and "items" not in body
        if "format" in body:
            assert isinstance(body["format"], str)
        if "language" in body:
            assert re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", body["language"])
        return
    # 3.2.2: an External Web Resource MUST have exactly 1 IRI as its id, and no purpose
    # (a purpose belongs to a TextualBody or a SpecificResource, 3.3.5).
    one_iri(body.get("id"), "external body")
    assert "purpose" not in body and "value" not in body


def check_selector(selector: dict[str, Any]) -> None:
    kinds = types(selector)
    assert len(kinds) == 1, selector  # 4.2: each selector MUST have exactly 1 type
    if kinds == ["TextQuoteSelector"]:
        # 4.2.4: exactly 1 exact; 0 or 1 prefix; 0 or 1 suffix; all strings.
        assert isinstance(selector.get("exact"), str) and selector["exact"], selector
        for key in ("prefix", "suffix"):
            assert key not in selector or isinstance(selector[key], str)
    elif kinds == ["TextPositionSelector"]:
        # 4.2.5: exactly 1 start and 1 end, non-negative integers.
        for key in ("start", "end"):
            assert isinstance(selector.get(key), int) and selector[key] >= 0, selector
        assert selector["start"] <= selector["end"]
    else:
        raise AssertionError(f"unexpected selector {selector}")


def check_target(target: Any) -> None:
    if isinstance(target, str):
        one_iri(target, "target")
        return
    # 4: a Specific Resource MUST have exactly 1 source, an IRI; its type is SpecificResource.
    assert types(target) == ["SpecificResource"], target
    one_iri(target.get("source"), "source")
    selectors = target.get("selector", [])
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        check_selector(selector)


def check_annotation(item: dict[str, Any], inherited: bool) -> None:
    if not inherited or "@context" in item:
        check_context(item.get("@context"))
    # 3.1: exactly 1 IRI as id; type MUST include Annotation; 1 or more targets.
    one_iri(item.get("id"), "annotation id")
    assert "Annotation" in types(item)
    assert item.get("target"), item["id"]
    # 3.2.5: body and bodyValue MUST NOT both be there.
    assert not ("body" in item and "bodyValue" in item)
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        check_body(body)
    targets = item["target"]
    for target in targets if isinstance(targets, list) else [targets]:
        check_target(target)
    # 3.3.1: created and modified MUST be xsd:dateTime.
    for key in ("created", "modified", "generated"):
        assert key not in item or DATE_TIME.fullmatch(item[key]), (key, item.get(key))
    # 3.3.5: a motivation is one the model defines (or one it is told of: none here).
    motivations = item.get("motivation", [])
    for motivation in motivations if isinstance(motivations, list) else [motivations]:
        assert motivation in MODEL_MOTIVATIONS, motivation
    creators = item.get("creator", [])
    for creator in creators if isinstance(creators, list) else [creators]:
        check_agent(creator)


def check_page(page: dict[str, Any]) -> None:
    # 5.2: @context; exactly 1 IRI id; type AnnotationPage; exactly 1 items, a list of
    # annotations; partOf, next and prev as IRIs (partOf an object with an id IRI);
    # startIndex, if any, a non-negative integer.
    check_context(page.get("@context"))
    one_iri(page.get("id"), "page id")
    assert types(page) == ["AnnotationPage"]
    assert isinstance(page.get("items"), list)
    part = page.get("partOf")
    if part is not None:
        assert isinstance(part, dict), "partOf is an object, not a bare IRI"
        one_iri(part.get("id"), "partOf")
        assert "AnnotationCollection" in types(part)
        assert "total" not in part or (isinstance(part["total"], int) and part["total"] >= 0)
    for key in ("next", "prev"):
        if key in page:
            one_iri(page[key], key)
    assert "startIndex" not in page or page["startIndex"] >= 0
    for item in page["items"]:
        check_annotation(item, inherited=True)


def check_collection(collection: dict[str, Any], pages: int) -> None:
    # 5.1: @context; exactly 1 IRI id; type AnnotationCollection; total a non-negative
    # integer; exactly 1 first when there are annotations, an IRI or a page.
    check_context(collection.get("@context"))
    one_iri(collection.get("id"), "collection id")
    assert types(collection) == ["AnnotationCollection"]
    assert isinstance(collection.get("total"), int) and collection["total"] >= 0
    if collection["total"]:
        one_iri(collection.get("first"), "first")
    if pages:
        one_iri(collection.get("last"), "last")


@pytest.fixture(scope="module", params=sorted(FIXTURES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    output = tmp_path_factory.mktemp("annotations") / "site"
    build(FIXTURES[request.param], output)
    return request.param, output


def pages_of(output: Path) -> dict[str, dict[str, Any]]:
    return {
        p.parent.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((output / "briefs").glob("*/annotations.jsonld"))
    }


def test_every_annotation_page_and_the_collection_meet_the_model(built: Any) -> None:
    _, output = built
    pages = pages_of(output)
    assert pages
    for page in pages.values():
        check_page(page)
    collection = json.loads((output / "annotations.jsonld").read_text(encoding="utf-8"))
    check_collection(collection, len(pages))
    assert collection["total"] == sum(len(p["items"]) for p in pages.values())
    # The pages form one chain from first to last, each part of the collection.
    order = []
    url: str | None = collection["first"]
    by_id = {p["id"]: p for p in pages.values()}
    while url is not None:
        order.append(url)
        assert by_id[url]["partOf"]["id"] == collection["id"]
        following = by_id[url].get("next")
        if following is not None:
            assert by_id[following]["prev"] == url
        url = following
    assert order[-1] == collection["last"] and sorted(order) == sorted(by_id)


def each_annotation(output: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for slug, page in pages_of(output).items():
        for item in page["items"]:
            yield slug, item


def test_each_note_is_an_annotation_as_the_issue_describes(built: Any) -> None:
    name, output = built
    root = plan(FIXTURES[name])
    for slug, item in each_annotation(output):
        placed = root.placed[slug]
        note_id = item["id"].rsplit("#", 1)[1]
        note = next(n for n in placed.brief.annotations if n.id == note_id)
        assert item["motivation"] == MOTIVATIONS[note.type]
        first = item["body"][0]
        assert first["type"] == "TextualBody" and first["format"] == "text/html"
        assert first["language"] == root.project.site.language
        verdicts = [b for b in item["body"] if b.get("purpose") == "assessing"]
        assert len(verdicts) == (1 if note.verdict else 0)
        for body in item["body"]:
            # Sanitised HTML: no script, no handler, no script URL survives.
            elements = Elements()
            elements.feed(body.get("value", ""))
            assert not {"script", "iframe", "object", "embed"} & {t for t, _ in elements.found}
            for _, attrs in elements.found:
                assert not any(n.startswith("on") for n in attrs), attrs
                assert not any("javascript:" in (v or "").lower() for v in attrs.values())
        source = placed.brief.source
        target = item["target"]
        expected = iri(source.url) if source and source.url else item["id"].split("#")[0]
        assert target["source"] == expected


def test_each_quote_selector_anchors_again_on_the_same_span(built: Any) -> None:
    name, output = built
    root = plan(FIXTURES[name])
    checked = 0
    for slug, item in each_annotation(output):
        placed = root.placed[slug]
        quote, position = item["target"]["selector"]
        text = placed.seed.text
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert quote.get("prefix", "") == text[max(0, start - 32) : start]
        assert quote.get("suffix", "") == text[end : end + 32]
        at = SourceLocation(placed.brief.path)
        alone = Annotation(
            id="again",
            at=at,
            quote=quote["exact"],
            quote_at=at,
            prefix=quote.get("prefix"),
            suffix=quote.get("suffix"),
            occurrence=None,
            type="context",
            note=Text("Again.", at),
            entities=(),
            sources=(),
            verdict=None,
        )
        brief = dataclasses.replace(placed.brief, annotations=(alone,), anchored=None)
        diagnostics = Diagnostics()
        (found,) = anchor_brief(brief, placed.seed, diagnostics)
        assert isinstance(found, Anchor) and found.status == "exact", (slug, item["id"])
        assert (found.start, found.end) == (start, end)
        checked += 1
    assert checked


class Elements(HTMLParser):
    """Every element of an HTML fragment, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def test_the_hostile_texts_stay_text_in_the_annotations(tmp_path: Path) -> None:
    build(FIXTURES["hostile"], tmp_path / "site")
    raw = (tmp_path / "site/briefs/hostile/annotations.jsonld").read_text(encoding="utf-8")
    page = json.loads(raw)
    exact = [i["target"]["selector"][0]["exact"] for i in page["items"]]
    assert "<script>alert(1)</script> will act" in exact
    (claim,) = [i for i in page["items"] if i["motivation"] == "assessing"]
    # The verdict's script is gone with its content; its `javascript:` link keeps its text.
    assert claim["body"][1]["value"] == "<p><strong>False</strong>: Verdict {{ 7*7 }}  <a>x</a></p>"
    # A cited address holding a quote and spaces is an IRI still: they are escaped.
    assert claim["body"][2] == {"id": "https://example.test/%22%20onmouseover=%22alert(1)"}
