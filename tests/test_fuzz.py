"""Fuzzing: mutated briefs, entities, topics, `site.yaml` and seeds never make an internal
error or a hang, and every error they cause is located inside its file (see
`tests/fuzzing.py`; `benchmarks/fuzz.py` runs the same cases by the thousand)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import BAD_BYTES, OPERATIONS, SNIPPETS, TARGETS, Fuzzer, Mutation
from tests.helpers import check, errors

MUTATION = st.builds(
    Mutation,
    file=st.integers(0, len(TARGETS) - 1),
    operation=st.sampled_from(OPERATIONS),
    where=st.floats(0, 1),
    span=st.floats(0, 1),
    snippet=st.sampled_from(SNIPPETS) | st.text(max_size=12),
    raw=st.just(b"") | st.sampled_from(BAD_BYTES),
)


@pytest.fixture(scope="module")
def fuzzer(tmp_path_factory: pytest.TempPathFactory) -> Fuzzer:
    return Fuzzer(tmp_path_factory.mktemp("fuzz") / "project")


@settings(
    max_examples=int(os.environ.get("BRIEFSITE_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_projects_are_reported_never_crash_and_are_located_exactly(
    fuzzer: Fuzzer, mutations: list[Mutation]
) -> None:
    outcome = fuzzer.run(mutations)
    assert outcome.internal_error is None, outcome.internal_error
    assert not outcome.hang
    assert outcome.mislocated == ()


def test_the_unmutated_project_has_no_error(tmp_path: Path) -> None:
    # The premise of every case: the mutations, not the base project, cause the errors.
    outcome = Fuzzer(tmp_path / "project").run([])
    assert (outcome.internal_error, outcome.hang, outcome.errors) == (None, False, 0)


@pytest.mark.parametrize(
    "mutation",
    [
        Mutation(0, "insert", 0.5, 0.0, "\x00"),
        Mutation(1, "truncate", 0.37, 0.0, ""),
        Mutation(2, "indent", 0.5, 0.0, "\t"),
        Mutation(3, "replace", 0.2, 0.1, "&b [x, *a]"),
        Mutation(4, "insert", 0.3, 0.0, "", b"\xff"),
        Mutation(len(TARGETS) - 1, "insert", 0.6, 0.0, "\x1b"),
    ],
    ids=["NUL in a brief", "cut brief", "tab", "alias", "not UTF-8", "ESC in a seed"],
)
def test_each_kind_of_damage_is_a_located_error(tmp_path: Path, mutation: Mutation) -> None:
    outcome = Fuzzer(tmp_path / "project").run([mutation])
    assert outcome.internal_error is None and not outcome.hang
    assert outcome.mislocated == ()
    assert outcome.errors > 0


# Found by fuzzing: urlsplit raises on a bracketed host that is no IPv6 address.


def test_a_url_whose_host_is_not_an_address_is_an_error_not_a_crash(
    make_project: Callable[..., Path],
) -> None:
    entity = "name: The Agency\nkind: agency\naliases: [Agency]\nurl: http://[x/\n"
    root = make_project({"content/entities/agency.yaml": entity})
    assert [
        (e.location.path, e.location.line, e.location.col, e.message) for e in errors(check(root))
    ] == [("content/entities/agency.yaml", 4, 6, "'url' 'http://[x/' is not a web address")]
