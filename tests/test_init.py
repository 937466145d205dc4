"""`policylint init`: one starter policy per language that is complete once filled in.

Untouched, a template must lint with placeholder findings only (one per `{{ … }}`);
filled with realistic values it must lint clean. The copies in policies/templates/
are what `init` prints, kept in sync here.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint.ast import SECTION_KINDS
from policylint.cli import main
from policylint.init import TEMPLATE_LANGS, placeholders, starter_policy, template_text
from policylint.parser import parse

ROOT = Path(__file__).resolve().parents[1]
FILL = tomllib.loads((ROOT / "tests" / "fixtures" / "import" / "init-fill.toml").read_text("utf-8"))
#: The date the committed copies in policies/templates/ carry.
EFFECTIVE = "2026-01-01"

REQUIRED = ("controller", "contact", "dpo", "purposes", "legal-basis", "data-categories",
            "recipients", "transfers", "retention", "rights", "complaint", "security",
            "cookies", "changes")

AUTHORITY = {
    "sv": "Integritetsskyddsmyndigheten (IMY)", "da": "Datatilsynet", "nb": "Datatilsynet",
    "fi": "Tietosuojavaltuutetun toimisto", "de": "Landesdatenschutzbehörde",
    "fr": "CNIL", "nl": "Autoriteit Persoonsgegevens", "en": "Information Commissioner's Office",
}

#: How each language says "by email" and "material change" in the changes section.
NOTIFY = {
    "sv": ("e-post", "väsentlig"), "da": ("e-mail", "væsentlig"), "nb": ("e-post", "vesentlig"),
    "fi": ("sähköpost", "olennainen"), "de": ("E-Mail", "wesentliche"),
    "fr": ("e-mail", "importante"), "nl": ("e-mail", "wezenlijke"), "en": ("email", "material"),
}


def fill(lang: str, text: str) -> str:
    values = FILL[lang]

    def sub(m: re.Match) -> str:
        return values[m.group(1)]
    return re.sub(r"\{\{\s*(.*?)\s*\}\}", sub, text)


def _lint():
    lint = pytest.importorskip("policylint.lint")
    if not hasattr(lint, "lint_text"):
        pytest.skip("policylint.lint.lint_text not available yet")
    return lambda text, path: lint.lint_text(text, path)[1]


@pytest.mark.parametrize("lang", TEMPLATE_LANGS)
def test_template_parses_cleanly_with_every_section_tagged(lang):
    doc = parse(starter_policy(lang, EFFECTIVE))
    assert doc.diagnostics == ()
    assert doc.lang == lang and doc.lang_source == "front-matter"
    tags = [s.tag for s in doc.walk() if s.level == 2]
    assert all(t in SECTION_KINDS for t in tags), tags
    for kind in REQUIRED:
        assert kind in tags, f"{lang}: no section tagged {{#{kind}}}"
    assert len(set(tags)) == len(tags), "each kind once"


@pytest.mark.parametrize("lang", TEMPLATE_LANGS)
def test_template_content(lang):
    doc = parse(fill(lang, starter_policy(lang, EFFECTIVE)))
    sec = {s.kind: s for s in doc.walk()}
    from policylint.ast import section_text
    assert AUTHORITY[lang] in section_text(sec["complaint"])
    rights = [it for b in sec["rights"].blocks if hasattr(b, "items") for it in b.items]
    assert len(rights) == 6 and all(it.clause for it in rights)
    retention = [it.clause for b in sec["retention"].blocks if hasattr(b, "items")
                 for it in b.items]
    assert len(retention) >= 4 and all(retention), "retention periods are labelled clauses"
    email, material = NOTIFY[lang]
    changes = section_text(sec["changes"])
    assert email.lower() in changes.lower() and material.lower() in changes.lower()
    assert "30" in changes
    # Consent withdrawal sits with the legal basis.
    assert len(section_text(sec["legal-basis"])) > 200


@pytest.mark.parametrize("lang", TEMPLATE_LANGS)
def test_placeholders_are_marked_and_front_matter_is_valid(lang):
    text = starter_policy(lang, EFFECTIVE)
    names = set(placeholders(text))
    assert names == set(FILL[lang]), "the fill table covers exactly the template's placeholders"
    doc = parse(text)
    fm = doc.front_matter.as_dict()
    assert str(fm["effective"]) == EFFECTIVE
    for key in ("title", "controller", "contact"):
        assert key in fm
    # No placeholder hides inside a comment, where nobody would see it.
    assert not re.search(r"<!--[^>]*\{\{", text)


def test_effective_date_defaults_to_today_and_is_validated():
    from datetime import date

    from policylint.errors import PolicylintError
    assert f"effective: {date.today().isoformat()}" in starter_policy("sv")
    assert "effective: 2027-03-01" in starter_policy("sv", "2027-03-01")
    with pytest.raises(PolicylintError):
        starter_policy("sv", "1 March 2027")
    with pytest.raises(PolicylintError):
        template_text("xx")


@pytest.mark.parametrize("lang", TEMPLATE_LANGS)
def test_untouched_template_reports_placeholders_only(lang):
    lint_text = _lint()
    text = starter_policy(lang, EFFECTIVE)
    diags = lint_text(text, f"{lang}.md")
    others = [d for d in diags if d.name != "placeholder"]
    assert others == [], "\n".join(f"{d.line}: {d.rule} {d.name} {d.message}" for d in others)
    assert len(diags) == len(placeholders(text))


@pytest.mark.parametrize("lang", TEMPLATE_LANGS)
def test_filled_template_lints_clean(lang):
    lint_text = _lint()
    diags = lint_text(fill(lang, starter_policy(lang, EFFECTIVE)), f"{lang}.md")
    assert diags == [] or list(diags) == [], "\n".join(
        f"{d.line}: {d.rule} {d.name} {d.message}" for d in diags)


@pytest.mark.parametrize("lang", TEMPLATE_LANGS)
def test_policies_templates_in_sync(lang):
    """policies/templates/<lang>.md is `policylint init --lang <lang> --effective 2026-01-01`."""
    committed = ROOT / "policies" / "templates" / f"{lang}.md"
    assert committed.read_text("utf-8") == starter_policy(lang, EFFECTIVE), (
        f"regenerate with: policylint init --lang {lang} --effective {EFFECTIVE} "
        f"-o policies/templates/{lang}.md --force")


def test_cli_init_prints_writes_and_refuses_to_overwrite(tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["init", "--lang", "da", "--effective", EFFECTIVE])
    assert r.exit_code == 0 and r.output == starter_policy("da", EFFECTIVE)
    out = tmp_path / "policy.md"
    r = runner.invoke(main, ["init", "--lang", "fi", "--effective", EFFECTIVE, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_text("utf-8") == starter_policy("fi", EFFECTIVE)
    out.write_text("mine", "utf-8")
    r = runner.invoke(main, ["init", "--lang", "fi", "-o", str(out)])
    assert r.exit_code == 2 and "already exists" in r.output
    assert out.read_text("utf-8") == "mine"
    r = runner.invoke(main, ["init", "--lang", "fi", "--effective", EFFECTIVE, "-o", str(out),
                             "--force"])
    assert r.exit_code == 0 and out.read_text("utf-8") == starter_policy("fi", EFFECTIVE)
    r = runner.invoke(main, ["init", "--lang", "xx"])
    assert r.exit_code == 2
