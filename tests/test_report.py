"""Report formats: text, JSON (own schema), SARIF 2.1.0 (official schema), GitHub commands."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from policylint import report
from policylint.ast import Document
from policylint.diagnostic import Diagnostic

SHARED = Path(__file__).resolve().parents[2] / "shared"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"

SOURCE = """---
title: Privacy notice
lang: en
---

# Privacy notice

## How long we keep your data {#retention}

- **Invoices:** as long as needed
\t- **Logs:** {{ Retention period }}
"""


def make_doc(path: str, text: str = SOURCE, lang: str | None = "en") -> Document:
    lines = tuple(text.splitlines())
    return Document(path, None, (), (), lang, "front-matter" if lang else None, (), len(lines), lines)


DIAGS = [
    Diagnostic("PL301", "placeholder '{{ Retention period }}' left in the text", 11, 14, 11, 36,
               severity="warning", name="placeholder", element=None,
               fix="replace the placeholder with the real value"),
    Diagnostic("PL204", "retention for 'Invoices' has no period or criterion", 10, 3, 10, 17,
               severity="error", name="retention-period", element="retention",
               fix="state how long, e.g. '7 years (Bookkeeping Act)'"),
    Diagnostic("PL105", "no section on complaints to a supervisory authority", 1, 1,
               severity="info", name="complaint-right", element="complaint"),
]


@dataclass(frozen=True)
class _Rule:
    code: str
    name: str
    severity: str
    element: str | None
    summary: str
    rationale: str
    fix: str
    check: object = None


FAKE_RULES = [
    _Rule("PL105", "complaint-right", "error", "complaint", "Mention the right to complain.",
          "Art. 13(2)(d) requires it.", "Add a {#complaint} section."),
    _Rule("PL204", "retention-period", "error", "retention", "Every retention clause states a period.",
          "Art. 13(2)(a): the period, or the criteria used to determine it.", "Write '7 years'."),
    _Rule("PL301", "placeholder", "warning", None, "No {{ placeholders }} | left over.",
          "A template placeholder means the text is unfinished.", "Fill it in."),
]


@pytest.fixture(autouse=True)
def fake_rules(monkeypatch):
    from policylint import rules
    monkeypatch.setattr(rules, "all_rules", lambda: list(FAKE_RULES), raising=False)


@pytest.fixture
def results():
    return [("policies/en/privacy.md", make_doc("policies/en/privacy.md"), list(DIAGS)),
            ("policies/en/clean.md", make_doc("policies/en/clean.md", "# Clean\n"), [])]


# ---------------------------------------------------------------- text

def test_text_format(results):
    out = report.format_text(results)
    assert "\x1b[" not in out
    lines = out.splitlines()
    # sorted by position within a file
    assert lines[0] == "policies/en/privacy.md:1:1: PL105 [info] no section on complaints to a supervisory authority"
    assert lines[1] == " 1 | ---"
    assert lines[2] == "   | ^"
    i = lines.index("policies/en/privacy.md:10:3: PL204 [error] retention for 'Invoices' has no period or criterion")
    assert lines[i + 1] == " 10 | - **Invoices:** as long as needed"
    assert lines[i + 2] == "    |   ^~~~~~~~~~~~~~"
    assert lines[i + 3] == "  fix: state how long, e.g. '7 years (Bookkeeping Act)'"
    # a tab before the span is expanded in both the line and the underline
    j = lines.index("policies/en/privacy.md:11:14: PL301 [warning] placeholder '{{ Retention period }}' left in the text")
    src, mark = lines[j + 1], lines[j + 2]
    assert src == " 11 |     - **Logs:** {{ Retention period }}"
    assert src[mark.index("^"):mark.index("^") + 22] == "{{ Retention period }}"
    assert len(mark.strip("| ").strip()) == 22
    assert lines[-1] == "1 error, 1 warning, 1 info in 2 files"


def test_text_long_line_is_shown_as_a_window_around_the_finding():
    """A paragraph pasted from the web is one line of hundreds of characters: the
    report shows about 100 columns around the finding, the marker still under it."""
    line = "Vi behandlar dina uppgifter. " * 20 + "Skriv till [email protected] om du undrar." + " Tack." * 30
    doc = make_doc("p.md", "# P\n\n" + line + "\n")
    col = line.index("[email") + 1
    d = Diagnostic("PL303", "web-scraper residue", 3, col, 3, col + 17, name="scraper-residue")
    out = report.format_text([("p.md", doc, [d])]).splitlines()
    src, mark = out[1], out[2]
    assert src.startswith(" 3 | …") and src.endswith("…")
    assert len(src) < 120
    start = mark.index("^")
    assert src[start:start + 17] == "[email protected]"
    assert mark[start:] == "^" + "~" * 16


def test_text_clean_summary():
    doc = make_doc("a.md", "# A\n")
    assert report.format_text([("a.md", doc, []), ("b.md", doc, [])]) == "All 2 files clean.\n"
    assert report.format_text([("a.md", doc, [])]) == "1 file clean.\n"


def test_text_colour(results):
    out = report.format_text(results, color=True)
    assert "\x1b[31m" in out and "\x1b[1mPL204" in out      # red severity, bold code
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert plain == report.format_text(results)


def test_text_without_document_or_out_of_range_line():
    d = Diagnostic("PL002", "not valid UTF-8: byte 0xff at line 3", 3, 1, 3, 1, name="encoding")
    out = report.format_text([("bad.md", None, [d])])
    assert out.splitlines() == ["bad.md:3:1: PL002 [error] not valid UTF-8: byte 0xff at line 3",
                                "1 error, 0 warnings, 0 info in 1 file"]


def test_use_color(monkeypatch):
    class Tty:
        def isatty(self):
            return True
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert report.use_color(None, Tty()) is True
    assert report.use_color(None, None) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert report.use_color(None, Tty()) is False
    assert report.use_color(True, Tty()) is True       # an explicit flag beats NO_COLOR
    monkeypatch.setenv("NO_COLOR", "")                 # empty means unset, per no-color.org
    assert report.use_color(None, Tty()) is True


# ---------------------------------------------------------------- json

def test_json_format_matches_schema(results):
    jsonschema = pytest.importorskip("jsonschema")
    from policylint.resources import schema
    data = json.loads(report.format_json(results))
    jsonschema.Draft202012Validator.check_schema(schema("lint-report"))
    jsonschema.validate(data, schema("lint-report"))
    assert data["summary"] == {"files": 2, "errors": 1, "warnings": 1, "info": 1}
    f = data["files"][0]
    assert f["path"] == "policies/en/privacy.md" and f["lang"] == "en"
    assert [d["rule"] for d in f["diagnostics"]] == ["PL105", "PL204", "PL301"]
    assert f["diagnostics"][1] == {
        "rule": "PL204", "name": "retention-period", "severity": "error", "element": "retention",
        "message": "retention for 'Invoices' has no period or criterion", "line": 10, "column": 3,
        "end_line": 10, "end_column": 17, "fix": "state how long, e.g. '7 years (Bookkeeping Act)'"}
    assert f["diagnostics"][0]["end_line"] is None and f["diagnostics"][0]["fix"] is None
    assert data["files"][1]["diagnostics"] == []


# ---------------------------------------------------------------- sarif

def _sarif(results, root):
    return json.loads(report.format_sarif(results, root=root))


def test_sarif_validates_against_official_schema(results, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    sch = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    data = _sarif(results, Path.cwd())
    cls = jsonschema.validators.validator_for(sch)
    errors = sorted(cls(sch).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_sarif_content(results):
    data = _sarif(results, Path.cwd())
    assert data["version"] == "2.1.0" and data["$schema"].endswith("sarif-2.1.0.json")
    run = data["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "policylint" and driver["semanticVersion"]
    assert [r["id"] for r in driver["rules"]] == ["PL105", "PL204", "PL301"]   # all rules, registry order
    r204 = driver["rules"][1]
    assert r204["name"] == "RetentionPeriod"
    assert r204["fullDescription"]["text"].startswith("Art. 13(2)(a)")
    assert r204["help"]["text"] == "Write '7 years'." and "**Fix:**" in r204["help"]["markdown"]
    assert r204["defaultConfiguration"]["level"] == "error"
    assert driver["rules"][2]["defaultConfiguration"]["level"] == "warning"
    assert "retention" in r204["properties"]["tags"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    res = run["results"]
    assert [r["ruleId"] for r in res] == ["PL105", "PL204", "PL301"]
    for r in res:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert [r["level"] for r in res] == ["note", "error", "warning"]
    loc = res[1]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "policies/en/privacy.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 10, "startColumn": 3, "endLine": 10, "endColumn": 17}
    assert "endLine" not in res[0]["locations"][0]["physicalLocation"]["region"]
    assert res[1]["message"]["text"].endswith("\nFix: state how long, e.g. '7 years (Bookkeeping Act)'")


def test_sarif_fingerprint_is_stable_when_lines_move(results):
    before = _sarif(results, Path.cwd())["runs"][0]["results"]
    shifted_text = "\n\n\n" + SOURCE
    moved = [Diagnostic(d.rule, d.message, d.line + 3, d.column, d.end_line and d.end_line + 3,
                        d.end_column, d.severity, d.name, d.element, d.fix) for d in DIAGS]
    after = _sarif([("policies/en/privacy.md", make_doc("policies/en/privacy.md", shifted_text), moved)],
                   Path.cwd())["runs"][0]["results"]
    fp = lambda rs: {r["ruleId"]: r["partialFingerprints"]["primaryLocationLineHash"] for r in rs}
    assert fp(before) == fp(after)
    assert re.fullmatch(r"[0-9a-f]{16}:1", fp(before)["PL204"])


def test_sarif_fingerprints_unique_for_repeated_lines():
    text = "TODO\nTODO\n"
    diags = [Diagnostic("PL301", "placeholder", n, 1, n, 5, "warning", "placeholder") for n in (1, 2)]
    res = _sarif([("a.md", make_doc("a.md", text), diags)], Path.cwd())["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in res]
    assert hashes[0].split(":")[0] == hashes[1].split(":")[0] and len(set(hashes)) == 2


def test_sarif_paths(tmp_path):
    d = Diagnostic("PL999", "odd", 1, 1, name="", severity="error")
    inside = str(tmp_path / "my policies" / "ä.md")
    outside = "/elsewhere/x.md"
    data = _sarif([(inside, None, [d]), (outside, None, [d]), ("<stdin>", None, [d])], tmp_path)
    res = data["runs"][0]["results"]
    assert res[0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "my%20policies/%C3%A4.md", "uriBaseId": "%SRCROOT%"}
    assert res[1]["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "file:///elsewhere/x.md"}
    assert "locations" not in res[2]
    # an unregistered code (parse diagnostic) still gets a descriptor and a valid index
    rules = data["runs"][0]["tool"]["driver"]["rules"]
    assert rules[res[0]["ruleIndex"]]["id"] == "PL999"
    assert data["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


# ---------------------------------------------------------------- github

def test_github_format(results):
    out = report.format_github(results, root=Path.cwd()).splitlines()
    assert out[0] == ("::notice file=policies/en/privacy.md,line=1,col=1,"
                      "title=PL105 complaint-right::no section on complaints to a supervisory authority")
    assert out[1] == ("::error file=policies/en/privacy.md,line=10,col=3,endLine=10,endColumn=17,"
                      "title=PL204 retention-period::retention for 'Invoices' has no period or criterion"
                      "%0AFix: state how long, e.g. '7 years (Bookkeeping Act)'")
    assert out[2].startswith("::warning file=policies/en/privacy.md,line=11,col=14,")
    assert out[-1] == "1 error, 1 warning, 1 info in 2 files"


def test_github_escaping_hostile_input(tmp_path):
    msg = "50% done\r\nnext line, with: colons\n::error::injected"
    d = Diagnostic("PL301", msg, 2, 1, 4, 3, "warning", "a,b:c", fix="100% sure")
    path = str(tmp_path / "we,ird:name%.md")
    out = report.format_github([(path, None, [d])], root=tmp_path).splitlines()
    assert len(out) == 2                  # the hostile newlines did not start new commands
    line = out[0]
    props, message = line[len("::warning "):].split("::", 1)
    assert message == "50%25 done%0D%0Anext line, with: colons%0A::error::injected%0AFix: 100%25 sure"
    assert props == "file=we%2Cird%3Aname%25.md,line=2,col=1,endLine=4,title=PL301 a%2Cb%3Ac"
    assert "endColumn" not in props      # a column range only makes sense on one line


def test_escape_helpers():
    assert report.escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert report.escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"


def test_render_dispatch(results):
    for fmt in report.FORMATS:
        assert report.render(fmt, results, root=Path.cwd()).endswith("\n")
    with pytest.raises(ValueError):
        report.render("xml", results)


# ---------------------------------------------------------------- rule docs

def test_rule_table_and_markdown():
    table = report.rules_table(FAKE_RULES).splitlines()
    assert table[0].split() == ["CODE", "NAME", "SEVERITY", "ELEMENT", "SUMMARY"]
    assert table[3].startswith("PL301  placeholder") and " -  " in table[3]
    md = report.rules_markdown(FAKE_RULES).splitlines()
    assert md[0] == "| Code | Name | Severity | Element | Summary |"
    assert md[2] == "| PL105 | `complaint-right` | error | complaint | Mention the right to complain. |"
    assert md[4] == "| PL301 | `placeholder` | warning | – | No {{ placeholders }} \\| left over. |"


def test_rule_doc():
    doc = report.rule_doc(FAKE_RULES[1])
    for part in ("PL204 retention-period", "Every retention clause states a period.",
                 "Default severity: error", "Art. 13(2)(a)", "Write '7 years'.",
                 'PL204 = "warning"', 'ignore = ["PL204"]',
                 "<!-- policylint-disable-next-line PL204 -->", "--ignore PL204"):
        assert part in doc


def test_text_neutralises_control_characters():
    text = "# Title\nBad \x1b[31mred\x1b[0m text\n"
    d = Diagnostic("PL301", "label '\x1b[2J' is odd", 2, 5, 2, 17, "warning", "placeholder")
    out = report.format_text([("a.md", make_doc("a.md", text), [d])])
    assert "\x1b" not in out
    lines = out.splitlines()
    assert lines[1] == " 2 | Bad \ufffd[31mred\ufffd[0m text"
    assert lines[2] == "   |     ^" + "~" * 11


def test_summary_without_files():
    assert report.format_text([]) == "No files checked.\n"
    assert json.loads(report.format_json([]))["summary"] == {"files": 0, "errors": 0, "warnings": 0, "info": 0}
