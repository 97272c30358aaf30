"""One run of the builder, step by step: read, derive, check, link, plan, render.

Every step takes what the run knows and keeps what it made in `Knowledge`, keyed by the
digests it was made from, so a step redoes only what an edit touched, whether the edit was
made a second ago in a long-lived `serve` or before the last process ended. Work done brief
by brief (reading, deriving, checking references, rendering brief pages and their cards) is
handed to a `Crew` (`briefs.py`): this process, or forked workers on large runs.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefsite.anchor.anchoring import Anchor, Unplaced
from briefsite.build import briefs, derive
from briefsite.build.briefs import Crew
from briefsite.build.checks import (
    briefs_to_check,
    check_references,
    parse_outcomes,
    publishing_problems,
    unused_seeds_again,
)
from briefsite.build.files import Listing
from briefsite.build.knowledge import Knowledge, Parsed
from briefsite.build.listed import Listed, listed_of
from briefsite.build.manifest import Manifest, PageEntry
from briefsite.build.memo import MarkdownMemo
from briefsite.build.pages import Fresh, fingerprint, record_made, render_stale
from briefsite.build.recall import (
    Recall,
    Whole,
    all_digests,
    recall_of,
    touched_briefs,
    update_digests,
)
from briefsite.build.since import changed_since
from briefsite.build.sink import Sink, publish_static
from briefsite.build.stale import Sources, brief_ok, stale_state
from briefsite.build.state import Placements
from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics
from briefsite.link.graph import alias_pattern, build_graph
from briefsite.model import Entity, Site, Topic
from briefsite.read.records import DEFAULT_SITE, missing_site
from briefsite.read.sources import Source
from briefsite.render.layouts import layout_dirs
from briefsite.site.pages import PageKey, SiteIndex, check_outputs, page_keys


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
    seal: str  # of the brief states of the run (`Knowledge.seal`)


@dataclass
class Kept:
    """What a builder keeps in memory from one run to the next: the layouts' environment
    (while no layout changes), the recall of its last complete run, and what it took from
    the project's listing."""

    layouts: derive.Layouts | None = None
    recall: Recall | None = None
    listed: Listed | None = None


def run(
    knowledge: Knowledge,
    listing: Listing,
    only: Collection[str] | None,
    fresh: Fresh,
    trusted: Mapping[str, PageEntry] | None,
    sink: Sink | None,
    memo: MarkdownMemo,
    kept: Kept,
    jobs: int,
    preview: bool = False,
    earlier: Manifest | None = None,
) -> Run:
    """Run once: `only` names the files the watcher saw change (None: look at all); pages
    that `fresh` does not vouch for are rendered into `sink`. `trusted` is the output as
    this builder's last run wrote it: a page whose fingerprint this run did not work out
    anew is taken from it as it is. `earlier` is the live output's manifest."""
    started = time.perf_counter()
    files = knowledge.files
    files.scan(listing.files(), only)
    diagnostics = Diagnostics()
    diagnostics.extend(listing.problems)
    diagnostics.extend(files.problems.values())
    listed = kept.listed = listed_of(listing, kept.listed)
    site, entities, topics = _small_records(knowledge, listed, diagnostics)
    diagnostics.extend(publishing_problems(site))
    sources = listed.sources
    aliases = alias_pattern(entities.values())
    diagnostics.extend(aliases.problems)
    names = derive.entity_names(entities.values())
    layouts = _layouts(kept, listing, knowledge)
    recall, kept.recall = kept.recall, None  # kept again only if this run completes
    if recall is not None and (
        only is None
        or recall.listing is not listing
        or recall.names != names
        or recall.layouts != layouts.digests
        or recall.entities != frozenset(entities)
        or recall.topics != frozenset(topics)
        # The documents needing a base URL come and go with it.
        or recall.publishing != bool(site.base_url)
    ):
        recall = None
    changed: set[str] | None = None
    slugs = listed.briefs
    candidates = slugs
    if recall is not None and only is not None:
        changed = {s for s in only if files.digest(s) != recall.digests.get(s)}
        candidates = touched_briefs(recall, listing, changed)
    todo = [slug for slug in candidates if stale_state(knowledge, sources, slug, names)]
    write = sink.write if sink is not None else None
    known, known_digest = listed.known, listed.known_digest
    context = briefs.Run(
        knowledge,
        memo,
        sources,
        names,
        aliases,
        entities,
        known,
        known_digest,
        layouts,
        write,
        preview,
    )
    crew = Crew(context, slugs, jobs if len(todo) >= briefs.MIN_BRIEFS_FOR_A_TEAM else 1)
    scope = Scope(recall, changed, candidates)
    try:
        records = Records(site, entities, topics)
        outputs = Outputs(fresh, trusted, sink, kept, earlier)
        return _run(
            knowledge, listing, sources, crew, todo, scope, records, outputs, diagnostics, started
        )
    finally:
        crew.close()


@dataclass(frozen=True)
class Scope:
    """What a run may have to work out again: everything, or (with a recall) what the
    changed files touch."""

    recall: Recall | None
    changed: set[str] | None  # the files whose digest changed since the recall
    briefs: list[str]  # the briefs that may have changed


@dataclass(frozen=True)
class Records:
    """The small records every run reads whole."""

    site: Site
    entities: dict[str, Entity]
    topics: dict[str, Topic]


@dataclass(frozen=True)
class Outputs:
    """What a run is told about the output, and where it puts what it makes."""

    fresh: Fresh
    trusted: Mapping[str, PageEntry] | None
    sink: Sink | None
    kept: Kept
    earlier: Manifest | None  # the live output's


def _run(
    knowledge: Knowledge,
    listing: Listing,
    sources: Sources,
    crew: Crew,
    todo: list[str],
    scope: Scope,
    records: Records,
    outputs: Outputs,
    diagnostics: Diagnostics,
    started: float,
) -> Run:
    context = crew.run
    site, entities, topics = records.site, records.entities, records.topics
    fresh, trusted, sink = outputs.fresh, outputs.trusted, outputs.sink
    recall = scope.recall
    before = {slug: knowledge.briefs.get(slug) for slug in todo}
    earlier = outputs.earlier if recall is None else None
    if earlier is not None and earlier.seal != knowledge.seal():
        earlier = None  # the cache's states are not the output's: look at every page
    changed = scope.changed if recall is not None else None
    was_ok = parse_outcomes(knowledge, changed) if changed is not None else None
    derived = crew.derive(todo)
    knowledge.parsed.update(derived.parsed)
    for slug, state in derived.states.items():
        knowledge.set_brief(slug, state)
    for slug, checked in derived.checked.items():
        knowledge.set_checked(slug, checked)
    _parse_the_rest(knowledge, listing, changed)
    knowledge.files.forget_unparsed()
    diagnostics.extend(d for parsed in knowledge.parsed.values() for d in parsed.problems)
    looked_at = scope.briefs if recall is not None else list(knowledge.briefs)
    dropped = [
        s for s in looked_at if s in knowledge.briefs and not brief_ok(knowledge, sources, s)
    ]
    for slug in dropped:
        before.setdefault(slug, knowledge.briefs.get(slug))
        knowledge.drop_brief(slug)
    states = knowledge.briefs
    diagnostics.extend(d for state in states.values() for d in state.problems)
    unused = unused_seeds_again(recall, knowledge, listing.sources, before, was_ok)
    diagnostics.extend(unused)
    known, known_digest = context.known, context.known_digest
    to_check = briefs_to_check(knowledge, recall, before)
    summaries = (entities.values(), topics.values())
    check_references(
        knowledge,
        sources,
        crew,
        known,
        known_digest,
        to_check,
        summaries,
        context.memo,
        diagnostics,
    )
    links_changed = recall is None or any(
        (states[s].links if s in states else None) != recall.links.get(s) for s in before
    )
    if recall is not None and not links_changed:
        links, graph, keys = recall.links, recall.graph, recall.keys
    else:
        links = {slug: s.links for slug, s in states.items() if s.links is not None}
        graph = build_graph(links, entities, topics)
    index = SiteIndex(site, links, entities, topics, graph)
    if recall is None or links_changed:
        keys = page_keys(index)
    if recall is not None and not links_changed:
        statics = recall.statics  # the same pages and static files as then: no clash
    else:
        statics = check_outputs(index, keys, list(listing.statics), diagnostics)
    anchors = Placements(states)
    notes = sum(s.notes for s in states.values())
    if diagnostics.errors:
        return _result(False, diagnostics, {}, (), len(states), notes, anchors, started, "")

    layouts = context.layouts
    assert layouts is not None
    shown = {str(Path(path)): name for name, path in listing.layouts}
    if recall is not None and not links_changed and scope.changed is not None:
        digests = recall.digests
        changed_inputs = update_digests(knowledge, digests, scope.changed, before)
        prints = fingerprint(
            keys, index, layouts, shown, digests, recall, changed_inputs, context.preview
        )
    else:
        digests = all_digests(knowledge, context.names)
        since = changed_since(earlier, knowledge, sources, before, states) if earlier else None
        prints = fingerprint(
            keys, index, layouts, shown, digests, None, None, context.preview, since
        )
    pages: dict[str, PageEntry] = {}
    stale: list[tuple[PageKey, str]] = []
    for key in keys:
        out = key.output
        print_ = prints.fingerprints[out]
        entry = trusted.get(out) if trusted is not None and out not in prints.changed else None
        if entry is None or entry.fingerprint != print_:
            entry = fresh(out, print_)
        if entry is not None:
            pages[out] = entry
        else:
            stale.append((key, print_))
    made = render_stale(knowledge, crew, index, stale, shown, digests)
    rendered = record_made(knowledge, made, pages, diagnostics)
    for static in statics:
        digest = knowledge.files.digest(static.source) or ""
        minified = static.output.endswith((".css", ".js"))
        print_ = f"static:{digest}" + (":minified" if minified else "")
        entry = fresh(static.output, print_)
        if entry is not None:
            pages[static.output] = entry
            continue
        stamp = publish_static(sink, static) if sink is not None else None
        pages[static.output] = PageEntry(print_, digest, stamp)
        rendered.append(static.output)
    context.memo.keep()
    ok = not diagnostics.errors
    if ok:
        outputs.kept.recall = recall_of(
            recall,
            listing,
            Whole(
                context.names, known_digest, layouts, digests, links, graph, keys, statics, unused
            ),
            entities,
            topics,
            (prints.inputs, prints.fingerprints),
            states,
            before,
        )
    made_pages = pages if ok else {}
    seal = knowledge.seal() if ok else ""  # a run with errors makes no manifest
    return _result(
        ok, diagnostics, made_pages, tuple(rendered), len(states), notes, anchors, started, seal
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
    seal: str,
) -> Run:
    ordered = BriefsiteError(diagnostics.items).diagnostics if diagnostics.items else ()
    seconds = time.perf_counter() - started
    return Run(ok, ordered, pages, rendered, briefs, notes, anchors, seconds, seal)


def _small_records(
    knowledge: Knowledge, listed: Listed, diagnostics: Diagnostics
) -> tuple[Site, dict[str, Entity], dict[str, Topic]]:
    """The site's settings, the entities and the topics: read whole every run (they are few
    and small, and kept in the cache as records)."""
    site: Site = DEFAULT_SITE
    entities: dict[str, Entity] = {}
    topics: dict[str, Topic] = {}
    if not any(s.what == "site" for s in listed.small):
        diagnostics.extend([missing_site()])
    for source in listed.small:
        item, problems = knowledge.files.record(source)
        diagnostics.extend(problems)
        if isinstance(item, Site):
            site = item
        elif isinstance(item, Entity):
            entities[item.slug] = item
        elif isinstance(item, Topic):
            topics[item.slug] = item
    return site, entities, topics


def _layouts(kept: Kept, listing: Listing, knowledge: Knowledge) -> derive.Layouts:
    """The layouts' environment, made again when a layout file changed."""
    files = knowledge.files
    digests = {shown: files.digest(shown) or "" for shown, _ in listing.layouts}
    if kept.layouts is None or kept.layouts.digests != digests:
        kept.layouts = derive.Layouts(layout_dirs(files.root), files.root, digests, knowledge.store)
    return kept.layouts


def _parse_the_rest(knowledge: Knowledge, listing: Listing, changed: set[str] | None) -> None:
    """Parse the seeds no brief read (a seed without a brief is still checked), and forget
    the files that are gone; with `changed`, look at those files only."""
    sources = listing.source_of
    if changed is None:
        for shown in [s for s in knowledge.parsed if s not in sources]:
            del knowledge.parsed[shown]
        looked_at: Iterable[Source] = listing.sources
    else:
        looked_at = [sources[shown] for shown in sorted(changed & sources.keys())]
    for source in looked_at:
        if source.what not in ("seed", "brief"):
            continue
        found = knowledge.files.digest(source.shown)
        if found is None:
            knowledge.parsed.pop(source.shown, None)
            continue
        parsed = knowledge.parsed.get(source.shown)
        if parsed is None or parsed.digest != found:
            item, problems = knowledge.files.record(source)
            knowledge.parsed[source.shown] = Parsed(found, item is not None, problems)
