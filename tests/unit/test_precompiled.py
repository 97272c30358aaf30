"""The built-in layouts compiled ahead of time: used for exactly the files they were compiled
from, with the same source and settings, and never for a project's own layouts."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from briefsite.render.layouts import BUILTIN_LAYOUTS
from briefsite.render.precompiled import Precompiled, compile_layouts, settings_of
from briefsite.render.templates import make_environment

BUILTIN = sorted(p.name for p in BUILTIN_LAYOUTS.glob("*.html"))


@pytest.fixture
def compiled(tmp_path: Path) -> Path:
    folder = tmp_path / "compiled"
    env = make_environment([BUILTIN_LAYOUTS], tmp_path, precompiled=None)
    assert compile_layouts(env, BUILTIN_LAYOUTS, folder) == len(BUILTIN)
    return folder


def _compiles(env: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates `env` compiles from here on."""
    compiled: list[str] = []
    real = env.compile

    def compile(source: str, name: str | None = None, filename: str | None = None) -> object:
        compiled.append(str(name))
        return real(source, name, filename)

    monkeypatch.setattr(env, "compile", compile)
    return compiled


def test_every_built_in_layout_is_loaded_without_compiling(
    compiled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = make_environment([BUILTIN_LAYOUTS], tmp_path, precompiled=compiled)
    compiles = _compiles(env, monkeypatch)
    for name in BUILTIN:
        env.get_template(name)
    assert compiles == []


def test_a_precompiled_layout_runs_the_code_compiling_it_gives(
    compiled: Path, tmp_path: Path
) -> None:
    fresh = make_environment([BUILTIN_LAYOUTS], tmp_path, precompiled=None)
    kept = make_environment([BUILTIN_LAYOUTS], tmp_path, precompiled=compiled)
    for name in BUILTIN:
        made, read = fresh.get_template(name), kept.get_template(name)
        assert read.root_render_func.__code__.co_code == made.root_render_func.__code__.co_code
        assert read.root_render_func.__code__.co_consts == (
            made.root_render_func.__code__.co_consts
        )
        assert sorted(read.blocks) == sorted(made.blocks)


def test_a_projects_own_layout_of_the_same_name_is_compiled_from_its_file(
    compiled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "layouts"
    own.mkdir()
    (own / "404.html").write_text("<p>Not here: {{ 1 + 1 }}</p>\n", encoding="utf-8")
    env = make_environment([own, BUILTIN_LAYOUTS], tmp_path, precompiled=compiled)
    compiles = _compiles(env, monkeypatch)
    assert env.get_template("404.html").render() == "<p>Not here: 2</p>\n"
    assert compiles == ["404.html"]


def test_a_built_in_layout_changed_since_it_was_compiled_is_compiled_again(
    compiled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts = tmp_path / "built-in"
    layouts.mkdir()
    (layouts / "page.html").write_text("before\n", encoding="utf-8")
    env = make_environment([layouts], tmp_path, precompiled=None)
    compile_layouts(env, layouts, compiled)
    (layouts / "page.html").write_text("after\n", encoding="utf-8")
    env = make_environment([layouts], tmp_path, precompiled=compiled)
    compiles = _compiles(env, monkeypatch)
    assert env.get_template("page.html").render() == "after\n"
    assert compiles == ["page.html"]


def test_layouts_compiled_with_other_settings_are_not_used(
    compiled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = make_environment([BUILTIN_LAYOUTS], tmp_path, precompiled=None)
    env.trim_blocks = False  # the same source gives other code
    env.bytecode_cache = Precompiled(compiled, settings_of(env))
    compiles = _compiles(env, monkeypatch)
    env.get_template("404.html")
    assert compiles == ["404.html"]


def test_a_damaged_compiled_layout_is_compiled_again(
    compiled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in compiled.iterdir():
        path.write_bytes(path.read_bytes()[:40])
    env = make_environment([BUILTIN_LAYOUTS], tmp_path, precompiled=compiled)
    compiles = _compiles(env, monkeypatch)
    env.get_template("404.html")
    assert compiles == ["404.html"]


def test_the_settings_are_the_same_in_every_process(tmp_path: Path) -> None:
    one = make_environment([BUILTIN_LAYOUTS], tmp_path, precompiled=None)
    other = make_environment([BUILTIN_LAYOUTS], tmp_path, precompiled=None)
    one.autoescape = jinja2.select_autoescape()  # a new function each time it is asked
    other.autoescape = jinja2.select_autoescape()
    assert settings_of(one) == settings_of(other)
    assert "0x" not in settings_of(one)  # no object's address
