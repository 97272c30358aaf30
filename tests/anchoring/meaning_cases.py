"""Edits that change what a quote says: a figure, a name or a negation.

Two ways each, from quotes that hold one:

- *edited in place* (`figure-edited`, `name-edited`, `negation-removed`): the quote's own
  sentence now says 14 where it said 12. The note should follow it (the seed was corrected
  or updated), and the diff tells the annotator what changed.
- *a lookalike elsewhere* (`figure-lookalike`, `name-lookalike`, `negation-lookalike`): the
  quote's sentence is deleted, and another paragraph has a sentence of the same shape that
  says something else ("The county spent $12 million on roads" is gone; "The city spent
  $40 million on roads" is there). The note must not move onto it: the quote is gone.

Quotes are at least 15 characters long: shorter quotes are only ever placed on exact text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

from tests.anchoring.marked import CLOSE, OPEN, Doc, join, parse

_COUNTS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve")
_SCALES = ("hundred", "thousand", "million", "billion")
_NUMBER_WORDS = (*_COUNTS, "twenty", "thirty", "forty", "fifty", "sixty", *_SCALES, "half")
FIGURE = re.compile(r"\$?\d+(?:[.,]\d+)*|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b")
NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+")
NEGATION = re.compile(r"\b(?:not|never|no|nobody|without|cannot)\b|\b\w+n't\b")
_OTHER_NAMES = ("Brennan", "Lindqvist", "Hartley", "Moreau", "Tanaka", "Oduya")
_OPPOSITES = {
    "never": "always",
    "no": "some",
    "nobody": "everybody",
    "without": "with",
    "cannot": "can",
}
# Another subject for a sentence of the same shape elsewhere in the article.
_SUBJECTS = ("The neighbouring county", "The state", "Last year the city", "A rival plan")
Change = Callable[[random.Random, str], str | None]
KINDS = ("figure", "name", "negation")


def _figure(rng: random.Random, token: str) -> str:
    digits = re.search(r"\d+(?:[.,]\d+)*", token)
    if digits is None:
        # A scale for a scale (million, billion), a number for a number.
        pool = _SCALES if token in _SCALES else _COUNTS
        return rng.choice([w for w in pool if w[0] != token[0]])
    old = digits.group()
    if "." in old:
        new = f"{float(old) + rng.randint(1, 4):.1f}"
    else:
        number = int(old.replace(",", ""))
        new = str(number - rng.randint(1, 9) if number >= 1900 else number + rng.randint(2, 9))
    return token.replace(old, new)


def _name(rng: random.Random, token: str) -> str:
    return rng.choice([n for n in _OTHER_NAMES if n[0] != token[0]])


def _negation(rng: random.Random, token: str) -> str:
    if token.endswith("n't"):
        return {"won't": "will", "can't": "can"}.get(token, token[:-3])
    return _OPPOSITES.get(token, "")


PATTERNS: dict[str, tuple[re.Pattern[str], Callable[[random.Random, str], str]]] = {
    "figure": (FIGURE, _figure),
    "name": (NAME, _name),
    "negation": (NEGATION, _negation),
}


def _quotes(rng: random.Random, doc: Doc, kind: str, most: int) -> Iterator[tuple[int, int, str]]:
    """(paragraph, sentence, quote) with a token of `kind` inside, at most `most` of them."""
    pattern = PATTERNS[kind][0]
    spots = [
        (i, j, m)
        for i, p in enumerate(doc)
        if i >= 1
        for j, s in enumerate(p)
        for m in pattern.finditer(s)
    ]
    rng.shuffle(spots)
    made = 0
    for i, j, m in spots:
        if made == most:
            return
        words = doc[i][j].split(" ")
        # The word holding the token, and a few words around it.
        at = len(doc[i][j][: m.start()].split(" ")) - 1
        size = rng.randint(4, 8)
        first = max(0, min(at - rng.randint(1, size - 2), len(words) - size))
        quote = " ".join(words[first : first + size]).strip('"“”,.;:')
        if len(quote) < 15 or m.group() not in quote:
            continue
        made += 1
        yield i, j, quote


def _change(rng: random.Random, kind: str, quote: str) -> str:
    pattern, change = PATTERNS[kind]
    tokens = list(pattern.finditer(quote))
    # A figure in digits where there is one: most corrections change those.
    digits = [t for t in tokens if any(c.isdigit() for c in t.group())]
    m = rng.choice(digits or tokens)
    new = change(rng, m.group())
    changed = quote[: m.start()] + new + quote[m.end() :]
    return re.sub(" {2,}", " ", changed).strip()


def meaning_edits(rng: random.Random, text: str) -> Iterator[tuple[str, int, str, str]]:
    """(kind, number, before, after): the marked text before and after each edit."""
    doc = parse(text)
    number = 0
    for kind in KINDS:
        for i, j, quote in list(_quotes(rng, doc, kind, 6 if kind == "figure" else 4)):
            sentence = doc[i][j]
            at = sentence.find(quote)
            marked_sentence = sentence[:at] + OPEN + quote + CLOSE + sentence[at + len(quote) :]
            before = [list(p) for p in doc]
            before[i][j] = marked_sentence
            changed = _change(rng, kind, quote)
            in_place = [list(p) for p in before]
            in_place[i][j] = sentence[:at] + OPEN + changed + CLOSE + sentence[at + len(quote) :]
            edited = "negation-removed" if kind == "negation" else f"{kind}-edited"
            yield edited, number, join(before), join(in_place)
            others = [k for k in range(2, len(doc)) if abs(k - i) > 1]
            if others:
                # A sentence of the same shape, saying something else, in another paragraph.
                subject = rng.choice(_SUBJECTS) + " " if at > 0 else ""
                lookalike = subject + changed + sentence[at + len(quote) :]
                after = [list(p) for p in before]
                del after[i][j]
                k = rng.choice(others)
                after[k].insert(rng.randrange(0, len(after[k]) + 1), lookalike)
                yield f"{kind}-lookalike", number, join(before), join(after)
            number += 1
