"""`policylint lint` and `policylint rules` through click's CliRunner: options, exit codes,
file discovery, formats, colour, and start-up cost."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint import discover as discover_mod
from policylint.ast import Document
from policylint.cli import main
from policylint.config import Config, load_config
from policylint.diagnostic import Diagnostic

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"

CLEAN = "# Privacy notice\n\n## How long we keep your data {#retention}\n\nInvoices: 7 years.\n"
MISSING = "# Privacy notice\n\nWe use your data.\n"
PLACEHOLDER = CLEAN + "\nContact: {{ Email address }}\n"


# ---------------------------------------------------------------- a small, deterministic engine

@dataclass(frozen=True)
class FakeRule:
    code: str
    name: str
    severity: str
    element: str | None
    summary: str
    rationale: str
    fix: str
    check: object = None


FAKE_RULES = [
    FakeRule("PL106", "retention-missing", "error", "retention",
             "The policy says how long data is kept.", "Art. 13(2)(a).", "Add a {#retention} section."),
    FakeRule("PL301", "placeholder", "warning", None,
             "No template placeholders are left.", "The text is unfinished.", "Fill it in."),
]


def _get_rule(key):
    return next((r for r in FAKE_RULES if key in (r.code, r.name)), None)


def _doc(text: str, path: str) -> Document:
    lines = tuple(text.splitlines())
    return Document(path, None, (), (), "en", "detected", (), len(lines), lines)


def _lint_document(doc: Document, config: Config | None = None) -> list[Diagnostic]:
    config = config or Config()
    out = []
    if not any("{#retention}" in ln for ln in doc.lines):
        out.append(Diagnostic("PL106", "no section says how long data is kept", 1, 1,
                              name="retention-missing", element="retention",
                              fix="add a section tagged {#retention}", path=doc.path))
    for n, ln in enumerate(doc.lines, 1):
        if "{{" in ln:
            c = ln.index("{{")
            out.append(Diagnostic("PL301", "placeholder left in the text", n, c + 1, n,
                                  ln.index("}}") + 3, "warning", "placeholder", path=doc.path))
    kept = []
    for d in out:
        keys = {d.rule, d.name}
        if config.select is not None and not keys & set(config.select):
            continue
        if keys & set(config.ignore):
            continue
        sev = config.severity.get(d.rule) or config.severity.get(d.name) or d.severity
        if sev != "off":
            kept.append(d.with_(severity=sev))
    return kept


def _lint_file(path, config=None):
    doc = _doc(Path(path).read_text("utf-8"), str(path))
    return doc, _lint_document(doc, config)


@pytest.fixture
def engine(monkeypatch):
    """Install the fake rules and lint engine (the real ones are exercised in test_lint*)."""
    from policylint import parser, rules
    fake = types.ModuleType("policylint.lint")
    fake.lint_document = _lint_document
    fake.lint_file = _lint_file
    fake.lint_text = lambda text, path="<string>", config=None: (
        _doc(text, path), _lint_document(_doc(text, path), config))
    monkeypatch.setitem(sys.modules, "policylint.lint", fake)
    import policylint
    monkeypatch.setattr(policylint, "lint", fake, raising=False)
    monkeypatch.setattr(rules, "all_rules", lambda: list(FAKE_RULES), raising=False)
    monkeypatch.setattr(rules, "get_rule", _get_rule, raising=False)
    monkeypatch.setattr(parser, "parse_bytes", lambda data, path="<bytes>", **kw: _doc(data.decode(), path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return fake


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


# ---------------------------------------------------------------- exit codes

def test_clean_file_exits_0(engine, repo):
    put(repo / "p.md", CLEAN)
    r = run("lint", "p.md")
    assert r.exit_code == 0, r.output
    assert r.output == "1 file clean.\n"


def test_errors_exit_1_with_located_report(engine, repo):
    put(repo / "policies" / "p.md", MISSING)
    r = run("lint", "policies/p.md")
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert lines[0] == "policies/p.md:1:1: PL106 [error] no section says how long data is kept"
    assert lines[1] == " 1 | # Privacy notice"
    assert lines[2] == "   | ^"
    assert lines[3] == "  fix: add a section tagged {#retention}"
    assert lines[-1] == "1 error, 0 warnings, 0 info in 1 file"


def test_warnings_alone_exit_0(engine, repo):
    put(repo / "p.md", PLACEHOLDER)
    r = run("lint", "p.md")
    assert r.exit_code == 0
    assert "PL301 [warning]" in r.output and "~~~" in r.output


def test_missing_path_exits_2(engine, repo):
    r = CliRunner().invoke(main, ["lint", "nope.md"])
    assert r.exit_code == 2
    assert r.output.startswith("policylint: error: nope.md: no such file or folder (")


def test_bad_config_exits_2_naming_line(engine, repo):
    put(repo / ".policylint.toml", '\n[severity]\nPL106 = "fatal"\n')
    put(repo / "p.md", CLEAN)
    r = CliRunner().invoke(main, ["lint", "p.md"])
    assert r.exit_code == 2
    assert re.search(r"^policylint: error: .*\.policylint\.toml:3: 'severity\.PL106' is 'fatal'", r.output)


def test_unknown_format_is_usage_error(engine, repo):
    r = CliRunner().invoke(main, ["lint", "--format", "xml"])
    assert r.exit_code == 2 and "xml" in r.output


def test_internal_error_exits_2_without_traceback(engine, repo, monkeypatch):
    put(repo / "p.md", CLEAN)
    def boom(path, config=None):
        raise RuntimeError("kaboom")
    monkeypatch.setattr(engine, "lint_file", boom)
    monkeypatch.delenv("POLICYLINT_DEBUG", raising=False)
    r = CliRunner().invoke(main, ["lint", "p.md"])
    assert r.exit_code == 2 and "internal error: RuntimeError: kaboom" in r.output
    assert "Traceback" not in r.output


# ---------------------------------------------------------------- config and rule selection

def test_config_severity_and_ignore_apply(engine, repo):
    put(repo / "p.md", MISSING)
    put(repo / ".policylint.toml", '[severity]\nretention-missing = "warning"\n')
    assert run("lint", "p.md").exit_code == 0
    put(repo / ".policylint.toml", 'ignore = ["PL106"]\n')
    r = run("lint", "p.md")
    assert r.exit_code == 0 and r.output == "1 file clean.\n"


def test_explicit_config_option(engine, repo):
    put(repo / "p.md", MISSING)
    cfg = put(repo / "conf" / "strict.toml", 'ignore = ["retention-missing"]\n')
    assert run("lint", "p.md").exit_code == 1
    assert run("lint", "--config", str(cfg), "p.md").exit_code == 0
    r = CliRunner().invoke(main, ["lint", "--config", "absent.toml", "p.md"])
    assert r.exit_code == 2 and "absent.toml does not exist" in r.output


def test_select_and_ignore_options(engine, repo):
    put(repo / "p.md", MISSING.replace("We use", "{{ Company }} uses"))
    r = run("lint", "--select", "PL301", "p.md")
    assert r.exit_code == 0 and "PL301" in r.output and "PL106" not in r.output
    r = run("lint", "--ignore", "pl106,placeholder", "p.md")
    assert r.exit_code == 0 and r.output == "1 file clean.\n"
    r = CliRunner().invoke(main, ["lint", "--ignore", "PL1O6", "p.md"])
    assert r.exit_code == 2
    assert "unknown rule 'PL1O6' in --ignore" in r.output and "'PL106'" in r.output


# ---------------------------------------------------------------- discovery

def test_no_paths_lints_current_folder_per_globs(engine, repo):
    put(repo / "policies" / "en" / "b.md", MISSING)
    put(repo / "policies" / "en" / "a.md", CLEAN)
    put(repo / "policies" / "drafts" / "wip.md", MISSING)
    put(repo / "notes.txt", "not a policy")
    put(repo / ".hidden" / "x.md", MISSING)
    put(repo / "node_modules" / "pkg" / "README.md", MISSING)
    put(repo / ".policylint.toml", 'exclude = ["drafts"]\n')
    r = run("lint", "--format", "json")
    assert r.exit_code == 1
    assert [f["path"] for f in json.loads(r.output)["files"]] == [
        str(Path("policies/en/a.md")), str(Path("policies/en/b.md"))]


def test_include_globs_relative_to_config(engine, repo):
    put(repo / "policies" / "a.md", CLEAN)
    put(repo / "docs" / "guide.md", MISSING)
    put(repo / "policies" / "c.markdown", CLEAN)
    put(repo / ".policylint.toml", 'include = ["policies/**/*.md", "**/*.markdown"]\n')
    (repo / "sub").mkdir()
    files = discover_mod.discover([], load_config(repo), cwd=repo)
    assert files == [str(Path("policies/a.md")), str(Path("policies/c.markdown"))]


def test_paths_sorted_and_deduplicated(engine, repo):
    put(repo / "p" / "b.md", CLEAN)
    put(repo / "p" / "a.md", CLEAN)
    files = discover_mod.discover(["p/b.md", "p", "./p/a.md", str(repo / "p" / "b.md"), "-"],
                                  Config(), cwd=repo)
    assert files == ["-", str(Path("p/a.md")), str(Path("p/b.md"))]


def test_named_file_honours_exclude_but_not_include(engine, repo):
    put(repo / "drafts" / "x.md", CLEAN)
    put(repo / "y.markdown", CLEAN)
    cfg = Config(exclude=("drafts/",), source=str(repo / ".policylint.toml"))
    assert discover_mod.discover(["drafts/x.md", "y.markdown"], cfg, cwd=repo) == ["y.markdown"]


def test_glob_semantics():
    m = discover_mod.matches
    assert m("a.md", ["**/*.md"]) and m("x/y/a.md", ["**/*.md"])
    assert m("policies/a.md", ["policies/*.md"]) and not m("policies/x/a.md", ["policies/*.md"])
    assert m("policies/x/a.md", ["policies/**/*.md"]) and m("policies/a.md", ["policies/**/*.md"])
    assert m("deep/drafts", ["drafts"]) and not m("deep/drafts2", ["drafts"])
    assert m("a/b.draft.md", ["*.draft.md"]) and m("v1.md", ["v[0-9].md"])
    assert not m("other/policies/a.md", ["/policies/*.md"])
    assert discover_mod.excluded("policies/drafts/x/a.md", ["policies/drafts"])


def test_folder_without_policies_warns(engine, repo):
    (repo / "empty").mkdir()
    r = run("lint", "empty")
    assert r.exit_code == 0 and "policylint: no policy files found" in r.output


def test_stdin(engine, repo):
    r = run("lint", "--stdin-filename", "policies/new.md", "-", input=MISSING)
    assert r.exit_code == 1
    assert r.output.startswith("policies/new.md:1:1: PL106 [error]")


# ---------------------------------------------------------------- formats and output

def test_json_output_validates(engine, repo):
    jsonschema = pytest.importorskip("jsonschema")
    from policylint.resources import schema
    put(repo / "a.md", PLACEHOLDER)
    put(repo / "b.md", MISSING)
    r = run("lint", "--format", "json", "a.md", "b.md")
    assert r.exit_code == 1
    data = json.loads(r.output)
    jsonschema.validate(data, schema("lint-report"))
    assert data["summary"] == {"files": 2, "errors": 1, "warnings": 1, "info": 0}


def test_sarif_output_file_validates_and_is_replaced(engine, repo):
    jsonschema = pytest.importorskip("jsonschema")
    put(repo / "policies" / "a.md", PLACEHOLDER)
    put(repo / "policies" / "b.md", MISSING)
    out = put(repo / "policylint.sarif", "old report")
    r = run("lint", "--format", "sarif", "--output", "policylint.sarif", "policies/")
    assert r.exit_code == 1
    assert "1 error, 1 warning, 0 info in 2 files" in r.output     # summary still shown
    assert "ruleId" not in r.output
    data = json.loads(out.read_text("utf-8"))
    res = data["runs"][0]["results"]
    assert [(x["ruleId"], x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for x in res] == [
        ("PL301", "policies/a.md"), ("PL106", "policies/b.md")]
    schema_file = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if schema_file.is_file():
        sch = json.loads(schema_file.read_text("utf-8"))
        jsonschema.validators.validator_for(sch)(sch).validate(data)


def test_output_into_missing_folder_exits_2(engine, repo):
    put(repo / "a.md", CLEAN)
    r = CliRunner().invoke(main, ["lint", "-o", "no/such/dir/r.json", "--format", "json", "a.md"])
    assert r.exit_code == 2 and "does not exist" in r.output


def test_github_format(engine, repo):
    put(repo / "policies" / "a, b.md", MISSING)
    r = run("lint", "--format", "github", "policies")
    assert r.exit_code == 1
    assert r.output.splitlines()[0] == (
        "::error file=policies/a%2C b.md,line=1,col=1,title=PL106 retention-missing::"
        "no section says how long data is kept%0AFix: add a section tagged {#retention}")


@pytest.mark.parametrize("env,flag,coloured", [
    ({}, None, True), ({"NO_COLOR": "1"}, None, False), ({"NO_COLOR": "1"}, "--color", True),
    ({}, "--no-color", False)])
def test_colour_rules(engine, repo, monkeypatch, env, flag, coloured):
    from policylint import report
    monkeypatch.setattr(report, "_isatty", lambda stream: True)   # pretend a terminal
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    put(repo / "p.md", MISSING)
    r = run("lint", *([flag] if flag else []), "p.md")
    assert ("\x1b[" in r.output) is coloured


def test_no_colour_when_piped(engine, repo):
    put(repo / "p.md", MISSING)
    assert "\x1b[" not in run("lint", "p.md").output


# ---------------------------------------------------------------- rules command

def test_rules_table(engine):
    r = run("rules")
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "ELEMENT", "SUMMARY"]
    assert lines[1].split()[:4] == ["PL106", "retention-missing", "error", "retention"]


def test_rules_one(engine):
    by_code, by_name = run("rules", "PL301"), run("rules", "placeholder")
    assert by_code.exit_code == 0 and by_code.output == by_name.output
    assert "Default severity: warning" in by_code.output and "policylint-disable-next-line PL301" in by_code.output
    assert run("rules", "pl301").output == by_code.output
    r = CliRunner().invoke(main, ["rules", "placeholders"])
    assert r.exit_code == 2 and "unknown rule 'placeholders'" in r.output and "'placeholder'" in r.output


def test_rules_markdown_and_json(engine):
    md = run("rules", "--format", "markdown").output
    assert md.startswith("| Code | Name | Severity | Element | Summary |\n|---|")
    assert json.loads(run("rules", "--format", "json").output)[0]["code"] == "PL106"


def test_readme_rule_table_in_sync():
    """The README embeds `policylint rules --format markdown` between markers."""
    readme = ROOT / "README.md"
    text = readme.read_text("utf-8") if readme.is_file() else ""
    m = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", text, re.S)
    assert m, "README.md lost its <!-- rules:start --> ... <!-- rules:end --> block"
    from policylint import rules
    from policylint.report import rules_markdown
    assert m.group(1).strip() == rules_markdown(rules.all_rules()).strip(), \
        "README rule table is stale: run `python scripts/sync_readme.py`"


# ---------------------------------------------------------------- start-up cost

HEAVY = ("jsonschema", "git", "markdown_it", "tomllib")


def test_import_cli_is_light():
    code = ("import sys, policylint.cli; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported at start-up: {out.stdout}"
    for mod in ("policylint.config", "policylint.report", "policylint.discover", "policylint.lint"):
        assert f"| {mod}\n" not in out.stderr + "\n", f"{mod} imported by `import policylint.cli`"


def test_lint_without_config_does_not_import_jsonschema_or_git(tmp_path):
    (tmp_path / ".git").mkdir()
    put(tmp_path / "p.md", CLEAN)
    code = ("import sys; from click.testing import CliRunner; from policylint.cli import main; "
            "r = CliRunner().invoke(main, ['lint', 'p.md']); "
            "print(r.exit_code in (0, 1), ' '.join(m for m in ('jsonschema', 'git', 'markdown_it') "
            "if m in sys.modules)); print(r.output, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, check=True)
    assert out.stdout.split() == ["True"], out.stdout + out.stderr


def test_ci_paths_are_relative_to_repository_root(engine, repo, monkeypatch):
    put(repo / "policies" / "en" / "p.md", MISSING)
    put(repo / "policies" / ".policylint.toml", "notice-days = 30\n")
    monkeypatch.chdir(repo / "policies")
    r = run("lint", "--format", "github", "en/p.md")
    assert r.output.startswith("::error file=policies/en/p.md,line=1,")
    data = json.loads(run("lint", "--format", "sarif", "en").output)
    loc = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "policies/en/p.md", "uriBaseId": "%SRCROOT%"}
    assert data["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"


# ---------------------------------------------------------------- the real engine on fixtures

FIXTURES = ROOT / "tests" / "fixtures" / "policies"


@pytest.fixture
def fixtures_repo(tmp_path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    for name in ("incomplete-en.md", "incomplete-sv.md", "complete-en.md"):
        put(tmp_path / "policies" / name, (FIXTURES / name).read_text("utf-8"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def test_real_complete_policy_passes(fixtures_repo):
    r = run("lint", "policies/complete-en.md")
    assert r.exit_code == 0, r.output
    assert "[error]" not in r.output


def test_real_text_report_on_fixture(fixtures_repo):
    """Findings EXPECTED.md lists for incomplete-en.md, as a writer sees them."""
    r = run("lint", "policies/incomplete-en.md")
    assert r.exit_code == 1
    out = r.output
    lines = out.splitlines()
    heads = [ln for ln in lines if ln.startswith("policies/incomplete-en.md:")]
    assert all(re.match(r"policies/incomplete-en\.md:\d+:\d+: PL\d{3} \[(error|warning|info)\] \S", h)
               for h in heads)
    for pattern in (r":8:1: PL003 \[error\] .*efective", r":9:1: PL003 \[error\] .*2026-13-45",
                    r":31:\d+: PL302 \[error\] .*TODO", r":46:\d+: PL305 \[error\] .*Privacy Shield",
                    r":50:\d+: PL305 ", r": PL201 \[error\] .*erasure", r":48:1: PL403 \[warning\]",
                    r":68:1: PL402 \[warning\] .*Security", r":70:1: PL401 \[warning\]"):
        assert any(re.search(pattern, h) for h in heads), f"{pattern} not in\n{out}"
    i = next(n for n, ln in enumerate(lines) if re.search(r":8:1: PL003 ", ln))
    assert lines[i + 1:i + 3] == [" 8 | efective: 2026-01-01", "   | ^~~~~~~~"]
    assert lines[i + 3].startswith("  fix: ") and "effective" in lines[i + 3]
    assert re.fullmatch(r"\d+ errors?, \d+ warnings?, \d+ info in 1 file", lines[-1])

    sv = run("lint", "policies/incomplete-sv.md").output
    assert re.search(r"^policies/incomplete-sv\.md:1:1: PL105 \[error\] ", sv, re.M)
    assert re.search(r"^policies/incomplete-sv\.md:1:1: PL107 \[error\] ", sv, re.M)


def test_real_machine_formats_agree(fixtures_repo):
    jsonschema = pytest.importorskip("jsonschema")
    from policylint.resources import schema
    from policylint.rules import all_rules

    data = json.loads(run("lint", "--format", "json", "policies").output)
    jsonschema.validate(data, schema("lint-report"))
    assert [f["path"] for f in data["files"]] == [
        str(Path("policies") / n) for n in ("complete-en.md", "incomplete-en.md", "incomplete-sv.md")]
    assert [f["lang"] for f in data["files"]] == ["en", "en", "sv"]
    sv = data["files"][2]["diagnostics"]
    pl105 = next(d for d in sv if d["rule"] == "PL105")
    assert pl105["name"] == "missing-retention" and pl105["element"] == "retention" and pl105["fix"]
    total = sum(len(f["diagnostics"]) for f in data["files"])
    assert data["summary"]["errors"] == sum(d["severity"] == "error" for f in data["files"]
                                            for d in f["diagnostics"])

    sarif = json.loads(run("lint", "--format", "sarif", "policies").output)
    run_ = sarif["runs"][0]
    codes = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert codes[:len(all_rules())] == [r.code for r in all_rules()]
    assert len(run_["results"]) == total
    for res in run_["results"]:
        assert codes[res["ruleIndex"]] == res["ruleId"]
    fps = [(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            res["partialFingerprints"]["primaryLocationLineHash"]) for res in run_["results"]]
    assert len(set(fps)) == len(fps)          # code scanning needs them distinct per file
    schema_file = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if schema_file.is_file():
        sch = json.loads(schema_file.read_text("utf-8"))
        jsonschema.validators.validator_for(sch)(sch).validate(sarif)

    gh = run("lint", "--format", "github", "policies").output.splitlines()
    assert len(gh) == total + 1
    assert all(re.match(r"::(error|warning|notice) file=policies/[a-z-]+\.md,line=\d+,col=\d+,", g)
               for g in gh[:-1])


def test_real_ignore_family_clears_completeness_errors(fixtures_repo):
    r = run("lint", "--format", "json", "--ignore", "PL1", "policies/incomplete-en.md")
    rules = {d["rule"] for d in json.loads(r.output)["files"][0]["diagnostics"]}
    assert not any(c.startswith("PL1") for c in rules)


def test_real_rules_command_lists_every_rule():
    from policylint.rules import all_rules
    rules = all_rules()
    table = run("rules").output.splitlines()
    assert [ln.split()[0] for ln in table[1:]] == [r.code for r in rules]
    md = run("rules", "--format", "markdown").output.splitlines()
    assert len(md) == len(rules) + 2
    for r in rules:
        one = run("rules", r.code)
        assert one.exit_code == 0 and r.name in one.output and r.summary.split()[0] in one.output
