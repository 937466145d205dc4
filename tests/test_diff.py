"""Semantic diff and classification (policylint.diff / policylint.classify).

Each case edits one base policy (tests/fixtures/diff/{sv,da,en}.md) in one way and checks
the classification, the change and the structured evidence a notice is built from.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from policylint.diff import DocDiff, diff_documents, diff_texts, redline, redline_text
from policylint.parser import parse

FIX = Path(__file__).parent / "fixtures" / "diff"


def base(lang: str) -> str:
    return (FIX / f"{lang}.md").read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    assert old in text, f"fixture lacks {old!r}"
    return text.replace(old, new, 1)


def both(old: str, new: str, config=None) -> DocDiff:
    """diff_documents, checked against the fast text path (they must agree)."""
    d = diff_documents(parse(old, "old.md"), parse(new, "new.md"), config)
    t = diff_texts(old, new, config)
    key = lambda x: [(c.kind, c.section, c.change, c.classification, c.reason, c.old_line,
                      c.new_line) for c in x.changes]
    assert key(d) == key(t)
    assert d.classification == t.classification
    return d


def types(d: DocDiff) -> set[str]:
    return {e.type for c in d.changes for e in c.evidence}


# ---------------------------------------------------------------- material

MATERIAL = [
    # (lang, old, new, evidence type, words the reason must contain)
    ("sv", "- **Catering:** för att leverera beställningar",
     "- **Catering:** för att leverera beställningar\n- **Marknadsföring:** för att skicka erbjudanden",
     "purpose-added", "Marknadsföring"),
    ("da", "- **Fakturering:** for at sende regninger",
     "- **Fakturering:** for at sende regninger\n- **Nyhedsbrev:** for at sende tilbud",
     "purpose-added", "Nyhedsbrev"),
    ("en", "- **Billing:** to send invoices",
     "- **Billing:** to send invoices\n- **Marketing:** to send you offers", "purpose-added", "Marketing"),
    ("sv", "- **Bokningar:** datum, antal gäster och önskemål om allergier",
     "- **Bokningar:** datum, antal gäster och önskemål om allergier\n- **Platsdata:** var du befinner dig",
     "data-category-added", "Platsdata"),
    ("en", "- **Rentals:** the tools you rent and when you return them",
     "- **Rentals:** the tools you rent and when you return them\n- **Location:** where you use the tools",
     "data-category-added", "Location"),
    ("sv", "- **Bokningsbolaget Norr AB:** driver vårt bokningssystem",
     "- **Bokningsbolaget Norr AB:** driver vårt bokningssystem\n- **Annonsnätverket Syd AB:** annonsering",
     "recipient-added", "Annonsnätverket Syd AB"),
    ("da", "- **Betalingshuset ApS:** håndterer kortbetalinger",
     "- **Betalingshuset ApS:** håndterer kortbetalinger\n- **Reklamegruppen A/S:** markedsføring",
     "recipient-added", "Reklamegruppen A/S"),
    ("en", "- **Quaypay Ltd:** processes card payments",
     "- **Quaypay Ltd:** processes card payments and shares them with Adnet Analytics Inc.",
     "recipient-added", "Adnet Analytics Inc"),
    ("sv", "Vi lagrar alla uppgifter inom EU.",
     "Vi lagrar alla uppgifter inom EU. Säkerhetskopior lagras hos en leverantör i USA.",
     "transfer-added", "united states"),
    ("en", "We keep all data in the UK.",
     "We keep all data in the UK. Some data may be transferred to third countries.",
     "transfer-added", "third countries"),
    ("da", "Vi opbevarer alle oplysninger i EU.",
     "Vi opbevarer alle oplysninger i EU. Supportsager behandles af en leverandør i Indien.",
     "transfer-added", "india"),
    ("en", "We keep all data in the UK.",
     "We keep all data in the UK. Support tickets are processed by a team in the United States.",
     "transfer-added", "united states"),
    ("sv", "- **Bokningar:** 6 månader", "- **Bokningar:** 2 år", "retention-lengthened",
     "'Bokningar' 6 månader → 2 år"),
    ("da", "- **Lejeaftaler:** 1 år", "- **Lejeaftaler:** 3 år", "retention-lengthened",
     "'Lejeaftaler' 1 år → 3 år"),
    ("en", "- **Rentals:** 2 years", "- **Rentals:** 5 years", "retention-lengthened",
     "retention: 'Rentals' 2 years → 5 years"),
    ("sv", "controller: Sjöbodens Kafé AB", "controller: Strömstads Restauranger AB",
     "controller-changed", "Strömstads Restauranger AB"),
    ("da", "Fjordens Cykler ApS, Havnevej 9", "Vestjyske Cykler A/S, Havnevej 9",
     "controller-changed", "Vestjyske Cykler A/S"),
    ("sv", "för att fullgöra avtalet med dig.", "med stöd av ditt samtycke.",
     "legal-basis-changed", "consent"),
    ("en", "to perform our contract with you.", "on the basis of our legitimate interests.",
     "legal-basis-changed", "legitimate interests"),
    ("sv", "att få dem rättade eller raderade och", "att få dem rättade och", "right-removed",
     "right to erasure"),
    ("da", "til at få dem rettet eller slettet og", "til at få dem rettet og", "right-removed",
     "right to erasure"),
    ("en", "and to object to our processing.", "and to restrict our processing.", "right-removed",
     "right to object"),
    ("sv", "Mejla dataskydd@sjoboden.example.",
     "Skicka din begäran skriftligen per brev med vidimerad id-handling.", "rights-exercise-harder",
     "skriftligen"),
    ("en", "Email privacy@harbourside.example.",
     "Write to us by post, enclosing a certified copy of your passport.", "rights-exercise-harder",
     "by post"),
    ("sv", "Vi fattar inga automatiserade beslut om dig.",
     "Vi använder profilering för att bedöma din kreditvärdighet innan du får faktura.",
     "automated-decisions-introduced", "profilering"),
    ("en", "We do not make automated decisions about you.",
     "We use automated decision-making to decide whether you may rent without a deposit.",
     "automated-decisions-introduced", "automated decision"),
]


@pytest.mark.parametrize("lang,old,new,typ,reason", MATERIAL,
                         ids=[f"{m[0]}-{m[3]}-{i}" for i, m in enumerate(MATERIAL)])
def test_material(lang, old, new, typ, reason):
    src = base(lang)
    d = both(src, edit(src, old, new))
    assert d.classification == "material", [c.reason for c in d.changes]
    assert typ in types(d)
    mat = [c for c in d.changes if c.classification == "material"]
    assert any(reason.lower() in c.reason.lower() for c in mat), [c.reason for c in mat]


def test_retention_evidence_carries_days():
    src = base("sv")
    d = both(src, edit(src, "- **Bokningar:** 6 månader", "- **Bokningar:** 2 år"))
    (c,) = d.changes
    assert (c.kind, c.section, c.change) == ("retention", "Lagringstid", "modified")
    (ev,) = c.evidence
    assert (ev.type, ev.label, ev.old, ev.new, ev.old_days, ev.new_days) == \
        ("retention-lengthened", "Bokningar", "6 månader", "2 år", 180, 730)
    assert c.redline == (("=", "Bokningar:"), ("-", "6 månader"), ("+", "2 år"))
    line = src.split("\n").index("- **Bokningar:** 6 månader") + 1
    assert c.old_line == c.new_line == line


@pytest.mark.parametrize("lang,anchor,clause,label,org", [
    ("en", "- **Quaypay Ltd:** processes card payments",
     "- **Product analytics:** Statlyse GmbH, Germany, which provides our analytics tool.",
     "Product analytics", "Statlyse GmbH"),
    ("sv", "- **Bokningsbolaget Norr AB:** driver vårt bokningssystem",
     "- **Produktanalys:** Statlyse GmbH, Tyskland, som levererar vårt analysverktyg.",
     "Produktanalys", "Statlyse GmbH"),
    ("en", "- **Quaypay Ltd:** processes card payments",
     "- **Readwise Analytics Inc.:** reading recommendations",
     "Readwise Analytics Inc.", "Readwise Analytics Inc."),
    ("en", "- **Quaypay Ltd:** processes card payments",
     "- **Our accountants:** check the books once a year", "Our accountants", "Our accountants"),
])
def test_added_recipient_clause_is_one_recipient(lang, anchor, clause, label, org):
    """The label says what the recipient is for; it is not a second recipient."""
    src = base(lang)
    d = both(src, edit(src, anchor, anchor + "\n" + clause))
    evs = [e for c in d.changes for e in c.evidence if e.type == "recipient-added"]
    assert [(e.label, e.old, e.new) for e in evs] == [(label, None, org)]
    (c,) = [c for c in d.changes if c.kind == "recipients"]
    assert c.classification == "material"
    assert c.reason == f"recipients: new recipient '{org}'" + (f" ({label})" if label != org else "")


def test_recipient_named_in_an_edited_clause_keeps_its_label():
    src = edit(base("en"), "- **Quaypay Ltd:** processes card payments",
               "- **Product analytics:** done by our own team")
    new = edit(src, "done by our own team", "done by Statlyse GmbH, Germany")
    evs = [e for c in both(src, new).changes for e in c.evidence if e.type.startswith("recipient")]
    assert [(e.type, e.label, e.new) for e in evs] == \
        [("recipient-added", "Product analytics", "Statlyse GmbH")]


def test_transfer_not_introduced_twice_or_by_mere_mention():
    src = base("en").replace("We keep all data in the UK.",
                             "Backups are stored in the United States.")
    again = edit(src, "## Complaints {#complaint}",
                 "## Complaints {#complaint}\n\nOur US team processes data in the United States too.")
    assert "transfer-added" not in types(both(src, again))
    mention = edit(src, "## Complaints {#complaint}",
                   "## Complaints {#complaint}\n\nUsers in India can complain locally.")
    assert "transfer-added" not in types(both(src, mention))
    denied = edit(base("sv"), "Vi lagrar alla uppgifter inom EU.",
                  "Vi lagrar alla uppgifter inom EU och överför dem aldrig till tredje land.")
    assert "transfer-added" not in types(both(base("sv"), denied))


def test_mandatory_section_removed():
    src = base("en")
    start = src.index("## Your rights")
    end = src.index("## Automated decisions")
    d = both(src, src[:start] + src[end:])
    (c,) = d.changes
    assert (c.change, c.classification, c.kind) == ("removed", "material", "rights")
    assert "mandatory" in c.reason and "section-removed" in types(d)


# ---------------------------------------------------------------- minor

MINOR = [
    ("sv", "- **Bokningar:** 6 månader", "- **Bokningar:** 3 månader", "retention-shortened"),
    ("en", "- **Invoices:** 6 years", "- **Invoices:** 2 years", "retention-shortened"),
    ("sv", "- **Catering:** för att leverera beställningar\n", "", "purpose-removed"),
    ("en", "- **Quaypay Ltd:** processes card payments", "- **Quaypay Ltd:** processes card and "
     "bank payments", None),
    ("da", "contact: privatliv@fjordens.example", "contact: dpo@fjordens.example", "contact-changed"),
    ("sv", "Hamngatan 2, 452 30 Strömstad", "Hamngatan 4, 452 30 Strömstad", None),
    ("en", "This policy explains how we use your personal data when you rent tools from our shop.",
     "This policy explains how we use your personal data when you rent or buy tools in our shop.",
     "text-changed"),
    ("en", "Email privacy@harbourside.example.", "Email rights@harbourside.example.", "contact-changed"),
]


@pytest.mark.parametrize("lang,old,new,typ", MINOR, ids=[f"{m[0]}-{i}" for i, m in enumerate(MINOR)])
def test_minor(lang, old, new, typ):
    src = base(lang)
    d = both(src, edit(src, old, new))
    assert d.classification == "minor", [(c.classification, c.reason) for c in d.changes]
    if typ:
        assert typ in types(d)


# ---------------------------------------------------------------- editorial

EDITORIAL = [
    ("reflowed paragraph", "en", "This policy explains how we use your personal data when you rent",
     "This policy explains how we use your personal data\nwhen   you rent"),
    ("bold added", "sv", "är personuppgiftsansvarig.", "är **personuppgiftsansvarig**."),
    ("punctuation", "da", "Du kan klage til Datatilsynet.", "Du kan klage til Datatilsynet!"),
    ("case", "en", "You can complain to the Information", "You can complain to the information"),
    ("typo sv", "sv", "hur vi hanterar personuppgifter", "hur vi hanterar personuppgiftrr"),
    ("typo da", "da", "behandler dine personoplysninger", "behandler dine personoplysnigner"),
    ("typo en", "en", "is the controller.", "is the controler."),
    ("link target", "sv", "(https://www.imy.se)", "(https://www.imy.se/privatperson/)"),
    ("updated date", "da", "updated: 2025-05-20", "updated: 2025-07-02"),
    ("version only", "en", 'version: "3.0"', 'version: "3.0.1"'),
    ("list reordered", "en", "- **Rentals:** 2 years\n- **Invoices:** 6 years",
     "- **Invoices:** 6 years\n- **Rentals:** 2 years"),
    ("heading level", "sv", "## Klagomål {#complaint}", "### Klagomål {#complaint}"),
    ("heading style", "en", "## Complaints {#complaint}\n", "Complaints {#complaint}\n-----------\n"),
    ("list marker", "da", "- **Udlejning:** for at administrere din leje\n- **Fakturering:**",
     "* **Udlejning:** for at administrere din leje\n* **Fakturering:**"),
]


@pytest.mark.parametrize("what,lang,old,new", EDITORIAL, ids=[e[0] for e in EDITORIAL])
def test_editorial(what, lang, old, new):
    src = base(lang)
    d = both(src, edit(src, old, new))
    assert d.classification == "editorial", [(c.classification, c.reason) for c in d.changes]
    if what != "list marker":    # the marker is not part of the item's text at all
        assert d.changes, "an editorial change is still reported"
    assert all(c.reason.startswith("editorial") for c in d.changes)


def test_identical_is_editorial_with_no_changes():
    src = base("sv")
    assert both(src, src).changes == ()
    assert both(src, src).classification == "editorial"


def test_section_moved_is_one_editorial_change():
    src = base("en")
    block_start = src.index("## Complaints")
    block = src[block_start:]
    moved = src[:block_start]
    i = moved.index("## Who we are")
    moved = moved[:i] + block.rstrip("\n") + "\n\n" + moved[i:]
    d = both(src, moved)
    assert [(c.change, c.classification, c.section) for c in d.changes] == \
        [("moved", "editorial", "Complaints")]


def test_renamed_section_is_one_change():
    src = base("en")
    d = both(src, edit(src, "## How long we keep your data {#retention}",
                       "## Retention periods {#retention}"))
    assert [(c.change, c.classification) for c in d.changes] == [("renamed", "editorial")]
    # Without a tag the kind may differ; the content still ties the two headings together.
    src2 = edit(src, "## Transfers outside the UK and EEA {#transfers}", "## Where we store data")
    new2 = edit(src2, "## Where we store data", "## Storage location")
    d2 = both(src2, new2)
    assert [c.change for c in d2.changes] == ["renamed"]


def test_renamed_and_edited_section():
    src = base("sv")
    new = edit(src, "## Lagringstid {#retention}", "## Hur länge vi sparar uppgifter {#retention}")
    new = edit(new, "- **Fakturor:** 7 år", "- **Fakturor:** 10 år")
    d = both(src, new)
    assert [c.change for c in d.changes] == ["renamed", "modified"]
    assert d.classification == "material"
    assert d.changes[1].section == "Hur länge vi sparar uppgifter"


def test_whole_diff_is_the_worst_change():
    src = base("da")
    new = edit(src, "updated: 2025-05-20", "updated: 2025-09-01")
    new = edit(new, "Du kan klage til Datatilsynet.", "Du kan klage til Datatilsynet, www.datatilsynet.dk.")
    assert both(src, new).classification == "minor"
    new = edit(new, "- **Lejeaftaler:** 1 år", "- **Lejeaftaler:** 2 år")
    d = both(src, new)
    assert d.classification == "material"
    assert {c.classification for c in d.changes} == {"editorial", "minor", "material"}


# ---------------------------------------------------------------- configuration

class _Cfg:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_retention_threshold_from_config():
    src = base("en")
    new = edit(src, "- **Rentals:** 2 years", "- **Rentals:** 3 years")
    assert both(src, new, _Cfg(retention_threshold_days=400)).classification == "minor"
    assert both(src, new, _Cfg(retention_threshold_days=364)).classification == "material"


def test_material_kinds_from_config():
    src = base("sv")
    new = edit(src, "- **Bokningsbolaget Norr AB:** driver vårt bokningssystem",
               "- **Bokningsbolaget Norr AB:** driver vårt bokningssystem\n- **Analysbyrån AB:** statistik")
    assert both(src, new).classification == "material"
    assert both(src, new, _Cfg(material_kinds=("purposes",))).classification == "minor"


def test_real_config_object():
    config = pytest.importorskip("policylint.config")
    src = base("en")
    new = edit(src, "- **Rentals:** 2 years", "- **Rentals:** 5 years")
    assert both(src, new, config.Config()).classification == "material"


# ---------------------------------------------------------------- whole documents and redline

def test_added_and_removed_document():
    doc = parse(base("en"), "p.md")
    assert diff_documents(None, doc).changes[0].change == "added"
    assert diff_documents(doc, None).changes[0].change == "removed"
    assert diff_documents(None, doc).classification == "material"
    assert diff_documents(None, None).changes == ()


def test_redline_words_and_text_form():
    red = redline("We keep invoices for 2 years.", "We keep invoices for 5 years.")
    assert red == (("=", "We keep invoices for"), ("-", "2"), ("+", "5"), ("=", "years."))
    assert redline_text(red) == "We keep invoices for [-2-] {+5+} years."
    assert redline(None, "new text") == (("+", "new text"),)
    assert redline("old", None) == (("-", "old"),)


def test_text_path_survives_odd_input():
    for junk in ("", "\n\n", "no headings at all", "# only\n", "---\ntitle: x\n", "```\n# not\n```\n# h\n",
                 "Setext\n===\nbody\n\nSecond\n---\n", "\ufeff# bom\r\nx\r\n"):
        diff_texts(junk, base("en"))
        diff_texts(base("en"), junk)


def test_text_splitter_agrees_with_parser():
    """diff_texts splits at headings without the parser; both must see the same sections."""
    from policylint.diff import _split
    samples = [base(l) for l in ("sv", "da", "en")] + [
        "Title\n=====\n\nIntro\n\nSub\n---\n\ntext\n\n---\n\nafter rule\n",
        "# A\n\n```\n# not a heading\n```\n\n## B\ntext\n",
        "para line one\nline two\n---\n\n- item\n\n## C {#retention}\n",
    ]
    for text in samples:
        doc = parse(text)
        assert _split(text)[1] == [s.span.line for s in doc.walk()], text[:40]
