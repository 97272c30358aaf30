"""Layouts are code run in Jinja's sandbox: a project's template can read the values it is
given, and nothing of Python's internals; what it tries is a located error, never a command
run on the machine that builds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import build_site, check, errors

BUILTIN = Path(__file__).resolve().parent.parent / "layouts"
ESCAPES = {
    "cycler globals": '{{ cycler.__init__.__globals__.os.popen("touch PWNED").read() }}',
    "joiner globals": '{{ joiner.__init__.__globals__.os.system("touch PWNED") }}',
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "record class": "{{ page.__class__.__init__.__globals__ }}",
    "format string": '{{ "{0.__class__}".format(page) }}',
    "huge range": "{% for i in range(10 ** 9) %}{% endfor %}",
    "endless recursion": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
}


def _with_line(template: str, line: str) -> str:
    lines = (BUILTIN / template).read_text(encoding="utf-8").split("\n")
    lines.insert(4, line)  # inside the main block
    return "\n".join(lines)


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_a_layout_reaching_for_python_internals_is_a_located_error(
    make_project: Callable[..., Path], name: str
) -> None:
    root = make_project({"layouts/index.html": _with_line("index.html", ESCAPES[name])})
    found = [(e.location.path, e.location.line, e.location.col) for e in errors(check(root))]
    assert found == [("layouts/index.html", 5, 1)], errors(check(root))
    (error,) = errors(check(root))
    assert error.message.startswith("template error while rendering index.html: ")
    assert not (root / "PWNED").exists() and not Path("PWNED").exists()


def test_a_layout_reads_the_values_it_is_given(
    make_project: Callable[..., Path], tmp_path: Path
) -> None:
    line = "<p id=probe>{{ site.title }} / {{ briefs | length }} / {{ '%s!' % site.language }}</p>"
    root = make_project({"layouts/index.html": _with_line("index.html", line)})
    assert errors(check(root)) == []
    page = build_site(root, tmp_path / "site")["index.html"].decode()
    assert "<p id=probe>Test briefs / 1 / en!</p>" in page
