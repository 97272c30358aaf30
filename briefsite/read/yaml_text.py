"""YAML written by the tool into files a person edits: one scalar at a time, as plain text
where that reads back the same, else as a double-quoted string (a JSON string is one)."""

from __future__ import annotations

import json

import yaml


def yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar: plain where YAML reads it back as the same string (not a
    date, a number, `yes`, or text with `: ` or ` #`), else double-quoted."""
    if value and value == value.strip() and "\n" not in value:
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)
