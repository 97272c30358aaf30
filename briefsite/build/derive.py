"""The builder's steps that need the parsers: derive each brief's state, check references,
and plan, fingerprint and render the pages.

Imported by the builder only when something changed, so that a build with nothing to do
does not load YAML, Markdown, Jinja or the anchoring library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import jinja2
from markupsafe import Markup

from briefsite.anchor.anchoring import anchor_brief
from briefsite.build.stamps import digest_text
from briefsite.build.state import BriefState, lazy_anchors, lazy_mentions
from briefsite.build.store import Store
from briefsite.errors import Diagnostic, Diagnostics
from briefsite.link.graph import AliasPattern, NoteRef, brief_links, find_mentions
from briefsite.link.references import brief_texts, check_brief, check_text, linked_briefs
from briefsite.model import Brief, Entity, Seed, Topic
from briefsite.read.markup import Markdown
from briefsite.read.sources import Known
from briefsite.render.documents import serialize
from briefsite.render.templates import (
    make_environment,
    render_fragment,
    render_page,
    template_closure,
)
from briefsite.site.claims import claims_view
from briefsite.site.documents import entry_view
from briefsite.site.inputs import CARD, CLAIMS, ENTRY, NOTE, brief_facets
from briefsite.site.pages import PageKey, Placed
from briefsite.site.plan import Planner
from briefsite.site.publish import Entry, decode_entry, encode_entry

CARDS_TEMPLATE = "_cards.html"
# What a collecting planner is given for an entry it asked for: never written anywhere.
_PLACEHOLDER = Entry("", "", "", dt.date.min, dt.date.min, (), (), 0)


def entity_names(entities: Iterable[Entity]) -> str:
    """The digest of what briefs take from entities: slugs, names and aliases."""
    parts = []
    for e in sorted(entities, key=lambda e: e.slug):
        parts += [e.slug, e.name, *(a for a, _ in e.aliases), "\0"]
    return digest_text(*parts)


def brief_state(
    key: str,
    brief: Brief,
    seed: Seed | None,
    aliases: AliasPattern,
    entities: Mapping[str, Entity],
    markdown: Markdown,
) -> BriefState:
    """Anchor a brief's notes, find its seed's mentions, and reduce it to its links and
    facets; a brief whose seed is missing keeps only what its references need."""
    linked = linked_briefs(brief, markdown)
    if seed is None:
        notes = len(brief.annotations)
        return BriefState(
            key,
            brief.seed.slug,
            notes,
            lazy_anchors(()),
            lazy_mentions(()),
            None,
            brief.note_ids,
            linked,
            {},
            (),
        )
    diagnostics = Diagnostics()
    anchors = anchor_brief(brief, seed, diagnostics)
    mentions = find_mentions(seed.text, aliases)
    links = brief_links(brief, seed, mentions, frozenset(entities))
    facets = brief_facets(Placed(brief, seed, anchors, mentions), links, entities)
    return BriefState(
        key,
        brief.seed.slug,
        len(brief.annotations),
        lazy_anchors(anchors),
        lazy_mentions(mentions),
        links,
        brief.note_ids,
        linked,
        {k: digest_text(repr(v)) for k, v in facets.items()},
        tuple(diagnostics.items),
    )


def references(
    brief: Brief, known: Known, note_ids: Mapping[str, frozenset[str]], markdown: Markdown
) -> tuple[Diagnostic, ...]:
    """A brief's dangling references."""
    return check_brief(brief, known, note_ids, markdown)


def summary_references(
    entities: Iterable[Entity],
    topics: Iterable[Topic],
    known: Known,
    note_ids: Mapping[str, frozenset[str]],
    markdown: Markdown,
) -> list[Diagnostic]:
    """The dangling links of entities' and topics' summaries."""
    found: list[Diagnostic] = []
    summaries = [e.summary for e in entities] + [t.summary for t in topics]
    for summary in summaries:
        if summary is not None:
            found.extend(check_text(summary, known, note_ids, markdown))
    return found


def texts(brief: Brief) -> list[str]:
    """Every Markdown text of a brief."""
    return [text.value for text, _ in brief_texts(brief)]


class Layouts:
    """The layouts' Jinja environment and what each template is made of, kept while no
    layout file changes."""

    def __init__(
        self, dirs: list[Path], root: Path, digests: Mapping[str, str], store: Store
    ) -> None:
        self.dirs = dirs
        self.root = root
        self.digests = dict(digests)
        self.env: jinja2.Environment = make_environment(dirs, root)
        self.store = store
        # What every layout file is now: a template's closure found for these is valid.
        self._all = digest_text(*(f"{k}={v}" for k, v in sorted(self.digests.items())))
        self._closures: dict[str, str] = {}

    def template_digest(self, name: str, shown: Mapping[str, str]) -> str:
        """The digest of a template and every template it uses (`shown` maps a template's
        file path to the name its digest is kept under)."""
        found = self._closures.get(name)
        if found is None:
            key = digest_text(self._all, name, *(f"{a}={b}" for a, b in sorted(shown.items())))
            found = self.store.get("template", key)
            if not isinstance(found, str):
                files = sorted(template_closure(self.env, name))
                found = digest_text(
                    name, *(f"{f}={self.digests.get(shown.get(f, f), '')}" for f in files)
                )
                self.store.put("template", key, found)
            self._closures[name] = found
        return found


# A fragment a page asks for, to be made by its brief's owner: its kind ("card", "note",
# "claims" or "entry"), its subject (a brief's slug, or a NoteRef), the page's root, and the
# card's heading level or the claims' rating.
Wanted = tuple[str, object, str, int | str]
# A list of fragments as a run read it, by its kind, root and level and by the sequence it
# was made from (held, so that its identity names it): the sequence, the fragments' keys,
# and those of them the cache had.
Lists = dict[tuple[str, str, int | str, int], tuple[object, list[str], dict[str, str]]]


class Fragments:
    """Cards, entity notes and feed entries, made once for each value and kept in the cache.

    `wanted`, when given, collects the fragments asked for that are neither made nor kept,
    instead of rendering them: the parent of a team learns so which fragments to have the
    owners of their briefs render.
    """

    def __init__(
        self,
        layouts: Layouts,
        store: Store,
        facets: Callable[[str], str],
        template: str,
        planner: Callable[[], Planner],
        wanted: list[Wanted] | None = None,
        base: str = "",
        lists: Lists | None = None,
    ) -> None:
        self.base = base  # the site's base URL, which entries' links start with
        self.layouts = layouts
        self.store = store
        self.facets = facets  # facet id -> digest
        self.template = template  # digest of the cards template
        self.planner = planner
        self.made: dict[str, str] = {}  # rendered here, not yet kept in the cache
        self.wanted = wanted
        self._fetched: dict[str, str] = {}  # the kept fragments of the list last read
        # When given, the lists read, for another Fragments of the same run to read again
        # without working out their keys or asking the cache.
        self.lists = lists

    def cards(self, slugs: Sequence[str], root: str, level: int) -> list[Markup]:
        """Briefs' cards, in the given order."""
        keys = self._list(
            ("card", root, level), slugs, lambda: [self._card_key(s, root, level) for s in slugs]
        )
        return [self._card(key, slug, root, level) for key, slug in zip(keys, slugs, strict=True)]

    def entity_notes(self, refs: Sequence[NoteRef], root: str) -> list[Markup]:
        """Notes as an entity page lists them, in the given order."""
        keys = self._list(("note", root, 0), refs, lambda: [self._note_key(r, root) for r in refs])
        return [self._entity_note(key, ref, root) for key, ref in zip(keys, refs, strict=True)]

    def claim_groups(self, slugs: Sequence[str], rating: str, root: str) -> list[Markup]:
        """Briefs' claim checks as the claims pages list them, in the given order."""
        keys = self._list(
            ("claims", root, rating),
            slugs,
            lambda: [self._claims_key(s, rating, root) for s in slugs],
        )
        return [
            self._claims(key, slug, rating, root) for key, slug in zip(keys, slugs, strict=True)
        ]

    def _list(
        self,
        name: tuple[str, str, int | str],
        items: Sequence[object],
        keys: Callable[[], list[str]],
    ) -> list[str]:
        """The keys of a list's fragments, with the kept ones read (`_fetched`): as this
        run read them already, when it did."""
        entry = (*name, id(items))
        read = self.lists.get(entry) if self.lists is not None else None
        if read is not None and read[0] is items:
            self._fetched = read[2]
            return read[1]
        found = keys()
        self._fetch(found)
        if self.lists is not None:
            self.lists[entry] = (items, found, self._fetched)
        return found

    def card(self, slug: str, root: str, level: int) -> Markup:
        """A brief's card, rendered or remembered."""
        return self._card(self._card_key(slug, root, level), slug, root, level)

    def _card_key(self, slug: str, root: str, level: int) -> str:
        return digest_text("card", slug, self.facets(f"{CARD}{slug}"), root, str(level))

    def _card(self, key: str, slug: str, root: str, level: int) -> Markup:
        return self._fragment(
            key,
            ("card", slug, root, level),
            lambda: self._render(key, "brief_card", self.planner().card_view(slug, root), level),
        )

    def entity_note(self, ref: NoteRef, root: str) -> Markup:
        """A note as an entity page lists it, rendered or remembered."""
        return self._entity_note(self._note_key(ref, root), ref, root)

    def _note_key(self, ref: NoteRef, root: str) -> str:
        facet = self.facets(f"{NOTE}{ref.brief}#{ref.note}")
        return digest_text("note", ref.brief, ref.note, facet, root)

    def _entity_note(self, key: str, ref: NoteRef, root: str) -> Markup:
        return self._fragment(
            key,
            ("note", ref, root, 0),
            lambda: self._render(key, "entity_note", self.planner().entity_note_view(ref, root)),
        )

    def claims(self, slug: str, rating: str, root: str) -> Markup:
        """A brief's claim checks as the claims pages list them, rendered or remembered."""
        return self._claims(self._claims_key(slug, rating, root), slug, rating, root)

    def _claims_key(self, slug: str, rating: str, root: str) -> str:
        return digest_text("claims", slug, self.facets(f"{CLAIMS}{slug}"), rating, root)

    def _claims(self, key: str, slug: str, rating: str, root: str) -> Markup:
        return self._fragment(
            key,
            ("claims", slug, root, rating),
            lambda: self._render(
                key, "claim_group", claims_view(self.planner(), slug, rating, root)
            ),
        )

    def entry(self, slug: str) -> Entry:
        """A brief as feeds take it, made or remembered."""
        key = digest_text("entry", slug, self.facets(f"{ENTRY}{slug}"), self.base)
        kept = self._kept(key)
        if kept is not None:
            return decode_entry(str(kept))
        if self.wanted is not None:
            self.wanted.append(("entry", slug, "", 0))
            return _PLACEHOLDER
        made = entry_view(self.planner(), slug)
        self.made[f"{self.template}:{key}"] = encode_entry(made)
        return made

    def _fragment(self, key: str, wanted: Wanted, make: Callable[[], Markup]) -> Markup:
        """A fragment kept in the cache (or made in this run), else made now; while
        collecting (`wanted`), what is neither is noted for its brief's owner to make."""
        kept = self._kept(key)
        if kept is not None:
            return kept
        if self.wanted is not None:
            self.wanted.append(wanted)
            return Markup("")
        return make()

    def adopt(self, made: Mapping[str, str]) -> None:
        """Take fragments a worker made (by their names in the cache): into the cache as
        they come, or, without one, into memory for the rest of the run."""
        if self.store.enabled:
            for name, html in made.items():
                self.store.put("fragment", name, html)
        else:
            self.made.update(made)

    def _fetch(self, keys: list[str]) -> None:
        """Read the kept fragments of a list at once: one query, not one a fragment. They
        are held until the next list is read."""
        made = self.made
        wanted = (f"{self.template}:{key}" for key in keys)
        self._fetched = self.store.get_many("fragment", (k for k in wanted if k not in made))

    def _kept(self, key: str) -> Markup | None:
        key = f"{self.template}:{key}"
        kept = self.made.get(key)
        if kept is None:
            kept = self._fetched.get(key)
        if kept is None:
            kept = self.store.get("fragment", key)
        return Markup(kept) if isinstance(kept, str) else None

    def _render(self, key: str, macro: str, *args: object) -> Markup:
        html = render_fragment(self.layouts.env, self.layouts.root, CARDS_TEMPLATE, macro, *args)
        self.made[f"{self.template}:{key}"] = str(html)
        return html


def render(
    planner: Planner, layouts: Layouts, key: PageKey
) -> tuple[bytes | None, tuple[Diagnostic, ...]]:
    """Plan and render one page: its bytes, or the template errors that stopped it; a
    document read away from the site is written by its serializer."""
    from briefsite.errors import BriefsiteError

    if key.format != "html":
        return serialize(planner.document(key)), ()
    try:
        page = planner.plan(key)
        return render_page(layouts.env, page, layouts.root).encode("utf-8"), ()
    except BriefsiteError as exc:
        return None, exc.diagnostics
