"""The preview server's parts: path resolution, script injection, errors and bugs shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefsite.build.builder import Builder
from briefsite.build.store import Store
from briefsite.errors import Diagnostic, SourceLocation
from briefsite.serve.preview import Preview, ServeOptions, error_entries
from briefsite.serve.server import content_type, inject, resolve

SITE = {
    "index.html": b"<html><body>home</body></html>",
    "briefs/x/index.html": b"<html><body>x</body></html>",
    "assets/site.css": b"body{}",
    "404.html": b"<html><body>missing</body></html>",
}
GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ("file", "index.html")),
        ("/index.html", ("file", "index.html")),
        ("/briefs/x/", ("file", "briefs/x/index.html")),
        ("/briefs/x/?utm=1#top", ("file", "briefs/x/index.html")),
        ("/briefs/x", ("redirect", "/briefs/x/")),
        ("/briefs/%78/", ("file", "briefs/x/index.html")),
        ("/assets/site.css", ("file", "assets/site.css")),
        ("/nope", ("missing", None)),
        ("/../index.html", ("missing", None)),
        ("/briefs/../index.html", ("missing", None)),
        ("/%2e%2e/index.html", ("missing", None)),
        ("/briefs/./x/", ("missing", None)),
        ("/briefs%2f..%2f/index.html", ("missing", None)),
        ("/index.html%00.css", ("missing", None)),
        ("/briefs\\x/", ("missing", None)),
        ("//[x/", ("missing", None)),  # not a URL at all: urlsplit raises on it
    ],
)
def test_request_paths_resolve_only_to_files_of_the_site(
    path: str, expected: tuple[str, str | None]
) -> None:
    assert resolve(SITE, path) == expected


def test_content_types() -> None:
    assert content_type("a/index.html") == "text/html; charset=utf-8"
    assert content_type("assets/site.css") == "text/css; charset=utf-8"
    assert content_type("assets/brief.js") == "text/javascript; charset=utf-8"
    assert content_type("robots.txt") == "text/plain; charset=utf-8"
    assert content_type("logo.png") == "image/png"


def test_the_reload_script_goes_before_the_end_of_the_body() -> None:
    html = inject(b"<html><body><p>x</p></body></html>", "v-7")
    assert html.startswith(b'<html><body><p>x</p><script id="briefsite-livereload"')
    assert b'data-version="v-7"' in html and html.endswith(b"</script></body></html>")
    assert inject(b"fragment", "v").startswith(b"fragment<script")


def test_errors_carry_their_source_line(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/site.yaml").write_text("titel: x\n", encoding="utf-8")
    d = Diagnostic(SourceLocation("content/site.yaml", 1, 1), "unknown key 'titel'", "hint")
    missing = Diagnostic(SourceLocation("layouts/gone.html", 3, 1), "gone", "")
    assert error_entries([d, missing], tmp_path) == [
        {
            "path": "content/site.yaml",
            "line": 1,
            "col": 1,
            "severity": "error",
            "message": "unknown key 'titel'",
            "hint": "hint",
            "source": "titel: x",
        },
        {
            "path": "layouts/gone.html",
            "line": 3,
            "col": 1,
            "severity": "error",
            "message": "gone",
            "hint": "",
            "source": None,
        },
    ]


def test_a_bug_is_shown_with_its_traceback_and_the_site_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    options = ServeOptions(root, tmp_path / "site", "127.0.0.1", 0, False, False, True, False)
    preview = Preview(options, Builder(root, Store.none()))
    preview.rebuild(0.0)
    site, version, errors = preview.state.snapshot()
    assert errors == [] and "index.html" in site

    def broken(*args: object, **options: object) -> None:
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(preview.builder, "build", broken)
    preview.rebuild(0.0)
    after, same_version, errors = preview.state.snapshot()
    assert after is site and same_version == version  # the last good site is still served
    (error,) = errors
    assert "Traceback" in error["traceback"]
    assert error["traceback"].rstrip().endswith("RuntimeError: something unexpected")
    assert "RuntimeError: something unexpected" in capsys.readouterr().err
