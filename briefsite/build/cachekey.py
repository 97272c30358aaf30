"""What a cache must have been made by to be used: briefsite's code, its dependencies'
versions and Python's. A cache made by anything else is dropped and built again."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import briefsite

_DEPENDENCIES = ("Markdown", "Jinja2", "MarkupSafe", "PyYAML", "nh3", "rapidfuzz")


def cache_key() -> str:
    """What a cache must have been made by to be used: briefsite's code (every module of the
    package, so that an edited checkout does not read a stale cache), its dependencies'
    versions and Python's."""
    h = hashlib.blake2b(digest_size=16)
    package = Path(briefsite.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    h.update(sys.version.encode())
    for found in _installed(_DEPENDENCIES):
        h.update(found.encode())
    return h.hexdigest()


def _installed(names: tuple[str, ...]) -> list[str]:
    """The installed `name-version` of each distribution, from the names of the metadata
    folders on the path (importlib.metadata takes longer to import than a build with
    nothing to do takes to run)."""
    wanted = {n.lower().replace("-", "_") for n in names}
    found: set[str] = set()
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for name in listing:
            if name.endswith(".dist-info"):
                dist, _, version = name[: -len(".dist-info")].partition("-")
                if dist.lower().replace("-", "_") in wanted:
                    found.add(f"{dist.lower()}-{version}")
    return sorted(found)
