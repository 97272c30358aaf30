"""Every input is bounded: alias bombs, recursive aliases, oversized values, quotes and
files are located errors, found before any of them costs memory; aliases within the bound
work as written."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from briefsite.build.files import MAX_BYTES
from briefsite.errors import Diagnostics
from briefsite.read.records import read_project
from briefsite.read.yaml_bounds import MAX_EXPANSION, MAX_SCALAR_CHARS
from tests.helpers import build_site, check, errors

BRIEF_FILE = "content/briefs/agency-move.yaml"
HEAD = "seed: agency-move\npublished: 2024-05-01\n"
NOTE = (
    "annotations:\n"
    "  - id: staff\n"
    "    quote: move 40 staff\n"
    "    type: context\n"
    "    note: About the move.\n"
)
Located = tuple[str, int, int, str]


def _errors(root: Path) -> list[Located]:
    return [
        (e.location.path, e.location.line, e.location.col, e.message) for e in errors(check(root))
    ]


def test_an_alias_bomb_is_refused_at_the_alias_that_passes_the_bound(
    make_project: Callable[..., Path],
) -> None:
    # The bomb: a 100 KB value repeated 4,000 times, 1.6 GB of notes once expanded.
    text = HEAD + "summary: &s " + "word " * 20_000 + "\nkey_points: [" + ", ".join(["*s"] * 4000)
    text += "]\n" + NOTE
    root = make_project({BRIEF_FILE: text})
    limit = MAX_EXPANSION * len(text)
    # Each alias adds 100,000 characters: the eleventh passes ten times the file's size.
    column = len("key_points: [") + 1 + len("*s, ") * 10
    tracemalloc.start()
    try:
        found = _errors(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == [
        (
            BRIEF_FILE,
            4,
            column,
            f"alias '*s' makes the file too large once its aliases are written out: over "
            f"{limit:,} characters, {MAX_EXPANSION} times its own size",
        )
    ]
    assert peak < 50_000_000, f"{peak:,} bytes traced: the aliases were expanded"


def test_a_nested_alias_bomb_is_refused_too(make_project: Callable[..., Path]) -> None:
    # The billion laughs: each level ten aliases of the one before.
    levels = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    for n in range(1, 9):
        levels.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    text = HEAD + "key_points:\n" + "".join(f"  - {level}\n" for level in levels) + NOTE
    root = make_project({BRIEF_FILE: text})
    ((path, line, _, message),) = _errors(root)
    # Level a4 holds 10,000 values once written out: its second alias of a3 passes the floor.
    assert (path, line) == (BRIEF_FILE, 8)
    assert message.startswith("alias '*a3' makes the file too large")


def test_an_alias_inside_its_own_node_is_refused(make_project: Callable[..., Path]) -> None:
    root = make_project({BRIEF_FILE: HEAD + "key_points: &loop [one, *loop]\n" + NOTE})
    assert _errors(root) == [
        (BRIEF_FILE, 3, 25, "alias '*loop' is inside the node it refers to"),
    ]


def test_aliases_within_the_bound_work_as_written(
    make_project: Callable[..., Path], tmp_path: Path
) -> None:
    text = HEAD + NOTE.replace(
        "    note: About the move.\n",
        "    note: About the move.\n"
        "    sources:\n"
        "      - &report {title: The report, url: 'https://example.org/report'}\n"
        "  - id: cost\n"
        "    quote: explained the cost\n"
        "    type: source\n"
        "    note: The same report.\n"
        "    sources: [*report]\n",
    )
    root = make_project({BRIEF_FILE: text})
    assert _errors(root) == []
    brief = read_project(root.resolve(), Diagnostics()).briefs["agency-move"]
    assert [[s.title for s in note.sources] for note in brief.annotations] == [
        ["The report"],
        ["The report"],
    ]
    page = build_site(root, tmp_path / "site")["briefs/agency-move/index.html"]
    assert b'href="https://example.org/report"' in page


def test_a_value_past_the_limit_is_a_located_error(make_project: Callable[..., Path]) -> None:
    long = "x" * (MAX_SCALAR_CHARS + 1)
    root = make_project({BRIEF_FILE: HEAD + NOTE + f"title: {long}\n"})
    assert _errors(root) == [
        (
            BRIEF_FILE,
            8,
            8,
            f"value is too long: {MAX_SCALAR_CHARS + 1:,} characters, and a value may have "
            f"at most {MAX_SCALAR_CHARS:,}",
        )
    ]


def test_a_key_past_the_limit_is_refused_without_being_echoed(
    make_project: Callable[..., Path],
) -> None:
    root = make_project({BRIEF_FILE: HEAD + NOTE + "y" * (MAX_SCALAR_CHARS + 5) + ": 1\n"})
    ((path, line, col, message),) = _errors(root)
    assert (path, line, col) == (BRIEF_FILE, 8, 1) and len(message) < 200


@pytest.mark.parametrize("key", ["quote", "prefix", "suffix"])
def test_a_quote_or_its_context_past_a_passage_is_a_located_error(
    make_project: Callable[..., Path], key: str
) -> None:
    value = "word " * 201
    text = HEAD + NOTE + f"    {key}: {value.strip()}\n"
    if key == "quote":
        text = text.replace("    quote: move 40 staff\n", "")
    root = make_project({BRIEF_FILE: text})
    line = text.split("\n").index(f"    {key}: {value.strip()}") + 1
    assert (
        BRIEF_FILE,
        line,
        len(key) + 7,
        f"'{key}' is too long: 1,004 characters, at most 1,000",
    ) in _errors(root)


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("seeds/agency-move.txt", "seed"),
        (BRIEF_FILE, "brief"),
        ("content/entities/agency.yaml", "entity"),
        ("content/site.yaml", "site"),
    ],
)
def test_a_file_past_its_size_limit_is_a_located_error(
    make_project: Callable[..., Path], relative: str, kind: str
) -> None:
    root = make_project()
    path = root / relative
    with open(path, "ab") as stream:  # a sparse file: large, but costs no disk
        stream.truncate(MAX_BYTES[kind] + 1)
    size = MAX_BYTES[kind] + 1
    assert (
        relative,
        1,
        1,
        f"file is too large: {size:,} bytes, and a {kind} file may have at most "
        f"{MAX_BYTES[kind]:,}",
    ) in _errors(root)


def test_nesting_past_the_parsers_depth_is_a_located_error(
    make_project: Callable[..., Path],
) -> None:
    root = make_project({BRIEF_FILE: HEAD + "key_points: " + "[" * 5000 + "]" * 5000 + "\n"})
    ((path, line, _, message),) = _errors(root)
    assert (path, line) == (BRIEF_FILE, 3)
    assert message.startswith("invalid YAML: exceeded maximum nesting depth")
