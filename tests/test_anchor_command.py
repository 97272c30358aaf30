"""`build.py anchor`: a diff without --write; with it, only selector keys and `anchored`
change, byte for byte; refusal while a note cannot be placed; atomic writes; and no other
command ever writes to seeds/ or content/."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from briefsite.anchor.folding import Normalized
from briefsite.anchor.selectors import selectors_for
from briefsite.cli import main as cli
from briefsite.read.seeds import parse_seed
from tests.conftest import SEED, ProjectFactory
from tests.helpers import check

B = "content/briefs/agency-move.yaml"
S = "seeds/agency-move.txt"
TODAY = dt.date.today().isoformat()

# Comments, odd quoting, a flow-style note, a block scalar, key order, a missing final
# newline: everything but the selector keys must come out byte for byte.
BRIEF = """\
# A brief with comments.
seed: agency-move   # the seed
summary: The Agency is moving staff.
published: 2024-05-01
topics: [staffing]
annotations:
  # first note
  - id: staff
    quote: 'move 40 staff'   # single-quoted
    type: context
    note: |
      About [the Agency](entity:agency).
  - id: director
    note: Said who?
    quote: "the director said"
    occurrence: 1
    type: question
  - {id: cost, quote: the cost, type: context, note: Costs.}
  - id: typo
    quote: had not explaned the cost
    type: context
    note: >
      Folded text
      here."""


def _selectors(quote: str) -> tuple[str, str, int]:
    seed = parse_seed(SEED, "agency-move", S)
    start = seed.text.index(quote)
    sel = selectors_for(seed, Normalized(seed.text), start, start + len(quote))
    return sel.prefix, sel.suffix, sel.start


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _expected() -> str:
    staff = _selectors("move 40 staff")
    director = _selectors("the director said")
    cost = _selectors("the cost")
    typo = _selectors("had not explained the cost")
    sha = pipeline_sha()
    return (
        "# A brief with comments.\n"
        "seed: agency-move   # the seed\n"
        "summary: The Agency is moving staff.\n"
        "published: 2024-05-01\n"
        "topics: [staffing]\n"
        "anchored:\n"
        f"  seed_sha256: {sha}\n"
        f"  date: {TODAY}\n"
        "annotations:\n"
        "  # first note\n"
        "  - id: staff\n"
        "    quote: 'move 40 staff'   # single-quoted\n"
        f"    prefix: '{staff[0]}'\n"
        f"    suffix: '{staff[1]}'\n"
        f"    start: {staff[2]}\n"
        "    type: context\n"
        "    note: |\n"
        "      About [the Agency](entity:agency).\n"
        "  - id: director\n"
        "    note: Said who?\n"
        '    quote: "the director said"\n'
        f"    prefix: {_json(director[0])}\n"
        f"    suffix: {_json(director[1])}\n"
        f"    start: {director[2]}\n"
        "    type: question\n"
        f"  - {{id: cost, quote: the cost, prefix: {cost[0]}, suffix: {cost[1]}, "
        f"start: {cost[2]}, type: context, note: Costs.}}\n"
        "  - id: typo\n"
        "    quote: had not explained the cost\n"
        f"    prefix: {typo[0]}\n"
        f"    suffix: {typo[1]}\n"  # plain, like the quote, where YAML reads it back the same
        f"    start: {typo[2]}\n"
        "    type: context\n"
        "    note: >\n"
        "      Folded text\n"
        "      here."
    )


def pipeline_sha() -> str:
    from briefsite.anchor.selectors import seed_sha256

    return seed_sha256(parse_seed(SEED, "agency-move", S))


def _run(root: Path, *args: str) -> int:
    return cli.main(["anchor", "--project", str(root), *args])


def test_without_write_it_prints_a_diff_and_changes_nothing(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({B: BRIEF})
    before = (root / B).read_bytes()
    assert _run(root) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"--- a/{B}\n+++ b/{B}\n@@ ")
    assert "+anchored:\n" in out
    assert "-    quote: had not explaned the cost\n+    quote: had not explained the cost" in out
    assert "-    occurrence: 1\n" in out
    assert (root / B).read_bytes() == before


def test_write_changes_only_selector_keys_and_anchored_byte_for_byte(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({B: BRIEF})
    assert _run(root, "--write") == 0
    assert (root / B).read_text("utf-8") == _expected()

    # Now every note is exact, and anchoring again changes nothing, not even the date.
    run = check(root)
    assert run.diagnostics == ()
    assert {a.status for a in run.anchors["agency-move"]} == {"exact"}
    written = (root / B).read_bytes()
    capsys.readouterr()
    assert _run(root) == 0
    assert capsys.readouterr().out == ""
    assert _run(root, "--write") == 0
    assert (root / B).read_bytes() == written


def test_bom_and_crlf_are_kept(make_project: ProjectFactory) -> None:
    crlf = b"\xef\xbb\xbf" + BRIEF.replace("\n", "\r\n").encode("utf-8")
    root = make_project({B: crlf})
    assert _run(root, "--write") == 0
    expected = b"\xef\xbb\xbf" + _expected().replace("\n", "\r\n").encode("utf-8")
    assert (root / B).read_bytes() == expected


def test_a_line_separator_inside_a_note_is_kept_and_moves_nothing(
    make_project: ProjectFactory,
) -> None:
    # U+2028 is a line break to YAML 1.1, not to editors: read as the build reads it, the
    # note's text keeps it and every key is rewritten where an editor shows it.
    brief = BRIEF.replace("Folded text", "Folded\u2028text")
    assert brief != BRIEF
    root = make_project({B: brief})
    assert _run(root, "--write") == 0
    assert (root / B).read_text("utf-8") == _expected().replace("Folded text", "Folded\u2028text")
    assert check(root).diagnostics == ()


def test_an_existing_anchored_block_and_selectors_are_updated_in_place(
    make_project: ProjectFactory,
) -> None:
    old = (
        "seed: agency-move\npublished: 2024-05-01\n"
        "anchored: {seed_sha256: " + "0" * 64 + ", date: 2020-01-01}  # keep me\n"
        "annotations:\n"
        "  - id: staff\n    quote: move 40 staff\n    prefix: old prefix\n"
        "    start: 3\n    type: context\n    note: Hi.\n"
    )
    root = make_project({B: old})
    assert _run(root, "--write") == 1  # the stale prefix left the short quote unplaced
    assert (root / B).read_text("utf-8") == old
    root = make_project({B: old.replace("old prefix", "would")})
    assert _run(root, "--write") == 0
    prefix, suffix, start = _selectors("move 40 staff")
    assert (root / B).read_text("utf-8") == (
        "seed: agency-move\npublished: 2024-05-01\n"
        f"anchored: {{seed_sha256: {pipeline_sha()}, date: {TODAY}}}  # keep me\n"
        "annotations:\n"
        f"  - id: staff\n    quote: move 40 staff\n    prefix: {prefix}\n"
        f"    suffix: {suffix}\n"
        f"    start: {start}\n    type: context\n    note: Hi.\n"
    )


def test_it_refuses_while_a_note_is_orphan_or_ambiguous_and_names_them(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = BRIEF.replace("quote: the cost,", "quote: Agency,").replace(
        "'move 40 staff'", "'move 50 staff'"
    )
    root = make_project({B: brief})
    assert _run(root, "--write") == 1
    err = capsys.readouterr().err
    assert f"{B}: not anchored: notes staff, cost could not be placed; fix them first" in err
    assert "error: quote is ambiguous" in err and "error: quote not found" in err
    assert (root / B).read_text("utf-8") == brief


def test_unknown_brief_is_a_usage_error(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(make_project(), "no-such-brief") == 2
    assert "no-such-brief" in capsys.readouterr().err


def test_write_is_atomic(
    make_project: ProjectFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_project({B: BRIEF})
    before = sorted(p.name for p in (root / "content/briefs").iterdir())

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    assert _run(root, "--write") == 1
    assert f"{B}: cannot write: disk full" in capsys.readouterr().err
    assert (root / B).read_text("utf-8") == BRIEF
    assert sorted(p.name for p in (root / "content/briefs").iterdir()) == before


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("seeds", "content")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def test_build_and_check_never_write_to_seeds_or_content(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project({B: BRIEF})
    assert _run(root, "--write") == 0
    # The seed changes after anchoring: notes go fuzzy, the brief is flagged as changed.
    (root / S).write_text(SEED.replace("explained", "explained clearly"), "utf-8")
    before = _snapshot(root)
    assert cli.main(["check", "--project", str(root)]) == 0
    assert cli.main(["check", "--project", str(root), "--format", "json"]) == 0
    assert cli.main(["build", "--project", str(root), "--output", str(tmp_path / "o")]) == 0
    assert cli.main(["check", "--strict", "--project", str(root)]) == 1
    assert _snapshot(root) == before
