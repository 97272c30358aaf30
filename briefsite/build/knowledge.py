"""What the builder knows after a run, in memory, and how it is kept in the cache.

Each piece is valid for a key of digests (see `state.py`), so a piece kept from any earlier
run, in this process or another, is used only when it was made from the very same bytes.
Only what changed is written back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefsite.build.codec import decode_diagnostics, encode_diagnostics
from briefsite.build.files import Files
from briefsite.build.stamps import FileState, SortedDigest
from briefsite.build.state import (
    BriefState,
    Checked,
    decode_brief,
    decode_checked,
    encode_brief,
    encode_checked,
)
from briefsite.build.store import Store
from briefsite.errors import Diagnostic


@dataclass(frozen=True, slots=True)
class Parsed:
    """What parsing a file of a given digest gave: whether it made a record, its problems."""

    digest: str
    ok: bool
    problems: tuple[Diagnostic, ...]


@dataclass
class Knowledge:
    """Everything the builder keeps between runs, and which parts changed since the last
    save."""

    store: Store
    files: Files
    parsed: dict[str, Parsed] = field(default_factory=dict)  # by file, as shown
    briefs: dict[str, BriefState] = field(default_factory=dict)  # by slug
    checked: dict[str, Checked] = field(default_factory=dict)  # by slug
    dirty_briefs: set[str] = field(default_factory=set)
    dirty_checked: set[str] = field(default_factory=set)
    # The briefs set since the seal was last worked out (None: any of them); a brief
    # dropped changes the names, which the seal notices itself.
    _unsealed: set[str] | None = None
    _seal: SortedDigest[BriefState] = field(default_factory=lambda: SortedDigest(_state_key))

    def set_brief(self, slug: str, state: BriefState) -> None:
        """Record a brief's derived state."""
        self.briefs[slug] = state
        self.dirty_briefs.add(slug)
        if self._unsealed is not None:
            self._unsealed.add(slug)

    def drop_brief(self, slug: str) -> None:
        """Forget a brief that is gone."""
        if self.briefs.pop(slug, None) is not None:
            self.dirty_briefs.add(slug)
        if self.checked.pop(slug, None) is not None:
            self.dirty_checked.add(slug)

    def set_checked(self, slug: str, checked: Checked) -> None:
        """Record a brief's checked references."""
        self.checked[slug] = checked
        self.dirty_checked.add(slug)

    def seal(self) -> str:
        """The digest of the brief states held: two sets with the same seal hold the same
        states (a state's key names everything it is derived from)."""
        changed, self._unsealed = self._unsealed, set()
        return self._seal.of(self.briefs, changed)

    def save(self) -> None:
        """Put what changed into the cache (written by the store's next commit)."""
        store = self.store
        if not store.enabled:
            return
        store.put(
            "state",
            "files",
            {s: (f.stamp, f.digest, f.racy) for s, f in self.files.states.items()},
        )
        store.put(
            "state",
            "parsed",
            {s: (p.digest, p.ok, encode_diagnostics(p.problems)) for s, p in self.parsed.items()},
        )
        for slug in self.dirty_briefs:
            if slug in self.briefs:
                store.put("brief", slug, encode_brief(self.briefs[slug]))
            else:
                store.delete("brief", slug)
        for slug in self.dirty_checked:
            if slug in self.checked:
                store.put("checked", slug, encode_checked(self.checked[slug]))
            else:
                store.delete("checked", slug)
        self.dirty_briefs.clear()
        self.dirty_checked.clear()


def _state_key(state: BriefState) -> str:
    return state.key


def load_knowledge(store: Store, files: Files) -> Knowledge:
    """What the cache holds; a damaged part is left out (and made again when needed)."""
    knowledge = Knowledge(store, files)
    if not store.enabled:
        return knowledge
    try:
        for shown, (stamp, digest, racy) in (store.get("state", "files") or {}).items():
            files.states[shown] = FileState(tuple(stamp), digest, racy)
        for shown, (digest, ok, problems) in (store.get("state", "parsed") or {}).items():
            knowledge.parsed[shown] = Parsed(digest, ok, decode_diagnostics(problems))
        for slug, value in store.get_all("brief").items():
            knowledge.briefs[slug] = decode_brief(value)
        for slug, value in store.get_all("checked").items():
            knowledge.checked[slug] = decode_checked(value)
    except Exception:
        # Well-formed data of the wrong shape (a cache made by a bug, or by hand): start
        # from nothing rather than trust any of it.
        files.states.clear()
        return Knowledge(store, files)
    return knowledge
