"""Configuration: discovery, precedence, validation messages that name file, key and line."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from policylint import config as cfgmod
from policylint.config import DEFAULT, Config, config_fields, find_config, load_config, load_file
from policylint.errors import ConfigError


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A folder that looks like a repository root, so discovery never walks above it."""
    (tmp_path / ".git").mkdir()
    return tmp_path


@dataclass(frozen=True)
class _Rule:
    code: str
    name: str
    severity: str = "error"


@pytest.fixture(autouse=True)
def known_rules(monkeypatch):
    """Pin the rule registry so unknown-rule checks are deterministic."""
    from policylint import rules
    fake = [_Rule("PL204", "retention-period"), _Rule("PL301", "placeholder", "warning"),
            _Rule("PL101", "controller-identity")]
    monkeypatch.setattr(rules, "all_rules", lambda: fake, raising=False)
    return fake


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def error_of(fn, *args, **kw) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        fn(*args, **kw)
    return info.value


# ---------------------------------------------------------------- discovery

def test_no_config_gives_defaults(repo):
    cfg = load_config(repo)
    assert cfg == DEFAULT
    assert cfg.source is None and cfg.root is None
    assert cfg.include == ("**/*.md",) and cfg.notice_days == 30
    assert "purposes" in cfg.material_kinds and cfg.retention_threshold_days == 0


def test_policylint_toml_every_field(repo, known_rules):
    write(repo / ".policylint.toml", """
select = ["PL204", "placeholder"]
ignore = ["pl101"]
profile = "gdpr"
required-sections = ["controller", "retention"]
languages = ["en", "sv"]
include = ["policies/**/*.md"]
exclude = ["drafts"]
notice-days = 45
material-kinds = ["purposes"]
retention-threshold-days = 30

[severity]
PL301 = "off"
retention-period = "warning"

[notice]
from = "privacy@example.com"
reply-to = "dpo@example.com"
url = "https://example.com/privacy"
templates = "notice-templates"
""")
    cfg = load_config(repo / "policies" / "sub")
    assert cfg.source == str(repo / ".policylint.toml")
    assert cfg.root == repo.resolve()
    assert cfg.select == ("PL204", "placeholder")
    assert cfg.ignore == ("PL101",)          # codes are normalised to upper case
    assert cfg.severity == {"PL301": "off", "retention-period": "warning"}
    assert cfg.required_sections == ("controller", "retention")
    assert cfg.languages == ("en", "sv")
    assert cfg.include == ("policies/**/*.md",) and cfg.exclude == ("drafts",)
    assert cfg.notice_days == 45 and cfg.material_kinds == ("purposes",)
    assert cfg.retention_threshold_days == 30
    assert cfg.notice_from == "privacy@example.com" and cfg.notice_reply_to == "dpo@example.com"
    assert cfg.notice_url == "https://example.com/privacy"
    assert cfg.notice_templates == str((repo / "notice-templates").resolve())


def test_pyproject_tool_table(repo):
    write(repo / "pyproject.toml", """
[project]
name = "x"

[tool.policylint]
ignore = ["PL301"]
notice = { from = "a@example.com" }

[tool.policylint.severity]
PL204 = "info"
""")
    cfg = load_config(repo / "deep" / "er")
    assert cfg.source == str(repo / "pyproject.toml")
    assert cfg.ignore == ("PL301",) and cfg.severity == {"PL204": "info"}
    assert cfg.notice_from == "a@example.com"


def test_pyproject_without_table_is_skipped(repo):
    write(repo / ".policylint.toml", "notice-days = 60\n")
    write(repo / "pkg" / "pyproject.toml", "[project]\nname = 'x'\n# tool.policylint is not here\n")
    assert load_config(repo / "pkg").notice_days == 60


def test_precedence(repo):
    write(repo / ".policylint.toml", "notice-days = 1\n")
    write(repo / "pyproject.toml", "[tool.policylint]\nnotice-days = 2\n")
    write(repo / "sub" / "pyproject.toml", "[tool.policylint]\nnotice-days = 3\n")
    other = write(repo / "elsewhere.toml", "notice-days = 4\n")
    assert load_config(repo).notice_days == 1                 # .policylint.toml beats pyproject
    assert load_config(repo / "sub").notice_days == 3          # nearer folder wins
    assert load_config(repo / "sub", explicit=other).notice_days == 4   # --config wins


def test_walk_stops_at_repository_root(tmp_path):
    write(tmp_path / ".policylint.toml", "notice-days = 9\n")
    inner = tmp_path / "checkout"
    (inner / ".git").mkdir(parents=True)
    assert find_config(inner / "policies") is None
    assert load_config(inner) == DEFAULT


def test_explicit_pyproject_and_missing_file(repo):
    p = write(repo / "pyproject.toml", "[project]\nname = 'x'\n")
    assert "no [tool.policylint] table" in str(error_of(load_config, repo, explicit=p))
    e = error_of(load_config, repo, explicit=repo / "nope.toml")
    assert "nope.toml" in str(e) and "does not exist" in str(e)


# ---------------------------------------------------------------- errors

def test_invalid_toml_names_file_and_line(repo):
    p = write(repo / ".policylint.toml", 'select = ["PL204"]\nnotice-days = thirty\n')
    e = error_of(load_config, repo)
    assert f"{p}:2:" in str(e) and "invalid TOML" in str(e)


def test_invalid_toml_at_end_of_file(repo):
    write(repo / ".policylint.toml", 'ignore = [\n  "PL204",\n')
    e = error_of(load_config, repo)
    assert ".policylint.toml:" in str(e) and "invalid TOML" in str(e)


def test_unknown_key_suggests_near_miss(repo):
    p = write(repo / ".policylint.toml", '# rules\n\nsellect = ["PL204"]\n')
    e = error_of(load_config, repo)
    assert e.message == f"{p}:3: unknown key 'sellect' in the top level"
    assert e.hint == "did you mean 'select'?"


def test_unknown_key_in_pyproject_nested_table(repo):
    p = write(repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.policylint.notice]\nreply_to = "a@b"\n')
    e = error_of(load_config, repo)
    assert e.message == f"{p}:5: unknown key 'reply_to' in [notice]"
    assert "reply-to" in e.hint


def test_snake_case_key_suggests_kebab(repo):
    write(repo / ".policylint.toml", "\nretention_threshold_days = 3\n")
    e = error_of(load_config, repo)
    assert ":2: unknown key 'retention_threshold_days'" in e.message
    assert "retention-threshold-days" in e.hint


def test_bad_severity_value(repo):
    p = write(repo / ".policylint.toml", '[severity]\nPL204 = "warn"\n')
    e = error_of(load_config, repo)
    assert e.message.startswith(f"{p}:2: 'severity.PL204' is 'warn'")
    assert e.hint == "did you mean 'warning'?"


def test_bad_severity_value_inline_table(repo):
    write(repo / ".policylint.toml", 'notice-days = 3\nseverity = { PL204 = "fatal" }\n')
    e = error_of(load_config, repo)
    assert ":2:" in e.message and "error, warning, info, off" in e.message


def test_wrong_type(repo):
    write(repo / ".policylint.toml", 'ignore = "PL204"\n')
    e = error_of(load_config, repo)
    assert ":1: 'ignore' must be a list" in e.message and "[" in e.hint


def test_bad_section_kind(repo):
    write(repo / ".policylint.toml", 'required-sections = ["controler"]\n')
    e = error_of(load_config, repo)
    assert ":1: 'required-sections' is 'controler'" in e.message and "'controller'" in e.hint


def test_language_without_a_vocabulary(repo):
    write(repo / ".policylint.toml", 'select = ["PL1"]\nlanguages = ["sv", "es"]\n')
    e = error_of(load_config, repo)
    assert ":2: policylint has no vocabulary for language 'es'" in e.message and "da" in e.hint


def test_unknown_rule_lists_close_matches(repo, known_rules):
    write(repo / ".policylint.toml", 'select = ["PL204"]\nignore = ["PL2O4"]\n')
    e = error_of(load_config, repo)
    assert ":2: unknown rule 'PL2O4' in ignore" in e.message
    assert "'PL204'" in e.hint


def test_unknown_rule_name_in_severity(repo, known_rules):
    write(repo / ".policylint.toml", '[severity]\nPL204 = "off"\nplaceholders = "info"\n')
    e = error_of(load_config, repo)
    assert ":3: unknown rule 'placeholders' in severity" in e.message
    assert "'placeholder'" in e.hint


def test_check_rules_for_command_line(known_rules):
    cfgmod.check_rules(["PL204", "placeholder", "pl301"], "--select")
    e = error_of(cfgmod.check_rules, ["retention-periods"], "--ignore")
    assert "--ignore" in e.message and "retention-period" in e.hint


def test_with_rules_overrides():
    base = Config(select=("PL204",), ignore=("PL301",))
    assert base.with_rules(["pl101"], None).select == ("PL101",)
    assert base.with_rules(None, ["PL101", "PL301"]).ignore == ("PL301", "PL101")
    assert base.with_rules(None, None) == base


# ---------------------------------------------------------------- schema and speed

def test_schema_is_valid_and_covers_every_field():
    jsonschema = pytest.importorskip("jsonschema")
    from policylint.resources import schema
    sch = schema("config")
    jsonschema.Draft202012Validator.check_schema(sch)
    keys = set(sch["properties"]) | {f"notice.{k}" for k in sch["properties"]["notice"]["properties"]}
    wanted = {f for f in config_fields() if f != "source"}
    mapped = set(cfgmod._TOP.values()) | set(cfgmod._NOTICE.values())
    assert wanted == mapped
    assert set(cfgmod._TOP) <= keys and {f"notice.{k}" for k in cfgmod._NOTICE} <= keys


def test_no_jsonschema_import_without_config_file(repo):
    code = ("import sys; from pathlib import Path; from policylint.config import load_config; "
            f"c = load_config(Path({str(repo)!r})); "
            "print(c.source, 'jsonschema' in sys.modules, 'tomllib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["None", "False", "False"]


def test_load_file_directly(repo):
    p = write(repo / "custom.toml", "include = ['*.markdown']\n")
    assert load_file(p).include == ("*.markdown",)


def test_bad_rule_key_in_severity_points_at_its_line(repo):
    write(repo / ".policylint.toml", '# x\n[severity]\nPL204 = "off"\n"bad code" = "info"\n')
    e = error_of(load_config, repo)
    assert ":4: unknown rule 'bad code' in severity" in e.message


def test_code_prefixes_select_families(repo, known_rules):
    write(repo / ".policylint.toml", 'select = ["pl2", "PL30"]\nignore = ["PL1"]\n')
    cfg = load_config(repo)
    assert cfg.select == ("PL2", "PL30") and cfg.ignore == ("PL1",)
    write(repo / ".policylint.toml", 'ignore = ["PL7"]\n')
    assert ":1: unknown rule 'PL7' in ignore" in error_of(load_config, repo).message
    # severity needs an exact code or name: the engine does not expand prefixes there
    write(repo / ".policylint.toml", '[severity]\nPL2 = "off"\n')
    assert ":2: unknown rule 'PL2' in severity" in error_of(load_config, repo).message
    cfgmod.check_rules(["PL3"], "--ignore")
