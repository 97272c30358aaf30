"""The annotated article: spans cut into segments, marks, note refs and entity links."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from markupsafe import Markup

from briefsite.link.graph import Mention
from briefsite.model import Block, NoteType, Seed
from briefsite.read.seeds import parse_seed
from briefsite.site.article import (
    ArticleBlock,
    Segment,
    Span,
    mentioned_in,
    passage_id,
    render_article,
    segment_block,
)
from briefsite.site.views import NOTE_WORDS


def _span(note_id: str, start: int, end: int, number: int = 1, kind: NoteType = "context") -> Span:
    return Span(note_id, kind, number, start, end)


def _cuts(segments: Sequence[Segment]) -> list[tuple[int, int, list[str]]]:
    return [(s.start, s.end, [n.note_id for n in s.notes]) for s in segments]


BLOCK = Block("paragraph", 10, 30)


# --- segment_block ------------------------------------------------------------------------


def test_block_without_notes_is_one_plain_segment() -> None:
    assert _cuts(segment_block(BLOCK, [])) == [(10, 30, [])]


def test_one_span_inside_cuts_three_segments() -> None:
    assert _cuts(segment_block(BLOCK, [_span("a", 12, 20)])) == [
        (10, 12, []),
        (12, 20, ["a"]),
        (20, 30, []),
    ]


def test_span_covering_the_whole_block_is_one_segment() -> None:
    assert _cuts(segment_block(BLOCK, [_span("a", 10, 30)])) == [(10, 30, ["a"])]


def test_nested_spans() -> None:
    spans = [_span("outer", 12, 28), _span("inner", 15, 20)]
    assert _cuts(segment_block(BLOCK, spans)) == [
        (10, 12, []),
        (12, 15, ["outer"]),
        (15, 20, ["outer", "inner"]),
        (20, 28, ["outer"]),
        (28, 30, []),
    ]


def test_overlapping_spans() -> None:
    spans = [_span("a", 12, 20), _span("b", 15, 25)]
    assert _cuts(segment_block(BLOCK, spans)) == [
        (10, 12, []),
        (12, 15, ["a"]),
        (15, 20, ["a", "b"]),
        (20, 25, ["b"]),
        (25, 30, []),
    ]


def test_adjacent_spans_share_no_segment() -> None:
    spans = [_span("a", 12, 18), _span("b", 18, 24)]
    assert _cuts(segment_block(BLOCK, spans)) == [
        (10, 12, []),
        (12, 18, ["a"]),
        (18, 24, ["b"]),
        (24, 30, []),
    ]


def test_identical_spans_share_one_segment() -> None:
    spans = [_span("a", 12, 18), _span("b", 12, 18)]
    assert _cuts(segment_block(BLOCK, spans)) == [
        (10, 12, []),
        (12, 18, ["a", "b"]),
        (18, 30, []),
    ]


def test_span_entering_the_block_from_before() -> None:
    assert _cuts(segment_block(BLOCK, [_span("a", 2, 14)])) == [(10, 14, ["a"]), (14, 30, [])]


def test_span_leaving_the_block_after() -> None:
    assert _cuts(segment_block(BLOCK, [_span("a", 25, 45)])) == [(10, 25, []), (25, 30, ["a"])]


def test_spans_ending_at_the_block_start_or_starting_at_its_end_are_outside() -> None:
    spans = [_span("before", 0, 10), _span("after", 30, 40)]
    assert _cuts(segment_block(BLOCK, spans)) == [(10, 30, [])]


def test_segments_tile_the_block_exactly() -> None:
    spans = [_span("a", 11, 19), _span("b", 13, 27), _span("c", 13, 15), _span("d", 26, 35)]
    segments = segment_block(BLOCK, spans)
    assert segments[0].start == BLOCK.start
    assert segments[-1].end == BLOCK.end
    assert all(x.end == y.start for x, y in itertools.pairwise(segments))
    for segment in segments:
        covering = {s.note_id for s in spans if s.start < segment.end and s.end > segment.start}
        assert {n.note_id for n in segment.notes} == covering


# --- render_article -----------------------------------------------------------------------


SEED_TEXT = (
    "Agency moves staff\n\n"
    "A short dek.\n\n"
    "The Agency said on Friday it would move 40 staff.\n\n"
    "Critics said the Agency had not explained the cost."
)


def _seed(text: str = SEED_TEXT) -> Seed:
    return parse_seed(text, "s", "seeds/s.txt")


def _at(seed: Seed, text: str, nth: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(nth):
        start = seed.text.index(text, start + 1)
    return start, start + len(text)


def _entity_url(slug: str) -> str:
    return f"../../entities/{slug}/"


def _render(
    seed: Seed,
    spans: Sequence[Span],
    mentions: Sequence[Mention] = (),
    entity_url: Callable[[str], str] = _entity_url,
) -> tuple[str, dict[str, str]]:
    """The article's blocks joined into one HTML string, and the passage of each note."""
    blocks, passages = render_article(seed, spans, mentions, entity_url)
    return "".join(str(b.html) for b in blocks), passages


_SR = re.compile(r'<span class="sr">[^<]*</span>')
_REF = re.compile(r'<a class="ref [^"]*" href="#[^"]*">.*?</a>')


def _marks(html: str) -> list[tuple[str, str]]:
    """(data-notes, text without tags or screen-reader text) of every mark, in order."""
    return [
        (m[1], re.sub(r"<[^>]+>", "", _SR.sub("", m[2])))
        for m in re.finditer(r'<mark [^>]*data-notes="([^"]*)"[^>]*>(.*?)</mark>', html)
    ]


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", "", _SR.sub("", _REF.sub("", html)))


def _ref(note: str, number: int, kind: NoteType = "context") -> str:
    return (
        f'<a class="ref t-{kind}" href="#{note}"><span class="sr"> [end of passage; read note '
        f'</span>{number}<span class="sr">, {NOTE_WORDS[kind].name}]</span></a>'
    )


def test_article_blocks_use_headline_standfirst_and_paragraph_markup() -> None:
    blocks, passages = render_article(_seed(), [], [], _entity_url)
    assert blocks == [
        ArticleBlock(Markup('<h3 class="headline">Agency moves staff</h3>\n'), ()),
        ArticleBlock(Markup('<p class="standfirst">A short dek.</p>\n'), ()),
        ArticleBlock(Markup("<p>The Agency said on Friday it would move 40 staff.</p>\n"), ()),
        ArticleBlock(Markup("<p>Critics said the Agency had not explained the cost.</p>\n"), ()),
    ]
    assert passages == {}


def test_one_note_is_one_mark_linking_to_it_with_screen_reader_start_and_end() -> None:
    seed = _seed()
    start, end = _at(seed, "move 40 staff")
    blocks, passages = render_article(seed, [_span("staff", start, end)], [], _entity_url)
    html = str(blocks[2].html)
    assert (
        'would <mark class="hl t-context" data-notes="staff" id="passage_staff">'
        '<span class="sr">[start of passage for note 1, context] </span>'
        '<a class="hl-link" href="#staff">move 40 staff</a></mark>' + _ref("staff", 1) + ".</p>"
    ) in html
    assert [b.notes for b in blocks] == [(), (), ("staff",), ()]
    assert passages == {"staff": "passage_staff"}
    assert passage_id("staff") == "passage_staff"


def test_overlapping_notes_mark_every_segment_with_all_its_notes() -> None:
    seed = _seed()
    a = _span("a", *_at(seed, "said on Friday"), number=1, kind="claim")
    b = _span("b", *_at(seed, "on Friday it would"), number=2, kind="context")
    html, passages = _render(seed, [a, b])
    assert _marks(html) == [("a", "said "), ("a b", "on Friday"), ("b", " it would")]
    # The shared segment is told apart by its class and links to the inner (later) note.
    assert (
        '<mark class="hl t-context overlap" data-notes="a b" id="passage_b">'
        '<span class="sr">[start of passage for note 2, context] </span>'
        '<a class="hl-link" href="#b">on Friday</a></mark>'
    ) in html
    assert '<a class="hl-link" href="#a">said </a>' in html
    assert html.count('id="passage_a"') == 1
    assert html.count('id="passage_b"') == 1
    assert passages == {"a": "passage_a", "b": "passage_b"}
    # Each note's ref follows its own last segment.
    assert "on Friday</a></mark>" + _ref("a", 1, "claim") in html
    assert " it would</a></mark>" + _ref("b", 2) in html


def test_claim_notes_are_named_claim_checks_for_screen_readers() -> None:
    seed = _seed()
    html, _ = _render(seed, [_span("c", *_at(seed, "40 staff"), 3, "claim")])
    assert "[start of passage for note 3, claim check]" in html
    assert '[end of passage; read note </span>3<span class="sr">, claim check]' in html


def test_nested_notes_open_and_close_in_the_right_segments() -> None:
    seed = _seed()
    outer = _span("outer", *_at(seed, "The Agency said on Friday"), number=1)
    inner = _span("inner", *_at(seed, "Agency said"), number=2)
    html, _ = _render(seed, [outer, inner])
    assert _marks(html) == [
        ("outer", "The "),
        ("outer inner", "Agency said"),
        ("outer", " on Friday"),
    ]
    assert 'data-notes="outer" id="passage_outer">' in html
    assert 'data-notes="outer inner" id="passage_inner">' in html
    assert html.count('class="ref t-context" href="#outer"') == 1
    assert html.count('class="ref t-context" href="#inner"') == 1
    assert html.index('class="ref t-context" href="#inner"') < html.index(
        'class="ref t-context" href="#outer"'
    )
    # Every segment links to a note: the outer note's own segments to it, the shared one inward.
    assert re.findall(r'class="hl-link" href="#(\w+)"', html) == ["outer", "inner", "outer"]


def test_adjacent_notes_are_two_marks_each_with_its_ref() -> None:
    seed = _seed()
    a = _span("a", *_at(seed, "The Agency"), number=1)
    b = _span("b", *_at(seed, " said"), number=2)
    html, _ = _render(seed, [a, b])
    assert _marks(html) == [("a", "The Agency"), ("b", " said")]
    assert html.index(_ref("a", 1)) < html.index('data-notes="b"')


def test_identical_notes_share_a_mark_and_both_link_back_to_it() -> None:
    seed = _seed()
    where = _at(seed, "40 staff")
    blocks, passages = render_article(
        seed, [_span("x", *where, number=1), _span("y", *where, number=2)], [], _entity_url
    )
    html = "".join(str(b.html) for b in blocks)
    assert _marks(html) == [("x y", "40 staff")]
    assert set(passages) == {"x", "y"}
    for anchor in passages.values():
        assert html.count(f'id="{anchor}"') == 1
    # Both notes stay reachable: one ref each, and the start of both passages is announced.
    assert html.count('class="ref ') == 2
    assert html.count("[start of passage for note") == 2
    assert blocks[2].notes == ("x", "y")


def test_note_across_paragraphs_is_marked_in_both_with_one_id_and_one_ref() -> None:
    seed = _seed()
    start = seed.text.index("40 staff.")
    end = seed.text.index("Critics said") + len("Critics said")
    blocks, passages = render_article(seed, [_span("span", start, end)], [], _entity_url)
    html = "".join(str(b.html) for b in blocks)
    assert _marks(html) == [("span", "40 staff."), ("span", "Critics said")]
    assert html.count('id="passage_span"') == 1
    assert html.count('class="ref ') == 1
    assert html.count("[start of passage") == 1
    assert "Critics said</a></mark>" + _ref("span", 1) in html
    assert passages == {"span": "passage_span"}
    # The note belongs to the block where its passage starts.
    assert [b.notes for b in blocks] == [(), (), ("span",), ()]
    # Nothing leaks between blocks: every <p> still closes before the next opens.
    assert "40 staff.</a></mark></p>\n<p><mark" in html


def test_every_note_gets_exactly_one_passage_anchor() -> None:
    seed = _seed()
    spans = [
        _span("a", *_at(seed, "The Agency said"), 1),
        _span("b", *_at(seed, "Agency"), 2),
        _span("c", *_at(seed, "said on"), 3),
        _span("d", *_at(seed, "the cost"), 4),
        _span("e", *_at(seed, "Critics said the Agency"), 5),
    ]
    html, passages = _render(seed, spans)
    assert set(passages) == {s.note_id for s in spans}
    ids = re.findall(r'id="([^"]+)"', html)
    assert sorted(ids) == sorted(set(ids))
    for span in spans:
        assert passages[span.note_id] in ids
    refs = re.findall(r'<a class="ref [^"]*" href="#([^"]+)"', html)
    assert sorted(refs) == ["a", "b", "c", "d", "e"]


def test_marks_do_not_change_the_visible_text() -> None:
    seed = _seed()
    spans = [_span("a", *_at(seed, "said on Friday")), _span("b", *_at(seed, "Friday it"))]
    mentions = [Mention("agency", *_at(seed, "Agency", 2))]
    html, _ = _render(seed, spans, mentions)
    assert _visible(html) == seed.text.replace("\n\n", "\n") + "\n"


# --- entity mentions ----------------------------------------------------------------------


def test_mentions_outside_marks_are_links() -> None:
    seed = _seed()
    mention = Mention("agency", *_at(seed, "Agency", 3))
    html, _ = _render(seed, [], [mention])
    assert 'the <a class="mention" href="../../entities/agency/">Agency</a> had' in html


def test_inside_a_mark_the_note_link_wins_and_a_mention_is_only_a_style() -> None:
    seed = _seed()
    mention = Mention("agency", *_at(seed, "Agency", 2))
    span = _span("n", *_at(seed, "The Agency said"))
    html, _ = _render(seed, [span], [mention])
    assert (
        '<a class="hl-link" href="#n">The <span class="mention">Agency</span> said</a></mark>'
    ) in html
    assert "entities/agency" not in html


def test_a_quote_that_starts_with_a_mention_links_to_its_note() -> None:
    seed = _seed()
    mention = Mention("agency", *_at(seed, "Agency", 2))
    span = _span("n", *_at(seed, "Agency said"))
    html, _ = _render(seed, [span], [mention])
    assert (
        '<span class="sr">[start of passage for note 1, context] </span>'
        '<a class="hl-link" href="#n"><span class="mention">Agency</span> said</a></mark>'
    ) in html


def test_mention_split_by_a_mark_boundary_is_a_link_outside_and_a_style_inside() -> None:
    seed = _seed()
    mention = Mention("agency", *_at(seed, "Agency", 2))
    span = _span("n", *_at(seed, "ncy said"))
    html, _ = _render(seed, [span], [mention])
    links = re.findall(r'<a class="mention" href="([^"]+)">([^<]*)</a>', html)
    assert links == [("../../entities/agency/", "Age")]
    assert (
        'id="passage_n"><span class="sr">[start of passage for note 1, context] </span>'
        '<a class="hl-link" href="#n"><span class="mention">ncy</span> said</a>'
    ) in html


def test_the_entities_mentioned_in_a_passage_once_each_in_order() -> None:
    mentions = [Mention("b", 0, 3), Mention("a", 5, 8), Mention("b", 10, 13), Mention("c", 20, 24)]
    assert mentioned_in(2, 12, mentions) == ("b", "a")
    assert mentioned_in(13, 20, mentions) == ()
    assert mentioned_in(23, 30, mentions) == ("c",)


def test_several_mentions_in_one_segment() -> None:
    seed = _seed()
    mentions = [
        Mention("agency", *_at(seed, "Agency", 3)),
        Mention("critics", *_at(seed, "Critics")),
    ]
    mentions.sort(key=lambda m: m.start)
    html, _ = _render(seed, [], mentions)
    assert (
        '<p><a class="mention" href="../../entities/critics/">Critics</a> said the '
        '<a class="mention" href="../../entities/agency/">Agency</a> had not'
    ) in html


def test_mention_in_the_headline_is_linked() -> None:
    seed = _seed()
    html, _ = _render(seed, [], [Mention("agency", 0, 6)])
    assert html.startswith(
        '<h3 class="headline"><a class="mention" href="../../entities/agency/">Agency</a> moves'
    )


def test_entity_url_is_escaped() -> None:
    seed = _seed()
    html, _ = _render(seed, [], [Mention("x", 0, 6)], lambda slug: '"><script>')
    assert "<script>" not in html
    assert 'href="&#34;&gt;&lt;script&gt;"' in html


# --- escaping -----------------------------------------------------------------------------


def test_seed_text_is_html_escaped_everywhere() -> None:
    seed = _seed(
        'Tags <b> & "quotes" in a head\n\n'
        "Body with <script>alert('x')</script> & more.\n\n"
        "A <i>mark</i> & a mention."
    )
    spans = [_span("n", *_at(seed, "<i>mark</i> &"))]
    mentions = [Mention("e", *_at(seed, "<script>"))]
    html, _ = _render(seed, spans, mentions)
    assert "<b>" not in html
    assert "<script>" not in html
    assert "<i>" not in html
    assert "Tags &lt;b&gt; &amp; &#34;quotes&#34; in a head" in html
    assert "&lt;script&gt;</a>alert(&#39;x&#39;)&lt;/script&gt; &amp; more." in html
    assert 'href="#n">&lt;i&gt;mark&lt;/i&gt; &amp;</a></mark>' in html


def test_note_ids_and_types_appear_in_attributes_as_given() -> None:
    seed = _seed()
    html, _ = _render(seed, [_span("fentanyl-figure", *_at(seed, "40"), 7, "question")])
    assert 'class="hl t-question" data-notes="fentanyl-figure" id="passage_fentanyl-figure"' in html
    assert _ref("fentanyl-figure", 7, "question") in html
    assert "note 7, open question]" in html
