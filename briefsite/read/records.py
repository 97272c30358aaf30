"""Parse a project's files into frozen model records, collecting every problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar, cast

from briefsite.errors import BriefsiteError, Diagnostic, Diagnostics, SourceLocation
from briefsite.model import (
    RATINGS,
    Anchored,
    Annotation,
    ArticleSource,
    Brief,
    Citation,
    Correction,
    Entity,
    EntityKind,
    Image,
    NoteStatus,
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
from briefsite.read.seeds import parse_seed
from briefsite.read.sources import SITE_FILE, Source, list_sources
from briefsite.read.textfile import decode_text, read_bytes
from briefsite.read.yaml_reader import Record, load_yaml

_T = TypeVar("_T")
_SELECTORS = frozenset({"quote", "prefix", "suffix", "occurrence", "start"})
Item = Seed | Brief | Entity | Topic | Site
DEFAULT_SITE = Site(SITE_FILE, "Briefs", None, None, "en")


def parse_source(source: Source, data: bytes) -> tuple[Item | None, tuple[Diagnostic, ...]]:
    """Parse one file's bytes: its record (None if it has errors) and its problems."""
    diagnostics = Diagnostics()
    item: Item | None = None
    try:
        text = decode_text(data, source.shown)
        item = _PARSERS[source.what](text, source.slug, source.shown, diagnostics)
    except BriefsiteError as exc:
        diagnostics.extend(exc.diagnostics)
    return item, tuple(diagnostics.items)


def missing_site() -> Diagnostic:
    """The error for a project without content/site.yaml."""
    return Diagnostic(
        SourceLocation(SITE_FILE),
        "site settings file is missing",
        "create content/site.yaml with at least `title: My briefs`",
    )


def assemble(found: Iterable[tuple[Source, Item]]) -> Project:
    """Put parsed records together into a Project, keyed by slug."""
    site = DEFAULT_SITE
    seeds: dict[str, Seed] = {}
    briefs: dict[str, Brief] = {}
    entities: dict[str, Entity] = {}
    topics: dict[str, Topic] = {}
    for _, item in found:
        if isinstance(item, Site):
            site = item
        elif isinstance(item, Seed):
            seeds[item.slug] = item
        elif isinstance(item, Brief):
            briefs[item.slug] = item
        elif isinstance(item, Entity):
            entities[item.slug] = item
        else:
            topics[item.slug] = item
    return Project(site, seeds, briefs, entities, topics)


def read_project(root: Path, diagnostics: Diagnostics) -> Project:
    """List and parse every file of a project (`root` resolved) at once; files with errors
    are reported and left out. The builder does the same step by step, keeping what it can."""
    sources = list_sources(root, diagnostics)
    if not any(s.what == "site" for s in sources):
        diagnostics.extend([missing_site()])
    found: list[tuple[Source, Item]] = []
    for source in sources:
        try:
            data = read_bytes(source.path, source.shown)
        except BriefsiteError as exc:
            diagnostics.extend(exc.diagnostics)
            continue
        item, problems = parse_source(source, data)
        diagnostics.extend(problems)
        if item is not None:
            found.append((source, item))
    return assemble(found)


def _complete(
    text: str, shown: str, spec: schema.Mapping, diagnostics: Diagnostics
) -> Record | None:
    record = load_yaml(text, shown, spec, diagnostics)
    return record if record is not None and record.complete else None


def _seed(text: str, slug: str, shown: str, diagnostics: Diagnostics) -> Seed:
    return parse_seed(text, slug, shown)


def _site(text: str, slug: str, shown: str, diagnostics: Diagnostics) -> Site | None:
    record = _complete(text, shown, schema.SITE, diagnostics)
    if record is None:
        return None
    return Site(
        shown,
        _required(record.string("title")),
        record.string("description"),
        record.string("base_url"),
        record.string("language") or "en",
        _image(record.record("image")),
    )


def _image(record: Record | None) -> Image | None:
    if record is None:
        return None
    return Image(_required(record.string("url")), _required(record.string("alt")))


def _required(value: _T | None) -> _T:
    # A complete Record has every required key; this only narrows the type.
    assert value is not None
    return value


def _brief(text: str, slug: str, shown: str, diagnostics: Diagnostics) -> Brief | None:
    record = load_yaml(text, shown, schema.BRIEF, diagnostics)
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
        image=_image(record.record("image")),
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
        if not _conditions_hold(item, note_id, diagnostics):
            continue
        verdict = item.record("verdict")
        if note_type == "claim" and verdict is None:
            continue  # the verdict itself was invalid, and reported
        status = item.string("status")
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
                reviewed=item.day("reviewed"),
                status=cast(NoteStatus, status) if status else None,
                reason=item.text("reason"),
            )
        )
    return tuple(notes)


# What to say when a key that the schema requires under a condition (`schema.When`) is
# missing, or given where it is not allowed: (missing, missing hint, extra, extra hint).
_CONDITIONAL_WORDS = {
    "verdict": (
        "claim '{id}' has no verdict",
        "add `verdict: {rating: ..., summary: ...}`; ratings: " + ", ".join(RATINGS),
        "note '{id}' has a verdict but its type is '{value}'",
        "only `type: claim` notes take a verdict: change the type or remove the verdict",
    ),
    "reason": (
        "retired note '{id}' has no reason",
        "add `reason:` saying why the passage is gone from the source",
        "note '{id}' has a reason but is not retired",
        "add `status: retired`, or remove the reason",
    ),
}


def _conditions_hold(item: Record, note_id: str, diagnostics: Diagnostics) -> bool:
    """Whether the note has each conditional key where the schema requires it, and only
    there; each broken condition is reported."""
    holds = True
    for field in schema.ANNOTATION.fields:
        when = field.when
        if when is None or when.key in item.invalid:
            continue  # an invalid deciding key is reported already
        value = item.string(when.key)
        given = field.key in item.values or field.key in item.invalid
        missing, missing_hint, extra, extra_hint = _CONDITIONAL_WORDS[field.key]
        if value in when.values and not given:
            diagnostics.error(item.at, missing.format(id=note_id), missing_hint)
            holds = False
        elif value not in when.values and field.key in item.values:
            diagnostics.error(
                item.loc(field.key), extra.format(id=note_id, value=value), extra_hint
            )
            holds = False
    return holds


def _citation(record: Record) -> Citation:
    return Citation(
        _required(record.string("title")),
        _required(record.string("url")),
        record.string("publisher"),
        record.day("date"),
        record.day("accessed"),
    )


def _entity(text: str, slug: str, shown: str, diagnostics: Diagnostics) -> Entity | None:
    record = _complete(text, shown, schema.ENTITY, diagnostics)
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


def _topic(text: str, slug: str, shown: str, diagnostics: Diagnostics) -> Topic | None:
    record = _complete(text, shown, schema.TOPIC, diagnostics)
    if record is None:
        return None
    return Topic(slug, shown, _required(record.string("name")), record.text("summary"))


_PARSERS: dict[str, Callable[[str, str, str, Diagnostics], Item | None]] = {
    "seed": _seed,
    "brief": _brief,
    "entity": _entity,
    "topic": _topic,
    "site": _site,
}
