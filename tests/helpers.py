"""Running the one builder from tests, and composing single steps for unit tests."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from briefsite.anchor.anchoring import anchor_brief
from briefsite.build.builder import Builder
from briefsite.build.built import Built
from briefsite.build.output import MARKER
from briefsite.build.search import BUNDLE, CHANGES, DELTA
from briefsite.build.steps import Run
from briefsite.build.store import Store
from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics
from briefsite.link.graph import (
    BriefLinks,
    NoteRef,
    alias_pattern,
    brief_links,
    build_graph,
    find_mentions,
)
from briefsite.model import Project
from briefsite.read.markup import MarkdownRenderer
from briefsite.read.records import read_project
from briefsite.render.layouts import BUILTIN_LAYOUTS
from briefsite.render.templates import make_environment, render_fragment
from briefsite.site.claims import claims_view
from briefsite.site.documents import entry_view
from briefsite.site.pages import Placed, SiteIndex
from briefsite.site.plan import Planner
from briefsite.site.publish import Entry


def check(root: Path, jobs: int = 1) -> Run:
    """`check` on a project, without a cache; every diagnostic must come with a hint."""
    run = Builder(root, Store.none(), jobs).check()
    unhinted = [d.format() for d in run.diagnostics if not d.hint]
    assert not unhinted, f"diagnostics without a hint: {unhinted}"
    return run


def build(root: Path, output: Path, strict: bool = False, jobs: int = 1) -> Built:
    """`build` of a project into `output`, without a cache; raises BriefsiteError on errors,
    as a caller that must succeed expects."""
    built = Builder(root, Store.none(), jobs).build(output, strict=strict)
    if not built.ok:
        raise BriefsiteError([d for d in built.diagnostics if d.severity == "error"])
    return built


def errors(run: Run | Built) -> list[Diagnostic]:
    """The errors of a run, in the order they are reported."""
    return [d for d in run.diagnostics if d.severity == "error"]


def site_files(output: Path) -> dict[str, bytes]:
    """Every file of a built site (the marker aside), by path relative to the output; the
    search index aside too, whose file names Pagefind does not make reproducible (compare
    what it finds with `search_records`)."""
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file()
        and p.name != MARKER
        and p.relative_to(output).parts[0] not in (BUNDLE, DELTA)
    }


def search_records(output: Path) -> dict[str, dict[str, Any]]:
    """What a site's search index finds for each page it indexes (by URL): its text, title,
    filters and anchors, decoded from Pagefind's fragment files; the base's records of
    pages that the delta replaces are left out, as the search page leaves them out."""
    records = _fragments(output / BUNDLE)
    assert records, f"{output} has no search index"
    changes = output / DELTA / CHANGES
    if changes.exists():
        listed = json.loads(changes.read_text(encoding="utf-8"))
        for page in listed["replaced"]:
            records.pop(f"/{page}", None)
        newer = _fragments(output / DELTA)
        assert sorted(newer) == sorted(f"/{page}" for page in listed["indexed"])
        records.update(newer)
    return records


def _fragments(bundle: Path) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), f"{path} is not a Pagefind fragment"
        record = json.loads(data[len(b"pagefind_dcd") :])
        records[record["url"]] = record
    return records


def build_site(root: Path, output: Path) -> dict[str, bytes]:
    """Build a project and return its files."""
    build(root, output)
    return site_files(output)


@dataclass(frozen=True)
class Planned:
    """The steps up to the plan, composed by hand for unit tests of the planner."""

    project: Project
    index: SiteIndex
    placed: Mapping[str, Placed]
    planner: Planner
    diagnostics: Diagnostics


class _Fragments:
    """Cards and entity notes rendered with the built-in layouts, as a build does."""

    def __init__(self, planner: list[Planner]) -> None:
        self.planner = planner
        self.env = make_environment([BUILTIN_LAYOUTS], BUILTIN_LAYOUTS)

    def cards(self, slugs: Sequence[str], root: str, level: int) -> list[Markup]:
        views = [self.planner[0].card_view(slug, root) for slug in slugs]
        return [self._render("brief_card", view, level) for view in views]

    def entity_notes(self, refs: Sequence[NoteRef], root: str) -> list[Markup]:
        views = [self.planner[0].entity_note_view(ref, root) for ref in refs]
        return [self._render("entity_note", view) for view in views]

    def claim_groups(self, slugs: Sequence[str], rating: str, root: str) -> list[Markup]:
        views = [claims_view(self.planner[0], slug, rating, root) for slug in slugs]
        return [self._render("claim_group", view) for view in views]

    def _render(self, macro: str, *args: object) -> Markup:
        return render_fragment(self.env, BUILTIN_LAYOUTS, "_cards.html", macro, *args)

    def entry(self, slug: str) -> Entry:
        return entry_view(self.planner[0], slug)


def plan(root: Path) -> Planned:
    """Read, anchor and link a project, and make its planner."""
    diagnostics = Diagnostics()
    project = read_project(root.resolve(), diagnostics)
    aliases = alias_pattern(project.entities.values())
    entities = frozenset(project.entities)
    placed: dict[str, Placed] = {}
    links: dict[str, BriefLinks] = {}
    for slug, brief in project.briefs.items():
        seed = project.seeds.get(brief.seed.slug)
        if seed is None:
            continue
        mentions = find_mentions(seed.text, aliases)
        placed[slug] = Placed(brief, seed, anchor_brief(brief, seed, diagnostics), mentions)
        links[slug] = brief_links(brief, seed, mentions, entities)
    graph = build_graph(links, project.entities, project.topics)
    index = SiteIndex(project.site, links, project.entities, project.topics, graph)
    holder: list[Planner] = []
    planner = Planner(index, placed.__getitem__, MarkdownRenderer(), _Fragments(holder))
    holder.append(planner)
    return Planned(project, index, placed, planner, diagnostics)
