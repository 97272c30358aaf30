"""Shared fixtures: small projects written into a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

SEED = """\
Agency to move staff to the city

A short standfirst line.

The Agency said on Friday that it would move 40 staff to the city. "We need the help,"\
the director said.

Critics said the Agency had not explained the cost -- or the plan.
"""

SITE = "title: Test briefs\nbase_url: https://briefs.example.test/\nlanguage: en\n"

BRIEF = """\
seed: agency-move
summary: The Agency is moving staff.
published: 2024-05-01
topics: [staffing]
annotations:
  - id: staff
    quote: move 40 staff
    type: context
    note: About [the Agency](entity:agency).
"""

ENTITY = "name: The Agency\nkind: agency\naliases: [Agency]\n"
TOPIC = "name: Staffing\nsummary: Who works where.\n"

ProjectFactory = Callable[..., Path]


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) under `root`; text is dedented."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


BASE_FILES: dict[str, str | bytes] = {
    "content/site.yaml": SITE,
    "seeds/agency-move.txt": SEED,
    "content/briefs/agency-move.yaml": BRIEF,
    "content/entities/agency.yaml": ENTITY,
    "content/topics/staffing.yaml": TOPIC,
}


def apply_files(root: Path, files: dict[str, str | bytes | None]) -> set[Path]:
    """Write or (for None) remove files of a project; the paths touched, as a watcher
    would report them."""
    write_project(root, {k: v for k, v in files.items() if v is not None})
    for relative, content in files.items():
        if content is None:
            (root / relative).unlink()
    return {root / relative for relative in files}


@pytest.fixture
def make_project(tmp_path: Path) -> ProjectFactory:
    """A minimal valid project; keyword `files` overrides or adds files (None removes one)."""

    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        base: dict[str, str | bytes | None] = {**BASE_FILES, **(files or {})}
        root = tmp_path / "project"
        write_project(root, {k: v for k, v in base.items() if v is not None})
        return root

    return make
