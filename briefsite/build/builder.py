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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefsite.build.files import Files, Listing, Torn, list_project
from briefsite.build.manifest import (
    Manifest,
    PageEntry,
    build_id,
    forget_manifest,
    load_manifest,
    save_manifest,
)
from briefsite.build.stamps import stamp_of, still_valid
from briefsite.build.store import Store
from briefsite.build.write import Staging, WriteStats, live_build, output_lock, output_stamp
from briefsite.errors import Diagnostic

if TYPE_CHECKING:
    from briefsite.build.knowledge import Knowledge
    from briefsite.build.memo import MarkdownMemo
    from briefsite.build.steps import Layouts, Run
    from briefsite.site.pages import Placed

# A watcher's list of changed files is used alone when it is this short and names known
# files; otherwise the whole project is listed and looked at again.
_HINTED_MAX = 64
_RETRIES = 3  # runs started again because a file changed while it was read


@dataclass(frozen=True)
class Built:
    """What `build` did."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...]
    briefs: int
    notes: int
    pages: Mapping[str, PageEntry]
    rendered: tuple[str, ...]  # files made by this run
    changed: tuple[str, ...]  # files whose bytes differ from the previous output's
    removed: tuple[str, ...]
    written: WriteStats
    up_to_date: bool  # nothing to do: the output already was what this build makes
    rebuild_seconds: float
    write_seconds: float


class Builder:
    """Runs the pipeline over one project, again and again, redoing only what changed."""

    def __init__(self, root: Path, store: Store, jobs: int = 1) -> None:
        self.root = root.resolve()
        self.store = store
        self.jobs = jobs
        self.files = Files(self.root, store)
        self._knowledge: Knowledge | None = None
        self._memo: MarkdownMemo | None = None
        self._layouts: Layouts | None = None
        self._listing: Listing | None = None
        self._manifests: dict[Path, Manifest] = {}  # each output as this builder last saw it

    def check(self, changed: Collection[Path] | None = None) -> Run:
        """Run every step but the write; pages rendered without error before are not
        rendered again."""

        def fresh(output: str, fingerprint: str) -> PageEntry | None:
            found = self.store.get("page", fingerprint)
            return PageEntry(fingerprint, found, None) if isinstance(found, str) else None

        result = self._run(changed, fresh, None)
        self._save()
        return result

    def build(
        self, output: Path, changed: Collection[Path] | None = None, strict: bool = False
    ) -> Built:
        """Run, and write the site into `output` when the run has no errors (with `strict`,
        no warnings either)."""
        started = time.perf_counter()
        with output_lock(output, "waiting for another build of this output to finish"):
            manifest = self._live(output)
            if manifest is not None and self._up_to_date(manifest, output):
                seconds = time.perf_counter() - started
                return _unchanged(manifest, seconds, strict)
            for attempt in range(_RETRIES):
                staging = Staging(output, self.root)
                try:
                    return self._build(output, manifest, staging, changed, strict, started)
                except Torn:
                    staging.discard()
                    changed = None  # look at everything again
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
        staging: Staging,
        changed: Collection[Path] | None,
        strict: bool,
        started: float,
    ) -> Built:
        live = manifest.pages if manifest is not None else {}

        def fresh(out: str, fingerprint: str) -> PageEntry | None:
            entry = live.get(out)
            if entry is None or entry.fingerprint != fingerprint:
                return None
            return entry if staging.intact(out, entry.stamp) else None

        result = self._run(changed, fresh, staging)
        rebuilt = time.perf_counter()
        if not result.ok or (strict and result.diagnostics):
            staging.discard()
            self._save()
            return _failed(result, rebuilt - started, strict)
        pages = dict(result.pages)
        made = set(result.rendered)
        if manifest is not None and not made and pages.keys() == manifest.pages.keys():
            # Nothing to write: the sources were only touched, or changed back. The output
            # stays; its manifest learns the files' new stamps.
            staging.discard()
            same = Manifest(
                manifest.build,
                dict(self.files.states),
                manifest.pages,
                result.diagnostics,
                result.briefs,
                result.notes,
            )
            self._manifests[output] = same
            save_manifest(self.store, output, same)
            self._save()
            seconds = time.perf_counter() - started
            return replace(_unchanged(same, seconds, strict), up_to_date=False)
        for out, entry in result.pages.items():
            if out not in made:
                assert entry.stamp is not None
                if staging.keep(out, entry.stamp) is None:
                    raise Torn(out)  # the output changed under us: start again
        new = Manifest(
            build_id(pages),
            dict(self.files.states),
            pages,
            result.diagnostics,
            result.briefs,
            result.notes,
        )
        save_manifest(self.store, output, new)
        self._save()  # the manifest is in the cache before the output that it describes
        staging.commit(new.build)
        if manifest is not None and manifest.build != new.build:
            forget_manifest(self.store, output, manifest.build)
            self.store.commit()
        self._manifests[output] = new
        old = manifest.pages if manifest is not None else {}
        return Built(
            ok=True,
            diagnostics=result.diagnostics,
            briefs=result.briefs,
            notes=result.notes,
            pages=pages,
            rendered=result.rendered,
            changed=tuple(sorted(o for o, p in pages.items() if _digest(old, o) != p.digest)),
            removed=tuple(sorted(set(old) - set(pages))),
            written=WriteStats(staging.written, staging.unchanged),
            up_to_date=False,
            rebuild_seconds=rebuilt - started,
            write_seconds=time.perf_counter() - rebuilt,
        )

    def _live(self, output: Path) -> Manifest | None:
        """The manifest of the output as it is on disk, if the cache has it."""
        build = live_build(output)
        if build is None:
            return None
        known = self._manifests.get(output)
        if known is not None and known.build == build:
            return known
        return load_manifest(self.store, output, build)

    def _up_to_date(self, manifest: Manifest, output: Path) -> bool:
        """Whether every source is as the output was made from, and the output intact:
        looked at by stamps alone, without reading a file."""
        listing = list_project(self.root)
        files = listing.files()
        if files.keys() != manifest.files.keys():
            return False
        for shown, (_, path) in files.items():
            stamp = stamp_of(path)
            if stamp is None or not still_valid(manifest.files[shown], stamp):
                return False
        for out, entry in manifest.pages.items():
            if entry.stamp is None or output_stamp(output / out) != entry.stamp:
                return False
        self._listing = listing
        return True

    def _run(
        self,
        changed: Collection[Path] | None,
        fresh: object,
        staging: Staging | None,
    ) -> Run:
        # Imported here: the steps load YAML, Markdown, Jinja and the anchoring library,
        # which a build with nothing to do never needs (start-up time is most of its cost).
        from briefsite.build import steps
        from briefsite.build.knowledge import load_knowledge
        from briefsite.build.memo import MarkdownMemo

        if self._knowledge is None:
            self._knowledge = load_knowledge(self.store, self.files)
            self._memo = MarkdownMemo(self.store)
            self._layouts = steps.Layouts()
        assert self._memo is not None and self._layouts is not None
        only = self._hinted(changed)
        if only is None or self._listing is None:
            self._listing = list_project(self.root)
        return steps.run(
            self._knowledge,
            self._listing,
            only,
            fresh,  # type: ignore[arg-type]
            staging,
            self._memo,
            self._layouts,
            self.jobs,
        )

    def placed(self, slug: str) -> Placed:
        """A brief of the last run read in full, with its notes' places."""
        from briefsite.build.steps import placed_brief

        assert self._knowledge is not None, "placed() needs a run first"
        assert self._listing is not None
        return placed_brief(self._knowledge, self._listing, slug)

    def passage(self, slug: str, start: int, end: int) -> str:
        """The words of a brief's seed between two offsets of its document text."""
        return self.placed(slug).seed.text[start:end]

    def _hinted(self, changed: Collection[Path] | None) -> set[str] | None:
        """The files a watcher's paths name, when every one is a file already known and
        still there; None when the whole project must be looked at."""
        if changed is None or self._listing is None or len(changed) > _HINTED_MAX:
            return None
        by_path = {str(path): shown for shown, (_, path) in self._listing.files().items()}
        named = [by_path.get(str(path)) for path in changed]
        if any(n is None for n in named) or not all(Path(p).is_file() for p in changed):
            return None
        return {n for n in named if n is not None}

    def _save(self) -> None:
        if self._knowledge is not None:
            self._knowledge.save()
        self.store.commit()


def _digest(pages: Mapping[str, PageEntry], out: str) -> str | None:
    entry = pages.get(out)
    return entry.digest if entry is not None else None


def _unchanged(manifest: Manifest, seconds: float, strict: bool) -> Built:
    diagnostics = promoted(manifest.diagnostics) if strict else manifest.diagnostics
    return Built(
        ok=not any(d.severity == "error" for d in diagnostics),
        diagnostics=diagnostics,
        briefs=manifest.briefs,
        notes=manifest.notes,
        pages=manifest.pages,
        rendered=(),
        changed=(),
        removed=(),
        written=WriteStats(0, len(manifest.pages)),
        up_to_date=True,
        rebuild_seconds=seconds,
        write_seconds=0.0,
    )


def _failed(result: Run, seconds: float, strict: bool) -> Built:
    return Built(
        ok=False,
        diagnostics=promoted(result.diagnostics) if strict else result.diagnostics,
        briefs=result.briefs,
        notes=result.notes,
        pages={},
        rendered=(),
        changed=(),
        removed=(),
        written=WriteStats(0, 0),
        up_to_date=False,
        rebuild_seconds=seconds,
        write_seconds=0.0,
    )


def promoted(diagnostics: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
    """Every warning made an error (`--strict`)."""
    return tuple(replace(d, severity="error") for d in diagnostics)
