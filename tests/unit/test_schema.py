"""The YAML formats, defined once: JSON Schema for editors agrees with the real validator."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefsite.errors import Diagnostics
from briefsite.model import RATINGS
from briefsite.read import schema
from briefsite.read.sources import SLUG_RE
from briefsite.read.yaml_reader import load_yaml

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
SPECS: dict[str, schema.Mapping] = {
    "site": schema.SITE,
    "brief": schema.BRIEF,
    "entity": schema.ENTITY,
    "topic": schema.TOPIC,
}


def _example_files() -> list[tuple[str, Path]]:
    found = [("site", GOLDEN / "content/site.yaml")]
    for kind, folder in (("brief", "briefs"), ("entity", "entities"), ("topic", "topics")):
        found += [(kind, p) for p in sorted((GOLDEN / "content" / folder).glob("*.yaml"))]
    return found


EXAMPLES = _example_files()


def _walk(schema_node: dict[str, Any]) -> list[dict[str, Any]]:
    """Every object schema nested in `schema_node`, itself included."""
    out = []
    if schema_node.get("type") == "object":
        out.append(schema_node)
        for prop in schema_node["properties"].values():
            out += _walk(prop)
    if schema_node.get("type") == "array":
        out += _walk(schema_node["items"])
    return out


# --- the JSON Schema itself ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SPECS))
def test_json_schema_is_json_with_a_draft_and_title(name: str) -> None:
    out = schema.json_schema(SPECS[name], title=f"briefsite {name}")
    assert json.loads(json.dumps(out)) == out
    assert out["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert out["title"] == f"briefsite {name}"
    assert out["type"] == "object"


def test_json_schema_without_title_has_no_header() -> None:
    out = schema.json_schema(schema.TOPIC)
    assert "$schema" not in out
    assert "title" not in out


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_object_is_closed_and_lists_its_required_keys(name: str) -> None:
    objects = _walk(schema.json_schema(SPECS[name]))
    assert objects
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert set(obj["required"]) <= set(obj["properties"])
        for prop in obj["properties"].values():
            assert isinstance(prop["description"], str)
            assert prop["description"]


def test_brief_schema_matches_the_documented_format() -> None:
    brief = schema.json_schema(schema.BRIEF)
    assert brief["required"] == ["seed", "published"]
    assert list(brief["properties"]) == [f.key for f in schema.BRIEF.fields]
    note = brief["properties"]["annotations"]["items"]
    assert note["type"] == "object"
    assert note["required"] == ["id", "quote", "type", "note"]
    assert note["properties"]["type"]["enum"] == [
        "context",
        "definition",
        "claim",
        "source",
        "question",
        "correction",
    ]
    assert note["properties"]["occurrence"]["type"] == "integer"
    assert note["properties"]["occurrence"]["minimum"] == 1
    verdict = note["properties"]["verdict"]
    assert verdict["required"] == ["rating", "summary"]
    assert verdict["properties"]["rating"]["enum"] == list(RATINGS)
    assert note["properties"]["sources"]["items"]["required"] == ["title", "url"]
    assert brief["properties"]["published"]["format"] == "date"
    assert brief["properties"]["topics"]["type"] == "array"
    assert brief["properties"]["corrections"]["items"]["required"] == ["date", "note"]


def test_entity_schema_kinds_and_url() -> None:
    entity = schema.json_schema(schema.ENTITY)
    assert entity["required"] == ["name"]
    assert entity["properties"]["kind"]["enum"] == [
        "person",
        "organization",
        "agency",
        "place",
        "law",
        "program",
    ]
    url = entity["properties"]["url"]
    assert url["format"] == "uri"
    assert re.search(url["pattern"], "https://www.dhs.gov/")
    assert not re.search(url["pattern"], "ftp://x")


def test_patterns_are_anchored_and_agree_with_the_validator() -> None:
    brief = schema.json_schema(schema.BRIEF)
    slug = brief["properties"]["seed"]["pattern"]
    assert slug.startswith("^")
    assert slug.endswith("$")
    for good in ("border-patrol", "a1", "x"):
        assert re.search(slug, good)
        assert SLUG_RE.fullmatch(good)
    for bad in ("Border", "a--b", "-a", "a-", "a_b", "a b", ""):
        assert not re.search(slug, bad)
        assert not SLUG_RE.fullmatch(bad)
    language = schema.json_schema(schema.SITE)["properties"]["language"]["pattern"]
    for good in ("en", "en-GB", "zh-Hant-TW"):
        assert re.search(language, good)
    for bad in ("english", "e", "en_GB"):
        assert not re.search(language, bad)


def test_plain_strings_must_not_be_empty() -> None:
    topic = schema.json_schema(schema.TOPIC)
    assert topic["properties"]["name"] == {
        "description": "Display name.",
        "type": "string",
        "minLength": 1,
        "pattern": "\\S",
    }


# --- a tiny JSON Schema check, compared with the real validator ----------------------------


def _jsonable(value: object) -> object:
    """YAML values as an editor's JSON Schema validator sees them (dates are strings)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _key_problems(node: dict[str, Any], value: object, where: str = "") -> set[str]:
    """Unknown and missing keys under `node`, as 'unknown:path' and 'missing:path'."""
    problems: set[str] = set()
    if node.get("type") == "object" and isinstance(value, dict):
        for key in node["required"]:
            if key not in value:
                problems.add(f"missing:{where}{key}")
        for key, item in value.items():
            prop = node["properties"].get(key)
            if prop is None:
                problems.add(f"unknown:{where}{key}")
            else:
                problems |= _key_problems(prop, item, f"{where}{key}.")
    elif node.get("type") == "array" and isinstance(value, list):
        for item in value:
            problems |= _key_problems(node["items"], item, where)
    return problems


def _validator_key_problems(text: str, spec: schema.Mapping) -> set[str]:
    diagnostics = Diagnostics()
    load_yaml(text, "x.yaml", spec, diagnostics)
    problems = set()
    for d in diagnostics.errors:
        if m := re.match(r"unknown key '([^']+)'", d.message):
            problems.add(f"unknown:{m[1]}")
        elif m := re.match(r"\w+ is missing required key '([^']+)'", d.message):
            problems.add(f"missing:{m[1]}")
        else:
            problems.add(f"other:{d.message}")
    return problems


def _leaf_names(problems: set[str]) -> set[str]:
    return {p.split(":")[0] + ":" + p.rsplit(".", 1)[-1].split(":")[-1] for p in problems}


def test_the_fixture_project_has_files_of_every_kind() -> None:
    kinds = {kind for kind, _ in EXAMPLES}
    assert kinds == set(SPECS)
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize(("kind", "path"), EXAMPLES, ids=[p.name for _, p in EXAMPLES])
def test_fixture_files_pass_both_the_schema_and_the_validator(kind: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    spec = SPECS[kind]
    assert _key_problems(schema.json_schema(spec), _jsonable(yaml.safe_load(text))) == set()
    assert _validator_key_problems(text, spec) == set()


MUTATIONS: list[tuple[str, str, str]] = [
    ("site", "title: T\nbase_urll: https://x.org/\n", "unknown:base_urll"),
    ("site", "description: no title\n", "missing:title"),
    ("topic", "name: T\nsumary: x\n", "unknown:sumary"),
    ("entity", "kind: agency\naliases: [X]\n", "missing:name"),
    ("brief", "seed: s\n", "missing:published"),
    (
        "brief",
        "seed: s\npublished: 2024-01-01\nannotations:\n"
        "  - id: a\n    quote: q\n    type: context\n    note: n\n    colour: red\n",
        "unknown:annotations.colour",
    ),
    (
        "brief",
        "seed: s\npublished: 2024-01-01\nannotations:\n  - id: a\n    quote: q\n    note: n\n",
        "missing:annotations.type",
    ),
    (
        "brief",
        "seed: s\npublished: 2024-01-01\nannotations:\n  - id: a\n    quote: q\n"
        "    type: claim\n    note: n\n    verdict: {rating: false}\n",
        "missing:annotations.verdict.summary",
    ),
    (
        "brief",
        "seed: s\npublished: 2024-01-01\nsource: {publisher: P, author: A}\n",
        "unknown:source.author",
    ),
]


@pytest.mark.parametrize(("kind", "text", "problem"), MUTATIONS)
def test_schema_and_validator_agree_on_unknown_and_missing_keys(
    kind: str, text: str, problem: str
) -> None:
    spec = SPECS[kind]
    from_schema = _key_problems(schema.json_schema(spec), _jsonable(yaml.safe_load(text)))
    assert from_schema == {problem}
    assert _validator_key_problems(text, spec) == _leaf_names(from_schema)


@pytest.mark.parametrize(("kind", "path"), EXAMPLES[:6], ids=[p.name for _, p in EXAMPLES[:6]])
def test_an_unknown_key_added_to_a_fixture_is_caught_by_both(kind: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\nnot_a_key: 1\n"
    spec = SPECS[kind]
    from_schema = _key_problems(schema.json_schema(spec), _jsonable(yaml.safe_load(text)))
    assert from_schema == {"unknown:not_a_key"}
    assert _validator_key_problems(text, spec) == from_schema


@pytest.mark.parametrize("name", sorted(SPECS))
def test_a_file_with_only_the_required_keys_passes_both(name: str) -> None:
    spec = SPECS[name]
    samples = {"seed": "s", "published": "2024-01-01", "title": "T", "name": "N"}
    text = "".join(f"{f.key}: {samples[f.key]}\n" for f in spec.fields if f.required)
    assert _key_problems(schema.json_schema(spec), _jsonable(yaml.safe_load(text))) == set()
    assert _validator_key_problems(text, spec) == set()
