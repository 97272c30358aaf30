"""The work done brief by brief, and who does it: this process, or a team of forked workers
that each keep their share of the briefs in memory from one phase to the next.

Phase one reads a share's briefs and seeds and derives each brief's state (places of its
notes, mentions, links, facets). Phase two, once the whole site's index is known, checks
the share's references and renders its brief pages and the cards and notes that the lists
show of it. The same functions run in either case, so a parallel build is the serial one
split up: byte for byte the same output, which tests/unit/test_workers.py checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from briefsite.build import derive
from briefsite.build.knowledge import Knowledge, Parsed
from briefsite.build.memo import Kept, MarkdownMemo
from briefsite.build.render import Made, Write, render_one
from briefsite.build.stale import Sources, brief_key, parse_changed
from briefsite.build.stamps import digest_text
from briefsite.build.state import BriefState, Checked
from briefsite.build.store import Store
from briefsite.link.graph import AliasPattern, NoteRef
from briefsite.model import Brief, Entity, Seed
from briefsite.read.sources import Known
from briefsite.site.pages import PageKey, Placed, SiteIndex
from briefsite.site.plan import Planner
from briefsite.site.urls import site_root
from briefsite.workers import Team, can_fork

_A = TypeVar("_A")
_R = TypeVar("_R")
# Below this many briefs to work on, a team costs more to start than it saves.
MIN_BRIEFS_FOR_A_TEAM = 200
# What phases one and three make is handed on every this many briefs, not at the end: on a
# large site, neither a worker nor its parent holds a whole share's conversions at once.
BRIEFS_PER_PART = 50


@dataclass
class Run:
    """What every worker needs for the per-brief work of one run, fixed before the fork."""

    knowledge: Knowledge
    memo: MarkdownMemo
    sources: Sources
    names: str  # digest of the entities' names and aliases
    aliases: AliasPattern
    entities: Mapping[str, Entity]
    known: Known  # every file's slug, as the listing found them
    known_digest: str
    layouts: derive.Layouts | None = None
    write: Write | None = None  # where rendered pages go (the staging folder), if anywhere
    preview: bool = False  # the preview's brief pages: with the quote picker's offsets


def check_key(brief: str, known: str, linked: Mapping[str, frozenset[str]]) -> str:
    """What a brief's references are checked against: its bytes' digest, the set of files,
    and the notes of each brief it links a note of."""
    return digest_text(brief, known, *(f"{t}={','.join(sorted(ids))}" for t, ids in linked.items()))


@dataclass(frozen=True)
class Derived:
    """What phase one found for a share: files parsed anew, states derived anew, and the
    references of those that link no other brief's notes, checked while they were read."""

    parsed: dict[str, Parsed]
    states: dict[str, BriefState]
    checked: dict[str, Checked]


@dataclass(frozen=True)
class DerivedPart:
    """Part of what phase one found for a share, with the Markdown converted on the way."""

    derived: Derived
    markdown: dict[str, Kept]


@dataclass(frozen=True)
class Checks:
    """Phase two for one share: the briefs whose references are checked anew."""

    briefs: tuple[tuple[str, str], ...]  # (brief, the key its check is made for)
    known: Known
    note_ids: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Task:
    """Phase three for one share: its stale brief pages, and the fragments lists need."""

    pages: tuple[tuple[PageKey, str], ...]  # brief pages to render, with fingerprints
    fragments: tuple[derive.Wanted, ...]  # as Fragments.wanted collects them
    index: SiteIndex
    facets: Mapping[str, str]
    cards_template: str


@dataclass
class Finished:
    """What phase three gave for part of a share."""

    made: list[Made] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)
    markdown: dict[str, Kept] = field(default_factory=dict)


# Told of each part of phase three's fragments and Markdown as it comes, from any worker.
Adopt = Callable[[Finished], None]


_runs: list[Run] = []  # the current run, as this process (or a forked worker) sees it


class Crew:
    """Who does the per-brief work of a run: this process, or a team of forked workers."""

    def __init__(self, run: Run, slugs: Sequence[str], jobs: int) -> None:
        self.run = run
        size = min(jobs, len(slugs) // MIN_BRIEFS_FOR_A_TEAM)
        if size > 1 and not can_fork():  # asked only then: it imports multiprocessing
            size = 1
        self.size = max(size, 1)
        # Each brief has one owner for the whole run: who read it keeps it in memory. Alone,
        # this process owns every brief (a rebuild at 10,000 briefs need not sort them).
        ordered = sorted(slugs) if self.size > 1 else []
        self.owner = {slug: i % self.size for i, slug in enumerate(ordered)}
        _runs.append(run)
        self.team = Team(self.size, _forget_cache) if self.size > 1 else None

    def shares(self, slugs: Sequence[str]) -> list[tuple[str, ...]]:
        """The given briefs, split by owner."""
        split: list[list[str]] = [[] for _ in range(self.size)]
        for slug in slugs:
            split[self.owner.get(slug, hash(slug) % self.size)].append(slug)
        return [tuple(share) for share in split]

    def derive(self, slugs: Sequence[str]) -> Derived:
        """Phase one for these briefs; the Markdown converted on the way goes into the
        memo's cache as it comes."""
        parts: list[list[Derived]] = [[] for _ in range(self.size)]

        def take(worker: int, part: DerivedPart) -> None:
            self.run.memo.adopt(part.markdown)
            parts[worker].append(part.derived)

        self._stream(derive_share, self.shares(slugs), take)
        parsed: dict[str, Parsed] = {}
        states: dict[str, BriefState] = {}
        checked: dict[str, Checked] = {}
        for part in (part for share in parts for part in share):  # in worker order
            parsed.update(part.parsed)
            states.update(part.states)
            checked.update(part.checked)
        return Derived(parsed, states, checked)

    def check(self, checks: Sequence[Checks]) -> dict[str, Checked]:
        """Phase two, one list of briefs per share."""
        checked: dict[str, Checked] = {}
        for part in self._call(check_share, list(checks)):
            checked.update(part)
        return checked

    def finish(self, tasks: Sequence[Task], adopt: Adopt) -> list[Made]:
        """Phase three, one task per share: the pages made, in worker order; each part's
        fragments and Markdown go to `adopt` as they come."""
        made: list[list[Made]] = [[] for _ in range(self.size)]

        def take(worker: int, part: Finished) -> None:
            made[worker].extend(part.made)
            adopt(part)

        self._stream(finish_share, list(tasks), take)
        return [page for share in made for page in share]

    def close(self) -> None:
        """End the workers, if any."""
        if self.team is not None:
            self.team.close()
        _runs.pop()

    def _call(self, work: Callable[[_A], _R], arguments: Sequence[_A]) -> list[_R]:
        if self.team is None:
            return [work(arguments[0])]
        return self.team.call(work, arguments)

    def _stream(
        self,
        work: Callable[[_A], Iterable[_R]],
        arguments: Sequence[_A],
        take: Callable[[int, _R], None],
    ) -> None:
        if self.team is None:
            for part in work(arguments[0]):
                take(0, part)
        else:
            self.team.stream(work, arguments, take)


def _forget_cache() -> None:
    """In a forked worker: never touch the parent's SQLite connection (see SQLite's notes on
    fork); what a worker learns goes back to the parent in its results."""
    run = _runs[-1]
    none = Store.none()
    run.knowledge.store = run.knowledge.files.store = run.memo.store = none
    if run.layouts is not None:
        run.layouts.store = none


def derive_share(slugs: tuple[str, ...]) -> Iterator[DerivedPart]:
    """Read each brief of the share and its seed where their bytes changed, and derive the
    brief's state where what it is derived from changed; part by part."""
    for start in range(0, len(slugs), BRIEFS_PER_PART):
        derived = _derive(slugs[start : start + BRIEFS_PER_PART])
        yield DerivedPart(derived, _runs[-1].memo.send())


def _derive(slugs: tuple[str, ...]) -> Derived:
    run = _runs[-1]
    knowledge, sources = run.knowledge, run.sources
    parsed: dict[str, Parsed] = {}
    states: dict[str, BriefState] = {}
    checked: dict[str, Checked] = {}
    for slug in slugs:
        source = sources[("brief", slug)]
        if not parse_changed(knowledge, source, parsed):
            continue
        brief = knowledge.files.record(source)[0]
        assert isinstance(brief, Brief)
        seed_source = sources.get(("seed", brief.seed.slug))
        seed_ok = seed_source is not None and parse_changed(knowledge, seed_source, parsed)
        key = brief_key(knowledge, sources, slug, brief.seed.slug, run.names)
        state = knowledge.briefs.get(slug)
        if state is not None and state.key == key:
            continue
        seed = knowledge.files.record(seed_source)[0] if seed_ok and seed_source else None
        states[slug] = derive.brief_state(
            key,
            brief,
            seed if isinstance(seed, Seed) else None,
            run.aliases,
            run.entities,
            run.memo,
        )
        knowledge.set_brief(slug, states[slug])  # this process's copy, for phase two
        if not states[slug].linked:  # checked now, while it is in memory
            brief_digest = knowledge.files.digest(source.shown) or ""
            problems = derive.references(brief, run.known, {}, run.memo)
            checked[slug] = Checked(check_key(brief_digest, run.known_digest, {}), problems)
    return Derived(parsed, states, checked)


def check_share(checks: Checks) -> dict[str, Checked]:
    """Check the references of the share's briefs that need it."""
    run = _runs[-1]
    checked: dict[str, Checked] = {}
    for slug, key in checks.briefs:
        brief = run.knowledge.files.record(run.sources[("brief", slug)])[0]
        assert isinstance(brief, Brief)
        problems = derive.references(brief, checks.known, checks.note_ids, run.memo)
        checked[slug] = Checked(key, problems)
    return checked


def finish_share(task: Task) -> Iterator[Finished]:
    """Render the share's stale brief pages, and the fragments of its briefs that lists
    need; part by part, with the Markdown converted on the way, for the cache."""
    run = _runs[-1]
    assert run.layouts is not None
    fragments = derive.Fragments(
        run.layouts,
        run.knowledge.store,
        lambda facet: task.facets.get(facet, ""),
        task.cards_template,
        lambda: planner,
        None,
        site_root(task.index.site) or "",
    )
    planner = Planner(task.index, lambda slug: placed(run, slug), run.memo, fragments, run.preview)
    # Brief by brief, its fragments and then its page: each brief is read in full once,
    # however few of a large project's briefs stay in memory.
    wanted: dict[str, list[derive.Wanted]] = {}
    for item in task.fragments:
        wanted.setdefault(wanted_brief(item), []).append(item)
    pages: dict[str, list[tuple[PageKey, str]]] = {}
    for key, fingerprint in task.pages:
        pages.setdefault(key.slug, []).append((key, fingerprint))
    done = Finished()
    # Backwards: phase one read the share's briefs in order, so the records and texts the
    # worker still holds in memory (bounded) are those of its last briefs. Read in the same
    # order again, each would have made way for the next just before it was needed.
    for count, slug in enumerate(sorted(wanted.keys() | pages.keys(), reverse=True), 1):
        for kind, subject, root, level in wanted.get(slug, ()):
            if kind == "card":
                assert isinstance(subject, str) and isinstance(level, int)
                fragments.card(subject, root, level)
            elif kind == "claims":
                assert isinstance(subject, str) and isinstance(level, str)
                fragments.claims(subject, level, root)
            elif kind == "entry":
                assert isinstance(subject, str)
                fragments.entry(subject)
            else:
                assert isinstance(subject, NoteRef)
                fragments.entity_note(subject, root)
        for key, fingerprint in pages.get(slug, ()):
            done.made.append(render_one(planner, run.layouts, key, fingerprint, run.write))
        if count % BRIEFS_PER_PART == 0:
            yield _handed_on(done, fragments, run.memo)
            done = Finished()
    yield _handed_on(done, fragments, run.memo)


def _handed_on(done: Finished, fragments: derive.Fragments, memo: MarkdownMemo) -> Finished:
    """A part of phase three, with the fragments and Markdown made since the last: they are
    the parent's to keep now (a fragment asked for again is made again)."""
    done.fragments, fragments.made = fragments.made, {}
    done.markdown = memo.send()
    return done


def wanted_brief(wanted: derive.Wanted) -> str:
    """The brief a wanted fragment shows."""
    subject = wanted[1]
    if isinstance(subject, NoteRef):
        return subject.brief
    assert isinstance(subject, str)
    return subject


def placed(run: Run, slug: str) -> Placed:
    """A brief read in full with its seed and what was derived from it."""
    return placed_from(run.knowledge, run.sources, slug)


def placed_from(knowledge: Knowledge, sources: Sources, slug: str) -> Placed:
    """A brief read in full with its seed and what was derived from it."""
    state = knowledge.briefs[slug]
    brief = knowledge.files.record(sources[("brief", slug)])[0]
    seed = knowledge.files.record(sources[("seed", state.seed)])[0]
    assert isinstance(brief, Brief) and isinstance(seed, Seed)
    return Placed(brief, seed, state.anchors.made, state.mentions.made)
