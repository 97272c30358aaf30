"""The README documents every YAML key and every command-line option the tool accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefsite.cli.main import _parser
from briefsite.model import ENTITY_KINDS, NOTE_TYPES, RATINGS
from briefsite.read import schema

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _keys(spec: schema.Spec, path: str) -> list[tuple[str, str]]:
    if isinstance(spec, schema.ListOf):
        return _keys(spec.item, path)
    if isinstance(spec, schema.Mapping):
        found = []
        for field in spec.fields:
            found.append((f"{path}.{field.key}", field.key))
            found += _keys(field.spec, f"{path}.{field.key}")
        return found
    return []


ALL_KEYS = [
    key
    for name, spec in (("site", schema.SITE), ("brief", schema.BRIEF), ("entity", schema.ENTITY))
    for key in _keys(spec, name)
] + _keys(schema.TOPIC, "topic")


@pytest.mark.parametrize(("where", "key"), ALL_KEYS, ids=[w for w, _ in ALL_KEYS])
def test_every_yaml_key_is_documented_with_an_example(where: str, key: str) -> None:
    assert f"`{key}`" in README, f"{where} is not described in the README"
    assert re.search(rf"^\s*(- )?{re.escape(key)}:", README, re.MULTILINE), (
        f"{where} has no YAML example in the README"
    )


def test_every_enum_value_is_documented() -> None:
    for value in (*NOTE_TYPES, *RATINGS, *ENTITY_KINDS):
        assert f"`{value}`" in README


def test_every_command_line_option_is_documented() -> None:
    parser = _parser()
    options = {o for action in parser._actions for o in action.option_strings}
    for sub in parser._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        options |= {o for action in sub._actions for o in action.option_strings}
    assert options >= {"--project", "--output", "--format", "--quiet", "--verbose"}
    for option in options:
        assert f"`{option}" in README or f"{option}`" in README, option


def test_the_readme_runs_the_tool_one_way_only() -> None:
    # `./build.py` starts itself in the project's .venv; `python build.py` would not find the
    # dependencies on a fresh clone, and no other entry point exists.
    assert "python build.py" not in README
    assert "python3 build.py" not in README
    commands = re.findall(r"^(?:\$ )?`?(\S*build\.py)\b", README, re.MULTILINE)
    assert commands and set(commands) == {"./build.py"}
