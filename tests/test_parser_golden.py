"""Golden files: tests/fixtures/parse/*.md parse to the *.json next to them.

The JSON is `policylint parse --format json` output (serialize.document_to_dict),
checked by eye when written. After a deliberate change to the parser, vocab or
extract, regenerate with `POLICYLINT_UPDATE_GOLDEN=1 pytest tests/test_parser_golden.py`
and review the diff like code.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from policylint.parser import parse_bytes
from policylint.resources import schema
from policylint.serialize import document_to_dict

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
INPUTS = sorted(FIXTURES.glob("*.md"))


def _render(path: Path) -> dict:
    return document_to_dict(parse_bytes(path.read_bytes(), path.name))


def test_there_are_golden_inputs():
    assert len(INPUTS) >= 8


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_golden(path: Path):
    got = _render(path)
    expected_file = path.with_suffix(".json")
    if os.environ.get("POLICYLINT_UPDATE_GOLDEN"):
        expected_file.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert expected_file.exists(), f"no golden file {expected_file.name}: run with POLICYLINT_UPDATE_GOLDEN=1"
    expected = json.loads(expected_file.read_text("utf-8"))
    assert got == expected


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_golden_output_matches_schema(path: Path):
    validator = jsonschema.Draft202012Validator(schema("ast"))
    errors = sorted(validator.iter_errors(_render(path)), key=lambda e: list(e.path))
    assert not errors, f"{list(errors[0].path)}: {errors[0].message}"


def test_schema_is_valid_2020_12():
    jsonschema.Draft202012Validator.check_schema(schema("ast"))
    assert schema("ast")["$schema"].endswith("2020-12/schema")
