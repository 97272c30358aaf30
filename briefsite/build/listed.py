"""What a run takes from the listing of the project, worked out once per listing: a
long-lived builder keeps one listing while edits change files it knows, and a rebuild of a
large site should not go through every file's name again to find what it already knew."""

from __future__ import annotations

from dataclasses import dataclass

from briefsite.build.files import SMALL_KINDS, Listing
from briefsite.build.stale import Sources
from briefsite.build.stamps import digest_text
from briefsite.read.sources import Known, Source, known_slugs


@dataclass(frozen=True)
class Listed:
    """The listing's sources by kind and slug, what they name, and the briefs in order."""

    listing: Listing  # the very listing object these were worked out from
    sources: Sources
    known: Known
    known_digest: str  # digest of the set of files
    briefs: list[str]  # every brief's slug, sorted
    small: tuple[Source, ...]  # the site's settings, the entities and the topics


def listed_of(listing: Listing, kept: Listed | None) -> Listed:
    """What the run takes from `listing`: `kept` when it was worked out from it."""
    if kept is not None and kept.listing is listing:
        return kept
    sources: Sources = {(s.what, s.slug): s for s in listing.sources}
    known = known_slugs(list(listing.sources))
    kinds = ("seeds", "briefs", "entities", "topics")
    known_digest = digest_text(*(f"{k}:{','.join(sorted(getattr(known, k)))}" for k in kinds))
    briefs = sorted(slug for what, slug in sources if what == "brief")
    small = tuple(s for s in listing.sources if s.what in SMALL_KINDS)
    return Listed(listing, sources, known, known_digest, briefs, small)
