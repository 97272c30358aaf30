"""`serve` prints a warning when it first appears or changes, not again on every rebuild."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from briefsite.build.builder import Builder
from briefsite.build.store import Store
from briefsite.serve.preview import Preview, ServeOptions
from tests.conftest import BRIEF, SITE, ProjectFactory

B = "content/briefs/agency-move.yaml"
TYPO = BRIEF.replace("quote: move 40 staff", "quote: would move 40 stafff to the city")


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": warning: " in line]


def test_a_warning_is_printed_once_until_it_changes(
    make_project: ProjectFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({B: TYPO})
    output = tmp_path / "site"
    options = ServeOptions(root, output, "127.0.0.1", 0, False, False, True, False)
    preview = Preview(options, Builder(root, Store.none()), io.StringIO())
    preview.rebuild(0.0)
    (first,) = _warnings(capsys.readouterr().err)
    assert first.startswith(f"{B}:7:12: warning: quote is not in seed 'agency-move' as written")

    renamed = SITE.replace("title: Test briefs", "title: Renamed")
    (root / "content/site.yaml").write_text(renamed, encoding="utf-8")
    preview.rebuild(0.0, {str(root / "content/site.yaml")})
    assert _warnings(capsys.readouterr().err) == [], "the same warning, not printed again"

    (root / B).write_text(TYPO.replace("stafff", "staaff"), encoding="utf-8")
    preview.rebuild(0.0, {str(root / B)})
    (changed,) = _warnings(capsys.readouterr().err)
    assert changed == first, "the same place and message, but a new diff: printed again"

    (root / B).write_text(BRIEF, encoding="utf-8")
    preview.rebuild(0.0, {str(root / B)})
    assert _warnings(capsys.readouterr().err) == []
    (root / B).write_text(TYPO, encoding="utf-8")
    preview.rebuild(0.0, {str(root / B)})
    assert _warnings(capsys.readouterr().err) == [first], "gone and back: printed again"
