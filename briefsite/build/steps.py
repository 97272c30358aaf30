"""One run of the builder, step by step: read, derive, check, link, plan, render.

Every step takes what the run knows and keeps what it made in `Knowledge`, keyed by the
digests it was made from, so a step redoes only what an edit touched, whether the edit was
made a second ago in a long-lived `serve` or before the last process ended. Work done brief
by brief (reading, deriving, checking references, rendering brief pages and their cards) is
handed to a `Crew` (`briefs.py`): this process, or forked workers on large runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from briefsite.anchor.anchoring import Anchor, Unplaced
from briefsite.build import briefs, derive
from briefsite.build.briefs import Checks, Crew, Sources, Task, brief_key, parsed_ok
from briefsite.build.files import Listing
from briefsite.build.knowledge import Knowledge, Parsed
from briefsite.build.manifest import PageEntry
from briefsite.build.memo import MarkdownMemo
from briefsite.build.render import Made, render_one
from briefsite.build.stamps import digest_text
from briefsite.build.write import OutputStamp
from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics, SourceLocation
from briefsite.link.graph import NoteRef, alias_pattern, build_graph
from briefsite.model import Entity, Site, Topic
from briefsite.read.records import DEFAULT_SITE, missing_site
from briefsite.read.sources import Known, known_slugs
from briefsite.render.layouts import layout_dirs
from briefsite.site.inputs import ALIASES, page_inputs
from briefsite.site.pages import PageKey, Placed, SiteIndex, check_outputs, page_keys
from briefsite.site.plan import Planner


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

    def write(self, relative: str, data: bytes) -> OutputStamp:
        """Write a file of the new site."""
        ...

    def copy(self, relative: str, path: Path) -> OutputStamp:
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
    sources: Sources = {(s.what, s.slug): s for s in listing.sources}
    aliases = alias_pattern(entities.values())
    diagnostics.extend(aliases.problems)
    names = derive.entity_names(entities.values())
    current = _layouts(layouts, listing, knowledge)
    slugs = sorted(slug for what, slug in sources if what == "brief")
    todo = [slug for slug in slugs if _stale_state(knowledge, sources, slug, names)]
    context = briefs.Run(
        knowledge,
        memo,
        sources,
        names,
        aliases,
        entities,
        current,
        sink.write if sink is not None else None,
    )
    crew = Crew(context, slugs, jobs if len(todo) >= briefs.MIN_BRIEFS_FOR_A_TEAM else 1)
    try:
        return _run(knowledge, listing, sources, crew, todo, site, entities, topics,
                    fresh, sink, diagnostics, started)  # fmt: skip
    finally:
        crew.close()


def _run(
    knowledge: Knowledge,
    listing: Listing,
    sources: Sources,
    crew: Crew,
    todo: list[str],
    site: Site,
    entities: dict[str, Entity],
    topics: dict[str, Topic],
    fresh: Fresh,
    sink: Sink | None,
    diagnostics: Diagnostics,
    started: float,
) -> Run:
    context = crew.run
    derived = crew.derive(todo)
    knowledge.parsed.update(derived.parsed)
    for slug, state in derived.states.items():
        knowledge.set_brief(slug, state)
    _parse_the_rest(knowledge, listing, diagnostics)
    for slug in [s for s in knowledge.briefs if not _brief_ok(knowledge, sources, s)]:
        knowledge.drop_brief(slug)
    states = knowledge.briefs
    for slug in sorted(states):
        diagnostics.extend(states[slug].problems)
    known = known_slugs(list(listing.sources))
    _check(knowledge, sources, crew, known, entities, topics, context.memo, diagnostics)
    links = {slug: s.links for slug, s in states.items() if s.links is not None}
    graph = build_graph(links, entities, topics)
    index = SiteIndex(site, links, entities, topics, graph)
    keys = page_keys(index)
    statics = check_outputs(index, keys, list(listing.statics), diagnostics)
    anchors = {slug: s.anchors for slug, s in sorted(states.items()) if s.links is not None}
    notes = sum(s.notes for s in states.values())
    if diagnostics.errors:
        return _result(False, diagnostics, {}, (), len(states), notes, anchors, started)

    assert context.layouts is not None
    shown = {str(Path(path)): name for name, path in listing.layouts}
    digests = _digests(knowledge, context.names)
    pages: dict[str, PageEntry] = {}
    stale: list[tuple[PageKey, str]] = []
    for key in keys:
        fingerprint = digest_text(
            context.layouts.template_digest(key.template, shown),
            *sorted(f"{i}={digests.get(i, '')}" for i in page_inputs(key, index)),
        )
        entry = fresh(key.output, fingerprint)
        if entry is not None:
            pages[key.output] = entry
        else:
            stale.append((key, fingerprint))
    made = _render(knowledge, crew, index, stale, shown, digests)
    rendered = _record_made(knowledge, made, pages, diagnostics)
    for static in statics:
        fingerprint = f"static:{knowledge.files.digest(static.source)}"
        entry = fresh(static.output, fingerprint)
        if entry is not None:
            pages[static.output] = entry
            continue
        stamp = sink.copy(static.output, static.path) if sink is not None else None
        digest = knowledge.files.digest(static.source) or ""
        pages[static.output] = PageEntry(fingerprint, digest, stamp)
        rendered.append(static.output)
    context.memo.keep()
    ok = not diagnostics.errors
    return _result(ok, diagnostics, pages if ok else {}, tuple(rendered), len(states), notes,
                   anchors, started)  # fmt: skip


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


def _layouts(layouts: Layouts, listing: Listing, knowledge: Knowledge) -> derive.Layouts:
    """The layouts' environment, made again when a layout file changed."""
    files = knowledge.files
    digests = {shown: files.digest(shown) or "" for shown, _ in listing.layouts}
    if layouts.current is None or layouts.current.digests != digests:
        layouts.current = derive.Layouts(
            layout_dirs(files.root), files.root, digests, knowledge.store
        )
    return layouts.current


def _stale_state(knowledge: Knowledge, sources: Sources, slug: str, names: str) -> bool:
    """Whether a brief must be read and derived again: its bytes, or its seed's, or the
    entities' names changed since its state was derived (or it has none)."""
    source = sources[("brief", slug)]
    found = knowledge.files.digest(source.shown)
    if found is None:
        return False  # unreadable: reported by the scan
    parsed = knowledge.parsed.get(source.shown)
    if parsed is None or parsed.digest != found:
        return True
    state = knowledge.briefs.get(slug)
    if not parsed.ok:
        return False
    if state is None:
        return True
    seed = sources.get(("seed", state.seed))
    if seed is not None:
        seed_parsed = knowledge.parsed.get(seed.shown)
        if seed_parsed is None or seed_parsed.digest != knowledge.files.digest(seed.shown):
            return True
    return state.key != brief_key(knowledge, sources, slug, state.seed, names)


def _brief_ok(knowledge: Knowledge, sources: Sources, slug: str) -> bool:
    source = sources.get(("brief", slug))
    return source is not None and parsed_ok(knowledge, source)


def _parse_the_rest(knowledge: Knowledge, listing: Listing, diagnostics: Diagnostics) -> None:
    """Parse the seeds no brief read (a seed without a brief is still checked), forget the
    files that are gone, and report every seed's and brief's problems."""
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


def _check(
    knowledge: Knowledge,
    sources: Sources,
    crew: Crew,
    known: Known,
    entities: Mapping[str, Entity],
    topics: Mapping[str, Topic],
    memo: MarkdownMemo,
    diagnostics: Diagnostics,
) -> None:
    """Report every brief's dangling references, checking again only those whose brief,
    set of files, or linked briefs' notes changed."""
    states = knowledge.briefs
    note_ids = {slug: s.note_ids for slug, s in states.items()}
    kinds = ("seeds", "briefs", "entities", "topics")
    known_digest = digest_text(*(f"{k}:{','.join(sorted(getattr(known, k)))}" for k in kinds))
    for slug in [s for s in knowledge.checked if s not in states]:
        knowledge.drop_brief(slug)
    keys: dict[str, str] = {}
    for slug, state in states.items():
        key = digest_text(
            knowledge.files.digest(sources[("brief", slug)].shown) or "",
            known_digest,
            *(f"{t}={','.join(sorted(note_ids.get(t, ())))}" for t in state.linked),
        )
        checked = knowledge.checked.get(slug)
        if checked is None or checked.key != key:
            keys[slug] = key
    shares = crew.shares(sorted(keys))
    checks = [Checks(tuple((s, keys[s]) for s in share), known, note_ids) for share in shares]
    for slug, checked in crew.check(checks).items():
        knowledge.set_checked(slug, checked)
    for slug in sorted(states):
        diagnostics.extend(knowledge.checked[slug].problems)
    diagnostics.extend(
        derive.summary_references(entities.values(), topics.values(), known, note_ids, memo)
    )


def _digests(knowledge: Knowledge, names: str) -> dict[str, str]:
    """The digest of every input a page can have: files, facets, the alias pattern."""
    found = {shown: f.digest for shown, f in knowledge.files.states.items()}
    for state in knowledge.briefs.values():
        found.update(state.facets)
    found[ALIASES] = names
    return found


def _render(
    knowledge: Knowledge,
    crew: Crew,
    index: SiteIndex,
    stale: list[tuple[PageKey, str]],
    shown: Mapping[str, str],
    digests: Mapping[str, str],
) -> list[Made]:
    """Render the stale pages: brief pages and the fragments lists need by their briefs'
    owners, then the other pages here, joined from those fragments."""
    context = crew.run
    layouts = context.layouts
    assert layouts is not None
    cards = layouts.template_digest(derive.CARDS_TEMPLATE, shown)
    own = [(k, f) for k, f in stale if k.kind == "brief"]
    others = [(k, f) for k, f in stale if k.kind != "brief"]
    wanted: list[tuple[str, object, str, int]] = []
    collect = derive.Fragments(
        layouts, knowledge.store, lambda f: digests.get(f, ""), cards, _no_planner, wanted
    )
    collecting = Planner(index, _no_placed, context.memo, collect)
    for key, _ in others:
        collecting.plan(key)
    by_brief: dict[str, list[tuple[str, object, str, int]]] = {}
    for item in dict.fromkeys(wanted):
        by_brief.setdefault(_brief_of(item), []).append(item)
    by_slug = {k.slug: (k, f) for k, f in own}
    facets = {k: v for k, v in digests.items() if k.startswith(("card:", "note:"))}
    tasks = [
        Task(
            pages=tuple(by_slug[slug] for slug in page_share),
            fragments=tuple(item for slug in fragment_share for item in by_brief[slug]),
            index=index,
            facets=facets,
            cards_template=cards,
        )
        for page_share, fragment_share in zip(
            crew.shares(sorted(by_slug)), crew.shares(sorted(by_brief)), strict=True
        )
    ]
    finished = crew.finish(tasks)
    context.memo.fresh.update(finished.markdown)
    fragments = derive.Fragments(
        layouts, knowledge.store, lambda f: digests.get(f, ""), cards, lambda: planner
    )
    fragments.made.update(finished.fragments)
    planner = Planner(index, lambda slug: briefs.placed(context, slug), context.memo, fragments)
    made = {m.output: m for m in finished.made}
    made.update((k.output, render_one(planner, layouts, k, f, context.write)) for k, f in others)
    for name, html in fragments.made.items():
        knowledge.store.put("fragment", name, html)
    return [made[key.output] for key, _ in stale]  # in the pages' order, whoever made them


def _brief_of(wanted: tuple[str, object, str, int]) -> str:
    subject = wanted[1]
    if isinstance(subject, NoteRef):
        return subject.brief
    assert isinstance(subject, str)
    return subject


def _no_planner() -> Planner:
    raise AssertionError("a collecting planner renders no fragment")


def _no_placed(slug: str) -> Placed:
    raise AssertionError(f"a list page read brief {slug} in full")


def _record_made(
    knowledge: Knowledge, made: list[Made], pages: dict[str, PageEntry], diagnostics: Diagnostics
) -> list[str]:
    """Keep what rendering gave; template errors are reported once per template line."""
    seen: set[SourceLocation] = set()
    rendered: list[str] = []
    for page in made:
        for d in page.problems:
            if d.location not in seen:
                seen.add(d.location)
                diagnostics.extend([d])
        if page.digest is None:
            continue
        pages[page.output] = PageEntry(page.fingerprint, page.digest, page.stamp)
        knowledge.store.put("page", page.fingerprint, page.digest)  # rendered without error
        rendered.append(page.output)
    return rendered
