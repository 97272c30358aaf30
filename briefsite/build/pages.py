"""The pages of a run: which are stale, rendering them, and keeping what rendering gave.

A page is stale when its fingerprint (the digests of its inputs and of its templates) is
not that of a page already in the output (or, for `check`, of a page rendered before
without error). With a recall of the last run, only the pages using an input that changed
get a new fingerprint; the others keep theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from briefsite.build import briefs, derive
from briefsite.build.briefs import Crew, Task
from briefsite.build.knowledge import Knowledge
from briefsite.build.manifest import PageEntry
from briefsite.build.recall import Recall
from briefsite.build.render import Made, render_one
from briefsite.build.since import Since
from briefsite.build.stamps import digest_text
from briefsite.errors import Diagnostics, SourceLocation
from briefsite.site.inputs import page_inputs
from briefsite.site.pages import BRIEF_KINDS, PageKey, Placed, SiteIndex
from briefsite.site.plan import Planner
from briefsite.site.urls import site_root

# Whether a page made from `fingerprint` is already at `output` (build), or rendered before
# without error (check): its entry, or None when it must be rendered.
Fresh = Callable[[str, str], PageEntry | None]
# Up to this many stale pages other than brief pages, the lists their fragments make are
# read from the cache once for both passes over them; beyond (a cold build, a layout
# changed), each pass reads them again, and nothing more than one list is held at a time.
LISTS_KEPT_PAGES = 8


@dataclass(frozen=True)
class Fingerprints:
    """Every page's inputs and fingerprint, and the pages whose fingerprint is new."""

    inputs: dict[str, frozenset[str]]
    fingerprints: dict[str, str]
    changed: set[str]  # outputs whose fingerprint was worked out anew in this run


def fingerprint(
    keys: list[PageKey],
    index: SiteIndex,
    layouts: derive.Layouts,
    shown: Mapping[str, str],
    digests: Mapping[str, str],
    recall: Recall | None,
    changed: set[str] | None,
    preview: bool = False,
    since: Since | None = None,
) -> Fingerprints:
    """Work out the pages' fingerprints: all of them, or, with a recall and the inputs that
    changed since it was made (`changed`), those of the pages using any of them; `since`
    gives the others the live output's (every page's inputs are worked out still)."""
    if recall is None or changed is None:
        todo = keys
        inputs: dict[str, frozenset[str]] = {}
        prints: dict[str, str] = {}
    else:
        key_of = recall.key_of  # the keys are the recall's: no link changed
        todo = [key_of[output] for output in sorted(recall.pages_using(changed))]
        inputs, prints = recall.inputs, recall.fingerprints
    digest_of = digests.get
    taken: set[str] = set()  # the pages given the live output's fingerprint
    for key in todo:
        found = page_inputs(key, index)
        if recall is not None and changed is not None:
            recall.set_inputs(key.output, found)
        else:
            inputs[key.output] = found
        if since is not None and found.isdisjoint(since.inputs):
            known = since.pages.get(key.output)
            if known is not None:
                prints[key.output] = known.fingerprint
                taken.add(key.output)
                continue
        # A document's serializer is code: the cache is keyed by briefsite's code already.
        made_by = layouts.template_digest(key.template, shown) if key.template else key.format
        names = sorted(found)
        prints[key.output] = digest_text(
            # A preview's brief page differs from a build's (the picker's offsets).
            "preview" if preview and key.kind == "brief" else "",
            made_by,
            # Joined, as a page lists up to every brief: no input's name holds a NUL (a
            # path cannot), and digests are hexadecimal.
            "\0".join(names),
            "\0".join([digest_of(name, "") for name in names]),
        )
    return Fingerprints(inputs, prints, {key.output for key in todo} - taken)


def render_stale(
    knowledge: Knowledge,
    crew: Crew,
    index: SiteIndex,
    stale: list[tuple[PageKey, str]],
    shown: Mapping[str, str],
    digests: Mapping[str, str],
) -> list[Made]:
    """Render the stale pages: brief pages and the fragments lists need by their briefs'
    owners, then the other pages here, joined from those fragments."""
    context = crew.run
    layouts = context.layouts
    assert layouts is not None
    cards = layouts.template_digest(derive.CARDS_TEMPLATE, shown)
    own = [(k, f) for k, f in stale if k.kind in BRIEF_KINDS]
    others = [(k, f) for k, f in stale if k.kind not in BRIEF_KINDS]
    wanted: list[derive.Wanted] = []
    base = site_root(index.site) or ""
    # The lists the collecting pass reads, read once more for the pages: kept for them
    # when a rebuild has few such pages (an entity's lists run to thousands of fragments).
    lists: derive.Lists | None = {} if len(others) <= LISTS_KEPT_PAGES else None
    collect = derive.Fragments(
        layouts,
        knowledge.store,
        lambda f: digests.get(f, ""),
        cards,
        _no_planner,
        wanted,
        base,
        lists,
    )
    collecting = Planner(index, _no_placed, context.memo, collect)
    for key, _ in others:
        if key.format == "html":
            collecting.plan(key)
        else:
            collecting.document(key)
    by_brief: dict[str, list[derive.Wanted]] = {}
    for item in dict.fromkeys(wanted):
        by_brief.setdefault(briefs.wanted_brief(item), []).append(item)
    by_slug: dict[str, list[tuple[PageKey, str]]] = {}
    for k, f in own:
        by_slug.setdefault(k.slug, []).append((k, f))
    tasks = []
    for page_share, fragment_share in zip(
        crew.shares(sorted(by_slug)), crew.shares(sorted(by_brief)), strict=True
    ):
        facets: dict[str, str] = {}
        for slug in fragment_share:
            facets.update(knowledge.briefs[slug].facets)
        tasks.append(
            Task(
                pages=tuple(page for slug in page_share for page in by_slug[slug]),
                fragments=tuple(item for slug in fragment_share for item in by_brief[slug]),
                index=index,
                facets=facets,
                cards_template=cards,
            )
        )
    fragments = derive.Fragments(
        layouts,
        knowledge.store,
        lambda f: digests.get(f, ""),
        cards,
        lambda: planner,
        None,
        base,
        lists,
    )

    def adopt(part: briefs.Finished) -> None:
        context.memo.adopt(part.markdown)
        fragments.adopt(part.fragments)

    finished = crew.finish(tasks, adopt)
    planner = Planner(
        index, lambda slug: briefs.placed(context, slug), context.memo, fragments, context.preview
    )
    made = {m.output: m for m in finished}
    made.update((k.output, render_one(planner, layouts, k, f, context.write)) for k, f in others)
    for name, html in fragments.made.items():
        knowledge.store.put("fragment", name, html)
    return [made[key.output] for key, _ in stale]  # in the pages' order, whoever made them


def record_made(
    knowledge: Knowledge, made: list[Made], pages: dict[str, PageEntry], diagnostics: Diagnostics
) -> list[str]:
    """Keep what rendering gave; template errors are reported once per template line."""
    seen: set[SourceLocation] = set()
    rendered: list[str] = []
    for page in made:
        for d in page.problems:
            if d.location not in seen:
                seen.add(d.location)
                diagnostics.extend([d])
        if page.digest is None:
            continue
        pages[page.output] = PageEntry(page.fingerprint, page.digest, page.stamp)
        knowledge.store.put("page", page.fingerprint, page.digest)  # rendered without error
        rendered.append(page.output)
    return rendered


def _no_planner() -> Planner:
    raise AssertionError("a collecting planner renders no fragment")


def _no_placed(slug: str) -> Placed:
    raise AssertionError(f"a list page read brief {slug} in full")
