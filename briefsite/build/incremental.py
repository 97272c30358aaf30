"""Rebuild only what an edit touches, keeping what the last good build read and made.

A build stats every source file, or with the watcher's list of changed paths only those,
and reads again a file whose stamp changed. Anchors, mentions, reference checks, the link
graph's lists and converted Markdown are kept for what did not change. A page is rendered
again when it is new, when its inputs (files and facets, see `inputs.py`) are not the ones
it had, or when one of them changed since the last good build; its template and the
templates that one uses count as inputs too. The result is byte-identical to a full build
(`tests/test_incremental.py` checks it after random sequences of edits). It runs the same
steps as `pipeline.run`, with caches in between; the two must stay in step.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Hashable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from briefsite.anchor.anchoring import Anchor, Unplaced, anchor_brief
from briefsite.build.pipeline import known_slugs, static_files
from briefsite.build.stamps import Stamp, changed_facets, stamp, template_closure
from briefsite.build.write import update_site, write_site
from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics
from briefsite.link.graph import (
    Graph,
    GraphCache,
    Known,
    all_texts,
    build_graph,
    check_brief,
    check_summaries,
    linked_briefs,
)
from briefsite.model import Brief, Project, Seed, Site
from briefsite.read.markup import MarkdownRenderer
from briefsite.read.sources import Source, assemble, list_sources, read_site, read_source
from briefsite.render.templates import layout_dirs, make_environment, render_pages
from briefsite.site.inputs import CARD, facet_values
from briefsite.site.pages import PageKey, check_outputs, page_keys
from briefsite.site.plan import Planner


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one build did: success or its errors, and which output files changed."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    rendered: int
    rebuild_seconds: float
    write_seconds: float


@dataclass(frozen=True, slots=True)
class _Listing:
    """The source files found by the last full scan, and the problems of their names."""

    sources: list[Source]
    problems: tuple[Diagnostic, ...]
    by_path: dict[str, Source]


@dataclass
class _Read:
    signature: Stamp | None
    item: object | None
    problems: tuple[Diagnostic, ...]


@dataclass
class _Good:
    """The last build that succeeded: what it read and what it made."""

    signatures: dict[str, Stamp | None] = field(default_factory=dict)
    site: dict[str, bytes] = field(default_factory=dict)
    facets: dict[str, dict[str, Hashable]] = field(default_factory=dict)  # per brief
    page_inputs: dict[str, frozenset[str]] = field(default_factory=dict)  # without templates


def _changed(before: frozenset[str] | None, after: frozenset[str]) -> bool:
    # Inputs kept from the last build are the very same object: no need to compare them.
    return before is None or (before is not after and before != after)


class SiteBuilder:
    """Builds a project again and again, each time redoing only what changed."""

    def __init__(self, root: Path, output: Path, jobs: int = 1) -> None:
        self.root = root
        self.output = output
        self.jobs = jobs
        self.renderer = MarkdownRenderer()
        self._reads: dict[str, _Read] = {}
        self._anchors: dict[
            str, tuple[Brief, Seed, tuple[Anchor | Unplaced, ...], list[Diagnostic]]
        ]
        self._anchors = {}
        self._graph_cache = GraphCache()
        self._facets: dict[str, tuple[Brief, Seed | None, dict[str, Hashable]]] = {}
        self._listing: _Listing | None = None
        self._stamps: dict[str, Stamp | None] = {}  # of every source, as last looked at
        self._found: dict[Source, object] = {}  # every source that read cleanly
        self._problems: dict[str, tuple[Diagnostic, ...]] = {}  # sources with problems
        self._rescanned = True
        self._listed: dict[str, tuple[Hashable, frozenset[str]]] = {}
        self._known: Known | None = None
        self._checked_known: Known | None = None
        self._checks: dict[
            str, tuple[Brief, tuple[tuple[str, Brief | None], ...], list[Diagnostic]]
        ] = {}
        self._env: jinja2.Environment | None = None
        self._template_files: dict[str, frozenset[str]] = {}
        self._good: _Good | None = None

    @property
    def site(self) -> dict[str, bytes]:
        """The last good site, output path to bytes (static files included)."""
        return self._good.site if self._good else {}

    def build(self, changed: Collection[str] | None = None) -> Outcome:
        """Build once: in full the first time, then incrementally. `changed` lists the paths
        the watcher saw change; without it, every source file is looked at."""
        started = time.perf_counter()
        diagnostics = Diagnostics()
        signatures: dict[str, Stamp | None] = {}
        project = assemble(
            self._site(diagnostics, signatures), self._sources(diagnostics, signatures, changed)
        )
        if self._good is None:  # later builds convert the few new texts as they meet them
            self.renderer.preload((text.value for text in all_texts(project)), self.jobs)
        self._check_references(project, diagnostics)
        anchors = {
            brief.slug: self._anchor(brief, project.seeds[brief.seed.slug], diagnostics)
            for brief in project.briefs.values()
            if brief.seed.slug in project.seeds
        }
        graph = build_graph(project, anchors, diagnostics, self._graph_cache)
        dirs = layout_dirs(self.root)
        keys = page_keys(project)
        statics = check_outputs(project, keys, static_files(dirs), diagnostics)
        for item in statics:
            signatures[item.source] = self._stamp(item.source, item.path)
        self._templates(dirs, signatures)
        if diagnostics.errors:
            return self._failed(diagnostics, started)

        good = self._good or _Good()
        touched = {path for path, sig in signatures.items() if good.signatures.get(path) != sig}
        touched |= set(good.signatures) - set(signatures)
        if any(path.startswith("content/entities/") for path in touched):
            self._facets.clear()  # notes' facets hold the names of entities
        facets = {
            brief.slug: self._facet_values(brief, project, graph)
            for brief in project.briefs.values()
        }
        touched |= changed_facets(good.facets, facets)
        planner = Planner(project, graph, self.renderer)
        page_inputs = self._page_inputs(keys, planner, project, graph, touched, good)
        # A template counts as an input of every page that uses it (or a template it uses).
        stale_templates = {
            key.template for key in keys if self._template_inputs(key.template) & touched
        }
        dirty = [
            key
            for key in keys
            if _changed(good.page_inputs.get(key.output), page_inputs[key.output])
            or page_inputs[key.output] & touched
            or key.template in stale_templates
        ]
        assert self._env is not None
        rendered = render_pages(planner, self._env, dirty, self.root, self.jobs, diagnostics)
        if diagnostics.errors:
            return self._failed(diagnostics, started)

        site = {path: data for path, data in good.site.items() if path in page_inputs}
        site.update((r.output, r.data) for r in rendered if r.data is not None)
        for item in statics:
            if item.source in touched or item.output not in good.site:
                site[item.output] = item.path.read_bytes()
            else:
                site[item.output] = good.site[item.output]
        changed = {path: data for path, data in site.items() if good.site.get(path) != data}
        removed = sorted(set(good.site) - set(site))
        rebuilt = time.perf_counter()
        if self._good is None:
            copies = {s.output: s.path for s in statics}
            pages = {path: data for path, data in site.items() if path not in copies}
            write_site(pages, copies, self.output, self.root)
        else:
            update_site(self.output, changed, removed)
        self._good = _Good(signatures, site, facets, page_inputs)
        self._graph_cache.touched_entities.clear()  # kept across failed builds until now
        return Outcome(
            True,
            tuple(diagnostics.items),
            tuple(sorted(changed)),
            tuple(removed),
            len(rendered),
            rebuilt - started,
            time.perf_counter() - rebuilt,
        )

    def _stamp(self, shown: str, path: Path) -> Stamp | None:
        previous = self._reads.get(shown)
        last_good = self._good.signatures.get(shown) if self._good else None
        return stamp(path, previous.signature if previous else last_good)

    def _failed(self, diagnostics: Diagnostics, started: float) -> Outcome:
        seconds = time.perf_counter() - started
        ordered = BriefsiteError(diagnostics.items).diagnostics  # sorted as a build reports them
        return Outcome(False, ordered, (), (), 0, seconds, 0.0)

    def _site(self, diagnostics: Diagnostics, signatures: dict[str, Stamp | None]) -> Site | None:
        shown = "content/site.yaml"
        signature = self._stamp(shown, self.root / shown)
        signatures[shown] = signature
        cached = self._reads.get(shown)
        if cached is None or cached.signature != signature or signature is None:
            found = Diagnostics()
            cached = _Read(signature, read_site(self.root, found), tuple(found.items))
            self._reads[shown] = cached
        diagnostics.extend(cached.problems)
        return cached.item if isinstance(cached.item, Site) else None

    def _sources(
        self,
        diagnostics: Diagnostics,
        signatures: dict[str, Stamp | None],
        changed: Collection[str] | None,
    ) -> dict[Source, object]:
        """Read what changed. With the watcher's list of changed paths, when each one is a
        file already known and still there, only those are looked at; otherwise every folder
        is listed again and every file stat'ed."""
        listing = self._listing
        quick = (
            listing is not None
            and changed is not None
            and all(path in listing.by_path and os.path.isfile(path) for path in changed)
        )
        self._rescanned = not quick
        if quick and listing is not None and changed is not None:
            hinted = [listing.by_path[path] for path in changed]
        else:
            found_problems = Diagnostics()
            sources = list_sources(self.root, found_problems)
            listing = self._listing = _Listing(
                sources, tuple(found_problems.items), {str(s.path): s for s in sources}
            )
            self._known = known_slugs(self.root)
            self._stamps, self._found, self._problems = {}, {}, {}
            hinted = sources
        for source in hinted:
            self._stamps[source.shown] = self._stamp(source.shown, source.path)
            self._read(source)
        for gone in set(self._reads) - set(self._stamps) - {"content/site.yaml"}:
            del self._reads[gone]
        signatures.update(self._stamps)
        diagnostics.extend(listing.problems)
        for problems in self._problems.values():
            diagnostics.extend(problems)
        return dict(self._found)

    def _read(self, source: Source) -> None:
        """Read a source again if its stamp changed; keep what it gave and its problems."""
        signature = self._stamps[source.shown]
        cached = self._reads.get(source.shown)
        if cached is None or cached.signature != signature or signature is None:
            item, problems = read_source(source)
            cached = self._reads[source.shown] = _Read(signature, item, problems)
        self._found.pop(source, None)
        self._problems.pop(source.shown, None)
        if cached.item is not None:
            self._found[source] = cached.item
        if cached.problems:
            self._problems[source.shown] = cached.problems

    def _page_inputs(
        self,
        keys: list[PageKey],
        planner: Planner,
        project: Project,
        graph: Graph,
        touched: set[str],
        good: _Good,
    ) -> dict[str, frozenset[str]]:
        """Every page's inputs, worked out again only where they can have changed.

        When files were only modified (none added or removed) and no site, entity or topic
        file was among them, a brief page's inputs can change only if that brief or its
        seed changed, or a brief it is related to (before or after) did; an entity or topic
        page's only if what it lists changed; the few list pages always.
        """
        if (
            self._rescanned
            or not good.page_inputs
            or any(
                path == "content/site.yaml"
                or path.startswith(("content/entities/", "content/topics/"))
                for path in touched
            )
        ):
            self._listed.clear()  # entity and topic files may have moved or changed
            return {key.output: planner.inputs(key) for key in keys}
        changed: set[str] = set()
        for brief in project.briefs.values():
            seed = project.seeds.get(brief.seed.slug)
            if brief.path in touched or (seed is not None and seed.path in touched):
                changed.add(brief.slug)
                changed.update(graph.related.get(brief.slug, ()))
                before = good.page_inputs.get(PageKey("brief", brief.slug).output, frozenset())
                changed.update(i.removeprefix(CARD) for i in before if i.startswith(CARD))
        found: dict[str, frozenset[str]] = {}
        for key in keys:
            previous = good.page_inputs.get(key.output)
            if key.kind in ("entity", "topic"):
                found[key.output] = self._listing_inputs(key, planner, graph)
            elif previous is None or key.kind != "brief" or key.slug in changed:
                found[key.output] = planner.inputs(key)
            else:
                found[key.output] = previous
        return found

    def _listing_inputs(self, key: PageKey, planner: Planner, graph: Graph) -> frozenset[str]:
        """An entity or topic page's inputs, again only when what it lists can have changed:
        an entity page when a brief about that entity (before or now) changed."""
        cached = self._listed.get(key.output)
        if key.kind == "topic":
            listed = graph.topic_briefs.get(key.slug, ())
            if cached is None or cached[0] != listed:
                cached = self._listed[key.output] = (listed, planner.inputs(key))
        elif cached is None or key.slug in self._graph_cache.touched_entities:
            cached = self._listed[key.output] = ((), planner.inputs(key))
        return cached[1]

    def _check_references(self, project: Project, diagnostics: Diagnostics) -> None:
        """check_references, again only for briefs that changed or whose targets did."""
        known = self._known
        assert known is not None
        same_known = known == self._checked_known
        self._checked_known = known
        for brief in project.briefs.values():
            cached = self._checks.get(brief.slug)
            if (
                cached is None
                or not same_known
                or cached[0] is not brief
                or any(project.briefs.get(slug) is not target for slug, target in cached[1])
            ):
                targets = tuple(
                    (slug, project.briefs.get(slug))
                    for slug in sorted(linked_briefs(brief, self.renderer))
                )
                cached = (brief, targets, check_brief(brief, project, known, self.renderer))
                self._checks[brief.slug] = cached
            diagnostics.extend(cached[2])
        diagnostics.extend(check_summaries(project, known, self.renderer))

    def _facet_values(self, brief: Brief, project: Project, graph: Graph) -> dict[str, Hashable]:
        seed = project.seeds.get(brief.seed.slug)
        cached = self._facets.get(brief.slug)
        if cached is None or cached[0] is not brief or cached[1] is not seed:
            cached = (brief, seed, facet_values(brief, project, graph))
            self._facets[brief.slug] = cached
        return cached[2]

    def _anchor(
        self, brief: Brief, seed: Seed, diagnostics: Diagnostics
    ) -> tuple[Anchor | Unplaced, ...]:
        cached = self._anchors.get(brief.slug)
        if cached is None or cached[0] is not brief or cached[1] is not seed:
            found = Diagnostics()
            cached = (brief, seed, anchor_brief(brief, seed, found), found.items)
            self._anchors[brief.slug] = cached
        diagnostics.extend(cached[3])
        return cached[2]

    def _templates(self, dirs: list[Path], signatures: dict[str, Stamp | None]) -> None:
        """Stat every layout file; on any change, start a fresh environment and dependency map."""
        layouts: dict[str, Stamp | None] = {}
        for directory in dirs:
            for path in sorted(directory.rglob("*.html")):
                if "static" not in path.relative_to(directory).parts:
                    shown = os.path.normpath(path)
                    layouts[shown] = self._stamp(shown, path)
        known = {
            p: s for p, s in (self._good.signatures if self._good else {}).items() if p in layouts
        }
        if self._env is None or known != layouts:
            self._env = make_environment(dirs)
            self._template_files = {}
        signatures.update(layouts)

    def _template_inputs(self, name: str) -> frozenset[str]:
        files = self._template_files.get(name)
        if files is None:
            assert self._env is not None
            files = self._template_files[name] = template_closure(self._env, name)
        return files
