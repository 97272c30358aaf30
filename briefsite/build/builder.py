"""The one builder. Every command runs it: `check` = run; `build` = run and write;
`serve` = one long-lived builder, run and written after each burst of edits; `anchor` =
run, then rewrite selectors. A cold build is this builder with an empty cache.

What differs between the commands is what they do with the result, never which checks
run. The builder keeps what it learned in memory and in the cache (see `knowledge.py`), so
a run redoes only what an edit touched. The output it writes is described by a manifest,
kept in the cache under the id written in the output's marker: when no source changed since
that output was made and the output is intact, `build` has nothing to do and loads none
of the parsers.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefsite.build.built import Built, failed_build, unchanged_build
from briefsite.build.files import Files, Listing, Torn, list_project
from briefsite.build.manifest import (
    BuildIds,
    Manifest,
    PageEntry,
    forget_manifest,
    load_manifest,
    save_manifest,
    sources_as_made,
)
from briefsite.build.output import live_build, output_lock
from briefsite.build.search import Indexing, Staged, index_staged, indexed_build
from briefsite.build.staged import stage_pages
from briefsite.build.store import Store
from briefsite.build.write import (
    Staging,
    WriteStats,
    recover,
    spare_of,
)

if TYPE_CHECKING:
    from briefsite.build.knowledge import Knowledge
    from briefsite.build.memo import MarkdownMemo
    from briefsite.build.pages import Fresh
    from briefsite.build.steps import Kept, Run
    from briefsite.site.pages import Placed

# A watcher's list of changed files is used alone when it is this short and names known
# files; otherwise the whole project is listed and looked at again.
_HINTED_MAX = 64
_RETRIES = 3  # runs started again because a file changed while it was read


class Builder:
    """Runs the pipeline over one project, again and again, redoing only what changed."""

    def __init__(
        self,
        root: Path,
        store: Store,
        jobs: int = 1,
        keep_each_run: bool = True,
        preview: bool = False,
    ) -> None:
        self.root = root.resolve()
        self.store = store
        self.jobs = jobs
        # The preview's builder (serve): brief pages say where their text is in the seed,
        # for the quote picker. Only serve sets it, and it writes elsewhere than `build`.
        self.preview = preview
        # A build keeps what it learned, and its output's manifest, in the cache before it
        # swaps the output in. A long-lived builder (serve) may keep them only when asked
        # (`persist`): an output whose manifest the cache lacks is simply not trusted.
        self.keep_each_run = keep_each_run
        self.files = Files(self.root, store)
        self._knowledge: Knowledge | None = None
        self._memo: MarkdownMemo | None = None
        self._kept: Kept | None = None
        self._wrote: dict[Path, str] = {}  # the build this builder last wrote into each output
        self._listing: Listing | None = None
        self._manifests: dict[Path, Manifest] = {}  # each output as this builder last saw it
        self._spares: dict[Path, Manifest] = {}  # and the spare beside it
        # The pages in which the spare may differ from the output, as this builder last
        # left them (spare build, live build, pages): the last build's rendered and removed
        # pages. Every other page of the spare is the live one, fingerprint and digest.
        self._moved: dict[Path, tuple[str, str, frozenset[str]]] = {}
        self._ids: dict[Path, BuildIds] = {}  # each output's build ids, worked out in turn

    def check(self, changed: Collection[Path] | None = None) -> Run:
        """Run every step but the write; pages rendered without error before are not
        rendered again."""

        def fresh(output: str, fingerprint: str) -> PageEntry | None:
            found = self.store.get("page", fingerprint)
            return PageEntry(fingerprint, found, None) if isinstance(found, str) else None

        result = self._run(changed, fresh, None, None)
        self._save()
        return result

    def build(
        self,
        output: Path,
        changed: Collection[Path] | None = None,
        strict: bool = False,
        search: bool = True,
    ) -> Built:
        """Run, and write the site into `output` when the run has no errors (with `strict`,
        no warnings either); with `search`, its search index too (`serve` makes it later,
        in the background)."""
        started = time.perf_counter()
        with output_lock(output, "waiting for another build of this output to finish"):
            manifest = self._live(output)
            listing: Listing | None = None
            if changed is None:  # no watcher says what changed: look at every file
                listing = list_project(self.root)
                files = (
                    sources_as_made(manifest, listing, self.files, output)
                    if manifest is not None
                    and (not search or indexed_build(output) == manifest.build)
                    else None
                )
                if manifest is not None and files is not None:
                    recover(output)  # what a build killed after its swap left beside it
                    if files != manifest.files:
                        # Files touched, or read too soon after a change to be trusted
                        # by stamp: their bytes are as before. Their new stamps are kept.
                        manifest = replace(manifest, files=files)
                        self._manifests[output] = manifest
                        if self.keep_each_run:
                            save_manifest(self.store, output, manifest, self.preview)
                            self.store.commit()
                    seconds = time.perf_counter() - started
                    return unchanged_build(manifest, seconds, strict)
            for attempt in range(_RETRIES):
                spare = self._spare(output, manifest)
                spare_files = spare.pages if spare is not None else None
                staging = Staging(output, self.root, spare_files, not self.preview)
                try:
                    return self._build(
                        output, manifest, spare, staging, changed, listing, strict, search, started
                    )
                except Torn:
                    staging.discard()
                    changed, listing = None, None  # look at everything again
                    if attempt == _RETRIES - 1:
                        raise
                except KeyboardInterrupt:
                    # Stopping at once matters more than tidying up: the staged folder (a
                    # link per page, thousands on a large site) is left for the next run,
                    # which removes it first; the output itself is whole either way.
                    raise
                except BaseException:
                    staging.discard()
                    raise
        raise AssertionError("unreachable")

    def _build(
        self,
        output: Path,
        manifest: Manifest | None,
        spare: Manifest | None,
        staging: Staging,
        changed: Collection[Path] | None,
        listing: Listing | None,
        strict: bool,
        search: bool,
        started: float,
    ) -> Built:
        live = manifest.pages if manifest is not None else {}

        def fresh(out: str, fingerprint: str) -> PageEntry | None:
            entry = live.get(out)
            if entry is None or entry.fingerprint != fingerprint:
                return None
            return entry if staging.intact(out, entry.stamp) else None

        # The output as this builder wrote it: its pages need no look to be trusted.
        trusted = (
            live if manifest is not None and self._wrote.get(output) == manifest.build else None
        )
        result = self._run(changed, fresh, staging, listing, trusted, manifest)
        rebuilt = time.perf_counter()
        if not result.ok or (strict and any(d.severity == "warning" for d in result.diagnostics)):
            staging.abandon()
            if self.keep_each_run:
                self._save()
            return failed_build(result, rebuilt - started, strict)
        made = set(result.rendered)
        index_current = manifest is not None and indexed_build(output) == manifest.build
        if (
            manifest is not None
            and not made
            and result.pages.keys() == manifest.pages.keys()
            and (index_current or not search)
        ):
            # Nothing to write: the sources were only touched, or changed back. The output
            # stays; its manifest learns the files' new stamps.
            staging.abandon()
            same = self._manifest(manifest.build, manifest.pages, result)
            self._manifests[output] = same
            self._wrote[output] = same.build
            if self.keep_each_run:
                save_manifest(self.store, output, same, self.preview)
                self._save()
            seconds = time.perf_counter() - started
            return replace(unchanged_build(same, seconds, strict), up_to_date=False)
        # The pages the last build moved, when the spare and the output are as this
        # builder left them: only those can differ between the two.
        moved = self._moved.get(output)
        as_left = None
        if (
            trusted is not None
            and spare is not None
            and moved is not None
            and (moved[0], moved[1]) == (spare.build, manifest and manifest.build)
        ):
            as_left = (spare.pages, moved[2])
        ids = self._ids.setdefault(output, BuildIds())
        build = ids.of(result.pages, manifest.build if manifest is not None else None, made)
        indexing = None
        if search:  # beside the staging and the cache's save: none of them needs the other
            digests = {out: e.digest for out, e in result.pages.items()}
            before = {out: e.digest for out, e in live.items()}
            staged = Staged(staging.path, output, made)
            indexing = Indexing(
                lambda: index_staged(staged, output, build, digests, before, index_current), staged
            )
        try:
            pages = stage_pages(staging, result.pages, made, as_left, trusted is not None)
            staging.prune(pages.keys())
        except BaseException:
            if indexing is not None:
                indexing.give_up()
            raise
        if indexing is not None:
            indexing.staged_whole()  # a full index may start, beside the save
        new = self._manifest(build, pages, result)
        if self.keep_each_run:
            save_manifest(self.store, output, new, self.preview)
            self._save()  # the manifest is in the cache before the output that it describes
        search_seconds = indexing.wait() if indexing is not None else 0.0
        # A spare is trusted by its manifest: without a cache, only this builder knows it.
        staging.commit(new.build, prime=self.store.enabled or not self.keep_each_run)
        # The live build before is the spare now; the spare before is gone.
        if spare is not None and spare.build not in (new.build, manifest and manifest.build):
            forget_manifest(self.store, output, spare.build, self.preview)
            if self.keep_each_run:
                self.store.commit()
        if manifest is not None:
            self._spares[output] = manifest
        elif staging.primed:
            self._spares[output] = new  # the spare of a first build is that build
        self._manifests[output] = new
        self._wrote[output] = new.build
        old = manifest.pages if manifest is not None else {}
        removed = old.keys() - pages.keys()
        if manifest is not None:
            self._moved[output] = (manifest.build, new.build, frozenset(made | removed))
        elif staging.primed:
            self._moved[output] = (new.build, new.build, frozenset())
        # Only a page rendered in this run can differ from the live one: every other page
        # was vouched for by the live output (`fresh`, `trusted`), digest and all.
        differ = sorted(o for o in made if _digest(old, o) != pages[o].digest)
        return Built(
            ok=True,
            diagnostics=result.diagnostics,
            briefs=result.briefs,
            notes=result.notes,
            pages=pages,
            rendered=result.rendered,
            changed=tuple(differ),
            removed=tuple(sorted(removed)),
            written=WriteStats(staging.written, staging.unchanged),
            up_to_date=False,
            rebuild_seconds=rebuilt - started,
            write_seconds=time.perf_counter() - rebuilt,
            search_seconds=search_seconds,
        )

    def _manifest(self, build: str, pages: Mapping[str, PageEntry], result: Run) -> Manifest:
        """The manifest of an output holding `pages`, made by the run `result`."""
        files = dict(self.files.states)
        return Manifest(
            build, files, pages, result.diagnostics, result.briefs, result.notes, result.seal
        )

    def _spare(self, output: Path, live: Manifest | None) -> Manifest | None:
        """The manifest of the build kept beside the output as its spare, if any (the live
        one's, when the spare holds the same build: as a first build leaves it)."""
        build = live_build(spare_of(output))
        for known in (self._spares.get(output), live):
            if known is not None and known.build == build:
                return known
        return load_manifest(self.store, output, build, self.preview) if build is not None else None

    def _live(self, output: Path) -> Manifest | None:
        """The manifest of the output as it is on disk, if the cache has it."""
        build = live_build(output)
        if build is None:
            return None
        known = self._manifests.get(output)
        if known is not None and known.build == build:
            return known
        return load_manifest(self.store, output, build, self.preview)

    def _run(
        self,
        changed: Collection[Path] | None,
        fresh: Fresh,
        staging: Staging | None,
        listing: Listing | None,
        trusted: Mapping[str, PageEntry] | None = None,
        earlier: Manifest | None = None,
    ) -> Run:
        # Imported here: the steps load YAML, Markdown, Jinja and the anchoring library,
        # which a build with nothing to do never needs (start-up time is most of its cost).
        from briefsite.build import steps
        from briefsite.build.knowledge import load_knowledge
        from briefsite.build.memo import MarkdownMemo

        if self._knowledge is None:
            self._knowledge = load_knowledge(self.store, self.files)
            self._memo = MarkdownMemo(self.store)
            self._kept = steps.Kept()
        assert self._memo is not None and self._kept is not None
        only = self._hinted(changed)
        if listing is not None:
            self._listing = listing
        elif only is None or self._listing is None:
            self._listing = list_project(self.root)
        return steps.run(
            self._knowledge,
            self._listing,
            only,
            fresh,
            trusted,
            staging,
            self._memo,
            self._kept,
            self.jobs,
            self.preview,
            earlier,
        )

    def placed(self, slug: str) -> Placed:
        """A brief of the last run read in full, with its notes' places."""
        from briefsite.build.briefs import placed_from
        from briefsite.build.listed import listed_of

        assert self._knowledge is not None, "placed() needs a run first"
        assert self._listing is not None and self._kept is not None
        self._kept.listed = listed_of(self._listing, self._kept.listed)
        return placed_from(self._knowledge, self._kept.listed.sources, slug)

    def _hinted(self, changed: Collection[Path] | None) -> set[str] | None:
        """The files a watcher's paths name, when every one is a file already known and
        still there; None when the whole project must be looked at."""
        if changed is None or self._listing is None or len(changed) > _HINTED_MAX:
            return None
        by_path = self._listing.by_path
        named = [by_path.get(str(path)) for path in changed]
        if any(n is None for n in named) or not all(Path(p).is_file() for p in changed):
            return None
        return {n for n in named if n is not None}

    def prepare(self) -> None:
        """Work out ahead, while edits pause, what the next run told of a change would
        otherwise work out first (a long-lived builder's)."""
        if self._kept is not None and self._kept.recall is not None:
            self._kept.recall.prepare()

    def persist(self) -> None:
        """Keep in the cache what this builder learned and the manifests of the outputs it
        wrote (a long-lived builder's last act)."""
        for output, manifest in self._manifests.items():
            if live_build(output) == manifest.build:
                save_manifest(self.store, output, manifest, self.preview)
            spare = self._spares.get(output)
            if spare is not None and live_build(spare_of(output)) == spare.build:
                save_manifest(self.store, output, spare, self.preview)
        self._save()

    def _save(self) -> None:
        if self._knowledge is not None:
            self._knowledge.save()
        self.store.commit()


def _digest(pages: Mapping[str, PageEntry], out: str) -> str | None:
    entry = pages.get(out)
    return entry.digest if entry is not None else None
