"""`check --format json` tells everything, and `check --format github` annotates pull requests.

The JSON document is a stable, versioned format (README, "check --format json"): every
error, warning and note with its severity, location, message and hint; each note's status
and score; each brief's `seed_changed`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefsite.cli import main as cli
from tests.conftest import BRIEF, ProjectFactory

B = "content/briefs/agency-move.yaml"
# The fixture brief's note with a typo in its quote: placed on the seed's words, with a warning.
TYPO = BRIEF.replace("quote: move 40 staff", "quote: would move 40 stafff to the city")
CHANGED = BRIEF + "anchored:\n  seed_sha256: " + "0" * 64 + "\n  date: 2024-05-02\n"


def _json(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, Any]:
    code = cli.main(["check", "--project", str(root), "--format", "json", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_json_lists_warnings_with_hints_and_each_note_status_and_score(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = _json(make_project({B: TYPO}), capsys)
    assert code == 0
    assert (report["version"], report["ok"]) == (1, True)
    assert report["counts"] == {"error": 0, "warning": 1, "note": 0}
    (warning,) = report["diagnostics"]
    assert warning["severity"] == "warning"
    assert (warning["path"], warning["line"], warning["col"]) == (B, 7, 12)
    assert warning["message"].startswith("quote is not in seed 'agency-move' as written")
    assert warning["hint"].startswith("the seed reads: would move 40 [-stafff-] {+staff+} to")
    (brief,) = report["briefs"]
    assert brief["seed_changed"] is False
    (note,) = brief["notes"]
    assert (note["id"], note["type"], note["status"], note["text"]) == (
        "staff",
        "context",
        "fuzzy",
        "would move 40 staff to the city",
    )
    assert 0.9 < note["score"] < 1


def test_json_says_when_a_brief_seed_changed_since_it_was_anchored(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = _json(make_project({B: CHANGED}), capsys)
    assert code == 0
    (brief,) = report["briefs"]
    assert (brief["seed_changed"], brief["anchored"]) == (True, "2024-05-02")
    (warning,) = report["diagnostics"]
    assert warning["severity"] == "warning"
    assert warning["message"] == (
        "seed 'agency-move' has changed since the notes were anchored on 2024-05-02"
    )
    assert (warning["line"], warning["col"]) == (11, 3)


def test_json_with_strict_makes_warnings_errors(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = _json(make_project({B: TYPO}), capsys, "--strict")
    assert code == 1
    assert (report["ok"], report["counts"]) == (False, {"error": 1, "warning": 0, "note": 0})
    assert report["diagnostics"][0]["severity"] == "error"


def test_github_format_prints_one_workflow_command_a_diagnostic(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({B: TYPO.replace("topics: [staffing]", "topcs: [staffing]")})
    assert cli.main(["check", "--project", str(root), "--format", "github"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines == [
        f"::error file={B},line=4,col=1,title=briefsite error::unknown key 'topcs' in brief"
        "%0Ahint: did you mean 'topics'?",
        f"::warning file={B},line=7,col=12,title=briefsite warning::" + lines[1].split("::", 2)[2],
    ]
    message = lines[1].split("::", 2)[2]
    assert message.startswith("quote is not in seed 'agency-move' as written; placed on the ")
    assert "%0Ahint: the seed reads: would move 40 [-stafff-] {+staff+} to the city%0A" in message
    assert "\n" not in message
    assert captured.err == ""


def test_github_format_escapes_what_would_end_a_property(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"content/topics/a,b.yaml": "name: A\n"})
    assert cli.main(["check", "--project", str(root), "--format", "github"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("::error file=content/topics/a%2Cb.yaml,line=1,col=1,title=")
    assert "::file name 'a,b.yaml' does not make a valid topic slug%0Ahint: " in line
