"""A new process works out the fingerprints of only the pages whose inputs changed since
the live output was made, and only when the cache vouches for what that output was made
from; otherwise every page's. Either way it writes what a clean build writes."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from briefsite.build import pages
from briefsite.build.builder import Builder
from briefsite.build.built import Built
from briefsite.build.files import Files
from briefsite.build.knowledge import Knowledge
from briefsite.build.stamps import digest_text
from briefsite.build.state import BriefState, lazy_anchors, lazy_mentions
from briefsite.build.store import Store
from tests.helpers import site_files
from tests.test_incremental import EDITS, GOLDEN


@pytest.fixture
def worked_out(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The fingerprints worked out, in order (a page's is the digest of its inputs)."""
    found: list[str] = []

    def spy(*parts: str) -> str:
        found.append(parts[1])
        return digest_text(*parts)

    monkeypatch.setattr(pages, "digest_text", spy)
    return found


def _fingerprinted(built: Built) -> int:
    """How many of a build's files have a fingerprint made of inputs: pages and documents,
    not static files (whose fingerprint is their digest)."""
    return sum(not page.fingerprint.startswith("static:") for page in built.pages.values())


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    built = Builder(root, Store.open(root)).build(tmp_path / "output")
    assert built.ok
    return root


def _as_clean(tmp_path: Path, root: Path) -> None:
    """Build in a new process's stead, and compare with a build without any cache."""
    assert Builder(root, Store.open(root)).build(tmp_path / "output").ok
    assert Builder(root, Store.none()).build(tmp_path / "clean").ok
    assert site_files(tmp_path / "output") == site_files(tmp_path / "clean")


def test_after_a_note_is_edited_only_the_pages_showing_it_are_fingerprinted(
    tmp_path: Path, worked_out: list[str]
) -> None:
    root = _project(tmp_path)
    worked_out.clear()
    EDITS["note text"](root)
    built = Builder(root, Store.open(root)).build(tmp_path / "output")
    assert built.ok
    # The brief's page and annotations, and the entity page listing the note.
    assert len(worked_out) == 3
    assert built.changed == (
        "briefs/bus-depot/annotations.jsonld",
        "briefs/bus-depot/index.html",
        "entities/millbrook-council/index.html",
    )
    _as_clean(tmp_path, root)


def test_states_newer_than_the_output_make_every_fingerprint_again(
    tmp_path: Path, worked_out: list[str]
) -> None:
    root = _project(tmp_path)
    EDITS["note text"](root)
    # `check` derives the edited brief and keeps its state: the cache's states are no
    # longer the output's, and the edit is not among what the next build derives again.
    assert Builder(root, Store.open(root)).check().ok
    worked_out.clear()
    built = Builder(root, Store.open(root)).build(tmp_path / "output")
    assert built.ok and len(worked_out) == _fingerprinted(built)
    assert "briefs/bus-depot/index.html" in built.changed
    _as_clean(tmp_path, root)


@pytest.mark.parametrize(
    "edit", ["entity summary changed", "brief title", "brief added", "seed with a new mention"]
)
def test_edits_that_may_change_what_pages_are_made_from_fingerprint_every_page(
    tmp_path: Path, worked_out: list[str], edit: str
) -> None:
    root = _project(tmp_path)
    worked_out.clear()
    EDITS[edit](root)
    built = Builder(root, Store.open(root)).build(tmp_path / "output")
    assert built.ok and len(worked_out) == _fingerprinted(built)
    _as_clean(tmp_path, root)


def _state(key: str) -> BriefState:
    return BriefState(
        key, "seed", 0, lazy_anchors(()), lazy_mentions(()), None, frozenset(), (), {}, ()
    )


def test_the_seal_kept_up_to_date_is_the_seal_worked_out_anew(tmp_path: Path) -> None:
    """A long-lived builder's seal, brought up to date brief by brief, is always the one a
    new process works out from the same states: the manifest's seal is compared with it."""
    rng = random.Random("seal")
    kept = Knowledge(Store.none(), Files(tmp_path, Store.none()))
    slugs = [f"b{i:03d}" for i in range(150)]  # more than one run of parts
    for step in range(400):
        slug = rng.choice(slugs)
        if rng.random() < 0.2:
            kept.drop_brief(slug)
        else:
            kept.set_brief(slug, _state(f"k{step}"))
        if rng.random() < 0.5:  # not every change is followed by a run that seals
            anew = Knowledge(Store.none(), Files(tmp_path, Store.none()))
            anew.briefs.update(kept.briefs)
            assert kept.seal() == anew.seal()


def test_the_seal_tells_apart_states_that_differ_in_one_key(tmp_path: Path) -> None:
    """Two sets of states with one key changed, or one brief more, have different seals."""
    knowledge = Knowledge(Store.none(), Files(tmp_path, Store.none()))
    for slug in ("a", "b", "c"):
        knowledge.set_brief(slug, _state(f"key-{slug}"))
    first = knowledge.seal()
    knowledge.set_brief("b", _state("key-b2"))
    changed = knowledge.seal()
    knowledge.set_brief("d", _state("key-d"))
    added = knowledge.seal()
    assert len({first, changed, added}) == 3
    knowledge.drop_brief("d")
    assert knowledge.seal() == changed
    knowledge.set_brief("e", _state("key-e"))  # a brief that comes and goes between seals
    knowledge.drop_brief("e")
    assert knowledge.seal() == changed
