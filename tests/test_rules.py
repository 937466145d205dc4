"""Rules one by one, and the engine around them (config, suppressions, ordering).

Each test starts from BASE, a short policy that lints clean of errors and warnings,
and changes one thing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from policylint.diagnostic import Diagnostic
from policylint.lint import Context, lint_text
from policylint.parser import parse
from policylint.rules import Finding, Rule, all_rules, get_rule

BASE = """\
---
title: Privacy notice
lang: en
effective: 2026-02-01
updated: 2026-01-10
---

# Privacy notice

## Who is responsible {#controller}

Lindqvist Garden Tools AB, org.nr 556000-1234, is the controller of your personal data.

## Contact {#contact}

Email privacy@lindqvist-tools.se or write to Lindqvist Garden Tools AB, Storgatan 7,
352 31 Växjö.

## What we use your data for {#purposes}

We use your name and address to deliver your order and to send you invoices.

## Legal basis {#legal-basis}

The legal basis is the performance of our contract with you.

## How long we keep your data {#retention}

- Orders: 3 years after delivery.
- Invoices: 7 years (Bookkeeping Act).

## Your rights {#rights}

You have the right to access your data, to rectification of inaccurate data, to
erasure, to restriction of processing, to object to processing and to data
portability.

## Complaints {#complaint}

You can lodge a complaint with the supervisory authority, Integritetsskyddsmyndigheten (IMY).

## Changes {#changes}

We will email you 30 days before a material change to this notice takes effect.
"""


def lint(text: str, config=None) -> list[Diagnostic]:
    return lint_text(text, "p.md", config)[1]


def codes(diags) -> list[str]:
    return [d.rule for d in diags]


def only(diags, code: str) -> list[Diagnostic]:
    return [d for d in diags if d.rule == code]


def without(text: str, heading: str) -> str:
    """BASE minus the section whose heading line contains ``heading``."""
    out, skip = [], False
    for ln in text.split("\n"):
        if ln.startswith("## "):
            skip = heading in ln
        if not skip:
            out.append(ln)
    return "\n".join(out)


@dataclass(frozen=True)
class Cfg:
    select: tuple | None = None
    ignore: tuple = ()
    severity: dict = field(default_factory=dict)
    required_sections: tuple | None = None
    profile: str = "gdpr"


# ---------------------------------------------------------------- registry

def test_catalogue_is_well_formed():
    rules = all_rules()
    assert [r.code for r in rules] == sorted(r.code for r in rules)
    assert len({r.code for r in rules}) == len(rules) == len({r.name for r in rules})
    for r in rules:
        assert isinstance(r, Rule)
        assert re.fullmatch(r"PL\d{3}", r.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name
        assert r.severity in ("error", "warning", "info")
        assert r.summary and r.fix and callable(r.check)
        assert re.search(r"Art\.|WP260|GDPR", r.rationale), r.code
    families = {r.code[:3] for r in rules}
    assert {"PL0", "PL1", "PL2", "PL3", "PL4", "PL9"} <= families


def test_get_rule_by_code_or_name():
    assert get_rule("PL105").name == "missing-retention"
    assert get_rule("pl105").code == "PL105"
    assert get_rule("missing-retention").code == "PL105"
    assert get_rule("PL001").name == "syntax"
    assert get_rule("no-such-rule") is None


def test_base_is_clean():
    diags = lint(BASE)
    assert [d for d in diags if d.severity in ("error", "warning")] == [], \
        [(d.rule, d.message) for d in diags]


# ---------------------------------------------------------------- missing (PL1xx)

@pytest.mark.parametrize("heading,code,kind", [
    ("Who is responsible", "PL101", "controller"),
    ("What we use", "PL103", "purposes"),
    ("Legal basis", "PL104", "legal-basis"),
    ("How long", "PL105", "retention"),
    ("Your rights", "PL106", "rights"),
    ("Complaints", "PL107", "complaint"),
])
def test_missing_section_reported_at_line_1(heading, code, kind):
    diags = lint(without(BASE, heading))
    found = only(diags, code)
    assert len(found) == 1, [(d.rule, d.message) for d in diags]
    d = found[0]
    assert (d.line, d.column, d.element, d.severity) == (1, 1, kind, "error")
    assert d.fix and "{#" + kind + "}" in d.fix


def test_missing_contact_only_when_unreachable():
    text = without(BASE, "Contact").replace("Lindqvist Garden Tools AB, org.nr", "Lindqvist Garden Tools AB, org.nr")
    # The controller section still has no address; nothing else gives one either.
    assert "PL102" in codes(lint(text))
    # An email in another section is contact enough (the Amesto case).
    moved = text.replace("is the controller of your personal data.",
                         "is the controller of your personal data. Questions: privacy@lindqvist-tools.se")
    assert "PL102" not in codes(lint(moved))


def test_element_in_body_text_counts():
    # No complaint section, but the rights section mentions the complaint right.
    text = without(BASE, "Complaints").replace(
        "data\nportability.", "data\nportability. You may also lodge a complaint with the "
        "supervisory authority (IMY).")
    assert "PL107" not in codes(lint(text))


def test_element_in_front_matter_counts():
    text = without(BASE, "Complaints").replace("lang: en\n", "lang: en\nauthority: IMY\n")
    assert "PL107" not in codes(lint(text))
    text = without(BASE, "Who is responsible").replace("lang: en\n", "lang: en\ncontroller: Lindqvist AB\n")
    assert "PL101" not in codes(lint(text))


def test_required_sections_from_config():
    cfg = Cfg(required_sections=("controller", "security"))
    diags = lint(without(BASE, "Legal basis"), cfg)
    assert "PL104" not in codes(diags)
    sec = only(diags, "PL113")
    assert len(sec) == 1 and sec[0].element == "security"


def test_consent_needs_withdrawal():
    text = BASE.replace("The legal basis is the performance of our contract with you.",
                        "The legal basis is the performance of our contract with you. We send "
                        "newsletters based on your consent.")
    found = only(lint(text), "PL112")
    assert len(found) == 1 and found[0].line > 1
    fixed = text.replace("based on your consent.", "based on your consent. You can withdraw "
                         "your consent at any time.")
    assert "PL112" not in codes(lint(fixed))


def test_transfers_need_safeguards():
    text = BASE.replace("to send you invoices.", "to send you invoices. Our support provider "
                        "stores data outside the EU/EEA.")
    assert "PL109" in codes(lint(text))
    ok = text.replace("outside the EU/EEA.", "outside the EU/EEA under the European "
                      "Commission's standard contractual clauses.")
    assert "PL109" not in codes(lint(ok))


def test_dpo_mentioned_needs_contact():
    text = BASE.replace("Legal basis {#legal-basis}\n", "Legal basis {#legal-basis}\n\n"
                        "We have appointed a data protection officer.\n")
    assert "PL110" in codes(lint(text))
    ok = text.replace("data protection officer.", "data protection officer, dpo@lindqvist-tools.se.")
    assert "PL110" not in codes(lint(ok))


# ---------------------------------------------------------------- content (PL2xx)

def test_one_finding_per_missing_right():
    text = BASE.replace(", to restriction of processing, to object to processing and to data\nportability", "")
    found = only(lint(text), "PL201")
    assert {d.element for d in found} == {"right-restriction", "right-objection", "right-portability"}
    assert all(d.line == BASE.split("\n").index("## Your rights {#rights}") + 1 for d in found)


def test_retention_without_period_or_criteria():
    text = BASE.replace("- Orders: 3 years after delivery.\n- Invoices: 7 years (Bookkeeping Act).",
                        "We keep your data safe.")
    assert only(lint(text), "PL202")


def test_retention_criteria_only_is_vague():
    text = BASE.replace("- Orders: 3 years after delivery.\n- Invoices: 7 years (Bookkeeping Act).",
                        "We keep your data for as long as necessary.")
    found = only(lint(text), "PL203")
    assert len(found) == 1 and found[0].severity == "warning"
    assert "as long as" in found[0].message
    assert "PL202" not in codes(lint(text))


def test_contact_section_without_means():
    text = BASE.replace("Email privacy@lindqvist-tools.se or write to Lindqvist Garden Tools AB, Storgatan 7,\n352 31 Växjö.",
                        "Email us at [email protected] with any question.")
    diags = lint(text)
    assert only(diags, "PL205") and "PL102" not in codes(diags)
    assert len(only(diags, "PL303")) == 1


def test_controller_without_legal_form():
    text = BASE.replace("Lindqvist Garden Tools AB, org.nr 556000-1234, is", "Lindqvist Garden Tools is") \
               .replace("write to Lindqvist Garden Tools AB,", "write to us at")
    found = only(lint(text), "PL206")
    assert len(found) == 1 and "Lindqvist Garden Tools" in found[0].message


# ---------------------------------------------------------------- hygiene (PL3xx)

def test_placeholder_each_occurrence():
    text = BASE.replace("to send you invoices.", "to send you invoices. {{ Purpose 2 }} and {{ Purpose 3 }}.")
    found = only(lint(text), "PL302")
    assert len(found) == 2
    line = text.split("\n")
    for d in found:
        assert line[d.line - 1][d.column - 1:d.end_column - 1].startswith("{{")


def test_todo_and_example_domain():
    text = BASE.replace("to send you invoices.", "to send you invoices. TODO: add analytics.") \
               .replace("privacy@lindqvist-tools.se", "privacy@example.com")
    found = only(lint(text), "PL302")
    assert len(found) == 2, [d.message for d in found]


def test_malformed_email():
    text = BASE.replace("privacy@lindqvist-tools.se", "privacy@lindqvist-tools")
    found = only(lint(text), "PL304")
    assert len(found) == 1 and "privacy@lindqvist-tools" in found[0].message


def test_outdated_reference_quoted():
    text = BASE.replace("Integritetsskyddsmyndigheten (IMY)", "Datainspektionen")
    found = only(lint(text), "PL305")
    assert len(found) == 1 and "'Datainspektionen'" in found[0].message
    d = found[0]
    src = text.split("\n")[d.line - 1]
    assert src[d.column - 1:d.end_column - 1] == "Datainspektionen"
    assert d.fix == "write Integritetsskyddsmyndigheten (IMY), www.imy.se"   # from sv.toml


def test_every_outdated_reference_says_what_to_write_instead():
    """Each [[hygiene.outdated]] entry carries its own fix; the rule's generic hint is
    only a fallback for an entry a writer adds without one."""
    from policylint import vocab
    for lang in vocab.LANGS:
        for e in vocab.vocabulary(lang).data.get("hygiene", {}).get("outdated", []):
            assert isinstance(e.get("fix"), str) and e["fix"], (lang, e.get("patterns"))
    found = only(lint(BASE + "\nVi följer personuppgiftslagen (PUL).\n"), "PL305")
    assert found and all("2018:218" in d.fix for d in found)


def test_vague_purpose_only_in_purposes():
    text = BASE.replace("We use your name and address to deliver your order and to send you invoices.",
                        "We may use your personal data to develop new services.")
    assert only(lint(text), "PL301")
    elsewhere = BASE.replace("We keep", "We keep").replace(
        "## Changes {#changes}\n", "## Changes {#changes}\n\nWe may change this notice.\n")
    assert "PL301" not in codes(lint(elsewhere))


def test_unfair_change_clause_and_notice():
    text = BASE.replace("We will email you 30 days before a material change to this notice takes effect.",
                        "Please check this page regularly for changes.")
    diags = lint(text)
    assert only(diags, "PL306")
    assert only(diags, "PL307")


def test_effective_dates():
    assert only(lint(BASE.replace("effective: 2026-02-01\n", "")), "PL308")
    bad = only(lint(BASE.replace("effective: 2026-02-01", "effective: 2025-12-01")), "PL309")
    assert len(bad) == 1 and bad[0].line == 4 and bad[0].severity == "error"


# ---------------------------------------------------------------- structure (PL4xx)

def test_structure_rules():
    text = BASE + "\n## Retention {#retention}\n\nInvoices: 7 years.\n\n## Security {#security}\n\n#### Deep {#cookies}\n\nWe use no cookies.\n\n## Cookies\n"
    diags = lint(text)
    assert len(only(diags, "PL401")) == 1
    assert [d.message for d in only(diags, "PL403")] == ["heading level 4 follows level 2: 'Deep'"]
    empty = only(diags, "PL402")
    assert {d.message for d in empty} == {"section 'Cookies' is empty"}


def test_untagged_heading_info():
    text = BASE.replace("## How long we keep your data {#retention}", "## How long we keep your data")
    found = only(lint(text), "PL404")
    assert len(found) == 1 and found[0].severity == "info"
    assert "add {#retention}" in found[0].message
    assert found[0].fix == "write `## How long we keep your data {#retention}`"


# ---------------------------------------------------------------- engine

def test_sorted_and_paths():
    diags = lint(without(BASE, "Complaints").replace("to send you invoices.", "{{ x }}"))
    assert diags == sorted(diags, key=lambda d: (d.line, d.column, d.rule, d.message))
    assert all(d.path == "p.md" for d in diags)


def test_config_select_ignore_severity():
    text = without(BASE, "Complaints")
    assert "PL107" not in codes(lint(text, Cfg(ignore=("missing-complaint",))))
    assert "PL107" not in codes(lint(text, Cfg(select=("PL3",))))
    assert codes(lint(text, Cfg(select=("PL107",)))) == ["PL107"]
    d = only(lint(text, Cfg(severity={"PL107": "warning"})), "PL107")[0]
    assert d.severity == "warning"
    assert "PL107" not in codes(lint(text, Cfg(severity={"missing-complaint": "off"})))


def test_parse_diagnostics_pass_through_and_configurable():
    text = BASE.replace("## Changes {#changes}", "## Changes {#Not Valid!}")
    assert "PL001" in codes(lint(text))
    assert "PL001" not in codes(lint(text, Cfg(ignore=("syntax",))))


def test_disable_enable_range():
    text = BASE.replace("We use your name", "<!-- policylint-disable PL301 -->\nWe may use your name") \
               .replace("## Legal basis", "<!-- policylint-enable PL301 -->\n\n## Legal basis")
    diags = lint(text)
    assert "PL301" not in codes(diags) and "PL901" not in codes(diags)


def test_disable_next_line_and_unused():
    text = BASE.replace("We use your name", "<!-- policylint-disable-next-line PL301 -->\n\nWe may use your name")
    assert "PL301" not in codes(lint(text)) and "PL901" not in codes(lint(text))
    unused = BASE.replace("## Legal basis {#legal-basis}\n", "## Legal basis {#legal-basis}\n\n<!-- policylint-disable-next-line PL302 -->\n")
    found = only(lint(unused), "PL901")
    line = unused.split("\n").index("<!-- policylint-disable-next-line PL302 -->") + 1
    assert len(found) == 1 and found[0].line == line and found[0].severity == "warning"
    assert "PL302" in found[0].message


def test_file_level_disable_covers_document_findings():
    text = without(BASE, "Complaints").replace("# Privacy notice\n", "<!-- policylint-disable PL107 -->\n\n# Privacy notice\n")
    diags = lint(text)
    assert "PL107" not in codes(diags) and "PL901" not in codes(diags)
    # Later in the file it cannot reach line 1, and says so.
    later = without(BASE, "Complaints").replace("## Changes {#changes}\n", "## Changes {#changes}\n\n<!-- policylint-disable PL107 -->\n")
    diags = lint(later)
    assert "PL107" in codes(diags) and "PL901" in codes(diags)


def test_bare_disable_and_partial_enable():
    text = BASE.replace("# Privacy notice\n", "# Privacy notice\n\n<!-- policylint-disable -->\n") \
               .replace("to send you invoices.", "to send you invoices. {{ x }}") \
               .replace("## Legal basis", "<!-- policylint-enable PL302 -->\n\n## Legal basis\n\n{{ y }}\n")
    diags = lint(text)
    ph = only(diags, "PL302")
    assert len(ph) == 1 and "{{ y }}" in ph[0].message


def test_unused_code_of_switched_off_rule_not_reported():
    text = BASE.replace("We use your name", "<!-- policylint-disable-next-line PL301 -->\nWe use your name")
    assert "PL901" in codes(lint(text))
    assert "PL901" not in codes(lint(text, Cfg(ignore=("PL301",))))


def test_rule_exception_free_on_odd_documents():
    for text in ("", "---\n---\n", "# T\n", "plain text only", "## a\n### b\n#### c\n",
                 "<!-- policylint-enable -->\n", "{{ }}", "@ @@ a@b"):
        lint(text)


def test_context_indexes_once():
    doc = parse(BASE, "p.md")
    ctx = Context(doc, doc.lang, None)
    assert ctx.elements is ctx.elements
    assert ctx.hygiene("outdated") is ctx.hygiene("outdated")


def test_finding_is_frozen():
    f = Finding("x")
    with pytest.raises(Exception):
        f.message = "y"   # type: ignore[misc]


def test_sharing_needs_recipients():
    text = BASE.replace("to send you invoices.", "to send you invoices. We also share your data.")
    found = only(lint(text), "PL108")
    assert len(found) == 1 and found[0].line > 1 and "share" in found[0].message
    ok = text.replace("We also share your data.", "We share your data with our payment "
                      "service providers and our accountants, who are processors.")
    assert "PL108" not in codes(lint(ok))


def test_automated_decisions_mention_and_denial():
    text = BASE.replace("to send you invoices.", "to send you invoices. We use profiling to "
                        "set your credit limit.")
    found = only(lint(text), "PL111")
    assert len(found) == 1 and found[0].severity == "warning"
    denied = BASE.replace("to send you invoices.", "to send you invoices. We do not use "
                          "profiling or automated decisions.")
    assert "PL111" not in codes(lint(denied))


def test_front_matter_controller_needs_legal_form():
    text = without(BASE, "Who is responsible").replace("lang: en\n", "lang: en\ncontroller: Lindqvist Tools\n") \
        .replace("write to Lindqvist Garden Tools AB,", "write to us at")
    found = only(lint(text), "PL206")
    assert len(found) == 1 and found[0].line == 4 and "'Lindqvist Tools'" in found[0].message
    ok = text.replace("controller: Lindqvist Tools", "controller: Lindqvist Tools AB")
    assert "PL206" not in codes(lint(ok))


def test_fix_hint_in_document_language():
    text = "---\nlang: sv\n---\n# Integritetspolicy\n\nVi behandlar personuppgifter.\n"
    fix = only(lint(text), "PL105")[0].fix
    assert "{#retention}" in fix and "## How long" not in fix


def test_complaint_needs_a_statement_not_just_an_authority_name():
    # 'IMY supervises the law' names an authority but grants no right (the Amesto seed).
    text = without(BASE, "Complaints").replace("to send you invoices.",
                                               "to send you invoices. IMY supervises this.")
    assert "PL107" in codes(lint(text))


def test_combined_heading_counts_for_both_kinds():
    text = without(BASE, "Legal basis").replace("## What we use your data for {#purposes}",
                                                "## Purposes and legal basis")
    diags = lint(text)
    assert "PL103" not in codes(diags) and "PL104" not in codes(diags)


def test_vague_only_when_we_hedge():
    text = BASE.replace("We use your name and address to deliver your order and to send you invoices.",
                        "We collect data such as your name. You may object at any time.")
    assert "PL301" not in codes(lint(text))


def test_vague_not_for_we_in_a_subordinate_clause():
    """'how we can improve them' states an ability; 'We may' before it is still hedging."""
    ability = BASE.replace("We use your name and address to deliver your order and to send you invoices.",
                           "We study usage to understand how we can improve the shop.")
    assert "PL301" not in codes(lint(ability))
    both = ability.replace("We study usage", "We may study usage")
    assert only(lint(both), "PL301")


def test_never_raises_on_arbitrary_markdown():
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings, strategies as st

    pieces = st.sampled_from([
        "# T\n", "## Retention {#retention}\n", "#### Deep\n", "- item\n", "  - nested\n",
        "1. first\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "> quote\n", "```\ncode\n```\n",
        "<!-- policylint-disable PL302 -->\n", "<!-- policylint-enable -->\n",
        "<!-- policylint-disable-next-line -->\n", "{{ x }}\n", "TODO\n", "a@b\n",
        "[email protected]\n", "Datainspektionen\n", "We may use your data.\n", "\n",
        "---\nlang: sv\neffective: 2020-01-01\nupdated: 2021-01-01\n---\n", "Invoices: 7 years\n",
        "Kontakt: info@x.se, 08-123 45 67, Box 1, 111 22 Stockholm\n", "***\n",
    ])

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.one_of(pieces, st.text(max_size=40)), max_size=14))
    def check(parts):
        text = "".join(parts)
        diags = lint(text)
        assert diags == sorted(diags, key=lambda d: (d.line, d.column, d.rule, d.message))
        n = max(len(text.splitlines()), 1)
        assert all(1 <= d.line <= n + 1 for d in diags), [(d.rule, d.line) for d in diags]

    check()


# ---------------------------------------------------------------- positions

def test_hits_are_located_on_their_own_words():
    """Each finding points at its own occurrence, not at an earlier copy of the same
    words hidden in a link target or inside another word."""
    text = ("# T\n\nSee [the form](https://example.com/TODO) TODO, then x_TODO_y and "
            "**TODO**.\n")
    doc, diags = lint_text(text)
    cols = [d.column for d in diags if d.rule == "PL302" and "'TODO'" in d.message]
    line = text.splitlines()[2]
    assert [line[c - 1:c + 3] for c in cols] == ["TODO", "TODO"]
    assert cols == [line.index(") TODO") + 3, line.index("**TODO**") + 3]


class _CountingPattern:
    """A compiled pattern that adds up how many characters its searches may look at."""

    def __init__(self, rx: re.Pattern, seen: list[int]) -> None:
        self.rx, self.seen, self.pattern = rx, seen, rx.pattern

    def search(self, s, pos=0, endpos=None):
        self.seen.append((len(s) if endpos is None else min(endpos, len(s))) - pos)
        return self.rx.search(s, pos, len(s) if endpos is None else endpos)

    def finditer(self, s, *args):
        self.seen.append(len(s))
        return self.rx.finditer(s, *args)

    def __getattr__(self, name):
        return getattr(self.rx, name)


def test_locating_many_hits_in_one_unit_is_linear(monkeypatch):
    """Locating every finding of one paragraph looks at a bounded stretch of its source
    per finding: re-finding each hit from the start of its unit was quadratic (8000
    malformed addresses in a paragraph took 10-25 s). Counted, not timed."""
    from policylint import lint as engine
    real = engine._loose_pattern
    seen: list[int] = []
    monkeypatch.setattr(engine, "_loose_pattern",
                        lambda m: (lambda rx: rx and _CountingPattern(rx, seen))(real(m)))

    def scanned(n: int) -> int:
        seen.clear()
        _, diags = lint_text("# T\n\n" + "<a@b " * n + "\n")
        found = [d for d in diags if d.rule == "PL304"]
        assert [d.column for d in found] == [2 + 5 * i for i in range(n)]
        return sum(seen)

    small, big = scanned(300), scanned(1200)
    assert big < 6 * small, (small, big)      # linear: 4x; quadratic: 16x
