"""The anchoring evaluation suite: edit cases with ground truth, and how a method is scored.

Each case starts from a real article (in `texts/`: a copy of the example seed, and two
written for this suite), picks a quote, records its selectors as `./build.py anchor` would,
edits the text and records where the quote went, or that it is gone. The quote is tracked
through every edit by two private-use marker characters around it, so the ground truth never
depends on a matcher.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefsite.anchor.folding import Normalized, fold, has_prefix, has_suffix, occurrences
from briefsite.anchor.selectors import selectors_for
from briefsite.model import Seed
from briefsite.read.seeds import parse_seed
from tests.anchoring.marked import CLOSE, OPEN, Doc, join, marked_at, parse
from tests.anchoring.meaning_cases import meaning_edits

HERE = Path(__file__).resolve().parent
TEXTS = sorted(HERE.glob("texts/*.txt"))
# The articles of the general edits: the suite's first texts, so that the cases drawn from
# them stay the same as more texts and kinds of edit are added.
SOURCES = [t for t in TEXTS if t.stem != "county-budget"]
INSERTS = (
    "The department did not respond to a request for comment.",
    "Officials said more details would be released next week.",
    "The figures have not been independently verified.",
    "A similar plan was rejected two years ago.",
    "The announcement came late on Friday.",
    "Several council members were not present for the vote.",
)
SWAPS = {"said": "stated", "will": "would", "about": "around", "more": "over", "new": "fresh"}


@dataclass(frozen=True)
class Case:
    """One edit: the note as anchored on `before`, and where its quote is in `after`."""

    id: str
    kind: str
    short: bool
    before: Seed
    after: Seed
    quote: str
    prefix: str | None
    suffix: str | None
    start: int | None
    expected: tuple[int, int] | None  # document offsets in `after`; None: the quote is gone


def _seed(marked: str, name: str) -> tuple[Seed, tuple[int, int] | None]:
    seed = parse_seed(marked.replace(OPEN, "").replace(CLOSE, ""), name, f"seeds/{name}.txt")
    with_marks = parse_seed(marked, name, f"seeds/{name}.txt").text
    if OPEN not in with_marks or CLOSE not in with_marks:
        return seed, None
    a = with_marks.index(OPEN)
    b = with_marks.index(CLOSE) - 1
    assert with_marks.replace(OPEN, "").replace(CLOSE, "") == seed.text
    return seed, (a, b)


def _pick_quotes(rng: random.Random, text: str) -> Iterator[tuple[str, bool]]:
    """Marked copies of `text`, each with one quote: 10 long ones and 4 short ones."""
    doc = parse(text)
    body = [(i, j) for i, p in enumerate(doc) if i >= 1 for j in range(len(p))]
    made = 0
    attempts = 0
    while made < 14 and attempts < 500:
        attempts += 1
        short = made >= 10
        i, j = rng.choice(body)
        words = doc[i][j].split(" ")
        size = rng.randint(1, 2) if short else rng.randint(4, 10)
        if len(words) < size + 1:
            continue
        at = rng.randrange(0, len(words) - size + 1)
        chosen = " ".join(words[at : at + size]).strip('"“”,.;:')
        if (len(chosen) < 15) != short or len(chosen) < 3 or OPEN in chosen:
            continue
        sentence = doc[i][j]
        where = sentence.find(chosen, len(" ".join(words[:at])))
        marked = [list(p) for p in doc]
        marked[i][j] = sentence[:where] + OPEN + chosen + CLOSE + sentence[where + len(chosen) :]
        made += 1
        yield join(marked), short


Edit = Callable[[random.Random, Doc], Doc | None]


def _insert_sentence(rng: random.Random, doc: Doc) -> Doc:
    i = rng.randrange(2, len(doc))
    doc[i].insert(rng.randrange(0, len(doc[i]) + 1), rng.choice(INSERTS))
    return doc


def _delete_sentence(rng: random.Random, doc: Doc) -> Doc | None:
    spots = [(i, j) for i in range(2, len(doc)) for j, s in enumerate(doc[i])]
    spots = [(i, j) for i, j in spots if OPEN not in doc[i][j] and CLOSE not in doc[i][j]]
    if not spots:
        return None
    i, j = rng.choice(spots)
    del doc[i][j]
    return doc


def _reorder(rng: random.Random, doc: Doc) -> Doc | None:
    qi, _ = marked_at(doc)
    many = [i for i in range(1, len(doc)) if len(doc[i]) > 1]
    if not many:
        return None
    i = qi if qi in many and rng.random() < 0.7 else rng.choice(many)
    j = rng.randrange(0, len(doc[i]) - 1)
    doc[i][j], doc[i][j + 1] = doc[i][j + 1], doc[i][j]
    return doc


def _move_paragraph(rng: random.Random, doc: Doc) -> Doc | None:
    qi, _ = marked_at(doc)
    if len(doc) < 5:
        return None
    i = qi if qi >= 2 and rng.random() < 0.6 else rng.randrange(2, len(doc))
    p = doc.pop(i)
    targets = [k for k in range(2, len(doc) + 1) if k != i]
    doc.insert(rng.choice(targets), p)
    return doc


def _quote_span(doc: Doc) -> tuple[int, int, str]:
    i, j = marked_at(doc)
    s = doc[i][j]
    return i, j, s[s.index(OPEN) + 1 : s.index(CLOSE)]


def _edit_in_place(rng: random.Random, doc: Doc) -> Doc | None:
    i, j, quote = _quote_span(doc)
    words = quote.split(" ")
    if len(words) < 4:
        return None
    k = rng.randrange(1, len(words) - 1)
    choice = rng.random()
    if words[k] in SWAPS:
        words[k] = SWAPS[words[k]]
    elif choice < 0.4:
        words.insert(k, rng.choice(["also", "reportedly", "now", "still"]))
    elif choice < 0.7:
        del words[k]
    else:
        words[k] = rng.choice(["several", "the", "new", "local"])
    doc[i][j] = doc[i][j].replace(quote, " ".join(words))
    return doc


def _delete_quote(rng: random.Random, doc: Doc) -> Doc:
    i, j = marked_at(doc)
    del doc[i][j]
    return doc


def _duplicate(rng: random.Random, doc: Doc) -> Doc | None:
    i, j = marked_at(doc)
    copy = doc[i][j].replace(OPEN, "").replace(CLOSE, "")
    # Elsewhere: not in a paragraph next to the original, where the copy would take over
    # the original's context and the two could not be told apart even in principle.
    others = [k for k in range(2, len(doc)) if abs(k - i) > 1]
    if not others:
        return None
    k = rng.choice(others)
    doc[k].insert(rng.choice([0, len(doc[k])]), copy)
    return doc


def _whitespace_punctuation(rng: random.Random, doc: Doc) -> Doc:
    i, j = marked_at(doc)
    for p in doc:
        for n, s in enumerate(p):
            s = s.replace(' "', " \u201c").replace('"', "\u201d").replace("'", "\u2019")
            p[n] = s.replace(" -- ", " \u2014 ")
    s = doc[i][j]
    commas = [m.start() for m in re.finditer(",", s)]
    if commas and rng.random() < 0.7:
        at = rng.choice(commas)
        s = s[:at] + rng.choice([";", "", " \u2013"]) + s[at + 1 :]
    doc[i][j] = s.replace(" ", "  ", 1)
    return doc


def _mixed(rng: random.Random, doc: Doc) -> Doc | None:
    for edit in rng.sample([_insert_sentence, _delete_sentence, _reorder, _move_paragraph], 2):
        changed = edit(rng, doc)
        if changed is None:
            return None
        doc = changed
    return doc


EDITS: dict[str, Edit] = {
    "insert-sentence": _insert_sentence,
    "delete-sentence": _delete_sentence,
    "reorder-sentences": _reorder,
    "move-paragraph": _move_paragraph,
    "quote-edited": _edit_in_place,
    "quote-deleted": _delete_quote,
    "sentence-duplicated": _duplicate,
    "whitespace-punctuation": _whitespace_punctuation,
    "mixed": _mixed,
}


def _typo(rng: random.Random, word: str) -> str:
    at = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind < 0.7:
        return word[:at] + word[at + 1 :]
    return word[:at] + word[at] + word[at:]


def _with_typo(rng: random.Random, marked: str, inside: bool) -> str | None:
    """`marked` with a typo in a word of the quote, or of the text just around it."""
    a, b = marked.index(OPEN), marked.index(CLOSE)
    lo, hi = (a, b) if inside else (max(0, a - 60), min(len(marked), b + 60))
    words = [
        m
        for m in re.finditer(r"[A-Za-z]{5,}", marked[lo:hi])
        if inside or not (a - lo <= m.start() <= b - lo)
    ]
    if not words:
        return None
    m = rng.choice(words)
    at = lo + m.start()
    return marked[:at] + _typo(rng, m.group()) + marked[at + len(m.group()) :]


def generate(seed: int = 5) -> list[Case]:
    """Every case of the suite, the same on every run."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for source in SOURCES:
        name = source.stem
        base = parse_seed(source.read_text("utf-8"), name, f"seeds/{name}.txt").text
        for n, (marked, short) in enumerate(_pick_quotes(rng, base)):
            variants: list[tuple[str, str, str, bool]] = []  # kind, before, after, context
            for kind, edit in EDITS.items():
                edited = edit(rng, parse(marked))
                if edited is not None:
                    variants.append((kind, marked, join(edited), True))
            if not short:
                for inside in (True, False):
                    typo = _with_typo(rng, marked, inside)
                    if typo is not None:
                        kind = "typo-fixed-in-quote" if inside else "typo-fixed-nearby"
                        variants.append((kind, typo, marked, True))
                typo = _with_typo(rng, marked, True)
                if typo is not None:
                    variants.append(("quote-mistyped", typo, marked, False))
            for kind, before, after, context in variants:
                case = _case(f"{name}-{n}-{kind}", kind, short, before, after, context, name)
                if case is not None:
                    cases.append(case)
    meaning = random.Random(seed + 1000)  # a draw of its own: the cases above stay as they were
    for source in TEXTS:
        name = source.stem
        base = parse_seed(source.read_text("utf-8"), name, f"seeds/{name}.txt").text
        for kind, n, before, after in meaning_edits(meaning, base):
            case = _case(f"{name}-m{n}-{kind}", kind, False, before, after, True, name)
            if case is not None:
                cases.append(case)
    return cases


def _case(
    case_id: str, kind: str, short: bool, before: str, after: str, context: bool, name: str
) -> Case | None:
    old, span = _seed(before, name)
    new, expected = _seed(after, name)
    assert span is not None
    if kind == "quote-mistyped":  # the annotator's typo: the seed never had it
        old_quote = old.text[span[0] : span[1]]
        return Case(case_id, kind, short, new, new, old_quote, None, None, None, expected)
    sel = selectors_for(old, Normalized(old.text), *span)
    if not context:
        return Case(case_id, kind, short, old, new, sel.quote, None, None, None, expected)
    if kind == "sentence-duplicated":
        # With prefix, quote and suffix all inside the copied sentence no method can tell
        # the copies apart; such cases measure nothing, so they are left out.
        text = Normalized(new.text).text
        quote = fold(sel.quote)
        alike = [
            at
            for at in occurrences(text, quote)
            if has_prefix(text, at, fold(sel.prefix))
            and has_suffix(text, at + len(quote), fold(sel.suffix))
        ]
        if len(alike) > 1:
            return None
    return Case(
        case_id,
        kind,
        short,
        old,
        new,
        sel.quote,
        sel.prefix or None,
        sel.suffix or None,
        sel.start,
        expected,
    )
