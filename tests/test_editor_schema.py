"""`./build.py schema`: JSON Schema files for editors, made from the one definition of the
format (`read/schema.py`), checked with a real validator (jsonschema, Draft 2020-12).

The schema must accept what the tool accepts (the fixture projects) and reject every
invalid case of `test_invalid_input.py` that a JSON Schema can express.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from briefsite.cli import main as cli
from briefsite.read import schema
from briefsite.read.yaml_reader import plain_data
from tests.conftest import BASE_FILES
from tests.test_invalid_input import CASES, Case

TESTS = Path(__file__).resolve().parent
KINDS = {"briefs": "brief", "entities": "entity", "topics": "topic"}
# The invalid cases whose mistake is in the shape of a YAML file: a key, a type, a value.
# The others are about YAML syntax, seeds, references, quotes or file names.
EXPRESSIBLE = (
    "yaml-keys-under-verdict-not-indented",
    "unknown-key-typo-did-you-mean",
    "unknown-key-in-note-did-you-mean",
    "unknown-key-lists-valid-keys",
    "string-where-list-expected",
    "list-where-string-expected",
    "list-where-markdown-expected",
    "mapping-where-string-expected",
    "list-where-mapping-expected",
    "note-that-is-a-string",
    "missing-seed",
    "missing-published",
    "missing-note-id",
    "missing-quote",
    "missing-type",
    "missing-note",
    "missing-site-title",
    "missing-verdict-summary",
    "empty-seed-value",
    "empty-quoted-quote",
    "blank-quote",
    "empty-note-block",
    "empty-site-title",
    "occurrence-zero",
    "occurrence-zero-on-repeated-quote-no-cascade",
    "occurrence-not-a-number",
    "occurrence-sexagesimal-no-crash",
    "claim-without-verdict",
    "verdict-on-non-claim",
    "retired-note-without-reason",
    "reason-on-a-note-not-retired",
    "bad-note-status",
    "bad-reviewed-date",
    "bad-rating-did-you-mean",
    "bad-rating-lists-ratings",
    "bad-note-type",
    "bad-note-type-did-you-mean",
    "date-day-out-of-range",
    "date-not-zero-padded",
    "date-word",
    "date-month-out-of-range",
    "date-in-corrections-log",
    "javascript-source-url",
    "entity-url-without-scheme",
    "empty-yaml-file",
    "yaml-file-with-only-a-comment",
    "top-level-list",
    "top-level-scalar",
)


def kind_of(path: str) -> str:
    """The kind of a content file, from its folder."""
    parts = Path(path).parts
    return "site" if parts[-1] == "site.yaml" else KINDS[parts[-2]]


def validator(kind: str) -> Draft202012Validator:
    """A validator for a kind's schema, dates and all."""
    return Draft202012Validator(
        schema.json_schema(schema.SCHEMAS[kind], title=kind),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def problems(kind: str, text: str) -> list[str]:
    """What the schema finds wrong with a YAML file."""
    return [error.message for error in validator(kind).iter_errors(plain_data(text))]


def test_the_schema_command_writes_a_valid_draft_2020_12_schema_of_each_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["schema", "--project", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    folder = tmp_path / ".briefsite" / "schema"
    assert out == "Wrote " + ", ".join(f".briefsite/schema/{k}.json" for k in schema.SCHEMAS) + "\n"
    assert sorted(p.name for p in folder.iterdir()) == [
        "brief.json",
        "entity.json",
        "site.json",
        "topic.json",
    ]
    for kind, spec in schema.SCHEMAS.items():
        written: dict[str, Any] = json.loads((folder / f"{kind}.json").read_text())
        Draft202012Validator.check_schema(written)
        assert written == schema.json_schema(spec, title=f"briefsite {kind} file")
        assert written["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # The folder keeps itself out of version control.
    assert (tmp_path / ".briefsite" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_the_fixture_projects_pass_the_schema() -> None:
    files = [(path, text) for path, text in BASE_FILES.items() if path.endswith(".yaml")]
    for project in ("golden", "hostile", "example"):
        root = TESTS / "fixtures" / project
        files += [
            (p.relative_to(root).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted((root / "content").rglob("*.yaml"))
        ]
    assert len(files) > 20
    for path, text in files:
        assert isinstance(text, str)
        assert problems(kind_of(path), text) == [], path


def _case(case_id: str) -> Case:
    found = [c for c in CASES if c.id == case_id]
    assert len(found) == 1, f"no invalid case '{case_id}' in tests/test_invalid_input.py"
    return found[0]


@pytest.mark.parametrize("case_id", EXPRESSIBLE)
def test_an_invalid_case_that_a_schema_can_express_fails_it(case_id: str) -> None:
    case = _case(case_id)
    broken = [(p, t) for p, t in case.files.items() if p.endswith(".yaml")]
    assert broken, "the case breaks no YAML file"
    for path, text in broken:
        assert isinstance(text, str)
        assert problems(kind_of(path), text) != [], f"{path} passes the schema:\n{text}"
