"""The built wheel carries everything: grammar, schemas, language files, templates.

Builds a wheel of this checkout, installs it into a fresh virtual environment and
runs the installed `policylint` from a folder outside the source tree, so nothing
can be picked up from the checkout by accident.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"),
                    str(ROOT)], check=True, capture_output=True)
    wheels = list((tmp / "dist").glob("policylint-*.whl"))
    assert len(wheels) == 1, wheels
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(wheels[0])], check=True, capture_output=True,
                   timeout=600)
    return venv


def _run(venv: Path, *args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_COLOR"] = "1"
    return subprocess.run([str(venv / "bin" / "policylint"), *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def test_wheel_lints_from_outside_the_source_tree(installed, tmp_path):
    policy = tmp_path / "privacy.md"
    policy.write_text((ROOT / "policies" / "examples" / "sv" / "privacy-v2.md").read_text("utf-8"),
                      encoding="utf-8")
    ok = _run(installed, "lint", "privacy.md", cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    policy.write_text("---\nlang: sv\ntitel: x\n---\n\n# Integritetspolicy\n\nVi sparar allt.\n",
                      encoding="utf-8")
    bad = _run(installed, "lint", "--format", "json", "privacy.md", cwd=tmp_path)
    assert bad.returncode == 1
    assert '"PL003"' in bad.stdout and '"PL105"' in bad.stdout   # schema + rules shipped


def test_wheel_ships_templates_and_grammar(installed, tmp_path):
    out = _run(installed, "init", "--lang", "da", cwd=tmp_path)
    assert out.returncode == 0 and "{#retention}" in out.stdout
    code = ("import policylint.parser as p, pathlib; "
            "import policylint.grammar as g; print(pathlib.Path(g.__file__).parent)")
    where = subprocess.run([str(installed / "bin" / "python"), "-c", code], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert "site-packages" in where and str(ROOT) not in where
    version = _run(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0 and "policylint" in version.stdout
