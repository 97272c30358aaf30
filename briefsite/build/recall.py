"""What a long-lived builder's last run worked out for the whole site, so that the next run,
told by the watcher which files changed, works out again only what those files touch.

A run that starts from a recall looks at the changed files and the briefs they are part
of, and at the pages whose inputs changed; everything else is taken from the recall as
it is. A run without one (the first, or after a change to the set of files, the layouts,
or the links between things) works everything out, and leaves a recall for the next.
Both must give the same site: tests/test_incremental.py checks it after random edits, with
the watcher's hints and without.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from briefsite.build import derive
from briefsite.build.files import Listing
from briefsite.build.knowledge import Knowledge
from briefsite.build.state import BriefState, changed_facets
from briefsite.errors import Diagnostic
from briefsite.link.graph import BriefLinks, Graph
from briefsite.model import Entity, Topic
from briefsite.read.sources import StaticFile
from briefsite.site.inputs import ALIASES
from briefsite.site.pages import PageKey


@dataclass
class Recall:
    """The whole-site values of the last complete run (updated in place by the next)."""

    listing: Listing  # the very listing object the run was made with
    names: str  # digest of the entities' names and aliases
    known: str  # digest of the set of files
    layouts: Mapping[str, str]  # each layout file's digest
    digests: dict[str, str]  # every input's digest: files, facets, the alias pattern
    links: dict[str, BriefLinks]
    graph: Graph
    keys: list[PageKey]
    statics: list[StaticFile]  # the static files to copy (none clashing with a page)
    unused: list[Diagnostic]  # the notes of the seeds no brief uses
    entities: frozenset[str]
    topics: frozenset[str]
    inputs: dict[str, frozenset[str]]  # each page's inputs, by output
    fingerprints: dict[str, str]  # each page's fingerprint, by output
    # input -> pages using it; worked out when first asked for (a `build` process ends
    # before it would ask: only a long-lived builder's next run does)
    _users: dict[str, set[str]] | None = None
    seeds: dict[str, set[str]] = field(default_factory=dict)  # seed slug -> its briefs
    linkers: dict[str, set[str]] = field(default_factory=dict)  # brief -> briefs linking to it

    # Whether the run had a base URL: its pages include the documents needing one. Worked
    # out once: every run asks, and a large site has tens of thousands of keys.
    publishing: bool = field(init=False)

    def __post_init__(self) -> None:
        self.publishing = any(key.format != "html" for key in self.keys)

    @cached_property
    def key_of(self) -> dict[str, PageKey]:
        """Each page's key, by output."""
        return {key.output: key for key in self.keys}

    @property
    def users(self) -> dict[str, set[str]]:
        """Which pages use each input."""
        if self._users is None:
            self._users = {}
            for output, inputs in self.inputs.items():
                for name in inputs:
                    self._users.setdefault(name, set()).add(output)
        return self._users

    def prepare(self) -> None:
        """Work out which pages use each input now, ahead of the run that asks."""
        _ = self.users

    def pages_using(self, names: Iterable[str]) -> set[str]:
        """The pages that have any of these inputs."""
        users = self.users
        found: set[str] = set()
        for name in names:
            found |= users.get(name, set())
        return found

    def set_inputs(self, output: str, inputs: frozenset[str]) -> None:
        """Record a page's inputs anew."""
        before = self.inputs.get(output, frozenset())
        if self._users is not None:  # else worked out from `inputs` when first asked for
            # Only the difference: an entity page of a large site has thousands of inputs,
            # and an edit seldom changes which.
            for name in before - inputs:
                self._users.get(name, set()).discard(output)
            for name in inputs - before:
                self._users.setdefault(name, set()).add(output)
        self.inputs[output] = inputs


def touched_briefs(recall: Recall, listing: Listing, changed: set[str]) -> list[str]:
    """The briefs that changed files are part of: briefs changed, and those of a seed."""
    found: set[str] = set()
    for shown in changed:
        source = listing.source_of.get(shown)
        if source is None:
            continue
        if source.what == "brief":
            found.add(source.slug)
        elif source.what == "seed":
            found |= recall.seeds.get(source.slug, set())
    return sorted(found)


def all_digests(knowledge: Knowledge, names: str) -> dict[str, str]:
    """The digest of every input a page can have: files, facets, the alias pattern."""
    found = {shown: f.digest for shown, f in knowledge.files.states.items()}
    for state in knowledge.briefs.values():
        found.update(state.facets)
    found[ALIASES] = names
    return found


def update_digests(
    knowledge: Knowledge,
    digests: dict[str, str],
    files: set[str],
    before: Mapping[str, BriefState | None],
) -> set[str]:
    """Bring a recall's digests up to date with the changed files and the briefs derived
    again; the inputs whose digest changed."""
    changed: set[str] = set()
    for shown in files:
        found = knowledge.files.digest(shown)
        if found is None:
            digests.pop(shown, None)
        else:
            digests[shown] = found
        changed.add(shown)
    for slug, old in before.items():
        new = knowledge.briefs.get(slug)
        for name in changed_facets(old, new):
            changed.add(name)
            value = new.facets.get(name) if new is not None else None
            if value is None:
                digests.pop(name, None)
            else:
                digests[name] = value
    return changed


@dataclass(frozen=True)
class Whole:
    """The whole-site values a run worked out, for its recall."""

    names: str
    known: str
    layouts: derive.Layouts
    digests: dict[str, str]
    links: dict[str, BriefLinks]
    graph: Graph
    keys: list[PageKey]
    statics: list[StaticFile]
    unused: list[Diagnostic]


def recall_of(
    recall: Recall | None,
    listing: Listing,
    whole: Whole,
    entities: Mapping[str, Entity],
    topics: Mapping[str, Topic],
    prints: tuple[dict[str, frozenset[str]], dict[str, str]],
    states: Mapping[str, BriefState],
    before: Mapping[str, BriefState | None],
) -> Recall:
    """The recall this run leaves for the next: the one it started from, brought up to date,
    or a new one when it worked everything out."""
    if recall is not None and recall.links is whole.links:
        recall.unused = whole.unused
        for slug, old in before.items():
            _unlink(recall, slug, old)
            _link(recall, slug, states.get(slug))
        return recall
    made = Recall(
        listing=listing,
        names=whole.names,
        known=whole.known,
        layouts=dict(whole.layouts.digests),
        digests=whole.digests,
        links=whole.links,
        graph=whole.graph,
        keys=whole.keys,
        statics=whole.statics,
        unused=whole.unused,
        entities=frozenset(entities),
        topics=frozenset(topics),
        inputs=prints[0],
        fingerprints=prints[1],
    )
    for slug, state in states.items():
        _link(made, slug, state)
    return made


def _link(recall: Recall, slug: str, state: BriefState | None) -> None:
    if state is None:
        return
    recall.seeds.setdefault(state.seed, set()).add(slug)
    for target in state.linked:
        recall.linkers.setdefault(target, set()).add(slug)


def _unlink(recall: Recall, slug: str, state: BriefState | None) -> None:
    if state is None:
        return
    recall.seeds.get(state.seed, set()).discard(slug)
    for target in state.linked:
        recall.linkers.get(target, set()).discard(slug)
