"""The claims pages: every claim checked in every brief, and those of one rating.

A brief's claims are one fragment, kept and made like a card: the pages list the fragments
of the briefs that hold a claim of their rating, newest brief first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from markupsafe import Markup

from briefsite.model import RATINGS, Annotation, Verdict
from briefsite.site.article import Span
from briefsite.site.pages import PageKey, Placed, SiteIndex
from briefsite.site.views import (
    RATING_LABELS,
    ClaimGroup,
    ClaimView,
    Link,
    RatingFilter,
    VerdictView,
)


class ClaimFragments(Protocol):
    """Where the claims pages find each brief's claims (kept, or made by its owner)."""

    def claim_groups(self, slugs: Sequence[str], rating: str, root: str) -> list[Markup]:
        """Briefs' claim checks as the claims pages list them: all, or one rating's."""
        ...


class Planning(Protocol):
    """What the claims pages need of the planner."""

    @property
    def index(self) -> SiteIndex: ...

    @property
    def placed(self) -> Callable[[str], Placed]: ...

    @property
    def fragments(self) -> ClaimFragments: ...

    def spans(self, placed: Placed) -> list[tuple[Annotation, Span]]: ...

    def verdict_view(
        self, verdict: Verdict, root: str, owner: str, here: str | None
    ) -> VerdictView: ...

    def common(
        self, root: str, title: str, description: str | None = None
    ) -> dict[str, object]: ...


def claims_view(planner: Planning, slug: str, rating: str, root: str) -> ClaimGroup:
    """A brief's claim checks under its title: all of them, or those of one rating."""
    placed = planner.placed(slug)
    url = f"{root}briefs/{slug}/"
    claims: list[ClaimView] = []
    for note, span in planner.spans(placed):
        if note.verdict is None or (rating and note.verdict.rating != rating):
            continue
        verdict = planner.verdict_view(note.verdict, root, slug, None)
        quote = placed.seed.text[span.start : span.end]
        claims.append(ClaimView(span.number, quote, verdict, f"{url}#{note.id}"))
    return ClaimGroup(Link(planner.index.briefs[slug].title, url), tuple(claims))


def claims_context(planner: Planning, key: PageKey) -> dict[str, object]:
    """Every claim checked in every brief, newest brief first and in reading order within
    each; the page of a rating lists the claims of that rating only."""
    rating = next((r for r in RATINGS if r == key.slug), None)
    root = "../../" if rating else "../"
    counts = dict.fromkeys(RATINGS, 0)
    listed: list[str] = []
    briefs = planner.index.briefs
    for links in (briefs[slug] for slug in planner.index.graph.order):
        for found in links.ratings:
            counts[found] += 1
        if rating in links.ratings or (rating is None and links.ratings):
            listed.append(links.slug)
    groups = planner.fragments.claim_groups(listed, rating or "", root)
    filters = [RatingFilter("", "All", f"{root}claims/", sum(counts.values()), not rating)]
    filters += [
        RatingFilter(r, RATING_LABELS[r], f"{root}claims/{r}/", counts[r], r == rating)
        for r in RATINGS
    ]
    if rating:
        label = RATING_LABELS[rating]
        title = f"Claims rated {label.lower()}"
        description = f"The claims checked in the briefs that were rated {label.lower()}."
    else:
        title = "Claims checked"
        description = "Every claim checked in the briefs, with its verdict and why."
    return planner.common(root, title, description) | {
        "groups": groups,
        "filters": filters,
        "rating": rating,
    }
