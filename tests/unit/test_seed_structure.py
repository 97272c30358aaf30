"""Seeds with structure: subheads, list items, block quotes and an explicit no-standfirst.

The document text is the blocks' text, markers removed, joined by a blank line, each list item
a block of its own; a seed without markers keeps exactly the document text it had before.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from briefsite.anchor.selectors import seed_sha256
from briefsite.errors import SourceLocation
from briefsite.read.seeds import parse_seed
from briefsite.site.article import Span, render_article
from tests.helpers import check

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "example"
STRUCTURED = """\
County budget passes

---

Short first paragraph.

## What it buys
The county will spend on:
- roads, \\
  and bridges
- parks
3. third
4. fourth

> We did not ask them,
> he said.
>
> Nobody did.

\\- not an item, and \\## not a subhead inside a line
"""


def _kinds(text: str) -> list[tuple[str, str, int]]:
    seed = parse_seed(text, "s", "seeds/s.txt")
    return [(b.kind, seed.text[b.start : b.end], b.number) for b in seed.blocks]


def test_markers_make_blocks_and_are_not_part_of_the_text() -> None:
    assert _kinds(STRUCTURED) == [
        ("headline", "County budget passes", 0),
        ("paragraph", "Short first paragraph.", 0),  # `---`: not a standfirst
        ("subhead", "What it buys", 0),
        ("paragraph", "The county will spend on:", 0),
        ("item", "roads, \\ and bridges", 0),
        ("item", "parks", 0),
        ("item", "third", 3),
        ("item", "fourth", 4),
        ("quote", "We did not ask them, he said.", 0),
        ("quote", "Nobody did.", 0),
        ("paragraph", "- not an item, and \\## not a subhead inside a line", 0),
    ]


def test_a_wrapped_line_that_starts_with_a_year_goes_on_with_its_sentence() -> None:
    # Hard-wrapped text: "2021. The" is not a numbered item, as in CommonMark, where only
    # `1. ` may interrupt a paragraph; nor is an escaped line a block of its own.
    wrapped = "Head\n\nThe levy rose in\n2021. The board\n\\## met again.\n\n- one\n2. two\n"
    assert _kinds(wrapped)[1:] == [
        ("paragraph", "The levy rose in 2021. The board ## met again.", 0),
        ("item", "one", 0),
        ("item", "two", 2),
    ]
    assert _kinds("Head\n\nSteps:\n1. one\n2. two\n")[1:] == [
        ("paragraph", "Steps:", 0),
        ("item", "one", 1),
        ("item", "two", 2),
    ]


def test_the_document_text_joins_the_blocks_with_a_blank_line() -> None:
    seed = parse_seed(STRUCTURED, "s", "seeds/s.txt")
    assert seed.text == "\n\n".join(seed.text[b.start : b.end] for b in seed.blocks)
    assert "##" not in seed.text.replace("\\##", "")
    assert "---" not in seed.text


def test_offsets_of_marked_lines_point_at_their_words_in_the_file() -> None:
    seed = parse_seed(STRUCTURED, "s", "seeds/s.txt")
    assert seed.locate(seed.text.index("What it buys")) == SourceLocation("seeds/s.txt", 7, 4)
    assert seed.locate(seed.text.index("parks")) == SourceLocation("seeds/s.txt", 11, 3)
    assert seed.locate(seed.text.index("fourth")) == SourceLocation("seeds/s.txt", 13, 4)
    assert seed.locate(seed.text.index("he said")) == SourceLocation("seeds/s.txt", 16, 3)
    assert seed.locate(seed.text.index("not an item")) == SourceLocation("seeds/s.txt", 20, 4)


def test_a_short_line_under_the_headline_is_the_standfirst_unless_a_dashes_line_says_not() -> None:
    assert _kinds("Head\n\nA dek.\n\nBody.\n")[1] == ("standfirst", "A dek.", 0)
    assert _kinds("Head\n---\nBody.\n")[1] == ("paragraph", "Body.", 0)
    assert _kinds("Head\n\n## Summary\n\nBody.\n")[1] == ("subhead", "Summary", 0)
    assert _kinds("Head\n\n- one\n- two\n")[1:] == [("item", "one", 0), ("item", "two", 0)]


def test_a_seed_without_markers_keeps_its_recorded_text_and_offsets() -> None:
    """The example (a copy in the fixtures) was anchored before markers existed: its seed's
    hash and every note's recorded start still hold."""
    brief_path = EXAMPLE / "content/briefs/border-patrol-sanctuary-cities.yaml"
    brief = yaml.safe_load(brief_path.read_text(encoding="utf-8"))
    seed_text = (EXAMPLE / "seeds/border-patrol-sanctuary-cities.txt").read_text(encoding="utf-8")
    seed = parse_seed(seed_text, "border-patrol-sanctuary-cities", "seeds/x.txt")
    assert seed_sha256(seed) == brief["anchored"]["seed_sha256"]
    starts = {n["id"]: n["start"] for n in brief["annotations"] if "start" in n}
    assert len(starts) >= 10
    placed = {a.note_id: a for a in check(EXAMPLE).anchors["border-patrol-sanctuary-cities"]}
    for note_id, start in starts.items():
        anchor = placed[note_id]
        assert (anchor.status, getattr(anchor, "start", None)) == ("exact", start), note_id


def test_structure_renders_as_headings_lists_and_quotes() -> None:
    seed = parse_seed(STRUCTURED, "s", "seeds/s.txt")
    start = seed.text.index("parks")
    end = seed.text.index("third") + len("third")
    blocks, passages = render_article(seed, [Span("n", "context", 1, start, end)], [], str)
    html = "".join(str(b.html) for b in blocks)
    assert '<h4 class="subhead">What it buys</h4>' in html
    assert html.count("<ul") == 1 and html.count("<ol") == 1
    assert '<ol class="list" start="3"><li>' in html
    assert (
        '<blockquote class="quote"><p>We did not ask them, he said.</p><p>Nobody did.</p>' in html
    )
    # A note across two lists: a mark in each item, one passage id at its start.
    assert passages == {"n": "passage_n"}
    assert html.count('data-notes="n"') == 2
    list_block = next(b for b in blocks if "<ul" in str(b.html))
    assert list_block.notes == ("n",), "the list is one block: its notes sit beside it"
