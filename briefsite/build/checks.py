"""Dangling references, checked again only for the briefs whose references may have
changed: the brief itself, the set of files, or the notes of a brief it links to; and what
keeps the site from publishing everything."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

from briefsite.build import derive
from briefsite.build.briefs import Checks, Crew, check_key
from briefsite.build.knowledge import Knowledge
from briefsite.build.memo import MarkdownMemo
from briefsite.build.recall import Recall
from briefsite.build.stale import Sources
from briefsite.build.state import BriefState
from briefsite.errors import COMMAND, Diagnostic, Diagnostics, SourceLocation
from briefsite.model import Entity, Site, Topic
from briefsite.read.records import DEFAULT_SITE
from briefsite.read.sources import Known, Source, seed_file


def briefs_to_check(
    knowledge: Knowledge, recall: Recall | None, before: Mapping[str, BriefState | None]
) -> set[str] | None:
    """The briefs whose references may have changed: those that changed, and those linking
    to a note of a brief whose notes changed. None: every brief (no recall)."""
    if recall is None:
        return None
    found = set(before)
    for slug, old in before.items():
        new = knowledge.briefs.get(slug)
        if (old.note_ids if old else None) != (new.note_ids if new else None):
            found |= recall.linkers.get(slug, set())
    return found


def check_references(
    knowledge: Knowledge,
    sources: Sources,
    crew: Crew,
    known: Known,
    known_digest: str,
    scope: set[str] | None,
    summaries: tuple[Iterable[Entity], Iterable[Topic]],
    memo: MarkdownMemo,
    diagnostics: Diagnostics,
) -> None:
    """Report every brief's dangling references, checking again only those whose brief,
    set of files, or linked briefs' notes changed (among `scope`, when given)."""
    states = knowledge.briefs
    note_ids = _NoteIds(states)
    for slug in sorted(knowledge.checked.keys() - states.keys()):
        knowledge.drop_brief(slug)
    keys: dict[str, str] = {}
    for slug in states if scope is None else [s for s in scope if s in states]:
        key = check_key(
            knowledge.files.digest(sources[("brief", slug)].shown) or "",
            known_digest,
            _linked_ids(states[slug], note_ids),
        )
        checked = knowledge.checked.get(slug)
        if checked is None or checked.key != key:
            keys[slug] = key
    shares = crew.shares(sorted(keys))
    checks = [
        # Each share is told the note ids of the briefs it links to: all it checks against.
        Checks(
            tuple((s, keys[s]) for s in share),
            known,
            {t: note_ids[t] for s in share for t in states[s].linked if t in states},
        )
        for share in shares
    ]
    for slug, checked in crew.check(checks).items():
        knowledge.set_checked(slug, checked)
    # Every brief has been checked (its state and checked references are dropped together).
    diagnostics.extend(d for checked in knowledge.checked.values() for d in checked.problems)
    entities, topics = summaries
    diagnostics.extend(derive.summary_references(entities, topics, known, note_ids, memo))


class _NoteIds(Mapping[str, frozenset[str]]):
    """Each brief's note ids, read from its state when asked: not copied, as a large site
    has thousands of briefs and a rebuild asks for a few."""

    def __init__(self, states: Mapping[str, BriefState]) -> None:
        self._states = states

    def __getitem__(self, slug: str) -> frozenset[str]:
        return self._states[slug].note_ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._states)

    def __len__(self) -> int:
        return len(self._states)


def _linked_ids(state: BriefState, note_ids: _NoteIds) -> dict[str, frozenset[str]]:
    """The note ids of the briefs a brief links to (empty for a brief without a state): what
    its check's key is made of."""
    return {t: note_ids.get(t, frozenset()) for t in state.linked}


def parse_outcomes(knowledge: Knowledge, names: Iterable[str]) -> dict[str, bool]:
    """Whether each of these files parsed into a record (False when not parsed)."""
    parsed = knowledge.parsed
    return {name: (found := parsed.get(name)) is not None and found.ok for name in names}


def unused_seeds_again(
    recall: Recall | None,
    knowledge: Knowledge,
    sources: Iterable[Source],
    before: Mapping[str, BriefState | None],
    was_ok: dict[str, bool] | None,
) -> list[Diagnostic]:
    """The notes of the seeds no brief uses: the recall's, when no brief came, went or
    changed its seed and no changed file (`was_ok`) parses otherwise than it did; else
    worked out again (a large site's every brief and file gone through)."""
    states = knowledge.briefs
    if (
        recall is not None
        and was_ok is not None
        and parse_outcomes(knowledge, was_ok) == was_ok
        and all(_seed(old) == _seed(states.get(slug)) for slug, old in before.items())
    ):
        return recall.unused
    readable = {shown for shown, parsed in knowledge.parsed.items() if parsed.ok}
    return unused_seeds(sources, states, readable)


def _seed(state: BriefState | None) -> str | None:
    return state.seed if state is not None else None


def unused_seeds(
    sources: Iterable[Source], states: Mapping[str, BriefState], readable: Collection[str]
) -> list[Diagnostic]:
    """A note for each seed that no brief uses, among the `readable` ones (a seed with
    errors of its own is reported for them). A brief that could not be read may use the
    seed of its own name, and one whose seed is missing (a typo?) any seed: those seeds are
    not reported while the brief has errors."""
    listed = list(sources)
    used = {state.seed for state in states.values()}
    if used - {s.slug for s in listed if s.what == "seed"}:
        return []
    used |= {s.slug for s in listed if s.what == "brief" and s.slug not in states}
    return [
        Diagnostic(
            SourceLocation(seed_file(s.slug)),
            f"seed '{s.slug}' has no brief",
            f"start one with `{COMMAND} new {seed_file(s.slug)}`, or give a brief `seed: {s.slug}`",
            "note",
        )
        for s in listed
        if s.what == "seed" and s.slug not in used and s.shown in readable
    ]


def publishing_problems(site: Site) -> list[Diagnostic]:
    """What keeps the site from publishing everything: without a base URL, the documents
    that need absolute addresses are left out (once, as a warning; `--strict` fails)."""
    if site.base_url or site is DEFAULT_SITE:  # no site.yaml, or one with errors: reported
        return []
    return [
        Diagnostic(
            SourceLocation(site.path),
            "base_url is not set: feeds, the sitemap, robots.txt, canonical links, "
            "structured data and annotations are left out",
            "add the site's public address, e.g. `base_url: https://example.org/briefs/`",
            "warning",
        )
    ]
