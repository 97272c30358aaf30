"""The example project in the repository builds cleanly: the one test that reads `content/`.

Every other test uses fixtures of its own, so a brief added to `content/` never changes
what the suite runs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from briefsite.read import schema
from tests.helpers import build
from tests.test_editor_schema import kind_of, problems

REPO = Path(__file__).resolve().parent.parent


def test_the_example_project_builds_cleanly_and_its_files_follow_the_editor_schema(
    tmp_path: Path,
) -> None:
    built = build(REPO, tmp_path / "site")
    assert built.diagnostics == (), "\n".join(d.format() for d in built.diagnostics)
    assert built.briefs >= 1
    for brief in (REPO / "content" / "briefs").glob("*.yaml"):
        assert (tmp_path / "site" / "briefs" / brief.stem / "index.html").is_file()
    content = REPO / "content"
    for path in sorted(content.rglob("*.yaml")):
        relative = path.relative_to(REPO).as_posix()
        kind = kind_of(relative)
        text = path.read_text(encoding="utf-8")
        depth = len(path.relative_to(content).parts)
        assert text.split("\n", 1)[0] == schema.modeline(kind, depth), relative
        assert problems(kind, text) == [], relative


def _collected(root: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_a_brief_added_to_the_example_changes_no_test(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    for folder in ("tests", "content", "seeds"):
        shutil.copytree(
            REPO / folder,
            copy / folder,
            ignore=shutil.ignore_patterns("node_modules", "__pycache__", ".briefsite-cache"),
        )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, copy / name)
    before = _collected(copy)
    assert len(before) > 100
    (copy / "seeds" / "one-more.txt").write_text("One more\n\nA paragraph of it.\n")
    (copy / "content" / "briefs" / "one-more.yaml").write_text(
        "seed: one-more\npublished: 2026-01-01\nannotations:\n"
        "  - {id: more, quote: paragraph, type: context, note: More.}\n"
    )
    assert _collected(copy) == before
