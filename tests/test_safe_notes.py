"""Notes that are safe when the article changes.

A claim with a verdict, or a correction, never moves onto changed words unconfirmed; no note
moves onto another sentence that only looks alike but says another figure; a note whose
passage is gone can be retired and kept; `anchor --write` leaves the `start:` of notes whose
selectors did not change.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from briefsite.anchor.anchoring import Anchor, Unplaced
from briefsite.cli import main as cli
from tests.conftest import write_project
from tests.helpers import build, check, errors

B = "content/briefs/roads.yaml"
S = "seeds/roads.txt"
SEED = """\
County budget passes

The vote was close.

The board met on Monday. The county spent $12 million on roads last year, the treasurer said. \
The city spent $40 million on roads in the same period. Both figures come from the annual report.

The mayor said the jobs gains were strong. Residents were not consulted before the vote.
"""
BRIEF = """\
seed: roads
published: 2024-05-01
annotations:
  - id: county-roads
    quote: The county spent $12 million on roads last year
    type: claim
    note: The annual report says so.
    verdict: {rating: accurate, summary: The report confirms it.}
  - id: jobs
    quote: the jobs gains were strong
    type: correction
    note: "The original reads 'jobs gains'."
  - id: report
    quote: Both figures come from the annual report
    type: source
    note: The report is public.
  - id: consulted
    quote: Residents were not consulted before the vote
    type: question
    note: Were they?
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The project above, anchored: every note has its prefix, suffix and start."""
    project = write_project(
        tmp_path / "project",
        {
            "content/site.yaml": "title: T\nbase_url: https://briefs.example.org/\n",
            S: SEED,
            B: BRIEF,
        },
    )
    assert cli.main(["anchor", "--write", "-q", "--project", str(project)]) == 0
    assert check(project).diagnostics == ()
    return project


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _place(root: Path, note: str) -> Anchor | Unplaced:
    (found,) = [p for p in check(root).anchors["roads"] if p.note_id == note]
    return found


def test_a_claim_on_changed_words_is_an_error_that_shows_the_diff_and_how_to_confirm(
    root: Path,
) -> None:
    _edit(root, S, "$12 million on roads last year", "$14 million on roads last year")
    (error,) = errors(check(root))
    assert str(error.location) == f"{B}:8:12"
    assert error.message == (
        "claim 'county-roads' would stand on changed words: its quote is not in seed 'roads' "
        "as written; the closest passage is seeds/roads.txt:5:26 (98% similar, score 0.99)"
    )
    assert error.hint.splitlines() == [
        "the seed reads: The county spent [-$12-] {+$14+} million on roads last year",
        "its figures changed; the note follows them as the text on both sides is as it was: "
        "the same sentence, edited",
        "a claim's verdict stands on the words it was written for: read the diff, then "
        "confirm the new words",
        "with `./build.py anchor roads --write` (the quote becomes the seed's words), or add "
        "`reviewed: YYYY-MM-DD` (the day you checked) to the note",
    ]
    placed = _place(root, "county-roads")
    assert isinstance(placed, Anchor) and placed.status == "fuzzy"


def test_reviewed_confirms_the_new_words_and_anchor_write_records_them(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(root, S, "$12 million", "$14 million")
    _edit(root, B, "    type: claim\n", "    type: claim\n    reviewed: 2024-05-03\n")
    run = check(root)
    assert errors(run) == []
    assert [d.message.split(";")[0] for d in run.diagnostics] == [
        "seed 'roads' has changed since the notes were anchored on " + dt.date.today().isoformat(),
        "quote is not in seed 'roads' as written",
    ]
    assert cli.main(["anchor", "roads", "--write", "--project", str(root)]) == 0
    assert capsys.readouterr().err == f"{B}: anchored\n"
    text = (root / B).read_text(encoding="utf-8")
    assert "quote: The county spent $14 million on roads last year\n" in text
    assert "reviewed:" not in text, "the quote is the seed's words now: nothing to confirm"
    assert check(root).diagnostics == ()


def test_anchor_write_after_reading_the_diff_confirms_a_correction(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(root, S, "the jobs gains were strong", "the job gains were strong")
    (error,) = errors(check(root))
    assert error.message.startswith("correction 'jobs' would stand on changed words")
    assert "the seed reads: the [-jobs-] {+job+} gains were strong" in error.hint
    assert cli.main(["anchor", "roads", "--project", str(root)]) == 1  # the diff, and why
    captured = capsys.readouterr()
    assert "-    quote: the jobs gains were strong\n" in captured.out
    assert "+    quote: the job gains were strong\n" in captured.out
    assert "correction 'jobs' would stand on changed words" in captured.err
    assert cli.main(["anchor", "roads", "--write", "--project", str(root)]) == 0
    assert capsys.readouterr().err == f"{B}: anchored\n"
    assert check(root).diagnostics == ()


def test_a_lookalike_sentence_with_another_figure_is_never_taken(root: Path) -> None:
    # The county's sentence is gone; the city's looks alike, 80% the same letters.
    _edit(root, S, "The county spent $12 million on roads last year, the treasurer said. ", "")
    (error,) = errors(check(root))
    assert error.message == (
        "quote not found in seed 'roads': \"The county spent $12 million on roads last year\""
    )
    assert "its figures differ" in error.hint
    assert _place(root, "county-roads") == Unplaced("county-roads", "orphan")


def test_any_note_follows_its_sentence_when_a_figure_is_corrected_in_place(root: Path) -> None:
    # The claim made a context note: no confirmation needed, the diff is shown all the same.
    _edit(root, B, "    type: claim\n", "    type: context\n")
    _edit(root, B, "    verdict: {rating: accurate, summary: The report confirms it.}\n", "")
    _edit(root, S, "$12 million", "$13 million")
    run = check(root)
    assert errors(run) == []
    fuzzy = [d for d in run.diagnostics if "as written" in d.message]
    assert len(fuzzy) == 1
    assert "the seed reads: The county spent [-$12-] {+$13+} million" in fuzzy[0].hint
    placed = _place(root, "county-roads")
    assert isinstance(placed, Anchor) and placed.status == "fuzzy"


def test_a_retired_note_leaves_the_build_green_and_is_listed_apart(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(root, S, " Residents were not consulted before the vote.", "")
    assert [e.message for e in errors(check(root))] == [
        "quote not found in seed 'roads': \"Residents were not consulted before the vote\""
    ]
    _edit(
        root,
        B,
        "    note: Were they?\n",
        "    note: Were they?\n    status: retired\n    reason: The paper cut the sentence.\n",
    )
    built = build(root, tmp_path / "site")
    assert [d.severity for d in built.diagnostics] == ["warning"]  # the seed changed
    page = (tmp_path / "site/briefs/roads/index.html").read_text(encoding="utf-8")
    section = page[page.index('<section class="retired"') :]
    section = section[: section.index("</section>")]
    assert '<h2 id="retired_title">Notes on passages the source removed</h2>' in section
    assert "On “Residents were not consulted before the vote”, removed from the source" in section
    assert "Why it is kept apart: The paper cut the sentence." in section
    assert 'data-notes="consulted"' not in page, "a retired note marks no passage"
    assert cli.main(["check", "--format", "json", "--project", str(root)]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    (note,) = [n for n in report["briefs"][0]["notes"] if n["id"] == "consulted"]
    assert (note["status"], note["start"], note["score"]) == ("retired", None, None)


def test_anchor_write_rewrites_start_only_where_selectors_changed(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (root / B).read_text(encoding="utf-8")
    _edit(root, S, "The vote was close.", "The vote, held late, was close.")
    assert cli.main(["anchor", "roads", "--project", str(root)]) == 0
    diff = capsys.readouterr().out
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    # Every note moved by 13 characters, but the text around each is as it was.
    assert [line.split(":")[0] for line in changed] == [
        "-  seed_sha256",
        "+  seed_sha256",
    ] or [line.split(":")[0] for line in changed] == [
        "-  seed_sha256",
        "-  date",
        "+  seed_sha256",
        "+  date",
    ]
    _edit(root, S, "The board met on Monday.", "The board met on Tuesday.")
    assert cli.main(["anchor", "roads", "--write", "--project", str(root)]) == 0
    after = (root / B).read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    differ = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    keys = [a.strip().split(":")[0] for a, _ in differ]
    # Only the claim's prefix (it reads "Tuesday" now) and its start, and the seed's hash.
    assert keys == ["seed_sha256", "prefix", "start"], differ
