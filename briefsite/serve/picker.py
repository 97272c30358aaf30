"""The quote picker's side of the preview server: `/__briefsite/snippet?brief=&seed=&start=&end=`
answers with the note to paste for those words of a brief's seed.

The page says which words by document offsets (which its preview build embedded) and which
seed text they are offsets of (its SHA-256); the note is made from the seed itself by the
builder's side (`Snippets`), never from the page's text. Only this module reads the query.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from briefsite.read.sources import SLUG_RE

SNIPPET_PATH = "/__briefsite/snippet"
# (brief slug, seed SHA-256 the page was made from, start, end) -> the answer to send.
Snippets = Callable[[str, str, int, int], dict[str, object]]
_MAX_OFFSET = 10**9


def snippet_reply(target: str, snippets: Snippets | None) -> tuple[HTTPStatus, bytes]:
    """The status and JSON body answering a snippet request."""
    if snippets is None:
        return HTTPStatus.NOT_FOUND, _json({"error": "no quote picker here"})
    query = parse_qs(urlsplit(target).query)

    def one(name: str) -> str:
        values = query.get(name, [])
        return values[0] if len(values) == 1 else ""

    brief, seed, start, end = one("brief"), one("seed"), one("start"), one("end")
    if not (SLUG_RE.fullmatch(brief) and start.isdigit() and end.isdigit() and len(seed) == 64):
        return HTTPStatus.BAD_REQUEST, _json({"error": "the request names no brief and words"})
    first, last = int(start), int(end)
    if not first < last <= _MAX_OFFSET:
        return HTTPStatus.BAD_REQUEST, _json({"error": "no words selected"})
    return HTTPStatus.OK, _json(snippets(brief, seed, first, last))


def _json(value: dict[str, object]) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
