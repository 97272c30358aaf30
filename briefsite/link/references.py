"""Dangling references: a seed, entity, topic, brief or note named but not there."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from briefsite.errors import Diagnostic, Diagnostics, did_you_mean
from briefsite.model import Brief, Ref, Text
from briefsite.read.markup import Markdown
from briefsite.read.sources import Known

# The note ids of every brief that parsed, by slug: what `brief:x#note` links are checked
# against. A brief that failed to parse is absent; links to it are not reported again.
NoteIds = Mapping[str, frozenset[str]]


def brief_texts(brief: Brief) -> Iterator[tuple[Text, str | None]]:
    """Every Markdown text of a brief, with the note it belongs to."""
    if brief.summary:
        yield brief.summary, None
    for point in brief.key_points:
        yield point, None
    for correction in brief.corrections:
        yield correction.note, None
    for note in brief.annotations:
        yield note.note, note.id
        if note.verdict:
            yield note.verdict.summary, note.id


def check_brief(
    brief: Brief, known: Known, note_ids: NoteIds, markdown: Markdown
) -> tuple[Diagnostic, ...]:
    """The dangling references of one brief: its seed, topics, related briefs, the entities
    of its notes and every link in its Markdown."""
    diagnostics = Diagnostics()

    def check(ref: Ref, pool: frozenset[str], what: str, folder: str) -> None:
        if ref.slug not in pool:
            choices = sorted(pool)
            hint = did_you_mean(ref.slug, choices) if choices else f"there are no {what}s yet"
            diagnostics.error(
                ref.at, f"unknown {what} '{ref.slug}': no {folder}/{ref.slug}{_ext(what)}", hint
            )

    check(brief.seed, known.seeds, "seed", "seeds")
    for ref in brief.topics:
        check(ref, known.topics, "topic", "content/topics")
    for ref in brief.related:
        check(ref, known.briefs, "brief", "content/briefs")
        if ref.slug == brief.slug:
            diagnostics.error(
                ref.at,
                "a brief cannot be related to itself",
                f"remove '{ref.slug}' from `related:`",
            )
    for note in brief.annotations:
        for ref in note.entities:
            check(ref, known.entities, "entity", "content/entities")
    for text, _ in brief_texts(brief):
        _check_links(text, brief, known, note_ids, markdown, diagnostics)
    return tuple(diagnostics.items)


def check_text(
    text: Text, known: Known, note_ids: NoteIds, markdown: Markdown
) -> tuple[Diagnostic, ...]:
    """The dangling links of an entity's or topic's summary."""
    diagnostics = Diagnostics()
    _check_links(text, None, known, note_ids, markdown, diagnostics)
    return tuple(diagnostics.items)


def linked_briefs(brief: Brief, markdown: Markdown) -> tuple[str, ...]:
    """The other briefs whose notes this brief's Markdown links to (`brief:x#note`)."""
    return tuple(
        sorted(
            {
                link.slug
                for text, _ in brief_texts(brief)
                for link in markdown.render(text.value).links
                if link.kind == "brief" and link.fragment
            }
        )
    )


def _ext(what: str) -> str:
    return ".txt" if what == "seed" else ".yaml"


def _check_links(
    text: Text,
    owner: Brief | None,
    known: Known,
    note_ids: NoteIds,
    markdown: Markdown,
    diagnostics: Diagnostics,
) -> None:
    pools = {"entity": known.entities, "topic": known.topics, "brief": known.briefs}
    for link in markdown.render(text.value).links:
        at = text.locate(_link_offset(text.value, link.written))
        if link.kind != "note":
            if link.slug not in pools[link.kind]:
                diagnostics.error(
                    at,
                    f"link to unknown {link.kind} '{link.slug}' ({link.written})",
                    did_you_mean(link.slug, sorted(pools[link.kind])),
                )
                continue
            if link.kind != "brief" or not link.fragment:
                continue
            target_slug = link.slug
            ids = note_ids.get(link.slug)
        elif owner is None:
            diagnostics.error(
                at,
                f"link to note '{link.fragment}' outside a brief",
                "write [text](brief:slug#note-id) to point at a note of a brief",
            )
            continue
        else:
            target_slug, ids = owner.slug, owner.note_ids
        if ids is None:
            continue  # that brief has errors of its own, already reported
        if link.fragment not in ids:
            diagnostics.error(
                at,
                f"link to unknown note '{link.fragment}' in brief '{target_slug}' ({link.written})",
                did_you_mean(link.fragment, sorted(ids)) if ids else "that brief has no notes",
            )


def _link_offset(markdown: str, target: str) -> int:
    """Where a link target is written: as a link or reference definition, else anywhere."""
    for before in ("](", "]: ", "<"):
        found = markdown.find(before + target)
        if found >= 0:
            return found + len(before)
    return max(markdown.find(target), 0)
