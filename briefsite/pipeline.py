"""The build: read, validate, anchor, link, plan, render, write; plain values in and out."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from briefsite.anchoring import Anchor, Unplaced, anchor_brief
from briefsite.content import YAML_SUFFIXES, is_source_file, read_project
from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics
from briefsite.graph import Graph, Known, build_graph, check_references
from briefsite.markup import MarkdownRenderer
from briefsite.model import Project
from briefsite.plan import Page, StaticFile, plan_site
from briefsite.render import layout_dirs, make_environment, render_all
from briefsite.write import WriteStats, write_site


@dataclass
class Run:
    """What one pass over a project found: the model, anchors, pages and every diagnostic."""

    root: Path
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    project: Project | None = None
    graph: Graph | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    @property
    def anchors(self) -> dict[str, tuple[Anchor | Unplaced, ...]]:
        """Each brief's note placements."""
        return self.graph.anchors if self.graph else {}

    @property
    def note_count(self) -> int:
        """How many notes the project's briefs hold."""
        return sum(len(b.annotations) for b in self.project.briefs.values()) if self.project else 0


@dataclass(frozen=True, slots=True)
class BuildResult:
    """The summary of a successful build."""

    briefs: int
    notes: int
    pages: int
    seconds: float
    written: WriteStats
    warnings: tuple[Diagnostic, ...]


def _known(root: Path) -> Known:
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


def _static_files(dirs: list[Path]) -> list[StaticFile]:
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


def run(root: Path) -> Run:
    """Validate, anchor, link and render a project in memory; nothing is written."""
    result = Run(root)
    diagnostics = result.diagnostics
    project = read_project(root, diagnostics)
    result.project = project
    renderer = MarkdownRenderer()
    check_references(project, _known(root), renderer, diagnostics)
    anchors: dict[str, tuple[Anchor | Unplaced, ...]] = {}
    for brief in project.briefs.values():
        seed = project.seeds.get(brief.seed.slug)
        if seed is not None:
            anchors[brief.slug] = anchor_brief(brief, seed, diagnostics)
    result.graph = build_graph(project, anchors, diagnostics)
    if diagnostics.errors:
        return result
    dirs = layout_dirs(root)
    planned = plan_site(project, result.graph, renderer, _static_files(dirs), diagnostics)
    if diagnostics.errors:
        return result
    pages = [p for p in planned if isinstance(p, Page)]
    result.copies = {s.output: s.path for s in planned if isinstance(s, StaticFile)}
    result.files = render_all(make_environment(dirs), pages, root, diagnostics)
    return result


def build(root: Path, output: Path) -> BuildResult:
    """Build the site into `output`; on any error raise BriefsiteError and leave it untouched."""
    result = run(root)
    result.diagnostics.raise_if_errors()
    stats = write_site(result.files, result.copies, output, root)
    project = result.project
    assert project is not None
    return BuildResult(
        briefs=len(project.briefs),
        notes=result.note_count,
        pages=len(result.files),
        seconds=time.perf_counter() - result.started,
        written=stats,
        warnings=tuple(result.diagnostics.warnings),
    )


__all__ = ["BriefsiteError", "BuildResult", "Run", "build", "run"]
