"""The minimal fixture project builds, so other tests can start from it."""

from pathlib import Path

from tests.conftest import ProjectFactory
from tests.helpers import build


def test_minimal_project_builds(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project()
    result = build(root, tmp_path / "site")
    assert (result.briefs, result.notes) == (1, 1)
    page = (tmp_path / "site/briefs/agency-move/index.html").read_text()
    assert 'data-notes="staff"' in page
    assert 'href="../../entities/agency/"' in page
