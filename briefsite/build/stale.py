"""Whether what the cache holds of a brief is current: a brief's state is derived again
only when its bytes, its seed's or the entities' names changed since, and a file is parsed
again only when its bytes did."""

from __future__ import annotations

from collections.abc import Mapping

from briefsite.build.knowledge import Knowledge, Parsed
from briefsite.build.stamps import digest_text
from briefsite.read.sources import Source, SourceKind

Sources = Mapping[tuple[SourceKind, str], Source]


def brief_key(knowledge: Knowledge, sources: Sources, slug: str, seed: str, names: str) -> str:
    """What a brief's state is derived from: its bytes, its seed's, the entities' names."""
    brief_digest = knowledge.files.digest(sources[("brief", slug)].shown) or ""
    seed_source = sources.get(("seed", seed))
    seed_digest = ""
    if seed_source is not None and parsed_ok(knowledge, seed_source):
        seed_digest = knowledge.files.digest(seed_source.shown) or ""
    return digest_text(brief_digest, seed, seed_digest, names)


def parsed_ok(knowledge: Knowledge, source: Source) -> bool:
    """Whether a file, as it is now, parsed into a record."""
    parsed = knowledge.parsed.get(source.shown)
    current = knowledge.files.digest(source.shown)
    return parsed is not None and parsed.ok and parsed.digest == current


def parse_changed(knowledge: Knowledge, source: Source, parsed: dict[str, Parsed]) -> bool:
    """Parse a file if its bytes changed since it last was; whether it gave a record."""
    found = knowledge.files.digest(source.shown)
    if found is None:
        return False
    known = knowledge.parsed.get(source.shown)
    if known is None or known.digest != found:
        item, problems = knowledge.files.record(source)
        known = knowledge.parsed[source.shown] = parsed[source.shown] = Parsed(
            found, item is not None, problems
        )
    return known.ok


def stale_state(knowledge: Knowledge, sources: Sources, slug: str, names: str) -> bool:
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


def brief_ok(knowledge: Knowledge, sources: Sources, slug: str) -> bool:
    """Whether a brief's file was read without errors."""
    source = sources.get(("brief", slug))
    return source is not None and parsed_ok(knowledge, source)
