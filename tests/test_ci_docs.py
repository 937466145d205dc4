"""The CI examples in docs/ci/ call only commands and options that exist."""
from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest

yaml = pytest.importorskip("yaml")

from policylint.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands(node):
    """Every shell line of a workflow/job definition."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script") and isinstance(value, (str, list)):
                for line in ([value] if isinstance(value, str) else value):
                    yield from (ln for ln in str(line).splitlines() if ln.strip())
            else:
                yield from _commands(value)
    elif isinstance(node, list):
        for item in node:
            yield from _commands(item)


def _invocations(path: Path) -> list[list[str]]:
    data = yaml.safe_load(path.read_text("utf-8"))
    out = []
    for line in _commands(data):
        line = line.split("||")[0]
        words = shlex.split(line)
        if words and words[0] == "policylint":
            out.append(words[1:])
    return out


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_ci_examples_use_real_commands_and_options(name):
    calls = _invocations(DOCS / "ci" / name)
    assert calls, f"{name} runs no policylint command"
    for words in calls:
        cmd = main.get_command(click.Context(main), words[0])
        assert cmd is not None, f"{name}: unknown command policylint {words[0]}"
        known = {opt for p in cmd.params for opt in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}
        for w in words[1:]:
            if w == "--":          # paths follow
                break
            if w.startswith("--"):
                assert w.split("=")[0] in known, f"{name}: policylint {words[0]} has no option {w}"


def test_ci_md_embeds_the_example_files():
    text = (DOCS / "ci.md").read_text("utf-8")
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        body = (DOCS / "ci" / name).read_text("utf-8").strip()
        assert body in text, f"docs/ci.md is out of date with docs/ci/{name}"
