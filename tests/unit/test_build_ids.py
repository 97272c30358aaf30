"""An output's build id: the same files give the same id, however many builds led there."""

from __future__ import annotations

import random

from briefsite.build.manifest import BuildIds, PageEntry


def _entry(text: str) -> PageEntry:
    return PageEntry("fingerprint", text, None)


def test_ids_worked_out_in_turn_equal_ids_worked_out_afresh() -> None:
    rng = random.Random(8)
    pages = {f"briefs/b{n:03d}/index.html": _entry(f"d{n}") for n in range(200)}
    ids, last = BuildIds(), None
    seen: dict[str, frozenset[tuple[str, str]]] = {}
    for step in range(60):
        changed = set(rng.sample(sorted(pages), rng.randint(0, 5)))
        for out in changed:
            pages[out] = _entry(f"{out}-{step}")
        if step % 7 == 3:  # a page added and one removed: every file is looked at again
            pages.pop(sorted(pages)[0])
            pages[f"topics/t{step}/index.html"] = _entry("new")
        last = ids.of(pages, last, changed)
        assert last == BuildIds().of(pages, None, ()), f"step {step}"
        state = frozenset((out, entry.digest) for out, entry in pages.items())
        assert seen.setdefault(last, state) == state, "two different sites with one id"


def test_an_id_the_object_did_not_give_last_is_not_built_upon() -> None:
    pages = {"a.html": _entry("1"), "b.html": _entry("2")}
    ids = BuildIds()
    first = ids.of(pages, None, ())
    pages["a.html"] = _entry("3")
    ids.of(pages, first, {"a.html"})  # a build whose output was never swapped in
    pages["a.html"] = _entry("1")
    pages["b.html"] = _entry("4")
    # Told that only b.html changed since `first`, as the builder would be: a.html's
    # digest is as it was then, which the object no longer holds.
    assert ids.of(pages, first, {"b.html"}) == BuildIds().of(pages, None, ())


def test_the_id_depends_on_names_and_digests_only() -> None:
    one = {"a.html": PageEntry("x", "1", (1, 2, 3)), "b.html": PageEntry("y", "2", None)}
    two = {"b.html": PageEntry("z", "2", (4, 5, 6)), "a.html": PageEntry("w", "1", None)}
    assert BuildIds().of(one, None, ()) == BuildIds().of(two, None, ())
    three = {"a.html": PageEntry("x", "2", None), "b.html": PageEntry("y", "1", None)}
    assert BuildIds().of(three, None, ()) != BuildIds().of(one, None, ())
