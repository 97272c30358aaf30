"""The synthetic briefs as plain Markdown sites for Hugo, Pelican and MkDocs.

Used by compare.py: `read_pages` turns a project written by build_speed.generate into one
Markdown page per brief holding the same text (title, summary, key points, the seed's
paragraphs, then every note with its quote, text, verdict and sources), and the `write_*`
functions lay those pages out as a minimal site for each tool.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# briefsite's own link schemes mean nothing to the other tools: keep the link text only.
_OWN_LINK = re.compile(r"\[([^\]]+)\]\((?:entity|topic|brief):[^)]*\)")
SITE_TITLE = "Benchmark briefs"


@dataclass(frozen=True, slots=True)
class Page:
    """One brief as a Markdown page: front-matter fields and a body without the title."""

    slug: str
    title: str
    date: str
    body: str

    def words(self) -> int:
        """How many words the page has, title included."""
        return len(self.title.split()) + len(self.body.split())


def _plain(markdown: str) -> str:
    return _OWN_LINK.sub(r"\1", markdown.strip())


def _note(note: dict[str, Any]) -> str:
    parts = [f"### {note['id']}", f"*{note['type']}*", f"> {note['quote']}", _plain(note["note"])]
    verdict = note.get("verdict")
    if verdict:
        parts.append(f"**Verdict: {verdict['rating']}.** {_plain(verdict['summary'])}")
    sources = note.get("sources") or ()
    if sources:
        parts.append(
            "\n".join(
                f"- [{s['title']}]({s['url']}), {s['publisher']}, {s['date']}" for s in sources
            )
        )
    return "\n\n".join(parts)


def page_of(root: Path, path: Path) -> Page:
    """The Markdown page of one brief YAML file of the project at `root`."""
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    seed = (root / "seeds" / f"{data['seed']}.txt").read_text(encoding="utf-8")
    # Line 1 is the headline; blocks are separated by blank lines.
    headline, *paragraphs = (b.strip() for b in re.split(r"\n[ \t]*\n", seed.strip()))
    parts = [_plain(data.get("summary", ""))]
    parts.append("\n".join(f"- {_plain(point)}" for point in data.get("key_points") or ()))
    parts += paragraphs
    parts.append("## Notes")
    parts += [_note(note) for note in data.get("annotations") or ()]
    return Page(
        slug=path.stem,
        title=str(data.get("title") or headline),
        date=str(data["published"]),
        body="\n\n".join(p for p in parts if p) + "\n",
    )


def read_pages(root: Path) -> list[Page]:
    """One Markdown page per brief of the project at `root`, in slug order."""
    return [page_of(root, path) for path in sorted((root / "content" / "briefs").glob("*.yaml"))]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


HUGO_CONFIG = f"""\
baseURL = "https://bench.example.org/"
languageCode = "en"
title = "{SITE_TITLE}"
# No feeds, sitemap or taxonomy pages: the pages are the briefs, their section and home.
disableKinds = ["rss", "sitemap", "taxonomy", "term"]
"""
HUGO_LAYOUTS = {
    "baseof.html": """\
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
        <body><main>{{ block "main" . }}{{ end }}</main></body>
        </html>
        """,
    "single.html": """\
        {{ define "main" }}<article>
        <h1>{{ .Title }}</h1>
        <time>{{ .Date.Format "2006-01-02" }}</time>
        {{ .Content }}
        </article>{{ end }}
        """,
    "list.html": """\
        {{ define "main" }}<h1>{{ .Title }}</h1>
        <ul>{{ range .RegularPagesRecursive }}
        <li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>
        {{ end }}</ul>{{ end }}
        """,
}


def write_hugo(site: Path, pages: Sequence[Page]) -> None:
    """A Hugo site: hugo.toml, three layouts, content/briefs/<slug>.md; no theme."""
    _write(site / "hugo.toml", HUGO_CONFIG)
    for name, template in HUGO_LAYOUTS.items():
        _write(site / "layouts" / "_default" / name, textwrap.dedent(template))
    for page in pages:
        front = f"---\ntitle: {json.dumps(page.title)}\ndate: {page.date}\n---\n\n"
        _write(site / "content" / "briefs" / f"{page.slug}.md", front + page.body)


PELICAN_CONFIG = f"""\
AUTHOR = "Benchmark editors"
SITENAME = "{SITE_TITLE}"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
DEFAULT_PAGINATION = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""


def write_pelican(site: Path, pages: Sequence[Page]) -> None:
    """A Pelican site: pelicanconf.py (default theme, no feeds, no cache), one article a page."""
    _write(site / "pelicanconf.py", PELICAN_CONFIG)
    for page in pages:
        header = f"Title: {page.title}\nDate: {page.date}\nSlug: {page.slug}\n\n"
        _write(site / "content" / f"{page.slug}.md", header + page.body)


def write_mkdocs(site: Path, pages: Sequence[Page]) -> None:
    """An MkDocs site: mkdocs.yml (default `mkdocs` theme and plugins), docs/briefs/*.md."""
    _write(site / "mkdocs.yml", f"site_name: {SITE_TITLE}\ntheme:\n  name: mkdocs\n")
    _write(site / "docs" / "index.md", f"# {SITE_TITLE}\n\n{len(pages)} briefs.\n")
    for page in pages:
        head = f"# {page.title}\n\n*{page.date}*\n\n"
        _write(site / "docs" / "briefs" / f"{page.slug}.md", head + page.body)


WRITERS = {"hugo": write_hugo, "pelican": write_pelican, "mkdocs": write_mkdocs}
