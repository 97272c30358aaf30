"""Read a project's seeds and YAML files into model records, collecting every problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar, cast

from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics, SourceLocation
from briefsite.model import (
    Anchored,
    Annotation,
    ArticleSource,
    Brief,
    Citation,
    Correction,
    Entity,
    EntityKind,
    NoteType,
    Project,
    Rating,
    Ref,
    Seed,
    Site,
    Topic,
    Verdict,
)
from briefsite.read import schema
from briefsite.read.seeds import read_seed
from briefsite.read.textfile import read_text
from briefsite.read.yaml_reader import Record, load_yaml

_T = TypeVar("_T")
YAML_SUFFIXES = (".yaml", ".yml")
_SELECTORS = frozenset({"quote", "prefix", "suffix", "occurrence", "start"})


def read_project(root: Path, diagnostics: Diagnostics) -> Project:
    """Read everything under `root`; files with errors are reported and left out."""
    found = read_sources(list_sources(root, diagnostics), diagnostics)
    return assemble(read_site(root, diagnostics), found)


@dataclass(frozen=True, slots=True)
class Source:
    """A seed or content file the build reads, named by kind and slug."""

    what: SourceKind
    path: Path
    slug: str
    shown: str


SourceKind = Literal["seed", "brief", "entity", "topic"]
FOLDERS: tuple[tuple[str, tuple[str, ...], SourceKind], ...] = (
    ("seeds", (".txt",), "seed"),
    ("content/briefs", YAML_SUFFIXES, "brief"),
    ("content/entities", YAML_SUFFIXES, "entity"),
    ("content/topics", YAML_SUFFIXES, "topic"),
)


def list_sources(root: Path, diagnostics: Diagnostics) -> list[Source]:
    """Every source file of the project, reporting names that are not slugs or clash."""
    return [
        source
        for folder, suffixes, what in FOLDERS
        for source in _list_folder(root, folder, suffixes, what, diagnostics)
    ]


def read_source(source: Source) -> tuple[object | None, tuple[Diagnostic, ...]]:
    """Read one source file: the record (None if it has errors) and its problems."""
    diagnostics = Diagnostics()
    item: object | None = None
    try:
        item = _READERS[source.what](source.path, source.slug, source.shown, diagnostics)
    except BriefsiteError as exc:
        diagnostics.extend(exc.diagnostics)
    return item, tuple(diagnostics.items)


def read_sources(sources: list[Source], diagnostics: Diagnostics) -> dict[Source, object]:
    """Read every source; each one that parsed cleanly maps to its record."""
    found: dict[Source, object] = {}
    for source in sources:
        item, problems = read_source(source)
        diagnostics.extend(problems)
        if item is not None:
            found[source] = item
    return found


def assemble(site: Site | None, found: dict[Source, object]) -> Project:
    """Put read records together into a Project, keyed by slug."""
    by_kind: dict[str, dict[str, object]] = {what: {} for _, _, what in FOLDERS}
    for source, item in found.items():
        by_kind[source.what][source.slug] = item
    return Project(
        site or Site("content/site.yaml", "Briefs", None, None, "en"),
        cast(dict[str, Seed], by_kind["seed"]),
        cast(dict[str, Brief], by_kind["brief"]),
        cast(dict[str, Entity], by_kind["entity"]),
        cast(dict[str, Topic], by_kind["topic"]),
    )


def is_source_file(path: Path, suffixes: tuple[str, ...]) -> bool:
    """Whether a file in a content folder is one the build reads (not hidden or a backup)."""
    name = path.name
    return path.suffix in suffixes and not name.startswith((".", "#", "~"))


def _list_folder(
    root: Path, folder: str, suffixes: tuple[str, ...], what: SourceKind, diagnostics: Diagnostics
) -> list[Source]:
    directory = root / folder
    if not directory.is_dir():
        return []
    sources: list[Source] = []
    first_file: dict[str, str] = {}
    for path in sorted(directory.iterdir()):
        if not is_source_file(path, suffixes):
            continue
        slug, shown = path.stem, f"{folder}/{path.name}"
        if not schema.SLUG_RE.fullmatch(slug):
            diagnostics.error(
                SourceLocation(shown),
                f"file name '{path.name}' does not make a valid {what} slug",
                f"rename it using {schema.SLUG.pattern_hint}, e.g. '{_suggest_slug(slug)}"
                f"{path.suffix}'",
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
        sources.append(Source(what, path, slug, shown))
    return sources


def _suggest_slug(stem: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in stem.lower()).split()
    return "-".join(words) or "name"


def _record(
    path: Path, shown: str, spec: schema.Mapping, diagnostics: Diagnostics
) -> Record | None:
    record = load_yaml(read_text(path, shown), shown, spec, diagnostics)
    return record if record is not None and record.complete else None


def _read_seed_file(path: Path, slug: str, shown: str, diagnostics: Diagnostics) -> Seed:
    return read_seed(path, slug, shown)


def read_site(root: Path, diagnostics: Diagnostics) -> Site | None:
    """Read content/site.yaml."""
    shown = "content/site.yaml"
    path = root / shown
    if not path.exists() and not path.is_symlink():
        diagnostics.error(
            SourceLocation(shown),
            "site settings file is missing",
            "create content/site.yaml with at least `title: My briefs`",
        )
        return None
    try:
        record = _record(path, shown, schema.SITE, diagnostics)
    except BriefsiteError as exc:
        diagnostics.extend(exc.diagnostics)
        return None
    if record is None:
        return None
    return Site(
        shown,
        _required(record.string("title")),
        record.string("description"),
        record.string("base_url"),
        record.string("language") or "en",
    )


def _required(value: _T | None) -> _T:
    # A complete Record has every required key; this only narrows the type.
    assert value is not None
    return value


def _brief(path: Path, slug: str, shown: str, diagnostics: Diagnostics) -> Brief | None:
    record = load_yaml(read_text(path, shown), shown, schema.BRIEF, diagnostics)
    if record is None or record.string("seed") is None:
        return None
    # A brief with other required keys missing is still anchored and link-checked, so one
    # run reports all of its mistakes; the error already recorded keeps it from being built.
    published = record.day("published") or dt.date.min
    source = record.record("source")
    return Brief(
        slug=slug,
        path=shown,
        seed=Ref(_required(record.string("seed")), record.loc("seed")),
        title=record.string("title"),
        summary=record.text("summary"),
        key_points=record.texts("key_points"),
        published=published,
        updated=record.day("updated"),
        authors=record.strs("authors"),
        source=ArticleSource(
            source.string("publisher"),
            source.day("published"),
            source.string("url"),
            source.string("byline"),
        )
        if source
        else None,
        topics=record.refs("topics"),
        related=record.refs("related"),
        corrections=tuple(
            Correction(_required(c.day("date")), _required(c.text("note")))
            for c in record.records("corrections")
        ),
        annotations=_annotations(record, diagnostics),
        note_ids=frozenset(
            str(v.data.values["id"].data)
            for v in record.items("annotations")
            if isinstance(v.data, Record) and "id" in v.data.values
        ),
        anchored=_anchored(record.record("anchored")),
    )


def _anchored(record: Record | None) -> Anchored | None:
    if record is None:
        return None
    return Anchored(
        _required(record.string("seed_sha256")), _required(record.day("date")), record.at
    )


def _annotations(brief: Record, diagnostics: Diagnostics) -> tuple[Annotation, ...]:
    notes: list[Annotation] = []
    first_line: dict[str, int] = {}
    for item in brief.records("annotations"):
        note_id = _required(item.string("id"))
        id_at = item.loc("id")
        if note_id in first_line:
            diagnostics.error(
                id_at,
                f"duplicate note id '{note_id}' (first used at line {first_line[note_id]})",
                "give every note of a brief its own id",
            )
            continue
        first_line[note_id] = id_at.line
        if item.invalid & _SELECTORS:
            continue  # cannot be placed; its invalid selector is reported already
        note_type = cast(NoteType, _required(item.string("type")))
        verdict = item.record("verdict")
        if note_type == "claim" and verdict is None and "verdict" not in item.values:
            diagnostics.error(
                item.at,
                f"claim '{note_id}' has no verdict",
                "add `verdict: {rating: ..., summary: ...}`; ratings: " + ", ".join(schema.RATINGS),
            )
            continue
        if note_type != "claim" and "verdict" in item.values:
            diagnostics.error(
                item.loc("verdict"),
                f"note '{note_id}' has a verdict but its type is '{note_type}'",
                "only `type: claim` notes take a verdict: change the type or remove the verdict",
            )
            continue
        if note_type == "claim" and verdict is None:
            continue  # the verdict itself was invalid, and reported
        notes.append(
            Annotation(
                id=note_id,
                at=item.at,
                quote=_required(item.string("quote")),
                quote_at=item.loc("quote"),
                prefix=item.string("prefix"),
                suffix=item.string("suffix"),
                occurrence=item.get("occurrence", int),
                type=note_type,
                note=_required(item.text("note")),
                entities=item.refs("entities"),
                sources=tuple(_citation(s) for s in item.records("sources")),
                verdict=Verdict(
                    cast(Rating, _required(verdict.string("rating"))),
                    _required(verdict.text("summary")),
                    verdict.at,
                )
                if verdict
                else None,
                start=item.get("start", int),
            )
        )
    return tuple(notes)


def _citation(record: Record) -> Citation:
    return Citation(
        _required(record.string("title")),
        _required(record.string("url")),
        record.string("publisher"),
        record.day("date"),
        record.day("accessed"),
    )


def _entity(path: Path, slug: str, shown: str, diagnostics: Diagnostics) -> Entity | None:
    record = _record(path, shown, schema.ENTITY, diagnostics)
    if record is None:
        return None
    aliases = tuple((v.data, v.at) for v in record.items("aliases") if isinstance(v.data, str))
    kind = record.string("kind")
    return Entity(
        slug,
        shown,
        _required(record.string("name")),
        record.loc("name"),
        cast(EntityKind, kind) if kind else None,
        aliases,
        record.text("summary"),
        record.string("url"),
    )


def _topic(path: Path, slug: str, shown: str, diagnostics: Diagnostics) -> Topic | None:
    record = _record(path, shown, schema.TOPIC, diagnostics)
    if record is None:
        return None
    return Topic(slug, shown, _required(record.string("name")), record.text("summary"))


_READERS: dict[str, Callable[[Path, str, str, Diagnostics], object | None]] = {
    "seed": _read_seed_file,
    "brief": _brief,
    "entity": _entity,
    "topic": _topic,
}
