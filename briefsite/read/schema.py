"""The format of every YAML file, defined once.

The validator walks YAML against these specs, the README's key reference follows them, and
`json_schema` turns them into JSON Schema for editors. Change the format here and only here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from briefsite.model import ENTITY_KINDS, NOTE_STATUSES, NOTE_TYPES, RATINGS
from briefsite.read.sources import SCHEMA_FOLDER, SLUG_HINT, SLUG_RE, slug_from

ScalarKind = Literal["string", "markdown", "date", "integer", "slug", "url", "enum"]

LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True, slots=True)
class Scalar:
    """A single value: its kind decides how it is checked and converted."""

    kind: ScalarKind
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_hint: str = ""
    max_chars: int | None = None  # below the limit on every value (MAX_SCALAR_CHARS)
    example: str = ""  # a valid value, for hints


@dataclass(frozen=True, slots=True)
class ListOf:
    """A YAML sequence whose items all follow one spec."""

    item: Spec


@dataclass(frozen=True, slots=True)
class When:
    """The condition under which a key is required, and outside which it is not allowed:
    another key of the same mapping has one of `values`."""

    key: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a mapping."""

    key: str
    spec: Spec
    doc: str
    required: bool = False
    when: When | None = None


@dataclass(frozen=True, slots=True)
class Mapping:
    """A YAML mapping with a fixed set of keys."""

    name: str
    fields: tuple[Field, ...]
    by_key: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {f.key: f for f in self.fields})

    def field(self, key: str) -> Field | None:
        """Return the field for `key`, if the mapping has one."""
        return self.by_key.get(key)


Spec = Scalar | ListOf | Mapping

STRING = Scalar("string")
MARKDOWN = Scalar("markdown")
DATE = Scalar("date")
SLUG = Scalar("slug", pattern=SLUG_RE, pattern_hint=SLUG_HINT)
URL = Scalar("url")
# A quote not found as written is matched approximately at every word of the seed, at a
# cost that grows with its length: a 340-character quote missing from a 10 MB seed took 30 s
# to check (20 s more than one found), a 60-character one 15 s. A passage, not a page.
SELECTOR = Scalar("string", max_chars=1_000)

# Link previews (Open Graph, Twitter cards) show raster images only: never SVG.
IMAGE_RE = re.compile(r"(?i)https?://\S+\.(?:png|jpe?g|gif|webp)(?:[?#]\S*)?")

IMAGE = Mapping(
    "image",
    (
        Field(
            "url",
            Scalar(
                "url",
                pattern=IMAGE_RE,
                pattern_hint="the full address of a PNG, JPEG, GIF or WebP image (not SVG: "
                "link previews do not show it)",
            ),
            "Address of the image shown in link previews (PNG, JPEG, GIF or WebP).",
            required=True,
        ),
        Field("alt", STRING, "What the image shows, for readers who cannot see it.", required=True),
    ),
)

CITATION = Mapping(
    "source",
    (
        Field("title", STRING, "Title of the cited document.", required=True),
        Field("url", URL, "Link to it: an http:// or https:// URL.", required=True),
        Field("publisher", STRING, "Who published it."),
        Field("date", DATE, "When it was published (YYYY-MM-DD)."),
        Field("accessed", DATE, "When it was last read to check the note (YYYY-MM-DD)."),
    ),
)

VERDICT = Mapping(
    "verdict",
    (
        Field("rating", Scalar("enum", RATINGS), "How the claim holds up.", required=True),
        Field("summary", MARKDOWN, "Why, in a sentence or two.", required=True),
    ),
)

ANNOTATION = Mapping(
    "annotation",
    (
        Field("id", SLUG, "Unique in the brief; the note's URL fragment.", required=True),
        Field("quote", SELECTOR, "The passage of the seed the note is about.", required=True),
        Field("prefix", SELECTOR, "Text just before the quote, to choose among repeats."),
        Field("suffix", SELECTOR, "Text just after the quote, to choose among repeats."),
        Field("occurrence", Scalar("integer", minimum=1), "Which repeat of the quote (1-based)."),
        Field(
            "start",
            Scalar("integer", minimum=0),
            "Where the quote started when last anchored: a hint, written by `anchor`.",
        ),
        Field("type", Scalar("enum", NOTE_TYPES), "The kind of note.", required=True),
        Field("note", MARKDOWN, "The note itself, in Markdown.", required=True),
        Field("entities", ListOf(SLUG), "Entities the note is about."),
        Field("sources", ListOf(CITATION), "Sources the note cites."),
        Field(
            "verdict",
            VERDICT,
            "Required for type: claim, and only there.",
            when=When("type", ("claim",)),
        ),
        Field(
            "reviewed",
            DATE,
            "When a person confirmed this placement after the seed changed (YYYY-MM-DD).",
        ),
        Field(
            "status",
            Scalar("enum", NOTE_STATUSES),
            "retired: the passage is gone from the source; the note is kept and listed apart.",
        ),
        Field(
            "reason",
            MARKDOWN,
            "Why the note was retired; required with status: retired, and only there.",
            when=When("status", ("retired",)),
        ),
    ),
)

ARTICLE_SOURCE = Mapping(
    "source",
    (
        Field("publisher", STRING, "Who published the seed article."),
        Field("published", DATE, "When it was published (YYYY-MM-DD)."),
        Field("url", URL, "Where it was published."),
        Field("byline", STRING, "Who wrote it."),
    ),
)

SHA256_RE = re.compile(r"[0-9a-f]{64}")

ANCHORED = Mapping(
    "anchored",
    (
        Field(
            "seed_sha256",
            Scalar(
                "string",
                pattern=SHA256_RE,
                pattern_hint="64 lowercase hexadecimal digits",
                example="the value `./build.py anchor --write` records",
            ),
            "SHA-256 of the seed's normalised document text when the notes were anchored.",
            required=True,
        ),
        Field("date", DATE, "When the notes were anchored (YYYY-MM-DD).", required=True),
    ),
)

CORRECTION = Mapping(
    "correction",
    (
        Field("date", DATE, "When the brief was corrected (YYYY-MM-DD).", required=True),
        Field("note", MARKDOWN, "What was corrected.", required=True),
    ),
)

BRIEF = Mapping(
    "brief",
    (
        Field("seed", SLUG, "The seed article: a file stem in seeds/.", required=True),
        Field("title", STRING, "Defaults to the seed's headline."),
        Field("summary", MARKDOWN, "The bottom line, in one to three sentences."),
        Field("key_points", ListOf(MARKDOWN), "The main points, in Markdown."),
        Field("published", DATE, "Date of the brief (YYYY-MM-DD).", required=True),
        Field("updated", DATE, "Date of the last substantive update."),
        Field("authors", ListOf(STRING), "Who annotated."),
        Field("source", ARTICLE_SOURCE, "About the seed article."),
        Field("topics", ListOf(SLUG), "Topic slugs from content/topics/."),
        Field("related", ListOf(SLUG), "Slugs of related briefs."),
        Field("corrections", ListOf(CORRECTION), "The brief's corrections log."),
        Field("annotations", ListOf(ANNOTATION), "The notes."),
        Field("anchored", ANCHORED, "Written by `anchor`: the seed the selectors were made for."),
        Field("image", IMAGE, "The image link previews show for the brief."),
    ),
)

ENTITY = Mapping(
    "entity",
    (
        Field("name", STRING, "Display name.", required=True),
        Field("kind", Scalar("enum", ENTITY_KINDS), "What sort of entity it is."),
        Field("aliases", ListOf(STRING), "Exact, case-sensitive words that mark a mention."),
        Field("summary", MARKDOWN, "Who or what it is, in Markdown."),
        Field("url", URL, "Its official site."),
    ),
)

TOPIC = Mapping(
    "topic",
    (
        Field("name", STRING, "Display name.", required=True),
        Field("summary", MARKDOWN, "What the topic covers, in Markdown."),
    ),
)

SITE = Mapping(
    "site",
    (
        Field("title", STRING, "The site's name.", required=True),
        Field("description", STRING, "One line about the site."),
        Field("base_url", URL, "Public address: feeds, sitemap, canonical links, structured data."),
        Field(
            "language",
            Scalar(
                "string",
                pattern=LANGUAGE_RE,
                pattern_hint="a language tag such as en or en-GB",
                example="`en` or `en-GB`",
            ),
            "Language tag of the content; defaults to en.",
        ),
        Field("image", IMAGE, "The image link previews show for pages without their own."),
    ),
)


def json_schema(spec: Spec, title: str = "") -> dict[str, Any]:
    """Return a JSON Schema (draft 2020-12) equivalent to `spec`, for editors."""
    out = _schema(spec)
    if title:
        out = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **out}
    return out


def _schema(spec: Spec) -> dict[str, Any]:
    if isinstance(spec, ListOf):
        return {"type": "array", "items": _schema(spec.item)}
    if isinstance(spec, Mapping):
        out: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "required": [f.key for f in spec.fields if f.required],
            "properties": {f.key: {"description": f.doc, **_schema(f.spec)} for f in spec.fields},
        }
        rules = [_conditional(f.key, f.when) for f in spec.fields if f.when is not None]
        if rules:
            out["allOf"] = rules
        return out
    if spec.kind == "integer":
        return {
            "type": "integer",
            **({"minimum": spec.minimum} if spec.minimum is not None else {}),
        }
    if spec.kind == "enum":
        return {"enum": list(spec.choices)}
    if spec.kind == "date":
        return {"type": "string", "format": "date"}
    if spec.kind == "url":
        return {"type": "string", "format": "uri", "pattern": "^https?://"}
    if spec.pattern is not None:
        return {"type": "string", "pattern": f"^{spec.pattern.pattern}$"}
    # Not empty, and not only spaces: the validator refuses blank text too.
    if spec.max_chars is not None:
        return {"type": "string", "minLength": 1, "maxLength": spec.max_chars, "pattern": "\\S"}
    return {"type": "string", "minLength": 1, "pattern": "\\S"}


def _conditional(key: str, when: When) -> dict[str, Any]:
    """`key` is required when `when` holds, and not allowed otherwise."""
    return {
        "if": {"properties": {when.key: {"enum": list(when.values)}}, "required": [when.key]},
        "then": {"required": [key]},
        "else": {"not": {"required": [key]}},
    }


# --- words for the checker's messages: what a value should be, how to fill one in ---


_KIND_WORDS = {
    "string": "a string",
    "markdown": "Markdown text",
    "date": "a date (YYYY-MM-DD)",
    "integer": "a whole number",
    "slug": "a slug",
    "url": "a URL",
}


def describe_spec(spec: Spec) -> str:
    """What a value of `spec` is, in words (for type errors)."""
    if isinstance(spec, ListOf):
        return "a list"
    if isinstance(spec, Mapping):
        return f"a mapping ({spec.name} keys)"
    if spec.kind == "enum":
        return "one of " + ", ".join(spec.choices)
    return _KIND_WORDS[spec.kind]


def fill_hint(field: Field) -> str:
    """How to fill a required key left empty."""
    doc = field.doc[0].lower() + field.doc[1:].rstrip(".")
    if isinstance(field.spec, Scalar) and field.spec.kind in ("string", "markdown"):
        return (
            f"write {doc} after `{field.key}:`; for several lines, write `{field.key}: |` "
            "and indent the lines under it"
        )
    return f"write a value after `{field.key}:` ({doc})"


def pattern_example(spec: Scalar, raw: str) -> str:
    """A hint for a value that does not match its pattern: a corrected value where one can
    be made."""
    if spec.pattern is SLUG_RE:
        return f"e.g. '{slug_from(raw, empty='housing-budget')}'"
    return f"e.g. {spec.example}" if spec.example else f"use {spec.pattern_hint}"


# What `./build.py schema` writes: one JSON Schema a kind of file, for editors.
SCHEMAS: dict[str, Mapping] = {"brief": BRIEF, "entity": ENTITY, "topic": TOPIC, "site": SITE}


def schema_files() -> dict[str, str]:
    """Each kind's JSON Schema file name and text."""
    return {
        f"{kind}.json": json.dumps(
            json_schema(spec, title=f"briefsite {kind} file"), indent=2, ensure_ascii=False
        )
        + "\n"
        for kind, spec in SCHEMAS.items()
    }


def modeline(kind: str, depth: int) -> str:
    """The first line that points editors (yaml-language-server) at a kind's schema, from a
    file `depth` folders below the project."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_FOLDER}/{kind}.json"
