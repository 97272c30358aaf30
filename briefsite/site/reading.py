"""The reader's extras of a brief page: numbered sources, the type legend, how to cite it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from briefsite.model import Brief, Entity, Site, count_by_type
from briefsite.site.article import ArticleBlock
from briefsite.site.views import (
    ENTITY_GROUPS,
    NOTE_WORDS,
    OTHER_ENTITIES,
    ArticleBlockView,
    CitationView,
    CiteView,
    Link,
    LinkGroup,
    NoteView,
    SourceEntry,
    TypeLegend,
)


def number_sources(notes: Sequence[NoteView]) -> tuple[list[NoteView], list[SourceEntry]]:
    """Number every cited source in reading order, once per URL, and tell each note its
    sources' numbers."""
    numbers: dict[str, int] = {}
    first: list[CitationView] = []
    citing: list[list[NoteView]] = []
    numbered: list[NoteView] = []
    for note in notes:
        cites = []
        for cite in note.sources:
            number = numbers.get(cite.url)
            if number is None:
                number = numbers[cite.url] = len(first) + 1
                first.append(dataclasses.replace(cite, number=number))
                citing.append([])
            elif cite.accessed and not first[number - 1].accessed:
                first[number - 1] = dataclasses.replace(cite, number=number)
            cites.append(dataclasses.replace(cite, number=number))
        view = dataclasses.replace(note, sources=tuple(cites))
        for cite in cites:
            if view.id not in (n.id for n in citing[cite.number - 1]):
                citing[cite.number - 1].append(view)
        numbered.append(view)
    entries = [SourceEntry(c.number, c, tuple(n)) for c, n in zip(first, citing, strict=True)]
    return numbered, entries


def article_views(
    blocks: Sequence[ArticleBlock], notes: Sequence[NoteView]
) -> list[ArticleBlockView]:
    """Each block of the article with the views of the notes that start in it."""
    by_id = {n.id: n for n in notes}
    return [
        ArticleBlockView(b.html, tuple(by_id[i] for i in b.notes if i in by_id)) for b in blocks
    ]


def legend(notes: Sequence[NoteView]) -> list[TypeLegend]:
    """Every note type, in the schema's order, with how many of the brief's notes have it."""
    counts = count_by_type(note.type for note in notes)
    return [TypeLegend(t, NOTE_WORDS[t].label, c) for t, c in counts.items()]


def entity_groups(entities: Sequence[Entity], prefix: str) -> list[LinkGroup]:
    """Entities under the heading of their kind's group, in the given order within each;
    groups without entities are left out. Links are `prefix` + slug + `/`."""
    groups: list[LinkGroup] = []
    for heading, kinds in (*ENTITY_GROUPS, (OTHER_ENTITIES, (None,))):
        links = tuple(Link(e.name, f"{prefix}{e.slug}/") for e in entities if e.kind in kinds)
        if links:
            groups.append(LinkGroup(heading, links))
    return groups


def brief_url(site: Site, slug: str) -> str | None:
    """The brief's absolute address, when the site has a base URL."""
    if not site.base_url:
        return None
    return site.base_url.rstrip("/") + f"/briefs/{slug}/"


# Quotation marks by language (CLDR's delimiters): outer open and close, inner open and
# close. A language not listed is quoted as English is.
QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("“", "”", "‘", "’"),
    "de": ("„", "“", "‚", "‘"),
    "es": ("«", "»", "“", "”"),
    "fr": ("«\u202f", "\u202f»", "“", "”"),
    "it": ("«", "»", "“", "”"),
}
# Double quotation marks as typed in any language; whether one opens or closes a quotation
# is told by what precedes it, as German closes with the mark English opens with.
_DOUBLE_MARKS = '"“”„«»'
_OPENS_AFTER = " \t\n([{—–-/"


def _inner_quotes(text: str, opening: str, closing: str) -> str:
    """`text` with its double quotation marks turned into the given pair."""
    out = []
    for i, char in enumerate(text):
        if char in _DOUBLE_MARKS:
            opens = i == 0 or text[i - 1] in _OPENS_AFTER
            out.append(opening if opens else closing)
        else:
            out.append(char)
    return "".join(out)


def quote_title(title: str, language: str) -> str:
    """A title in quotation marks for a reference, with a full stop inside unless it ends in
    one already; quotation marks inside it become the language's inner pair."""
    outer_open, outer_close, inner_open, inner_close = QUOTES.get(
        language.split("-")[0].casefold(), QUOTES["en"]
    )
    inner = _inner_quotes(title, inner_open, inner_close)
    stop = "" if inner.rstrip(inner_close).endswith((".", "?", "!")) else "."
    return f"{outer_open}{inner}{stop}{outer_close}"


# Characters BibTeX or LaTeX read specially. Braces cannot be escaped as `\{`: BibTeX counts
# braces without regard to backslashes, and one unmatched brace breaks the entry.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "^": r"\^{}",
    "~": r"\~{}",
    **{c: "\\" + c for c in "&%$#_"},
    # Typographic quotation marks and dashes, as LaTeX spells them.
    "‘": "`",
    "’": "'",
    "—": "---",
    "–": "--",
}


def _bibtex_escape(value: str) -> str:
    text = _inner_quotes(value, "``", "''")
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in text)


_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def cite(site: Site, brief: Brief, title: str) -> CiteView:
    """A plain-text reference and a BibTeX entry for a brief."""
    url = brief_url(site, brief.slug)
    date: dt.date = brief.updated or brief.published
    day = f"{brief.published.day} {brief.published:%B %Y}"
    authors = ", ".join(brief.authors) if brief.authors else site.title
    text = f"{authors}. {quote_title(title, site.language)} {site.title}, {day}"
    if brief.updated:
        text += f", updated {brief.updated.day} {brief.updated:%B %Y}"
    text += f". {url}" if url else "."
    fields = [
        ("author", " and ".join(f"{{{_bibtex_escape(a)}}}" for a in brief.authors or [site.title])),
        ("title", f"{{{_bibtex_escape(title)}}}"),
        ("howpublished", _bibtex_escape(site.title)),
        ("year", str(brief.published.year)),
        ("month", _MONTHS[brief.published.month - 1]),
    ]
    if url:
        fields.append(("url", url))
    if brief.updated:
        fields.append(("note", f"Updated {date.isoformat()}"))
    body = ",\n".join(
        f"  {name:<12} = {value if name == 'month' else '{' + value + '}'}"
        for name, value in fields
    )
    return CiteView(text, f"@misc{{{brief.slug}-{brief.published.year},\n{body}\n}}")
