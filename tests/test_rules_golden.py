"""Golden files: every finding on realistic policies, one line each.

Inputs are the policies in tests/fixtures/policies/ (complete and incomplete ones in
eight languages) and the extra cases in tests/fixtures/lint/*.md. Each input's expected
findings live in tests/fixtures/lint/<stem>.expected as `line:col CODE severity message`.

Regenerate after an intended change, then review the diff:

    POLICYLINT_REGEN=1 python -m pytest tests/test_rules_golden.py
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from policylint.lint import lint_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LINT = FIXTURES / "lint"
POLICIES = FIXTURES / "policies"
REGEN = os.environ.get("POLICYLINT_REGEN") == "1"


def inputs() -> list[Path]:
    files = sorted(POLICIES.glob("*.md")) if POLICIES.is_dir() else []
    files += sorted(LINT.glob("*.md"))
    return [f for f in files if f.name != "EXPECTED.md"]


def render(path: Path) -> str:
    _, diags = lint_file(path)
    return "".join(f"{d.line}:{d.column} {d.rule} {d.severity} {d.message}\n" for d in diags)


@pytest.mark.parametrize("path", inputs(), ids=lambda p: p.name)
def test_golden(path: Path):
    expected_file = LINT / (path.stem + ".expected")
    got = render(path)
    if REGEN:
        LINT.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(got, "utf-8")
    if not expected_file.exists():
        pytest.fail(f"no {expected_file.name}; run with POLICYLINT_REGEN=1 and review it")
    assert got == expected_file.read_text("utf-8")


@pytest.mark.parametrize("path", sorted(POLICIES.glob("complete-*.md")) if POLICIES.is_dir() else [],
                         ids=lambda p: p.name)
def test_complete_policies_have_no_errors(path: Path):
    _, diags = lint_file(path)
    errors = [f"{d.line}:{d.column} {d.rule} {d.message}" for d in diags if d.severity == "error"]
    assert errors == []


@pytest.mark.parametrize("path", sorted(POLICIES.glob("complete-*.md")) if POLICIES.is_dir() else [],
                         ids=lambda p: p.name)
def test_complete_policies_have_no_missing_elements(path: Path):
    _, diags = lint_file(path)
    assert [d.message for d in diags if d.rule.startswith("PL1") or d.rule == "PL201"] == []


def test_expected_files_have_inputs():
    """A stale .expected file (its input renamed or deleted) is an error, not a silent pass."""
    stems = {p.stem for p in inputs()}
    stale = [e.name for e in LINT.glob("*.expected") if e.stem not in stems]
    assert stale == []
