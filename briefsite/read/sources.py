"""Which files a project is made of: seeds and content files, each named by kind and slug.

The project folder is a boundary. A file or folder that is a symlink resolving outside it is
reported (naming the link and where it points) and never read, so that a cloned project
cannot publish, or quote in an error, a file of the machine that builds it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefsite.errors import Diagnostic, Diagnostics, SourceLocation
from briefsite.read.textfile import newlines

# A slug: lowercase letters, digits and single hyphens. File names and references are slugs.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_HINT = "lowercase letters, digits and single hyphens"
YAML_SUFFIXES = (".yaml", ".yml")
SITE_FILE = "content/site.yaml"
SCHEMA_FOLDER = ".briefsite/schema"  # where `schema` writes the editors' JSON Schemas

SourceKind = Literal["seed", "brief", "entity", "topic", "site"]
FOLDERS: tuple[tuple[str, tuple[str, ...], SourceKind], ...] = (
    ("seeds", (".txt",), "seed"),
    ("content/briefs", YAML_SUFFIXES, "brief"),
    ("content/entities", YAML_SUFFIXES, "entity"),
    ("content/topics", YAML_SUFFIXES, "topic"),
)


@dataclass(frozen=True, slots=True, order=True)
class Source:
    """A file the build reads: its kind, slug, path as shown to the user (`shown`), and
    path to open (`path`: a string, as every build lists thousands, and a Path each cost
    more than looking at the file)."""

    what: SourceKind
    slug: str
    shown: str
    path: str


@dataclass(frozen=True, slots=True)
class StaticFile:
    """A file copied as it is from `layouts/static/`."""

    output: str
    path: Path
    source: str


@dataclass(frozen=True, slots=True)
class Known:
    """Every slug with a file, whether or not the file parsed, so that a broken file is
    reported once and not again as a dangling reference from each file that names it."""

    seeds: frozenset[str]
    briefs: frozenset[str]
    entities: frozenset[str]
    topics: frozenset[str]


def known_slugs(sources: list[Source]) -> Known:
    """The slugs of the listed sources, by kind."""

    def of(what: SourceKind) -> frozenset[str]:
        return frozenset(s.slug for s in sources if s.what == what)

    return Known(of("seed"), of("brief"), of("entity"), of("topic"))


def seed_file(slug: str) -> str:
    """Where the seed of a slug lives, as shown to the user."""
    return f"seeds/{slug}.txt"


def site_source(root: Path) -> Source:
    """The site settings file."""
    return Source("site", "site", SITE_FILE, str(root / SITE_FILE))


def is_source_file(name: str, suffixes: tuple[str, ...]) -> bool:
    """Whether a file in a content folder is one the build reads (not hidden or a backup)."""
    return name.endswith(suffixes) and not name.startswith((".", "#", "~"))


def outside(root: Path, path: str | Path) -> Path | None:
    """Where `path` really points, if that is outside `root` (which must be resolved)."""
    real = Path(os.path.realpath(path))
    return None if real == root or root in real.parents else real


class SourceLines:
    """Lines of project files, read once each, to quote the line a message points at. A
    file that lies outside the project (through a symlink) is never read, so never quoted."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))
        self._files: dict[str, list[str] | None] = {}

    def line(self, shown: str, number: int) -> str | None:
        """Line `number` (1-based, counted as editors count lines) of a file, if it can be
        quoted."""
        if shown not in self._files:
            self._files[shown] = self._read(shown)
        lines = self._files[shown]
        if lines is None or not 0 < number <= len(lines):
            return None
        return lines[number - 1]

    def _read(self, shown: str) -> list[str] | None:
        path = self.root / shown
        if outside(self.root, path) is not None:
            return None
        try:
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError:
            return None
        return newlines(text).split("\n")


def boundary_problem(shown: str, target: Path) -> Diagnostic:
    """The error for a symlink that leads out of the project: it names the link and its
    target, and nothing of what the target holds."""
    return Diagnostic(
        SourceLocation(shown),
        f"symlink to a file outside the project: {shown} -> {target}",
        "copy the file into the project, or link to a file inside it",
    )


def boundary_error(shown: str, target: Path, diagnostics: Diagnostics) -> None:
    """Report a symlink that leads out of the project."""
    diagnostics.extend([boundary_problem(shown, target)])


def list_sources(root: Path, diagnostics: Diagnostics) -> list[Source]:
    """Every seed and content file of the project (`root` resolved), reporting names that
    are not slugs, two files for one slug, and links out of the project."""
    found = [
        source
        for folder, suffixes, what in FOLDERS
        for source in _list_folder(root, folder, suffixes, what, diagnostics)
    ]
    site = site_source(root)
    if os.path.lexists(site.path):
        target = outside(root, site.path)
        if target is not None:
            boundary_error(site.shown, target, diagnostics)
        else:
            found.append(site)
    return found


def _list_folder(
    root: Path, folder: str, suffixes: tuple[str, ...], what: SourceKind, diagnostics: Diagnostics
) -> list[Source]:
    directory = root / folder
    if not directory.is_dir():
        return []
    target = outside(root, directory)
    if target is not None:
        boundary_error(folder, target, diagnostics)
        return []
    sources: list[Source] = []
    first_file: dict[str, str] = {}
    with os.scandir(directory) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    inside = f"{directory}{os.sep}"
    for entry in entries:
        name = entry.name
        if not is_source_file(name, suffixes):
            continue
        path = inside + name
        slug, shown = name.rsplit(".", 1)[0], f"{folder}/{name}"
        # The folder is inside the project: only a symlink in it can lead out.
        target = outside(root, path) if entry.is_symlink() else None
        if target is not None:
            boundary_error(shown, target, diagnostics)
            continue
        if not SLUG_RE.fullmatch(slug):
            diagnostics.error(
                SourceLocation(shown),
                f"file name '{name}' does not make a valid {what} slug",
                f"rename it using {SLUG_HINT}, e.g. '{slug_from(slug)}{os.path.splitext(name)[1]}'",
            )
            continue
        if slug in first_file:
            diagnostics.error(
                SourceLocation(shown),
                f"{what} '{slug}' is defined twice: {first_file[slug]} and {shown} would both "
                "be published at the same address",
                "delete or rename one of the two files",
            )
            continue
        first_file[slug] = shown
        sources.append(Source(what, slug, shown, path))
    return sources


def slug_from(text: str, most: int = 60, empty: str = "name") -> str:
    """A slug made of the words of `text` (ASCII letters and digits), at most `most`
    characters, cut at a word; `empty` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text).split()
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > most:
            break
        slug = f"{slug}-{word}" if slug else word[:most]
    return slug or empty
