"""What changed since the live output was made, for a run without a recall (a new process).

A run that remembers its last run (`Recall`) knows which inputs changed since and works out
the fingerprints of the pages using them only. A new process knows no such thing, and
works out every page's fingerprint: a tenth of a one-note build, most of it hashing the
names and digests of the inputs of pages that did not change. It can do as little when the
live output's manifest vouches for what the run starts from:

- the brief states in the cache are the very ones the output was made from (the
  manifest's seal, a digest of every state's key: `Knowledge.seal`; a `check` after an
  edit, or a failed build, leaves newer ones);
- since then, only brief and seed files changed, none came or went, and no brief changed
  its links: every page has the same inputs as then.

Then a page none of whose inputs changed has the fingerprint the manifest gives it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from briefsite.build.knowledge import Knowledge
from briefsite.build.manifest import Manifest, PageEntry
from briefsite.build.stale import Sources
from briefsite.build.state import BriefState, changed_facets


@dataclass(frozen=True)
class Since:
    """The live output's pages, and the inputs changed since it was made: a page using none
    of them has the fingerprint it had."""

    pages: Mapping[str, PageEntry]
    inputs: frozenset[str]


def changed_since(
    earlier: Manifest,
    knowledge: Knowledge,
    sources: Sources,
    before: Mapping[str, BriefState | None],
    states: Mapping[str, BriefState],
) -> Since | None:
    """What changed since `earlier` was made, given that the cache's states were the ones
    it was made from (its seal) until this run derived the briefs of `before` again (their
    states then: `states` holds them now); None when some page's inputs may differ."""
    now = knowledge.files.states
    if now.keys() != earlier.files.keys():
        return None  # a file came or went: briefs, pages, or links with them
    changed = {shown for shown, f in now.items() if f.digest != earlier.files[shown].digest}
    texts = {s.shown for (what, _), s in sources.items() if what in ("brief", "seed")}
    if not changed <= texts:
        return None  # the site, an entity, a topic, a layout or a static file
    inputs = set(changed)
    for slug, old in before.items():
        new = states.get(slug)
        if old is None or new is None or old.links != new.links:
            return None
        inputs |= changed_facets(old, new)
    return Since(earlier.pages, frozenset(inputs))
