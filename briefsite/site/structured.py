"""Structured data for machines: a brief as schema.org JSON-LD (an `Article` and one
`ClaimReview` per claim checked), and every page's metadata (canonical link, Open Graph,
Twitter card and `citation_*` tags).

JSON-LD is planned here as plain data; the layout writes it with the `jsonld` filter,
which serializes it with `json.dumps` and escapes what could end a `<script>` element.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from briefsite.model import Annotation, Brief, Entity, EntityKind, Image, Rating, Seed, Site
from briefsite.site.describe import plain_text, shorten
from briefsite.site.urls import absolute, brief_path, iri

# ClaimReview's numeric scale: 1 (worst) to 6 (best), in the order of how far a reader can
# rely on the claim. `unsupported` (no evidence either way) sits below a claim that is true
# but lacks context, and above one that misleads. The README's "Publishing" section
# documents this table.
RATING_VALUES: dict[Rating, int] = {
    "false": 1,
    "misleading": 2,
    "unsupported": 3,
    "missing-context": 4,
    "mostly-accurate": 5,
    "accurate": 6,
}
WORST_RATING, BEST_RATING = 1, 6
# Google's fact-check documentation: claimReviewed is best kept under 75 characters.
CLAIM_LIMIT = 75
# schema.org types for the kinds of entity; an entity of no kind is a Thing.
ENTITY_TYPES: dict[EntityKind, str] = {
    "person": "Person",
    "organization": "Organization",
    "agency": "GovernmentOrganization",
    "place": "Place",
    "law": "Legislation",
    "program": "GovernmentService",
}
SCHEMA_CONTEXT = "https://schema.org"
JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim checked in a brief: its note, passage and verdict in words and HTML."""

    note: Annotation
    passage: str
    label: str  # the verdict in words
    summary: str  # the verdict's reasons, sanitised HTML


def publisher(site: Site, root: str) -> JsonObject:
    """The site as the publisher of its briefs and reviews."""
    return {"@type": "Organization", "@id": f"{root}#publisher", "name": site.title, "url": root}


def reference(node: JsonObject) -> JsonObject:
    """A node named again within the same graph: by its `@id` alone, as JSON-LD allows,
    rather than written out once for every claim."""
    return {"@id": node["@id"]}


def _person_or_publisher(name: str, publisher_name: str | None) -> JsonObject:
    kind = "Organization" if publisher_name and name == publisher_name else "Person"
    return {"@type": kind, "name": name}


def source_article(brief: Brief, seed: Seed, url: str) -> JsonObject:
    """The article a brief annotates, as far as the brief says where it appeared; named
    within the graph of the brief at `url`."""
    work: JsonObject = {"@type": "CreativeWork", "@id": f"{url}#source", "headline": seed.headline}
    source = brief.source
    if source is None:
        return work
    if source.url:
        work["url"] = iri(source.url)
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.byline:
        work["author"] = _person_or_publisher(source.byline, source.publisher)
    if source.published:
        work["datePublished"] = source.published.isoformat()
    return work


def image_object(image: Image) -> JsonObject:
    """An image with what it shows."""
    return {"@type": "ImageObject", "url": iri(image.url), "description": image.alt}


def brief_graph(
    site: Site,
    root: str,
    brief: Brief,
    seed: Seed,
    title: str,
    about: Sequence[Entity],
    claims: Sequence[Claim],
    corrections: Sequence[tuple[str, str]],
) -> JsonObject:
    """A brief page's JSON-LD: the brief as an Article, and a ClaimReview per claim with a
    verdict. `corrections` are (ISO date, sanitised HTML), newest first."""
    url = absolute(root, brief_path(brief.slug))
    owner = publisher(site, root)
    authors = [{"@type": "Person", "name": a} for a in brief.authors] or [owner]
    article: JsonObject = {
        "@type": "Article",
        "url": url,
        "headline": title,
        "datePublished": brief.published.isoformat(),
        "inLanguage": site.language,
        "author": authors,
        "publisher": owner,
        "isBasedOn": source_article(brief, seed, url),
    }
    changed = [brief.updated] if brief.updated else []
    changed += [c.date for c in brief.corrections]
    if changed:
        article["dateModified"] = max(changed).isoformat()
    image = brief.image or site.image
    if image is not None:
        article["image"] = image_object(image)
    if about:
        article["about"] = [_thing(e, root) for e in about]
    if corrections:
        article["correction"] = [
            {"@type": "CorrectionComment", "datePublished": day, "text": plain_text(html)}
            for day, html in corrections
        ]
    graph = [article]
    source = reference(source_article(brief, seed, url))
    graph += [_claim_review(claim, url, brief, source, reference(owner)) for claim in claims]
    return {"@context": SCHEMA_CONTEXT, "@graph": graph}


def _thing(entity: Entity, root: str) -> JsonObject:
    thing: JsonObject = {
        "@type": ENTITY_TYPES[entity.kind] if entity.kind else "Thing",
        "name": entity.name,
        "url": absolute(root, f"entities/{entity.slug}/"),
    }
    if entity.url:
        thing["sameAs"] = iri(entity.url)
    return thing


def _claim_review(
    claim: Claim, url: str, brief: Brief, appearance: JsonObject, owner: JsonObject
) -> JsonObject:
    note = claim.note
    assert note.verdict is not None, "only claims with a verdict are reviewed"
    rating = note.verdict.rating
    item: JsonObject = {"@type": "Claim", "appearance": appearance}
    source = brief.source
    if source is not None and source.byline:
        item["author"] = _person_or_publisher(source.byline, source.publisher)
    if source is not None and source.published:
        item["datePublished"] = source.published.isoformat()
    return {
        "@type": "ClaimReview",
        "url": f"{url}#{note.id}",
        "claimReviewed": shorten(" ".join(claim.passage.split()), CLAIM_LIMIT),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES[rating],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.label,
        },
        "reviewBody": plain_text(claim.summary),
        "itemReviewed": item,
        "author": owner,
        "datePublished": brief.published.isoformat(),
    }


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a page's head says about it to search engines, link previews and reference
    managers."""

    canonical: str | None  # None without a base URL
    type: str  # Open Graph: article for briefs, website otherwise
    locale: str
    image: Image | None
    image_url: str | None
    # `citation_*` tags (reference managers such as Zotero): name, content, in order.
    citation: tuple[tuple[str, str], ...]


def og_locale(language: str) -> str:
    """An Open Graph locale from a language tag: `en-GB` is `en_GB`."""
    parts = language.split("-")
    if len(parts) > 1 and len(parts[1]) == 2:
        return f"{parts[0].lower()}_{parts[1].upper()}"
    return parts[0].lower()


def citation_tags(
    site: Site, brief: Brief, title: str, canonical: str | None
) -> tuple[tuple[str, str], ...]:
    """The tags a reference manager reads: Zotero files a page with a technical report
    institution as a report, with these authors, date and publisher."""
    tags = [("citation_title", title)]
    tags += [("citation_author", a) for a in brief.authors or (site.title,)]
    tags += [
        ("citation_publication_date", brief.published.strftime("%Y/%m/%d")),
        ("citation_publisher", site.title),
        ("citation_technical_report_institution", site.title),
        ("citation_language", site.language),
    ]
    if canonical:
        tags.append(("citation_public_url", canonical))
    return tuple(tags)


def page_meta(
    site: Site,
    root: str | None,
    path: str | None,
    brief: Brief | None,
    title: str,
) -> PageMeta:
    """A page's metadata: `path` is where it is read (None: nowhere in particular, as the
    404 page), `brief` the brief it shows, if any."""
    canonical = absolute(root, path) if root is not None and path is not None else None
    image = (brief.image if brief else None) or site.image
    return PageMeta(
        canonical=canonical,
        type="article" if brief is not None else "website",
        locale=og_locale(site.language),
        image=image,
        image_url=image.url if image else None,
        citation=citation_tags(site, brief, title, canonical) if brief is not None else (),
    )


def metadata_of(context: Mapping[str, object]) -> Brief | None:
    """The brief a page's context shows, if it shows one."""
    brief = context.get("brief")
    return brief if isinstance(brief, Brief) else None
