"""The parser finds its grammar inside an installed wheel, not in the checkout.

Builds a wheel of this checkout, installs it (without dependencies, from the local
file only) into a fresh virtual environment whose dependencies come from the
running environment's site-packages by a plain path entry, and parses from a folder
outside the source tree. The editable install is exercised by the normal suite.
Slow (a wheel build): deselect with -m "not slow"; it runs by default.
"""
from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

PROBE = r"""
import json, pathlib, sys
import policylint, policylint.grammar
from policylint.parser import parse
from policylint.serialize import document_to_dict
doc = parse("---\nlang: en\n---\n# Policy\n\n## Keep {#retention}\n\n- **Invoices:** 7 years\n", "p.md")
print(json.dumps({
    "package": policylint.__file__,
    "grammar": str(pathlib.Path(policylint.grammar.__file__).parent / "policy.lark"),
    "grammar_exists": (pathlib.Path(policylint.grammar.__file__).parent / "policy.lark").is_file(),
    "kind": doc.sections[0].sections[0].kind,
    "label": doc.sections[0].sections[0].blocks[0].items[0].clause.label,
    "schema": bool(__import__("policylint.resources", fromlist=["schema"]).schema("ast")),
}))
"""


def _build_wheel(dist: Path) -> Path:
    base = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)]
    errors = []
    for extra in ([], ["--no-build-isolation"]):
        r = subprocess.run(base + extra, capture_output=True, text=True, timeout=600)
        if r.returncode == 0:
            break
        errors.append(r.stderr[-2000:])
    else:
        pytest.fail("could not build a wheel:\n" + "\n".join(errors))
    wheels = list(dist.glob("policylint-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("grammar-wheel")
    wheel = _build_wheel(tmp / "dist")
    env_dir = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True,
                   timeout=300)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # Dependencies (lark, click, ...) from this environment, as a plain path: its .pth
    # files (the editable install's finder among them) are not processed.
    deps = [p for p in {sysconfig.get_paths()["purelib"], *site.getsitepackages()} if Path(p).is_dir()]
    Path(purelib, "policylint-test-deps.pth").write_text("\n".join(deps) + "\n", "utf-8")
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q",
                        "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True,
                       timeout=600)
    if r.returncode != 0:    # pip too old for --python: install into the target directly
        r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                            "--no-index", "--target", purelib, str(wheel)],
                           capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return env_dir


def test_installed_wheel_parses_with_its_own_grammar(venv, tmp_path):
    import json

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    r = subprocess.run([str(venv / "bin" / "python"), "-c", PROBE], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["package"].startswith(str(venv)), out     # the wheel, not the checkout
    assert out["grammar"].startswith(str(venv)) and out["grammar_exists"], out
    assert out["kind"] == "retention" and out["label"] == "Invoices"
    assert out["schema"]
