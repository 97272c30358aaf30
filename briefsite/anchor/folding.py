"""Folding: what copy-and-paste and typing change without changing the words.

Typographic quotes and apostrophes, dash styles (`—` `–` `--` are all `-`) and runs of white
space fold to one form; `Normalized` keeps the map from folded offsets back to the original.
"""

from __future__ import annotations

import bisect
import re

_SAME = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\t\n\r\x0b\x0c\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000", " "),
    }
)
# `str.translate` looks every character up in a dict; the few that fold are found far
# faster by a regular expression, and most quotes have none at all.
_FOLDS = re.compile("[" + re.escape("".join(chr(c) for c in _SAME)) + "]")


def _translate(text: str) -> str:
    return _FOLDS.sub(lambda m: str(_SAME[ord(m.group())]), text)


# A dash with any spaces around it reads the same as `--` or `—`; other white space collapses.
_RUN = re.compile(r" *-[ -]*| {2,}")


class Normalized:
    """Text with typographic variants folded, and a map back to the original offsets."""

    __slots__ = ("_dash_end", "_norm_at", "_orig_at", "text")

    def __init__(self, original: str) -> None:
        folded = _translate(original)
        pieces: list[str] = []
        self._norm_at = [0]
        self._orig_at = [0]
        # For a run folded to "-": where its last dash ends, so a span ending on the folded
        # dash covers every dash of the run but not the spaces after it.
        self._dash_end: dict[int, int] = {}
        last = 0
        length = 0
        for run in _RUN.finditer(folded):
            if run.end() - run.start() == 1:
                continue  # a lone space or hyphen is already in folded form
            pieces.append(folded[last : run.start()])
            length += run.start() - last
            replacement = _replacement(run)
            pieces.append(replacement)
            # A dash run starts, for highlighting, at its first dash, not at a space before it.
            first = run.start() + run.group().find("-") if replacement == "-" else run.start()
            self._norm_at += [length, length + 1]
            self._orig_at += [first, run.end()]
            if replacement == "-":
                self._dash_end[length] = run.start() + run.group().rfind("-") + 1
            length += 1
            last = run.end()
        pieces.append(folded[last:])
        self.text = "".join(pieces)

    def to_original(self, index: int) -> int:
        """Map an offset in the folded text to the original text."""
        i = bisect.bisect_right(self._norm_at, index) - 1
        return self._orig_at[i] + index - self._norm_at[i]

    def to_folded(self, index: int) -> int:
        """Map an offset in the original text to the folded text (inside a folded run, to
        the run's folded character)."""
        i = bisect.bisect_right(self._orig_at, index) - 1
        if i % 2:  # inside a run that folded to one character
            return self._norm_at[i]
        return min(self._norm_at[i] + index - self._orig_at[i], len(self.text))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span (end exclusive) to the original text."""
        last = end - 1
        return self.to_original(start), self._dash_end.get(last, self.to_original(last) + 1)


def _replacement(run: re.Match[str]) -> str:
    return "-" if "-" in run.group() else " "


def fold(text: str) -> str:
    """Fold a quote, prefix or suffix the same way as the document text."""
    return _RUN.sub(_replacement, _translate(text))


def occurrences(haystack: str, needle: str) -> list[int]:
    """Every start of `needle` in `haystack`, overlapping ones included."""
    found: list[int] = []
    at = haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def has_prefix(doc: str, start: int, prefix: str) -> bool:
    """Whether `prefix` ends where `start` begins, spaces between ignored."""
    while start > 0 and doc[start - 1] == " ":
        start -= 1
    return doc.endswith(prefix.rstrip(" "), 0, start)


def has_suffix(doc: str, end: int, suffix: str) -> bool:
    """Whether `suffix` starts where `end` is, spaces between ignored."""
    while end < len(doc) and doc[end] == " ":
        end += 1
    return doc.startswith(suffix.lstrip(" "), end)
