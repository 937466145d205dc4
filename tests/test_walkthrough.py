"""The README's walkthrough is real output: running scripts/walkthrough.sh again gives
exactly what the README shows (regenerate with `python scripts/sync_readme.py`)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("git") is None,
                    reason="needs bash and git")
def test_readme_walkthrough_is_the_scripts_output():
    readme = (ROOT / "README.md").read_text("utf-8")
    shown = re.search(r"<!-- walkthrough:start -->\n(.*?)<!-- walkthrough:end -->", readme, re.S)
    assert shown, "README.md has no walkthrough markers"
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    run = subprocess.run(["bash", str(ROOT / "scripts" / "walkthrough.sh")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "[exit 1]" in run.stdout and "BLOCKED" in run.stdout   # the gate really closes
    assert shown.group(1).strip() == run.stdout.strip(), \
        "README walkthrough is stale: run `python scripts/sync_readme.py`"
