"""Incremental rebuilds write exactly what a full build writes, after any sequence of edits."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefsite.build import pipeline
from briefsite.build.incremental import SiteBuilder
from briefsite.errors import BriefsiteError
from briefsite.render.templates import BUILTIN_LAYOUTS

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
Edit = Callable[[Path], set[str]]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _append(relative: str, text: str) -> Edit:
    def edit(root: Path) -> set[str]:
        path = root / relative
        if path.exists():
            path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
        return {str(path)}

    return edit


def _replace(relative: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> set[str]:
        path = root / relative
        if path.exists():
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        return {str(path)}

    return edit


def _write(relative: str, text: str) -> Edit:
    def edit(root: Path) -> set[str]:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
        return {str(root / relative)}

    return edit


def _delete(relative: str) -> Edit:
    def edit(root: Path) -> set[str]:
        (root / relative).unlink(missing_ok=True)
        return {str(root / relative)}

    return edit


def _rename(old: str, new: str) -> Edit:
    def edit(root: Path) -> set[str]:
        if (root / old).exists():
            (root / old).rename(root / new)
        return {str(root / old), str(root / new)}

    return edit


def _override_template(name: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> set[str]:
        text = (BUILTIN_LAYOUTS / name).read_text(encoding="utf-8")
        return _write(f"layouts/{name}", text.replace(old, new))(root)

    return edit


BUS = "content/briefs/bus-depot.yaml"
EDITS: dict[str, Edit] = {
    "note text": _replace(BUS, "has run the depot since 1974.", "has run the depot since 1975."),
    "brief title": _replace(BUS, "title:", "title: Revised -"),
    "seed typo fixed": _replace("seeds/bus-depot.txt", "Quarry Lane", "Quarry  Lane"),
    "seed loses a quote": _replace("seeds/bus-depot.txt", "ring road", "bypass"),
    "seed gains text": _append("seeds/parking-fees.txt", "\nA new closing paragraph.\n"),
    "new entity with an alias in the seeds": _write(
        "content/entities/quarry-lane.yaml", "name: Quarry Lane\nkind: place\n"
    ),
    "entity deleted": _delete("content/entities/valeline.yaml"),
    "entity alias changed": _replace(
        "content/entities/valeline.yaml", "aliases:", "aliases: [X]\n#"
    ),
    "topic added": _write("content/topics/housing.yaml", "name: Housing\nsummary: Homes.\n"),
    "topic deleted": _delete("content/topics/transport.yaml"),
    "brief deleted": _delete("content/briefs/library-sundays.yaml"),
    "brief renamed": _rename("content/briefs/parking-fees.yaml", "content/briefs/fees.yaml"),
    "brief added": _write(
        "content/briefs/depot-two.yaml",
        "seed: bus-depot\npublished: 2025-06-01\ntitle: Second look\nsummary: Again.\n",
    ),
    "site title": _replace("content/site.yaml", "title:", "title: New -"),
    "broken YAML": _append(BUS, "\n  bad: [\n"),
    "brief template overridden": _override_template("brief.html", "<h1>", "<h1 class='x'>"),
    "base template overridden": _override_template("base.html", "<footer", "<footer data-x"),
    "template override removed": _delete("layouts/brief.html"),
    "brief template broken": _override_template("brief.html", "<h1", "{% if %}<h1"),
    "note now about another entity": _replace(
        BUS, "    entities: [millbrook-council]", "    entities: [millbrook-council, valeline]"
    ),
    "static file added": _write("layouts/static/robots.txt", "User-agent: *\n"),
    "stylesheet overridden": _write("layouts/static/assets/site.css", "body { margin: 0 }\n"),
    "file touched, unchanged": _append(BUS, ""),
    "related brief dropped": _replace(
        "content/briefs/library-sundays.yaml", "related: [bus-depot]", "related: []"
    ),
    "related brief added": _replace(
        "content/briefs/parking-fees.yaml", "published:", "related: [bus-depot]\npublished:"
    ),
    "seed paragraph with a new mention": _append(
        "seeds/library-sundays.txt", "\nValeline and the Millbrook Town Council agreed.\n"
    ),
}


def _check_step(
    builder: SiteBuilder, root: Path, tmp: Path, step: int, hint: set[str] | None = None
) -> None:
    outcome = builder.build(hint)
    fresh = tmp / f"fresh-{step}"
    try:
        pipeline.build(root, fresh)
    except BriefsiteError as exc:
        assert not outcome.ok
        assert [d.format() for d in outcome.diagnostics if d.severity == "error"] == [
            d.format() for d in exc.diagnostics
        ]
        return
    assert outcome.ok, [d.format() for d in outcome.diagnostics]
    assert _files(builder.output) == _files(fresh)
    assert {k: v for k, v in builder.site.items()} == {
        k: v for k, v in _files(fresh).items() if k != ".briefsite"
    }
    shutil.rmtree(fresh)


@settings(
    max_examples=int(os.environ.get("BRIEFSITE_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=5), st.booleans())
def test_incremental_output_equals_a_full_build_after_every_step(
    tmp_path_factory: pytest.TempPathFactory, edits: list[str], hinted: bool
) -> None:
    # `hinted`: the builder is told which paths changed, as the watcher tells it when
    # serving; otherwise it looks at every file itself.
    tmp = tmp_path_factory.mktemp("incremental")
    root = tmp / "project"
    shutil.copytree(GOLDEN, root)
    builder = SiteBuilder(root, tmp / "output")
    _check_step(builder, root, tmp, 0)
    for step, name in enumerate(edits, start=1):
        touched = EDITS[name](root)
        _check_step(builder, root, tmp, step, touched if hinted else None)


def test_only_pages_whose_inputs_changed_are_rendered(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    builder = SiteBuilder(root, tmp_path / "output")
    first = builder.build()
    assert first.ok and first.rendered == len([p for p in builder.site if p.endswith(".html")])
    EDITS["note text"](root)
    second = builder.build()
    assert second.ok
    # The brief, and the pages listing it or the entities of its notes; not the other briefs.
    assert second.changed == (
        "briefs/bus-depot/index.html",
        "entities/millbrook-council/index.html",
    )
    assert "briefs/parking-fees/index.html" not in second.changed
    assert second.rendered < first.rendered
    third = builder.build()
    assert third.ok and third.rendered == 0 and third.changed == ()


def test_a_deleted_brief_leaves_no_stale_page(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    builder = SiteBuilder(root, tmp_path / "output")
    assert builder.build().ok
    assert (tmp_path / "output/briefs/library-sundays/index.html").exists()
    EDITS["brief deleted"](root)
    outcome = builder.build()
    assert outcome.ok
    assert outcome.removed == ("briefs/library-sundays/index.html",)
    assert not (tmp_path / "output/briefs/library-sundays").exists()


def test_a_failed_rebuild_keeps_the_last_good_site(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    builder = SiteBuilder(root, tmp_path / "output")
    assert builder.build().ok
    before, served = _files(tmp_path / "output"), dict(builder.site)
    EDITS["broken YAML"](root)
    outcome = builder.build()
    assert not outcome.ok
    assert outcome.diagnostics[0].location.path == BUS
    assert _files(tmp_path / "output") == before
    assert builder.site == served


def test_an_edit_within_the_same_clock_tick_is_not_missed(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    path = root / BUS
    path.touch()  # just saved, as when an editor writes twice within one clock tick
    builder = SiteBuilder(root, tmp_path / "output")
    assert builder.build().ok
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("since 1974", "since 1947"), encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    outcome = builder.build()
    assert outcome.changed and "since 1947" in builder.site["briefs/bus-depot/index.html"].decode()


@pytest.mark.parametrize(
    "edits",
    [
        ["note now about another entity", "brief template broken", "template override removed"],
        ["brief template broken", "note now about another entity", "template override removed"],
        ["broken YAML", "entity deleted", "related brief added", "brief renamed"],
    ],
)
@pytest.mark.parametrize("hinted", [False, True])
def test_edits_made_while_the_build_is_broken_are_all_applied_once_it_is_fixed(
    tmp_path: Path, edits: list[str], hinted: bool
) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    builder = SiteBuilder(root, tmp_path / "output")
    _check_step(builder, root, tmp_path, 0)
    for step, name in enumerate(edits, start=1):
        touched = EDITS[name](root)
        _check_step(builder, root, tmp_path, step, touched if hinted else None)
