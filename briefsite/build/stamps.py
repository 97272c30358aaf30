"""Telling what changed between builds: file stamps, template dependencies, facet values."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import meta

# A file modified this close to when it was looked at may be modified again within the
# same clock tick without a new mtime: its content hash is kept too (as git does).
RACY_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class Stamp:
    """What identifies a version of a file: mtime in ns, size, inode, and for a recently
    modified file a hash of its bytes."""

    mtime_ns: int
    size: int
    inode: int
    digest: bytes | None


def stamp(path: Path, previous: Stamp | None) -> Stamp | None:
    """Stamp a file as it is now, or None if it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    digest = None
    if time.time_ns() - st.st_mtime_ns < RACY_NS or (previous and previous.digest):
        try:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
        except OSError:
            return None
    return Stamp(st.st_mtime_ns, st.st_size, st.st_ino, digest)


def changed_facets(
    before: dict[str, dict[str, Hashable]], after: dict[str, dict[str, Hashable]]
) -> set[str]:
    """The facets whose value differs; a brief whose values are the very same dict as last
    time (nothing it depends on was read again) is skipped without a look."""
    changed: set[str] = set()
    for slug in before.keys() | after.keys():
        old, new = before.get(slug, {}), after.get(slug, {})
        if old is not new:
            changed.update(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    return changed


def template_closure(env: jinja2.Environment, name: str) -> frozenset[str]:
    """The files of a template and of every template it extends, includes or imports."""
    files: set[str] = set()
    todo = [name]
    seen: set[str] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        assert env.loader is not None
        try:
            source, filename, _ = env.loader.get_source(env, current)
        except jinja2.TemplateNotFound:
            continue  # reported as an error when the page is rendered
        files.add(os.path.normpath(filename) if filename else current)
        try:
            referenced = meta.find_referenced_templates(env.parse(source))
        except jinja2.TemplateSyntaxError:
            continue
        todo.extend(r for r in referenced if r is not None)
    return frozenset(files)
