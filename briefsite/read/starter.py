"""What `./build.py new` writes: the seed of an imported article, and the start of its brief.

The seed follows the seed format (see `seeds.py`): the headline on line 1, then blocks
separated by blank lines, subheads, list items and block quotes marked, a paragraph that
would read as a marker escaped with a backslash. The brief has the keys filled that the
article told (its source), today's date, and one commented example of each type of note.
"""

from __future__ import annotations

import datetime as dt

from briefsite.model import NOTE_TYPES, RATINGS
from briefsite.read.articles import Article, Piece, plural
from briefsite.read.schema import modeline
from briefsite.read.seeds import NO_STANDFIRST, STANDFIRST_MAX_CHARS, starts_like_a_marker
from briefsite.read.yaml_text import yaml_scalar

_MARKS = {"subhead": "## ", "item": "- ", "quote": "> "}


def seed_text(article: Article) -> tuple[str, tuple[str, ...]]:
    """The seed file's text, and notes on what writing it did."""
    lines: list[str] = []
    escaped = 0
    notes = []
    previous: Piece | None = None
    for index, piece in enumerate(article.pieces):
        short = len(piece.text) <= STANDFIRST_MAX_CHARS
        if index == 1 and piece.kind == "paragraph" and short:
            # The article's first paragraph, short enough to be read as a standfirst.
            lines += ["", NO_STANDFIRST]
            notes.append(
                f"put a `{NO_STANDFIRST}` line under the headline: the first paragraph is short "
                "and would show as the standfirst; remove the line if it is one"
            )
        if piece.kind in ("headline", "standfirst"):
            line = piece.text
        elif piece.kind == "numbered":
            line = f"{piece.number}. {piece.text}"
        elif piece.kind in _MARKS:
            line = _MARKS[piece.kind] + piece.text
        else:
            line = piece.text
            if starts_like_a_marker(line):
                line = "\\" + line
                escaped += 1
        # The items of one list go on consecutive lines; every other block after a blank one.
        same_list = previous is not None and piece.kind == previous.kind
        if lines and not (same_list and piece.kind in ("item", "numbered")):
            lines.append("")
        lines.append(line)
        previous = piece
    if escaped:
        notes.append(
            f"put a backslash before {plural(escaped, 'paragraph')} that would otherwise "
            "read as a subhead, list item or quote"
        )
    return "\n".join(lines) + "\n", tuple(notes)


def describe(article: Article) -> str:
    """How many blocks of each kind the seed has, in words."""
    kinds = [p.kind for p in article.pieces]
    parts = [
        plural(kinds.count(kind), noun)
        for kind, noun in (
            ("standfirst", "standfirst"),
            ("paragraph", "paragraph"),
            ("subhead", "subhead"),
            ("item", "list item"),
            ("numbered", "numbered item"),
            ("quote", "block quote"),
        )
        if kind in kinds
    ]
    return ", ".join(parts) or "a headline only"


def brief_text(slug: str, article: Article, today: dt.date) -> str:
    """The start of a brief: known keys filled, every other key and note type shown."""
    headline = article.pieces[0].text
    lines = [
        modeline("brief", 2),
        f"seed: {slug}",
        f"# title: {yaml_scalar(headline)}   # the default: the seed's headline",
        "# summary: The bottom line, in one to three sentences of Markdown.",
        "# key_points:",
        "#   - The main points, one a line.",
        f"published: {today.isoformat()}   # the date of this brief",
        "# authors: [Your Name]",
    ]
    known = [
        (key, value)
        for key, value in (
            ("publisher", article.publisher),
            ("published", article.published.isoformat() if article.published else None),
            ("url", article.url),
            ("byline", article.byline),
        )
        if value
    ]
    if known:
        lines.append("source:   # about the article, as the page said it")
        lines += [f"  {key}: {yaml_scalar(value)}" for key, value in known]
    else:
        lines.append("# source: {publisher: ..., published: YYYY-MM-DD, url: https://...}")
    lines += [
        "# topics: [topic-slug]   # files in content/topics/",
        "annotations:",
        "# In `./build.py serve`, select words of the article: the page offers a note to paste",
        "# here. One example of each type of note (remove the `# ` of a line to use it):",
    ]
    for note_type in NOTE_TYPES:
        lines += [f"#  {line}" for line in _example(note_type)]
    return "\n".join(lines) + "\n"


def _example(note_type: str) -> list[str]:
    head = [
        f"- id: example-{note_type}",
        "  quote: words copied from the seed",
        f"  type: {note_type}",
    ]
    says = {
        "context": "What a reader needs to know to read this passage.",
        "definition": "What the term means, in plain words.",
        "claim": "What the evidence shows.",
        "source": "Where the passage comes from.",
        "question": "What the article leaves open.",
        "correction": "What the article got wrong, and what is right.",
    }
    lines = [*head, f"  note: {says[note_type]}"]
    if note_type == "claim":
        lines += [
            "  verdict:",
            f"    rating: missing-context   # {', '.join(RATINGS)}",
            "    summary: Why, in a sentence or two.",
        ]
    if note_type == "source":
        lines += ["  sources:", "    - {title: The report, url: https://example.org/report}"]
    return lines
