"""What makes two passages that look alike say different things: figures, names, negations.

"The county spent $12 million on roads" and "the city spent $40 million on roads" are 84%
alike letter by letter, and a note on the first must never move to the second. A passage
found approximately whose figures, names or negations differ from the quote's is accepted
only as the same sentence edited in place: the text on both sides of it must still be the
recorded context (`reanchor.eligible`). Works on folded text (see `folding`).
"""

from __future__ import annotations

import re
from collections import Counter

# Digits with their separators (`4.2`, `1,200`, `2011`), and the words that say a number
# or change its size (`million`), as articles write figures.
_NUMBER_WORDS = "|".join(
    (
        "zero one two three four five six seven eight nine ten eleven twelve thirteen",
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty",
        "seventy eighty ninety hundred thousand million billion trillion dozen half twice",
        "double triple percent",
    )
).replace(" ", "|")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + _NUMBER_WORDS + r")\b", re.IGNORECASE)
# Words that turn a statement into its opposite.
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot)\b|\w+n't\b",
    re.IGNORECASE,
)
# A capitalised word that does not open a sentence: a name (of a person, place, body).
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_SENTENCE_END = re.compile(r"[.!?:\"]\s*$")

Kind = str  # "figures", "names" or "negations"


def _figures(text: str) -> Counter[str]:
    return Counter(m.group().lower().replace(",", "") for m in _FIGURE.finditer(text))


def _negations(text: str) -> Counter[str]:
    return Counter(m.group().lower() for m in _NEGATION.finditer(text))


def _names(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for m in _WORD.finditer(text):
        word = m.group()
        if not word[0].isupper():
            continue
        before = text[: m.start()]
        if not before.strip() or _SENTENCE_END.search(before):
            continue  # the first word of the passage or of a sentence
        found[word] += 1
    return found


def _typo_of(a: str, b: str) -> bool:
    """Whether two words differ as a typo does: a letter or two, never a digit. An
    annotator's `Chicaog` is Chicago and `twlve` twelve; `Marsh` is not Nash, nor `12` 21."""
    a, b = a.lower().replace("'", ""), b.lower().replace("'", "")
    if not (a.isalpha() and b.isalpha()) or a[0] != b[0]:
        return False
    from rapidfuzz.distance import OSA  # loaded with the fuzzy search, which calls this

    return bool(OSA.distance(a, b) <= max(1, min(len(a), len(b)) // 5))


def _same(old: Counter[str], new: Counter[str], old_text: str, new_text: str) -> bool:
    """Whether two bags of words agree, a word that the other passage has with a typo
    counting as there."""
    if old == new:
        return True
    old_words = [w.lower() for w in _WORD.findall(old_text)]
    new_words = [w.lower() for w in _WORD.findall(new_text)]
    return all(
        any(_typo_of(word, w) for w in others)
        for bag, others in (((old - new), new_words), ((new - old), old_words))
        for word in bag
    )


def meaning_changes(quote: str, found: str) -> tuple[Kind, ...]:
    """Which of the quote's figures, names and negations the found passage does not have
    as they are, typos aside (in the order figures, names, negations); empty when it says
    the same."""
    changed = []
    for kind, words in (("figures", _figures), ("names", _names), ("negations", _negations)):
        if not _same(words(quote), words(found), quote, found):
            changed.append(kind)
    return tuple(changed)
