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

from briefsite.build.files import Listing
from briefsite.link.graph import BriefLinks, Graph
from briefsite.read.sources import StaticFile
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
    entities: frozenset[str]
    topics: frozenset[str]
    inputs: dict[str, frozenset[str]]  # each page's inputs, by output
    fingerprints: dict[str, str]  # each page's fingerprint, by output
    users: dict[str, set[str]] = field(default_factory=dict)  # input -> pages using it
    seeds: dict[str, set[str]] = field(default_factory=dict)  # seed slug -> its briefs
    linkers: dict[str, set[str]] = field(default_factory=dict)  # brief -> briefs linking to it

    def index_pages(self) -> None:
        """Work out which pages use each input."""
        self.users = {}
        for output, inputs in self.inputs.items():
            for name in inputs:
                self.users.setdefault(name, set()).add(output)

    def pages_using(self, names: Iterable[str]) -> set[str]:
        """The pages that have any of these inputs."""
        found: set[str] = set()
        for name in names:
            found |= self.users.get(name, set())
        return found

    def set_inputs(self, output: str, inputs: frozenset[str]) -> None:
        """Record a page's inputs anew."""
        for name in self.inputs.get(output, frozenset()) - inputs:
            self.users.get(name, set()).discard(output)
        for name in inputs:
            self.users.setdefault(name, set()).add(output)
        self.inputs[output] = inputs
