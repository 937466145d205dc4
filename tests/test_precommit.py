"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit tool.

`pre-commit try-repo` installs this checkout (uncommitted changes included) into
pre-commit's own environment, exactly as a user's hook would get it.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "policies" / "examples" / "en" / "privacy-v1.md"

INCOMPLETE = """---
title: Privacy notice
lang: en
---

# Privacy notice

## Who we are {#controller}

Nordlys Ltd, 1 Harbour Street, Leeds LS1 4AB, United Kingdom.

## What we use your data for {#purposes}

We use your email address to send the invoices you ask for.
"""

pytestmark = pytest.mark.slow


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit")
    if exe:
        return [exe]
    pytest.importorskip("pre_commit")
    return [sys.executable, "-m", "pre_commit"]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _try(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin:" + str(Path(sys.executable).parent),
           "HOME": str(home), "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([*_pre_commit(), "try-repo", str(ROOT), hook], cwd=repo,
                          capture_output=True, text=True, env=env, timeout=900)


def _repo(tmp_path: Path, text: str) -> Path:
    repo = tmp_path / "policies-repo"
    (repo / "policies").mkdir(parents=True)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "legal@nordlys.co.uk")
    _git(repo, "config", "user.name", "Legal Writer")
    (repo / "policies" / "privacy.md").write_text(text, encoding="utf-8")
    _git(repo, "add", "policies/privacy.md")
    return repo


def test_incomplete_policy_is_blocked(tmp_path, pre_commit_home):
    repo = _repo(tmp_path, INCOMPLETE)
    result = _try(repo, pre_commit_home, "policylint")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "policies/privacy.md" in out
    assert "retention" in out          # the linter's own message reaches the writer
    assert "PL1" in out


def test_complete_policy_goes_through(tmp_path, pre_commit_home):
    repo = _repo(tmp_path, EXAMPLE.read_text("utf-8"))
    result = _try(repo, pre_commit_home, "policylint")
    assert result.returncode == 0, result.stdout + result.stderr
