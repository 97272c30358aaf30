#!/usr/bin/env python3
"""How fast briefsite checks, builds and rebuilds a large synthetic project.

    .venv/bin/python benchmarks/build_speed.py [--briefs N] [--repeat K] [--keep DIR] [--profile]

A deterministic project is generated first: N briefs over seeds of about 4 KB of
English-like text, 15 notes a brief (all six note types, quotes that are unique passages
of their seed, links to entities and to other notes), 50 entities whose aliases occur in
the seeds, and 10 topics. Then three phases are timed, each run in a fresh spawned
process so that its peak RSS is its own:

- check:   `Builder(root, Store.none()).check()` (validate, anchor, link, render in memory)
- build:   `Builder(root, Store.none()).build(out)` into an output folder that does not exist
- rebuild: the same build again into the output the previous build left

Only the call itself is timed (imports are done before the clock starts). The script
prints figures and makes no judgement on them; it exits non-zero if the generated
project has any error, printing the first ten.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import multiprocessing
import os
import platform
import pstats
import random
import re
import resource
import shlex
import shutil
import statistics
import sys
import sysconfig
import tempfile
import textwrap
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from briefsite.anchor.folding import fold
from briefsite.model import ENTITY_KINDS, NOTE_TYPES, RATINGS

PHASES = ("check", "build", "rebuild")
NOTES_PER_BRIEF = 15
ENTITY_COUNT = 50
SHOWN_DIAGNOSTICS = 10
PROFILE_LINES = 25
MARKER = ".briefsite-benchmark"  # marks a --keep folder as one this script may overwrite
REPO = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------
# Vocabulary. Every word is lower case, so capitalised entity names and aliases can only
# occur in a seed where the generator puts them.

NOUNS = (
    "budget", "council", "program", "report", "policy", "county", "school", "clinic",
    "contract", "grant", "license", "permit", "tariff", "subsidy", "audit", "hearing",
    "lawsuit", "ruling", "election", "district", "pipeline", "harbor", "bridge", "reservoir",
    "shelter", "hospital", "court", "committee", "survey", "forecast", "deficit", "pension",
    "levy", "ordinance", "statute", "regulation", "inspection", "deadline", "proposal",
    "amendment", "waiver", "loan", "fund", "office", "union", "market", "price", "wage",
    "tenant", "landlord", "farmer", "driver", "nurse", "teacher", "officer", "resident",
    "voter", "inspector", "contractor", "analyst", "lawmaker", "regulator", "city", "region",
    "border", "port", "railway", "highway", "grid", "network", "dataset", "rule", "warehouse",
    "depot", "ferry", "landfill", "curriculum", "vaccine", "ballot", "precinct", "meter",
)  # fmt: skip
ADJECTIVES = (
    "federal", "local", "regional", "annual", "temporary", "permanent", "public", "private",
    "rural", "urban", "costly", "modest", "sharp", "gradual", "unexpected", "controversial",
    "routine", "emergency", "independent", "preliminary", "final", "revised", "proposed",
    "disputed", "unpublished", "confidential", "bipartisan", "municipal", "statewide",
    "national", "informal", "legal", "fiscal", "coastal", "northern", "southern", "aging",
    "new", "existing", "previous", "larger", "smaller", "limited", "broad", "narrow",
    "significant", "minor", "overdue", "interim", "long-term", "short-term", "cross-border",
)  # fmt: skip
VERBS = (
    "approved", "rejected", "delayed", "announced", "reviewed", "funded", "expanded",
    "reduced", "challenged", "suspended", "extended", "proposed", "blocked", "released",
    "estimated", "questioned", "defended", "criticized", "audited", "revised", "cancelled",
    "restored", "doubled", "halved", "published", "disputed", "confirmed", "denied",
    "launched", "closed", "opened", "supported", "opposed", "tightened", "relaxed",
    "repealed", "enacted", "postponed", "investigated", "reported", "overhauled", "renewed",
)  # fmt: skip
ADVERBS = (
    "quietly", "sharply", "briefly", "formally", "publicly", "narrowly", "repeatedly",
    "largely", "partly", "initially", "eventually", "again", "already", "recently", "later",
)  # fmt: skip
PREPOSITIONS = (
    "for", "in", "across", "under", "after", "before", "during", "against", "without",
    "within", "beyond", "through", "near", "despite", "over", "alongside",
)  # fmt: skip
SAYING = (
    "said", "argued", "warned", "noted", "claimed", "acknowledged", "insisted", "suggested",
    "told reporters", "wrote in a statement", "said in an interview",
)  # fmt: skip
WHEN = (
    "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last year",
    "this spring", "in March", "in the autumn", "over the summer", "in 2019", "in 2021",
    "last month", "earlier this year", "two years ago",
)  # fmt: skip
CONNECTIVES = ("while", "because", "although", "after", "even as", "since", "and")
# Made-up proper nouns, one per entity, so that every entity's names are its own.
PROPER = (
    "Ashcombe", "Brantley", "Carrow", "Dunmore", "Elsworth", "Fenwick", "Garrick",
    "Halvorsen", "Ingleby", "Jarrow", "Kestrell", "Lindqvist", "Marlowe", "Northam",
    "Okafor", "Pemberton", "Quillan", "Redfern", "Stanwick", "Thornbury", "Uxley", "Varga",
    "Whitlock", "Yardley", "Zelinski", "Abernathy", "Bellamy", "Castellanos", "Delacroix",
    "Ebersole", "Farrant", "Goderich", "Hollister", "Iverson", "Jessop", "Kowalczyk",
    "Lachance", "Montague", "Nakamura", "Osei", "Prendergast", "Quintero", "Rasmussen",
    "Sorensen", "Tremblay", "Underhill", "Valentin", "Wexford", "Yamamoto", "Zimmerle",
)  # fmt: skip
FIRST_NAMES = (
    "Maria", "James", "Aisha", "Tomas", "Priya", "Daniel", "Ruth", "Kwame", "Elena", "Samuel",
)  # fmt: skip
KIND_SUFFIXES = {
    "organization": ("Policy Institute", "Civic Foundation", "Research Group", "Taxpayers League"),
    "agency": ("Water Authority", "Transit Agency", "Housing Department", "Revenue Office"),
    "law": ("Housing Act", "Clean Harbors Act", "Fair Wages Act", "Data Privacy Act"),
    "program": ("Jobs Program", "Rent Relief Program", "Youth Apprenticeship Program"),
}
TOPICS = (
    ("housing", "Housing"),
    ("public-transit", "Public transit"),
    ("water-and-utilities", "Water and utilities"),
    ("labor-and-wages", "Labor and wages"),
    ("taxes-and-budgets", "Taxes and budgets"),
    ("courts-and-justice", "Courts and justice"),
    ("schools", "Schools"),
    ("public-health", "Public health"),
    ("elections", "Elections"),
    ("data-and-privacy", "Data and privacy"),
)
PUBLISHERS = ("The Harbor Ledger", "Valley Courier", "Metro Dispatch", "The Civic Record")


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    return noun + "s"


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slugify(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


# ---------------------------------------------------------------------------------------
# The synthetic project.


@dataclass(frozen=True, slots=True)
class EntitySpec:
    """An entity to write, and the forms a seed may mention it by."""

    slug: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    article: bool  # whether a sentence says "the" before its name ("the Fenwick Institute")

    def mention(self, rng: random.Random) -> str:
        """One way a sentence may name the entity (its name or an alias)."""
        form = rng.choice((self.name, *self.aliases, *self.aliases))
        return f"the {form}" if self.article and not form.isupper() else form


@dataclass(frozen=True, slots=True)
class NoteSpec:
    """A note of a brief, before its Markdown is written."""

    id: str
    quote: str
    type: str


@dataclass(frozen=True, slots=True)
class BriefSpec:
    """A brief and its seed, before its YAML is written."""

    slug: str
    headline: str
    standfirst: str
    paragraphs: tuple[str, ...]
    notes: tuple[NoteSpec, ...]
    entities: tuple[int, ...]
    topics: tuple[str, ...]
    related: tuple[int, ...]
    published: dt.date


@dataclass(frozen=True, slots=True)
class ProjectStats:
    """What was generated."""

    briefs: int
    notes: int
    entities: int
    topics: int
    seed_bytes: int
    seconds: float


def make_entities() -> list[EntitySpec]:
    """The 50 entities: each kind in turn, every name and alias unique and capitalised."""
    entities: list[EntitySpec] = []
    acronyms: set[str] = set()
    for index in range(ENTITY_COUNT):
        proper = PROPER[index]
        kind = ENTITY_KINDS[index % len(ENTITY_KINDS)]
        if kind == "person":
            name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {proper}"
            entities.append(EntitySpec(_slugify(name), name, kind, (proper,), article=False))
            continue
        if kind == "place":
            name = f"{proper} County"
            entities.append(EntitySpec(_slugify(name), name, kind, (proper,), article=False))
            continue
        suffixes = KIND_SUFFIXES[kind]
        suffix = suffixes[(index // len(ENTITY_KINDS)) % len(suffixes)]
        name = f"{proper} {suffix}"
        aliases = [f"{proper} {suffix.split()[-1]}"]
        acronym = "".join(word[0] for word in name.split())
        if len(acronym) >= 3 and acronym not in acronyms:
            acronyms.add(acronym)
            aliases.append(acronym)
        entities.append(EntitySpec(_slugify(name), name, kind, tuple(aliases), article=True))
    return entities


class _Writer:
    """English-like sentences from one brief's random stream."""

    def __init__(self, rng: random.Random, entities: Sequence[EntitySpec]) -> None:
        self.rng = rng
        self.entities = entities

    def number(self) -> str:
        value = self.rng.choice((self.rng.randint(2, 99), self.rng.randint(100, 98000)))
        return f"{value:,}"

    def noun_phrase(self) -> str:
        r = self.rng
        noun, adjective = r.choice(NOUNS), r.choice(ADJECTIVES)
        roll = r.random()
        if roll < 0.35:
            return f"the {adjective} {noun}"
        if roll < 0.55:
            return _a(f"{adjective} {noun}")
        if roll < 0.72:
            return f"{self.number()} {_plural(noun)}"
        if roll < 0.80:
            return f"${r.randint(1, 950)}.{r.randint(1, 9)} million in {_plural(noun)}"
        if roll < 0.90 and self.entities:
            return f"{r.choice(NOUNS)} {_plural(noun)} run by {self.entity()}"
        return f"the {r.choice(NOUNS)} {noun}"

    def entity(self) -> str:
        return self.rng.choice(self.entities).mention(self.rng)

    def subject(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.28 and self.entities:
            return self.entity()
        if roll < 0.55:
            return f"the {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
        if roll < 0.70:
            return f"{r.choice(NOUNS)} officials"
        if roll < 0.85:
            return _plural(r.choice(NOUNS))
        return _a(f"{r.choice(NOUNS)} spokesperson")

    def clause(self) -> str:
        r = self.rng
        tail = f" {r.choice(PREPOSITIONS)} {self.noun_phrase()}" if r.random() < 0.7 else ""
        return f"{self.subject()} {r.choice(VERBS)} {self.noun_phrase()}{tail}"

    def sentence(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.22:
            text = self.clause()
        elif roll < 0.40:
            text = f"{self.clause()}, {self.subject()} {r.choice(SAYING)}"
        elif roll < 0.55:
            text = (
                f"{self.subject()} {r.choice(SAYING)} that {self.subject()} had "
                f"{r.choice(ADVERBS)} {r.choice(VERBS)} {self.noun_phrase()} {r.choice(WHEN)}"
            )
        elif roll < 0.67:
            verb = r.choice(VERBS)
            text = (
                f"according to {self.subject()}, {self.noun_phrase()} had been {verb} "
                f"{r.choice(WHEN)}"
            )
        elif roll < 0.82:
            text = f"{self.clause()} {r.choice(WHEN)}, {r.choice(CONNECTIVES)} {self.clause()}"
        elif roll < 0.92:
            text = (
                f"about {r.randint(3, 97)} percent of {_plural(r.choice(NOUNS))} "
                f"{r.choice(VERBS)} {self.noun_phrase()}; {self.clause()}"
            )
        else:
            text = f"{r.choice(WHEN)}, {self.clause()}"
        return _cap(text) + "."

    def paragraph(self) -> str:
        target = self.rng.randint(270, 400)
        sentences = [self.sentence()]
        while sum(len(s) + 1 for s in sentences) < target:
            sentences.append(self.sentence())
        return " ".join(sentences)

    def headline(self) -> str:
        while True:
            text = _cap(f"{self.subject()} {self.rng.choice(VERBS)} {self.noun_phrase()}")
            if len(text) <= 90:
                return text

    def standfirst(self) -> str:
        while True:
            text = self.sentence()
            if len(text) <= 150:
                return text


def _pick_quotes(rng: random.Random, doc: str, blocks: Sequence[str], count: int) -> list[str]:
    """`count` distinct passages of 3-10 words, each found exactly once in `doc`.

    Uniqueness is checked the way briefsite matches quotes: on folded text, where a
    paragraph break is one space, so "said. The" may also occur across two paragraphs.
    """
    folded = fold(doc)
    quotes: list[str] = []
    for _ in range(count * 200):
        if len(quotes) == count:
            return quotes
        words = rng.choice(blocks).split(" ")
        length = min(rng.randint(3, 10), len(words))
        start = rng.randrange(len(words) - length + 1)
        quote = " ".join(words[start : start + length]).rstrip(",;:")
        needle = fold(quote).strip(" ")
        first = folded.find(needle)
        if (
            len(quote) < 12
            or quote in quotes
            or first == -1
            or folded.find(needle, first + 1) != -1
        ):
            continue
        quotes.append(quote)
    raise RuntimeError(f"could not find {count} unique quotes in a seed")


def make_brief(index: int, count: int, entities: Sequence[EntitySpec]) -> BriefSpec:
    """One brief's seed text and the notes on it, from its own random stream."""
    rng = random.Random(f"briefsite-benchmark:brief:{index}")
    own = sorted({index % len(entities), *rng.sample(range(len(entities)), rng.randint(2, 5))})
    writer = _Writer(rng, [entities[e] for e in own])
    headline = writer.headline()
    standfirst = writer.standfirst()
    paragraphs = tuple(writer.paragraph() for _ in range(rng.randint(9, 11)))
    doc = "\n\n".join((headline, standfirst, *paragraphs))
    quotes = _pick_quotes(rng, doc, (standfirst, *paragraphs), NOTES_PER_BRIEF)
    types = [NOTE_TYPES[(index + j) % len(NOTE_TYPES)] for j in range(NOTES_PER_BRIEF)]
    rng.shuffle(types)
    notes = tuple(
        NoteSpec(f"n{j:02d}-" + "-".join(_slugify(quote).split("-")[:2]), quote, types[j - 1])
        for j, quote in enumerate(quotes, start=1)
    )
    others = [b for b in range(count) if b != index] if count <= 8 else []
    while count > 8 and len(others) < 2:  # avoid building a list of every brief
        other = rng.randrange(count)
        if other != index and other not in others:
            others.append(other)
    related = tuple(sorted(rng.sample(others, min(rng.randint(0, 2), len(others)))))
    topic_count = rng.randint(1, 2)
    topics = tuple(slug for slug, _ in rng.sample(TOPICS, topic_count))
    slug = f"b{index:04d}-" + "-".join(_slugify(headline).split("-")[1:3])
    published = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3200))
    return BriefSpec(
        _slugify(slug),
        headline,
        standfirst,
        paragraphs,
        notes,
        tuple(own),
        topics,
        related,
        published,
    )


def _q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: int) -> str:
    """Lines of a `|` block scalar: paragraphs wrapped, indented by `indent` spaces."""
    pad = " " * indent
    out: list[str] = []
    for paragraph in text.split("\n\n"):
        if out:
            out.append("")
        if paragraph.startswith("- "):
            out.extend(pad + line for line in paragraph.split("\n"))
        else:
            out.extend(pad + line for line in _wrap(paragraph, 88 - indent).split("\n"))
    return "\n".join(out)


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)


def _note_markdown(
    rng: random.Random,
    writer: _Writer,
    brief: BriefSpec,
    note: NoteSpec,
    briefs: Sequence[BriefSpec],
    entities: Sequence[EntitySpec],
) -> str:
    sentences = [writer.sentence() for _ in range(rng.randint(1, 3))]
    words = sentences[0].split(" ")
    if len(words) > 4 and rng.random() < 0.3:  # some emphasis
        at = rng.randrange(1, len(words) - 1)
        words[at] = f"*{words[at].strip(',;.')}*" + words[at][len(words[at].rstrip(",;.")) :]
        sentences[0] = " ".join(words)
    if rng.random() < 0.45:
        entity = entities[rng.choice(brief.entities)]
        sentences.append(f"See [{entity.name}](entity:{entity.slug}) for its record.")
    if rng.random() < 0.35:
        other = rng.choice([n.id for n in brief.notes if n.id != note.id])
        sentences.append(f"Compare [the related passage](#{other}).")
    if brief.related and rng.random() < 0.15:
        target = briefs[rng.choice(brief.related)]
        sentences.append(
            f"The [other brief](brief:{target.slug}#{target.notes[0].id}) covers the same ground."
        )
    if rng.random() < 0.08:
        slug, name = rng.choice(TOPICS)
        sentences.append(f"More under [{name.lower()}](topic:{slug}).")
    text = " ".join(sentences)
    if rng.random() < 0.25:
        text += "\n\n" + writer.sentence()
    if rng.random() < 0.1:
        text += "\n\n" + "\n".join(f"- {writer.clause()}" for _ in range(rng.randint(2, 3)))
    return text


def brief_yaml(
    brief: BriefSpec, briefs: Sequence[BriefSpec], entities: Sequence[EntitySpec]
) -> str:
    """The annotation file of one brief, written the way an annotator would."""
    rng = random.Random(f"briefsite-benchmark:notes:{brief.slug}")
    writer = _Writer(rng, [entities[e] for e in brief.entities])
    lines = [f"seed: {brief.slug}"]
    if rng.random() < 0.3:
        lines.append(f"title: {_q(brief.headline + ' (annotated)')}")
    summary = " ".join(writer.sentence() for _ in range(rng.randint(1, 3)))
    lines += ["summary: >-", textwrap.indent(_wrap(summary, 86), "  ")]
    lines.append("key_points:")
    for _ in range(rng.randint(2, 4)):
        target = rng.choice(brief.notes).id
        lines.append(f"  - {_q(writer.sentence()[:-1] + f' ([details](#{target})).')}")
    lines.append(f"published: {brief.published.isoformat()}")
    if rng.random() < 0.2:
        lines.append(f"updated: {(brief.published + dt.timedelta(days=rng.randint(1, 90)))}")
    lines.append("authors: [benchmark editors]")
    lines += [
        "source:",
        f"  publisher: {_q(rng.choice(PUBLISHERS))}",
        f"  published: {brief.published - dt.timedelta(days=rng.randint(0, 20))}",
        f"  url: https://news.example.com/{brief.published.year}/{brief.slug}",
        f"  byline: {_q(rng.choice(FIRST_NAMES) + ' ' + rng.choice(PROPER))}",
    ]
    lines.append(f"topics: [{', '.join(brief.topics)}]")
    lines.append(f"related: [{', '.join(briefs[r].slug for r in brief.related)}]")
    if rng.random() < 0.1:
        fixed = brief.published + dt.timedelta(days=rng.randint(1, 30))
        lines += [
            "corrections:",
            f"  - date: {fixed}",
            f"    note: {_q('An earlier version misstated ' + writer.noun_phrase() + '.')}",
        ]
    lines.append("annotations:")
    for note in brief.notes:
        lines += [
            f"  - id: {note.id}",
            f"    quote: {_q(note.quote)}",
            f"    type: {note.type}",
            "    note: |",
            _block(_note_markdown(rng, writer, brief, note, briefs, entities), 6),
        ]
        if rng.random() < 0.4:
            about = sorted({entities[e].slug for e in rng.sample(brief.entities, 1)})
            lines.append(f"    entities: [{', '.join(about)}]")
        if rng.random() < 0.5:
            lines.append("    sources:")
            for _ in range(rng.randint(1, 2)):
                day = brief.published - dt.timedelta(days=rng.randint(1, 400))
                lines += [
                    f"      - title: {_q(_cap(writer.noun_phrase()))}",
                    f"        url: https://records.example.org/{day.year}/{rng.randrange(10**6)}",
                    f"        publisher: {_q(rng.choice(PUBLISHERS))}",
                    f"        date: {day}",
                ]
        if note.type == "claim":
            rating = rng.choice(RATINGS)
            lines.append(f"    verdict: {{rating: {rating}, summary: {_q(writer.sentence())}}}")
    return "\n".join(lines) + "\n"


def seed_text(brief: BriefSpec) -> str:
    """The seed file: headline, standfirst, then paragraphs wrapped at 76 columns."""
    parts = [brief.headline, brief.standfirst]
    for paragraph in brief.paragraphs:
        wrapped = _wrap(paragraph, 76)
        assert " ".join(wrapped.split("\n")) == paragraph  # the document text is unchanged
        parts.append(wrapped)
    return "\n\n".join(parts) + "\n"


def entity_yaml(entity: EntitySpec, rng: random.Random, others: Sequence[EntitySpec]) -> str:
    """An entity file."""
    writer = _Writer(rng, [])
    other = rng.choice([o for o in others if o.slug != entity.slug])
    summary = f"{writer.sentence()} It often works with [{other.name}](entity:{other.slug})."
    aliases = ", ".join(_q(a) for a in entity.aliases)
    return (
        f"name: {_q(entity.name)}\nkind: {entity.kind}\naliases: [{aliases}]\n"
        f"summary: >-\n{textwrap.indent(_wrap(summary, 86), '  ')}\n"
        f"url: https://{entity.slug}.example.org/\n"
    )


def topic_yaml(name: str, rng: random.Random, entities: Sequence[EntitySpec]) -> str:
    """A topic file."""
    entity = rng.choice(entities)
    summary = (
        f"Briefs about {name.lower()}, from {_a(rng.choice(ADJECTIVES))} angle. "
        f"Many involve [{entity.name}](entity:{entity.slug})."
    )
    return f"name: {_q(name)}\nsummary: >-\n{textwrap.indent(_wrap(summary, 86), '  ')}\n"


def generate(root: Path, count: int) -> ProjectStats:
    """Write the synthetic project under `root` (seeds/ and content/)."""
    started = time.perf_counter()
    entities = make_entities()
    briefs = [make_brief(i, count, entities) for i in range(count)]
    if len({b.slug for b in briefs}) != len(briefs):
        raise RuntimeError("generated brief slugs are not unique")
    seeds, content = root / "seeds", root / "content"
    for folder in (seeds, content / "briefs", content / "entities", content / "topics"):
        folder.mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(
        "title: Benchmark briefs\n"
        "description: A synthetic project for timing briefsite.\n"
        "base_url: https://bench.example.org/\n"
        "language: en\n",
        encoding="utf-8",
    )
    seed_bytes = 0
    for brief in briefs:
        data = seed_text(brief).encode("utf-8")
        seed_bytes += len(data)
        (seeds / f"{brief.slug}.txt").write_bytes(data)
        (content / "briefs" / f"{brief.slug}.yaml").write_text(
            brief_yaml(brief, briefs, entities), encoding="utf-8"
        )
    rng = random.Random("briefsite-benchmark:entities")
    for entity in entities:
        (content / "entities" / f"{entity.slug}.yaml").write_text(
            entity_yaml(entity, rng, entities), encoding="utf-8"
        )
    for slug, name in TOPICS:
        (content / "topics" / f"{slug}.yaml").write_text(
            topic_yaml(name, rng, entities), encoding="utf-8"
        )
    return ProjectStats(
        briefs=count,
        notes=count * NOTES_PER_BRIEF,
        entities=len(entities),
        topics=len(TOPICS),
        seed_bytes=seed_bytes,
        seconds=time.perf_counter() - started,
    )


# ---------------------------------------------------------------------------------------
# Timing, one phase per spawned process.


@dataclass(frozen=True, slots=True)
class Sample:
    """One timed phase, as measured inside its own process."""

    phase: str
    seconds: float
    base_kib: int  # peak RSS after imports, before the timed call
    peak_kib: int  # peak RSS of the whole process
    files: int
    written: int
    unchanged: int
    error_count: int
    warning_count: int
    diagnostics: list[str]  # the first few, formatted


def _max_rss_kib() -> int:
    # The largest of this process and any worker it forked (with --jobs above 1).
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB on Linux


def measure(phase: str, root: Path, output: Path, jobs: int) -> Sample:
    """Run one phase in this process and measure it."""
    from briefsite.build.builder import Builder
    from briefsite.build.store import Store
    from briefsite.errors import Diagnostic

    if phase == "build" and output.exists():
        raise RuntimeError(f"{output} should not exist before a full build")
    if phase == "rebuild" and not output.is_dir():
        raise RuntimeError(f"{output} should hold the previous build before a rebuild")
    base = _max_rss_kib()
    written = unchanged = files = 0
    found: Sequence[Diagnostic]
    started = time.perf_counter()
    builder = Builder(root, Store.none(), jobs)
    if phase == "check":
        run = builder.check()
        seconds = time.perf_counter() - started
        found = run.diagnostics
        files = len(run.pages)
    else:
        built = builder.build(output)
        seconds = time.perf_counter() - started
        found = built.diagnostics
        written, unchanged = built.written.written, built.written.unchanged
        files = written + unchanged
    errors = [d for d in found if d.severity == "error"]
    return Sample(
        phase=phase,
        seconds=seconds,
        base_kib=base,
        peak_kib=_max_rss_kib(),
        files=files,
        written=written,
        unchanged=unchanged,
        error_count=len(errors),
        warning_count=len(found) - len(errors),
        diagnostics=[
            d.format()
            for d in [*errors, *(d for d in found if d.severity != "error")][:SHOWN_DIAGNOSTICS]
        ],
    )


def _child(phase: str, root: str, output: str, jobs: int, conn: Connection) -> None:
    try:
        conn.send(json.dumps(asdict(measure(phase, Path(root), Path(output), jobs))))
    except BaseException:
        conn.send(json.dumps({"crash": traceback.format_exc()}))
    finally:
        conn.close()


def run_phase(phase: str, root: Path, output: Path, jobs: int) -> Sample:
    """Run one phase in a freshly spawned process, so its peak RSS is its own."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(phase, str(root), str(output), jobs, sender))
    process.start()
    sender.close()
    try:
        message = json.loads(receiver.recv())
    except EOFError:
        message = {"crash": "the process ended without a result"}
    finally:
        receiver.close()
        process.join()
    if "crash" in message:
        raise RuntimeError(f"{phase} failed (exit code {process.exitcode}):\n{message['crash']}")
    return Sample(**message)


def _fail_on_errors(sample: Sample) -> None:
    if not sample.error_count:
        return
    print(
        f"error: the generated project has {sample.error_count} error(s) in the {sample.phase} "
        f"phase; the first {min(SHOWN_DIAGNOSTICS, sample.error_count)}:",
        file=sys.stderr,
    )
    for text in sample.diagnostics:
        print(text, file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------------------------------
# Reporting.


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f}"


def table(samples: dict[str, list[Sample]], briefs: int) -> str:
    """The plain-text table of figures."""
    header = (
        "phase",
        "best s",
        "median s",
        "briefs/s best",
        "briefs/s median",
        "peak RSS MiB",
        "after-import RSS MiB",
        "files",
    )
    rows: list[tuple[str, ...]] = [header]
    for phase in PHASES:
        runs = samples[phase]
        best = min(s.seconds for s in runs)
        median = statistics.median(s.seconds for s in runs)
        last = runs[-1]
        if phase == "check":
            files = f"{last.files} rendered in memory"
        else:
            files = f"{last.written} written, {last.unchanged} unchanged"
        rows.append(
            (
                phase,
                f"{best:.3f}",
                f"{median:.3f}",
                f"{briefs / best:.1f}",
                f"{briefs / median:.1f}",
                _mib(max(s.peak_kib for s in runs)),
                _mib(max(s.base_kib for s in runs)),
                files,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if i in (0, len(row) - 1) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def environment_line() -> str:
    """The one line saying what ran the benchmark."""
    try:
        import yaml

        libyaml = "yes" if hasattr(yaml, "CSafeLoader") else "no"
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        libyaml = "absent"
    return (
        f"Python {platform.python_version()} ({platform.python_implementation()}) on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; libyaml: {libyaml}"
    )


def reproduce_line(args: argparse.Namespace) -> str:
    """The exact command that reproduces this run, from the repository root."""
    python = Path(sys.executable)
    shown_python = str(python.relative_to(REPO)) if python.is_relative_to(REPO) else str(python)
    command = [
        shown_python,
        "benchmarks/build_speed.py",
        "--briefs",
        str(args.briefs),
        "--repeat",
        str(args.repeat),
        "--jobs",
        str(args.jobs),
    ]
    if args.keep is not None:
        command += ["--keep", str(args.keep)]
    if args.profile:
        command.append("--profile")
    return f"cd {shlex.quote(str(REPO))} && {shlex.join(command)}"


def profile_build(root: Path, output: Path) -> str:
    """cProfile one full build (into an empty output); the top functions by cumulative time."""
    from briefsite.build.builder import Builder
    from briefsite.build.store import Store

    shutil.rmtree(output, ignore_errors=True)
    profiler = cProfile.Profile()
    built = profiler.runcall(Builder(root, Store.none()).build, output)
    if not built.ok:
        errors = [d.format() for d in built.diagnostics if d.severity == "error"]
        print(f"error: the profiled build failed with {len(errors)} error(s):", file=sys.stderr)
        print("\n".join(errors[:SHOWN_DIAGNOSTICS]), file=sys.stderr)
        sys.exit(1)
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(PROFILE_LINES)
    text = stream.getvalue()
    # Shorten paths so the table fits: the repository and site-packages prefixes.
    for prefix, short in (
        (sysconfig.get_paths()["purelib"] + os.sep, ""),
        (sysconfig.get_paths()["stdlib"] + os.sep, "<stdlib>/"),
        (str(REPO) + os.sep, ""),
    ):
        text = text.replace(prefix, short)
    return text.strip("\n")


# ---------------------------------------------------------------------------------------
# The command line.


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The benchmark's options."""
    parser = argparse.ArgumentParser(
        prog="build_speed.py",
        description="Time briefsite's check, full build and rebuild on a synthetic project.",
    )
    parser.add_argument(
        "--briefs", type=_positive, default=1000, metavar="N", help="briefs (default 1000)"
    )
    parser.add_argument(
        "--repeat",
        type=_positive,
        default=3,
        metavar="K",
        help="runs of each phase; the best and the median are shown (default 3)",
    )
    parser.add_argument(
        "--jobs",
        type=_positive,
        default=1,
        metavar="J",
        help="processes for the build to use, as `build.py --jobs` (default 1)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="write the project (and its output/) in DIR and keep it, instead of a temporary "
        "folder; DIR must be new, empty, or made by an earlier run of this script",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help=f"also cProfile one full build and print the top {PROFILE_LINES} functions "
        "by cumulative time",
    )
    return parser.parse_args(argv)


def _prepare_keep(folder: Path) -> Path:
    if folder.exists():
        if not folder.is_dir():
            sys.exit(f"build_speed.py: error: --keep {folder} is not a folder")
        if any(folder.iterdir()) and not (folder / MARKER).is_file():
            sys.exit(
                f"build_speed.py: error: --keep {folder} is not empty and was not made by this "
                "script; choose a new or empty folder"
            )
        for name in ("seeds", "content", "output"):
            shutil.rmtree(folder / name, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("Made by benchmarks/build_speed.py; safe to delete.\n")
    return folder.resolve()


def benchmark(args: argparse.Namespace, root: Path) -> None:
    """Generate the project in `root`, time every phase and print the report."""
    output = root / "output"
    print(f"generating {args.briefs} briefs in {root} ...", file=sys.stderr)
    stats = generate(root, args.briefs)
    print(f"  generated in {stats.seconds:.1f} s", file=sys.stderr)
    samples: dict[str, list[Sample]] = {phase: [] for phase in PHASES}
    for attempt in range(1, args.repeat + 1):
        for phase in PHASES:
            if phase == "build":
                shutil.rmtree(output, ignore_errors=True)
            print(f"  run {attempt}/{args.repeat}: {phase} ...", file=sys.stderr)
            sample = run_phase(phase, root, output, args.jobs)
            _fail_on_errors(sample)
            samples[phase].append(sample)
    print(
        f"briefsite build speed: {stats.briefs} briefs ({stats.seed_bytes / 1024:.0f} KiB of "
        f"seeds), {stats.notes} notes, {stats.entities} entities, {stats.topics} topics; "
        f"{args.repeat} run(s) of each phase, each in a fresh spawned process; "
        f"--jobs {args.jobs}"
    )
    print()
    print(table(samples, stats.briefs))
    warnings = max(s.warning_count for runs in samples.values() for s in runs)
    if warnings:
        print(f"(the project has {warnings} warning(s))")
    print()
    print(environment_line())
    print(f"reproduce: {reproduce_line(args)}")
    if args.profile:
        print()
        print(f"cProfile of one full build into an empty output (top {PROFILE_LINES} by cumulative")
        print("time; the profiler itself slows the build down):")
        print(profile_build(root, output))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; non-zero if the generated project does not build cleanly."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.keep is not None:
        benchmark(args, _prepare_keep(args.keep))
        return 0
    with tempfile.TemporaryDirectory(prefix="briefsite-benchmark-") as folder:
        benchmark(args, Path(folder).resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
