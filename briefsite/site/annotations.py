"""A brief's notes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Each brief publishes `briefs/<slug>/annotations.jsonld`, an `AnnotationPage` of its notes;
the site publishes `annotations.jsonld`, the `AnnotationCollection` whose pages they are,
chained newest brief first (`first`, `last`; each page's `prev` and `next`). A note is an
`Annotation`: its motivation follows its type, its body is its sanitised HTML (a claim has
a second body, its verdict), and its target is the passage in the source article, found
by a `TextQuoteSelector` (the quote and 32 characters either side) and a
`TextPositionSelector` (code-point offsets into the seed's document text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from briefsite.anchor.selectors import CONTEXT_CHARS
from briefsite.model import Annotation, Brief, NoteType, Seed, Site
from briefsite.site.urls import absolute, brief_path, iri, timestamp

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
COLLECTION = "annotations.jsonld"
MOTIVATIONS: dict[NoteType, str] = {
    "context": "commenting",
    "definition": "describing",
    "claim": "assessing",
    "source": "linking",
    "question": "questioning",
    "correction": "editing",
}
JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PlacedNote:
    """A note with where it is placed and its texts as HTML with absolute links."""

    note: Annotation
    start: int
    end: int
    body: str  # sanitised HTML
    verdict: tuple[str, str] | None  # the rating in words, and why (sanitised HTML)


def page_url(root: str, slug: str) -> str:
    """The address of a brief's AnnotationPage."""
    return absolute(root, f"{brief_path(slug)}annotations.jsonld")


def collection_url(root: str) -> str:
    """The address of the site's AnnotationCollection."""
    return absolute(root, COLLECTION)


def _creator(site: Site, root: str, brief: Brief) -> JsonObject | list[JsonObject]:
    if brief.authors:
        return [{"type": "Person", "name": a} for a in brief.authors]
    return {"type": "Organization", "name": site.title, "homepage": root}


def selectors(seed: Seed, start: int, end: int) -> list[JsonObject]:
    """The quote with its context, and its position, in the seed's document text."""
    text = seed.text
    quote: JsonObject = {"type": "TextQuoteSelector", "exact": text[start:end]}
    # The context `anchor` starts from, 32 characters each side, as Hypothesis records.
    prefix = text[max(0, start - CONTEXT_CHARS) : start]
    suffix = text[end : end + CONTEXT_CHARS]
    if prefix:
        quote["prefix"] = prefix
    if suffix:
        quote["suffix"] = suffix
    return [quote, {"type": "TextPositionSelector", "start": start, "end": end}]


def annotation(site: Site, root: str, brief: Brief, seed: Seed, placed: PlacedNote) -> JsonObject:
    """One note as an Annotation."""
    note = placed.note
    url = absolute(root, brief_path(brief.slug))
    body: list[JsonObject] = [
        {
            "type": "TextualBody",
            "value": placed.body,
            "format": "text/html",
            "language": site.language,
        }
    ]
    if placed.verdict is not None:
        label, why = placed.verdict
        value = Markup("<p><strong>{}</strong>: {}</p>").format(label, Markup(why))
        body.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": str(value),
                "format": "text/html",
                "language": site.language,
            }
        )
    # The sources a note cites, as the web resources they are.
    body += [{"id": iri(address)} for address in dict.fromkeys(c.url for c in note.sources)]
    source = iri(brief.source.url) if brief.source is not None and brief.source.url else url
    item: JsonObject = {
        "@context": ANNO_CONTEXT,
        "id": f"{url}#{note.id}",
        "type": "Annotation",
        "motivation": MOTIVATIONS[note.type],
        "created": timestamp(brief.published),
        "creator": _creator(site, root, brief),
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": source,
            "selector": selectors(seed, placed.start, placed.end),
        },
    }
    if brief.updated:
        item["modified"] = timestamp(brief.updated)
    return item


def annotation_page(
    site: Site,
    root: str,
    brief: Brief,
    seed: Seed,
    notes: Sequence[PlacedNote],
    neighbours: tuple[str | None, str | None],
) -> JsonObject:
    """A brief's AnnotationPage: its notes in reading order, part of the site's
    collection, linked to the pages of the briefs before and after it."""
    page: JsonObject = {
        "@context": ANNO_CONTEXT,
        "id": page_url(root, brief.slug),
        "type": "AnnotationPage",
        "partOf": {
            "id": collection_url(root),
            "type": "AnnotationCollection",
            "label": f"Notes of {site.title}",
        },
    }
    previous, following = neighbours
    if previous is not None:
        page["prev"] = page_url(root, previous)
    if following is not None:
        page["next"] = page_url(root, following)
    page["items"] = [annotation(site, root, brief, seed, n) for n in notes]
    return page


def annotation_collection(site: Site, root: str, order: Sequence[str], total: int) -> JsonObject:
    """The site's AnnotationCollection: how many notes, and its first and last pages."""
    collection: JsonObject = {
        "@context": ANNO_CONTEXT,
        "id": collection_url(root),
        "type": "AnnotationCollection",
        "label": f"Notes of {site.title}",
        "total": total,
    }
    if order:
        collection["first"] = page_url(root, order[0])
        collection["last"] = page_url(root, order[-1])
    return collection
