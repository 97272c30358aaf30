"""The reader's extras of a brief page: numbered sources, the type legend, how to cite it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from briefsite.model import Brief, Site, count_by_type
from briefsite.site.article import ArticleBlock
from briefsite.site.views import (
    NOTE_WORDS,
    ArticleBlockView,
    CitationView,
    CiteView,
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


def brief_url(site: Site, slug: str) -> str | None:
    """The brief's absolute address, when the site has a base URL."""
    if not site.base_url:
        return None
    return site.base_url.rstrip("/") + f"/briefs/{slug}/"


def _bibtex_escape(value: str) -> str:
    out = []
    for char in value:
        if char == "\\":
            out.append(r"\textbackslash{}")
        elif char in "{}&%$#_":
            out.append("\\" + char)
        elif char in "^~":
            out.append(f"\\{char}{{}}")
        else:
            out.append(char)
    return "".join(out)


_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def cite(site: Site, brief: Brief, title: str) -> CiteView:
    """A plain-text reference and a BibTeX entry for a brief."""
    url = brief_url(site, brief.slug)
    date: dt.date = brief.updated or brief.published
    day = f"{brief.published.day} {brief.published:%B %Y}"
    authors = ", ".join(brief.authors) if brief.authors else site.title
    text = f"{authors}. “{title}.” {site.title}, {day}"
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
