"""Absolute addresses: every one is made here, from `site.yaml`'s `base_url`.

Pages link to each other by relative URLs, so a site works under any prefix; what is read
away from the site (feeds, the sitemap, canonical links, structured data, annotations)
needs absolute ones. A `base_url` with a path (`https://example.org/fact-checks/`) is a
prefix of every address.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from briefsite.model import Site

# What an IRI may hold as it is: the reserved and unreserved characters, and escapes.
_SAFE = "!#$%&'()*+,/:;=?@[]~-._"


def iri(url: str) -> str:
    """A web address as an IRI: characters no IRI may hold (spaces, quotes, angle brackets)
    percent-encoded; a `url:` of a YAML file is checked only to be http(s)."""
    return quote(url, safe=_SAFE)


def site_root(site: Site) -> str | None:
    """The site's base URL, ending in `/`; None when `base_url` is not set."""
    if not site.base_url:
        return None
    return iri(site.base_url.rstrip("/") + "/")


def absolute(root: str, path: str) -> str:
    """The absolute address of a path of the site (`briefs/x/`, `feed.xml`, `` for home)."""
    return root + path


def page_path(output: str) -> str:
    """The path a page is read at: its folder for `x/index.html`, else its file."""
    if output == "index.html":
        return ""
    if output.endswith("/index.html"):
        return output[: -len("index.html")]
    return output


def brief_path(slug: str) -> str:
    """Where a brief is published."""
    return f"briefs/{slug}/"


def timestamp(day: dt.date) -> str:
    """A date as the date-time that Atom and the Web Annotation model need: midnight UTC
    (the content gives days only; the same input always gives the same instant)."""
    return f"{day.isoformat()}T00:00:00Z"
