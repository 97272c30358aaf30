"""One run of the builder, step by step: read, derive, check, link, plan, render.

Every step takes what the run knows and keeps what it made in `Knowledge`, keyed by the
digests it was made from, so a step redoes only what an edit touched, whether the edit was
made a second ago in a long-lived `serve` or before the last process ended.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from briefsite.anchor.anchoring import Anchor, Unplaced
from briefsite.build import derive
from briefsite.build.files import Listing
from briefsite.build.knowledge import Knowledge, Parsed
from briefsite.build.manifest import PageEntry
from briefsite.build.memo import MarkdownMemo
from briefsite.build.render import render_pages
from briefsite.build.stamps import digest_text
from briefsite.build.state import Checked
from briefsite.build.write import OutputStamp
from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics, SourceLocation
from briefsite.link.graph import AliasPattern, alias_pattern, build_graph
from briefsite.model import Brief, Entity, Seed, Site, Topic
from briefsite.read.records import DEFAULT_SITE, missing_site
from briefsite.read.sources import Known, Source, SourceKind, known_slugs
from briefsite.render.layouts import layout_dirs
from briefsite.site.inputs import ALIASES, page_inputs
from briefsite.site.pages import PageKey, Placed, SiteIndex, check_outputs, page_keys


@dataclass(frozen=True)
class Run:
    """What one run found and made."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...]  # every error and warning, sorted
    pages: Mapping[str, PageEntry]  # every file of the site (empty after errors)
    rendered: tuple[str, ...]  # the files this run made (the others are as they were)
    briefs: int
    notes: int
    anchors: Mapping[str, tuple[Anchor | Unplaced, ...]]
    seconds: float


# Whether a page made from `fingerprint` is already at `output` (build), or rendered before
# without error (check): its entry, or None when it must be rendered.
Fresh = Callable[[str, str], PageEntry | None]


class Sink(Protocol):
    """Where a run puts the files it makes (`build` and `serve`: a staging folder)."""

    def write(self, relative: str, data: bytes) -> OutputStamp | None:
        """Write a file of the new site."""
        ...

    def copy(self, relative: str, path: Path) -> OutputStamp | None:
        """Copy a static file into the new site."""
        ...


@dataclass
class Layouts:
    """The run's view of the layouts, kept by the builder while no layout changes."""

    current: derive.Layouts | None = None


def run(
    knowledge: Knowledge,
    listing: Listing,
    only: Collection[str] | None,
    fresh: Fresh,
    sink: Sink | None,
    memo: MarkdownMemo,
    layouts: Layouts,
    jobs: int,
) -> Run:
    """Run once: `only` names the files the watcher saw change (None: look at all); pages
    that `fresh` does not vouch for are rendered into `sink`."""
    started = time.perf_counter()
    files = knowledge.files
    files.scan(listing.files(), only)
    diagnostics = Diagnostics()
    diagnostics.extend(listing.problems)
    diagnostics.extend(files.problems.values())
    site, entities, topics = _small_records(knowledge, listing, diagnostics)
    sources = {(s.what, s.slug): s for s in listing.sources}
    _parse(knowledge, listing, diagnostics)
    aliases = alias_pattern(entities.values())
    diagnostics.extend(aliases.problems)
    names = derive.entity_names(entities.values())
    _derive(knowledge, sources, names, aliases, entities, memo, jobs)
    known = known_slugs(list(listing.sources))
    _check(knowledge, sources, known, entities, topics, memo, diagnostics)
    states = knowledge.briefs
    links = {slug: s.links for slug, s in states.items() if s.links is not None}
    graph = build_graph(links, entities, topics)
    index = SiteIndex(site, links, entities, topics, graph)
    keys = page_keys(index)
    statics = check_outputs(index, keys, list(listing.statics), diagnostics)
    anchors = {slug: s.anchors for slug, s in sorted(states.items()) if s.links is not None}
    notes = sum(s.notes for s in states.values())
    if diagnostics.errors:
        return _result(False, diagnostics, {}, (), len(states), notes, anchors, started)

    layout_digests = {shown: files.digest(shown) or "" for shown, _ in listing.layouts}
    if layouts.current is None or layouts.current.digests != layout_digests:
        layouts.current = derive.Layouts(
            layout_dirs(knowledge.files.root), files.root, layout_digests
        )
    current = layouts.current
    shown = {str(Path(path)): name for name, path in listing.layouts}
    digests = _digests(knowledge, listing, names)
    pages: dict[str, PageEntry] = {}
    stale: list[tuple[PageKey, str]] = []
    for key in keys:
        inputs = page_inputs(key, index)
        fingerprint = digest_text(
            current.template_digest(key.template, shown),
            *sorted(f"{i}={digests.get(i, '')}" for i in inputs),
        )
        entry = fresh(key.output, fingerprint)
        if entry is not None:
            pages[key.output] = entry
        else:
            stale.append((key, fingerprint))
    rendered = _render(
        knowledge,
        sources,
        index,
        stale,
        memo,
        current,
        shown,
        digests,
        sink,
        pages,
        diagnostics,
        jobs,
    )
    for static in statics:
        fingerprint = f"static:{files.digest(static.source)}"
        entry = fresh(static.output, fingerprint)
        if entry is not None:
            pages[static.output] = entry
            continue
        stamp = sink.copy(static.output, static.path) if sink is not None else None
        pages[static.output] = PageEntry(fingerprint, files.digest(static.source) or "", stamp)
        rendered.append(static.output)
    ok = not diagnostics.errors
    return _result(
        ok, diagnostics, pages if ok else {}, tuple(rendered), len(states), notes, anchors, started
    )


def _result(
    ok: bool,
    diagnostics: Diagnostics,
    pages: Mapping[str, PageEntry],
    rendered: tuple[str, ...],
    briefs: int,
    notes: int,
    anchors: Mapping[str, tuple[Anchor | Unplaced, ...]],
    started: float,
) -> Run:
    ordered = BriefsiteError(diagnostics.items).diagnostics if diagnostics.items else ()
    seconds = time.perf_counter() - started
    return Run(ok, ordered, pages, rendered, briefs, notes, anchors, seconds)


def _small_records(
    knowledge: Knowledge, listing: Listing, diagnostics: Diagnostics
) -> tuple[Site, dict[str, Entity], dict[str, Topic]]:
    """The site's settings, the entities and the topics: read whole every run (they are few
    and small, and kept in the cache as records)."""
    site: Site = DEFAULT_SITE
    entities: dict[str, Entity] = {}
    topics: dict[str, Topic] = {}
    if not any(s.what == "site" for s in listing.sources):
        diagnostics.extend([missing_site()])
    for source in listing.sources:
        if source.what not in ("site", "entity", "topic"):
            continue
        item, problems = knowledge.files.record(source)
        diagnostics.extend(problems)
        if isinstance(item, Site):
            site = item
        elif isinstance(item, Entity):
            entities[item.slug] = item
        elif isinstance(item, Topic):
            topics[item.slug] = item
    return site, entities, topics


def _parse(knowledge: Knowledge, listing: Listing, diagnostics: Diagnostics) -> None:
    """Parse the seeds and briefs whose bytes changed; report every file's problems."""
    listed = {s.shown for s in listing.sources}
    for shown in [s for s in knowledge.parsed if s not in listed]:
        del knowledge.parsed[shown]
    for source in listing.sources:
        if source.what not in ("seed", "brief"):
            continue
        found = knowledge.files.digest(source.shown)
        if found is None:
            knowledge.parsed.pop(source.shown, None)
            continue
        parsed = knowledge.parsed.get(source.shown)
        if parsed is None or parsed.digest != found:
            item, problems = knowledge.files.record(source)
            parsed = knowledge.parsed[source.shown] = Parsed(found, item is not None, problems)
        diagnostics.extend(parsed.problems)


def placed_brief(knowledge: Knowledge, listing: Listing, slug: str) -> Placed:
    """A brief read in full with its seed and what was derived from it."""
    return _placed(knowledge, {(s.what, s.slug): s for s in listing.sources}, slug)


def _placed(
    knowledge: Knowledge, sources: Mapping[tuple[SourceKind, str], Source], slug: str
) -> Placed:
    state = knowledge.briefs[slug]
    brief = _record(knowledge, sources[("brief", slug)])
    seed = _record(knowledge, sources[("seed", state.seed)])
    assert isinstance(brief, Brief) and isinstance(seed, Seed)
    return Placed(brief, seed, state.anchors, state.mentions)


def _record(knowledge: Knowledge, source: Source | None) -> Brief | Seed | None:
    if source is None or not _ok(knowledge, source):
        return None
    item = knowledge.files.record(source)[0]
    return item if isinstance(item, (Brief, Seed)) else None


def _ok(knowledge: Knowledge, source: Source) -> bool:
    parsed = knowledge.parsed.get(source.shown)
    return (
        parsed is not None and parsed.ok and parsed.digest == knowledge.files.digest(source.shown)
    )


def _derive(
    knowledge: Knowledge,
    sources: Mapping[tuple[SourceKind, str], Source],
    names: str,
    aliases: AliasPattern,
    entities: Mapping[str, Entity],
    memo: MarkdownMemo,
    jobs: int,
) -> None:
    """Bring every brief's derived state up to date."""
    files = knowledge.files
    briefs = {
        slug: s for (what, slug), s in sources.items() if what == "brief" and _ok(knowledge, s)
    }
    for slug in [s for s in knowledge.briefs if s not in briefs]:
        knowledge.drop_brief(slug)
    todo: list[tuple[str, Source]] = []
    for slug, source in briefs.items():
        state = knowledge.briefs.get(slug)
        if state is None or state.key != _key(
            files.digest(source.shown), state.seed, sources, knowledge, names
        ):
            todo.append((slug, source))
    records = {slug: _record(knowledge, source) for slug, source in todo}
    if len(todo) > 1:  # convert every text of the briefs to derive at once, in parallel
        texts = [t for r in records.values() if isinstance(r, Brief) for t in derive.texts(r)]
        texts += [e.summary.value for e in entities.values() if e.summary is not None]
        memo.preload(texts, jobs)
    for slug, source in todo:
        brief = records[slug]
        assert isinstance(brief, Brief)
        seed_source = sources.get(("seed", brief.seed.slug))
        seed = _record(knowledge, seed_source)
        key = _key(files.digest(source.shown), brief.seed.slug, sources, knowledge, names)
        state = derive.brief_state(
            key, brief, seed if isinstance(seed, Seed) else None, aliases, entities, memo
        )
        knowledge.set_brief(slug, state)


def _key(
    brief_digest: str | None,
    seed: str,
    sources: Mapping[tuple[SourceKind, str], Source],
    knowledge: Knowledge,
    names: str,
) -> str:
    seed_source = sources.get(("seed", seed))
    seed_digest = ""
    if seed_source is not None and _ok(knowledge, seed_source):
        seed_digest = knowledge.files.digest(seed_source.shown) or ""
    return digest_text(brief_digest or "", seed, seed_digest, names)


def _check(
    knowledge: Knowledge,
    sources: Mapping[tuple[SourceKind, str], Source],
    known: Known,
    entities: Mapping[str, Entity],
    topics: Mapping[str, Topic],
    memo: MarkdownMemo,
    diagnostics: Diagnostics,
) -> None:
    """Report every brief's problems and dangling references, checking again only those
    whose brief, set of files, or linked briefs' notes changed."""
    states = knowledge.briefs
    note_ids = {slug: s.note_ids for slug, s in states.items()}
    known_digest = digest_text(
        *(
            f"{k}:{','.join(sorted(getattr(known, k)))}"
            for k in ("seeds", "briefs", "entities", "topics")
        )
    )
    for slug in [s for s in knowledge.checked if s not in states]:
        knowledge.drop_brief(slug)
    for slug, state in sorted(states.items()):
        source = sources[("brief", slug)]
        key = digest_text(
            knowledge.files.digest(source.shown) or "",
            known_digest,
            *(f"{t}={','.join(sorted(note_ids.get(t, ())))}" for t in state.linked),
        )
        checked = knowledge.checked.get(slug)
        if checked is None or checked.key != key:
            brief = _record(knowledge, source)
            assert isinstance(brief, Brief)
            checked = Checked(key, derive.references(brief, known, note_ids, memo))
            knowledge.set_checked(slug, checked)
        diagnostics.extend(state.problems)
        diagnostics.extend(checked.problems)
    diagnostics.extend(
        derive.summary_references(entities.values(), topics.values(), known, note_ids, memo)
    )


def _digests(knowledge: Knowledge, listing: Listing, names: str) -> dict[str, str]:
    """The digest of every input a page can have: files, facets, the alias pattern."""
    found = {shown: f.digest for shown, f in knowledge.files.states.items()}
    for state in knowledge.briefs.values():
        found.update(state.facets)
    found[ALIASES] = names
    return found


def _render(
    knowledge: Knowledge,
    sources: Mapping[tuple[SourceKind, str], Source],
    index: SiteIndex,
    stale: list[tuple[PageKey, str]],
    memo: MarkdownMemo,
    layouts: derive.Layouts,
    shown: Mapping[str, str],
    digests: Mapping[str, str],
    sink: Sink | None,
    pages: dict[str, PageEntry],
    diagnostics: Diagnostics,
    jobs: int,
) -> list[str]:
    """Render the stale pages into `sink`; template errors are reported once per line."""
    rendered = render_pages(
        index,
        lambda slug: _placed(knowledge, sources, slug),
        stale,
        memo,
        layouts,
        knowledge.store,
        digests,
        layouts.template_digest(derive.CARDS_TEMPLATE, shown),
        sink.write if sink is not None else None,
        jobs,
    )
    for key, html in rendered.fragments.items():
        knowledge.store.put("fragment", key, html)
    seen: set[SourceLocation] = set()
    made: list[str] = []
    for page in rendered.pages:
        for d in page.problems:
            if d.location not in seen:
                seen.add(d.location)
                diagnostics.extend([d])
        if page.digest is None:
            continue
        pages[page.output] = PageEntry(page.fingerprint, page.digest, page.stamp)
        knowledge.store.put("page", page.fingerprint, page.digest)  # rendered without error
        made.append(page.output)
    return made
