"""The build: read, validate, anchor, link, plan, render, write; plain values in and out."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from briefsite.anchor.anchoring import Anchor, Unplaced, anchor_brief
from briefsite.build.write import WriteStats, write_site
from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics
from briefsite.link.graph import Graph, Known, all_texts, build_graph, check_references
from briefsite.model import Project
from briefsite.read.markup import MarkdownRenderer
from briefsite.read.sources import YAML_SUFFIXES, is_source_file, read_project
from briefsite.render.templates import Rendered, layout_dirs, make_environment, render_pages
from briefsite.site.plan import Planner, StaticFile, check_outputs, page_keys


@dataclass(frozen=True)
class Run:
    """What one pass over a project found: the model, anchors, rendered pages, diagnostics.

    `files` and `copies` are empty when errors stopped the run before rendering.
    """

    root: Path
    diagnostics: Diagnostics
    project: Project
    graph: Graph
    files: dict[str, bytes]
    copies: dict[str, Path]
    inputs: dict[str, frozenset[str]]  # each page's output path -> the files it was made from
    seconds: float

    @property
    def anchors(self) -> dict[str, tuple[Anchor | Unplaced, ...]]:
        """Each brief's note placements."""
        return self.graph.anchors

    @property
    def note_count(self) -> int:
        """How many notes the project's briefs hold."""
        return sum(len(b.annotations) for b in self.project.briefs.values())


@dataclass(frozen=True, slots=True)
class BuildResult:
    """The summary of a successful build."""

    briefs: int
    notes: int
    pages: int
    seconds: float
    written: WriteStats
    warnings: tuple[Diagnostic, ...]


def known_slugs(root: Path) -> Known:
    """Every slug with a file, whether or not the file parsed."""

    def stems(folder: str, suffixes: tuple[str, ...]) -> frozenset[str]:
        directory = root / folder
        if not directory.is_dir():
            return frozenset()
        return frozenset(p.stem for p in directory.iterdir() if is_source_file(p, suffixes))

    return Known(
        seeds=stems("seeds", (".txt",)),
        briefs=stems("content/briefs", YAML_SUFFIXES),
        entities=stems("content/entities", YAML_SUFFIXES),
        topics=stems("content/topics", YAML_SUFFIXES),
    )


def static_files(dirs: list[Path]) -> list[StaticFile]:
    """The files under each layouts folder's static/, the project's overriding built-ins."""
    found: dict[str, StaticFile] = {}
    for layouts in reversed(dirs):  # the project's own files override the built-in ones
        static = layouts / "static"
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                relative = path.relative_to(static).as_posix()
                found[relative] = StaticFile(relative, path, f"layouts/static/{relative}")
    return list(found.values())


def run(root: Path, jobs: int = 1) -> Run:
    """Validate, anchor, link and render a project in memory, in up to `jobs` processes;
    nothing is written."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    project = read_project(root, diagnostics)
    renderer = MarkdownRenderer()
    renderer.preload((text.value for text in all_texts(project)), jobs)
    check_references(project, known_slugs(root), renderer, diagnostics)
    anchors: dict[str, tuple[Anchor | Unplaced, ...]] = {}
    for brief in project.briefs.values():
        seed = project.seeds.get(brief.seed.slug)
        if seed is not None:
            anchors[brief.slug] = anchor_brief(brief, seed, diagnostics)
    graph = build_graph(project, anchors, diagnostics)
    pages: list[Rendered] = []
    copies: dict[str, Path] = {}
    if not diagnostics.errors:
        dirs = layout_dirs(root)
        keys = page_keys(project)
        static = check_outputs(project, keys, static_files(dirs), diagnostics)
        copies = {s.output: s.path for s in static}
        if not diagnostics.errors:
            planner = Planner(project, graph, renderer)
            env = make_environment(dirs)
            pages = render_pages(planner, env, keys, root, jobs, diagnostics)
    files = {p.output: p.data for p in pages if p.data is not None}
    inputs = {p.output: p.inputs for p in pages}
    elapsed = time.perf_counter() - started
    return Run(root, diagnostics, project, graph, files, copies, inputs, elapsed)


def build(root: Path, output: Path, jobs: int = 1, strict: bool = False) -> BuildResult:
    """Build the site into `output`; on any error (with `strict`, any warning too) raise
    BriefsiteError and leave it untouched."""
    started = time.perf_counter()
    result = run(root, jobs)
    if strict:
        result.diagnostics.promote_warnings()
    result.diagnostics.raise_if_errors()
    stats = write_site(result.files, result.copies, output, root)
    return BuildResult(
        briefs=len(result.project.briefs),
        notes=result.note_count,
        pages=len(result.files),
        seconds=time.perf_counter() - started,
        written=stats,
        warnings=tuple(result.diagnostics.warnings),
    )


__all__ = ["BriefsiteError", "BuildResult", "Run", "build", "run"]
