"""A layout's stylesheets and scripts as they are published: minified.

The layouts keep their comments and spacing for whoever edits them; readers download only
what the browser needs (the built-in brief page's stylesheet and script are about a third
smaller). rcssmin and rjsmin only remove what no browser reads: comments and spaces,
never a rule or a statement, so a file that is not valid CSS or JavaScript is published as
changed as little as that.
"""

from __future__ import annotations

import rcssmin
import rjsmin

# Larger files are copied as they are: a bundle that size was built (and minified) elsewhere.
MINIFY_BYTES = 2 * 1024 * 1024


def minifies(output: str, size: int) -> bool:
    """Whether a static file is published minified rather than copied."""
    return output.endswith((".css", ".js")) and size <= MINIFY_BYTES


def minify(output: str, data: bytes) -> bytes:
    """A stylesheet or script without its comments and spaces; other text as it is."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data  # not text a minifier could read: published as it is
    if output.endswith(".css"):
        return str(rcssmin.cssmin(text)).encode("utf-8")
    return str(rjsmin.jsmin(text)).encode("utf-8")
