"""Write the documents read away from the site: Atom feeds and the sitemap with a real XML
writer (`xml.etree.ElementTree`), JSON-LD with `json.dumps`, robots.txt as lines.

No user text is ever put into XML or JSON by hand: the serializers escape it. The same
values always give the same bytes (keys and elements in a fixed order, no timestamps).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

from markupsafe import Markup

from briefsite.site.documents import Document
from briefsite.site.publish import Feed, Robots, Sitemap

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot hold at all, not even escaped: dropped from text.
_XML_FORBIDDEN = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


def serialize(document: Document) -> bytes:
    """A planned document's bytes in its format."""
    value = document.value
    if isinstance(value, Feed):
        return atom(value)
    if isinstance(value, Sitemap):
        return sitemap(value)
    if isinstance(value, Robots):
        return robots(value)
    assert document.format == "jsonld", f"no serializer for {document.format}"
    # Compact, as machines read it: with `indent`, json falls back from its C encoder to
    # pure Python, four times slower over a site's thousands of annotation documents.
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _text(value: str) -> str:
    return value.translate(_XML_FORBIDDEN)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def atom(feed: Feed) -> bytes:
    """An Atom 1.0 feed (RFC 4287)."""
    ET.register_namespace("", ATOM)

    def tag(name: str) -> str:
        return f"{{{ATOM}}}{name}"

    root = ET.Element(tag("feed"), {XML_LANG: feed.language})
    _add(root, tag("id"), feed.id)
    _add(root, tag("title"), feed.title)
    if feed.subtitle:
        _add(root, tag("subtitle"), feed.subtitle)
    _add(root, tag("updated"), feed.updated)
    _add(root, tag("link"), rel="self", type="application/atom+xml", href=feed.url)
    _add(root, tag("link"), rel="alternate", type="text/html", href=feed.page)
    author = _add(root, tag("author"))
    _add(author, tag("name"), feed.author)
    _add(root, tag("generator"), "briefsite")
    for item in feed.entries:
        entry = _add(root, tag("entry"))
        _add(entry, tag("id"), item.id)
        _add(entry, tag("title"), item.title)
        _add(entry, tag("updated"), item.updated)
        _add(entry, tag("published"), item.published)
        _add(entry, tag("link"), rel="alternate", type="text/html", href=item.url)
        for name in item.authors:
            person = _add(entry, tag("author"))
            _add(person, tag("name"), name)
        _add(entry, tag("summary"), item.summary, type="html")
    return _xml(root)


def sitemap(value: Sitemap) -> bytes:
    """A sitemap (sitemaps.org protocol 0.9)."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for url in value.urls:
        item = _add(root, f"{{{SITEMAP}}}url")
        _add(item, f"{{{SITEMAP}}}loc", url.loc)
        if url.lastmod:
            _add(item, f"{{{SITEMAP}}}lastmod", url.lastmod)
    return _xml(root)


def robots(value: Robots) -> bytes:
    """robots.txt: crawl everything; the sitemap is there (its address percent-encoded, so
    that nothing in it can start a line of its own)."""
    address = quote(value.sitemap, safe=":/?#[]@!$&'()*+,;=%~")
    return f"User-agent: *\nDisallow:\n\nSitemap: {address}\n".encode()


def script_json(value: object) -> Markup:
    """JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` escaped
    as JSON escapes, so that no text in it (a `</script>` in a note) can end the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)
