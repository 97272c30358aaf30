"""A run's pages put in the staged site: the ones it rendered are written already; every
other one is kept as the spare holds it, or hard-linked from the live output."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Set

from briefsite.build.files import Torn
from briefsite.build.manifest import PageEntry
from briefsite.build.write import Spare, Staging


def stage_pages(
    staging: Staging,
    found: Mapping[str, PageEntry],
    made: Set[str],
    since: tuple[Mapping[str, PageEntry], Set[str]] | None,
    trusted: bool,
) -> dict[str, PageEntry]:
    """Every page of the run (`found`, of which `made` were rendered), with its stamp in the
    staged site. With `since` (the spare's manifest pages, and the pages the last build
    rendered or removed: every other page of the spare is the live one), only those and
    the made pages are looked at; otherwise every page is, and the spare's files are
    `trusted` without a look only when the builder made them."""
    if since is not None:
        spare, moved = since
        # A large site's other pages are taken from the spare's manifest as they are.
        pages = dict(spare)
        for out in pages.keys() - found.keys():
            del pages[out]
        pages.update((out, found[out]) for out in made)
        _keep_unchanged(staging, staging.base, found, pages, moved - made)
        return pages
    pages = dict(found)
    base = staging.base if trusted else {}
    _keep_unchanged(staging, base, found, pages, found.keys() - made)
    return pages


def _keep_unchanged(
    staging: Staging,
    base: Spare,
    found: Mapping[str, PageEntry],
    pages: dict[str, PageEntry],
    outs: Collection[str],
) -> None:
    """Put the given pages of the run, none of them rendered, in the staged site: as the
    spare holds them (by `base`, trusted without a look), else linked from the live
    output."""
    for out in outs:
        entry = found.get(out)
        if entry is None:
            continue  # a page of the last build that this one does not have
        kept = base.get(out)
        if kept is not None and kept.digest == entry.digest and kept.stamp is not None:
            pages[out] = PageEntry(entry.fingerprint, entry.digest, kept.stamp)
            continue
        assert entry.stamp is not None
        stamp = staging.keep(out, entry.digest, entry.stamp)
        if stamp is None:
            raise Torn(out)  # the output changed under us: start again
        pages[out] = PageEntry(entry.fingerprint, entry.digest, stamp)
