"""The linter against three real published policies (../shared/seeds): element by element.

Each seed is brought into the dialect first: with ``policylint.importer.import_text``
when it exists, else with a small local rule (a short line without sentence-ending
punctuation becomes a `##` heading). The assertions are a reading of the seed text,
made by hand; see the comments for the passage each one rests on.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not available")


def to_markdown(text: str) -> str:
    """Plain text -> dialect Markdown, without policylint.importer.

    Lines are blocks when the text has no blank lines (the Danish seed); otherwise
    blank-line-separated chunks are. A block of one line, at most 80 characters, not
    ending in sentence punctuation and not a list item becomes a heading.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    has_blank = sum(1 for ln in lines if not ln.strip()) > 2
    chunks: list[list[str]] = []
    if has_blank:
        cur: list[str] = []
        for ln in lines:
            if ln.strip():
                cur.append(ln.strip())
            elif cur:
                chunks.append(cur)
                cur = []
        if cur:
            chunks.append(cur)
    else:
        chunks = [[ln.strip()] for ln in lines if ln.strip()]
    out = []
    for ch in chunks:
        first = ch[0]
        if (len(ch) == 1 and len(first) <= 80 and not re.search(r"[.!?;,]$", first)
                and not re.match(r"[-•*]\s", first)):
            out.append("## " + re.sub(r"^\d+\.\s+", "", first).replace("#", r"\#"))
        else:
            out.append("\n".join(re.sub(r"^\s*•\s*", "- ", ln) for ln in ch))
        out.append("")
    return "\n".join(out)


def convert(text: str, how: str = "importer") -> str:
    """Through policylint.importer (skipped if it is missing) or the local rule above:
    the verdicts must not depend on which one shaped the Markdown."""
    if how == "simple":
        return to_markdown(text)
    from policylint.importer import import_text
    return import_text(text, "text")


def lint_seed(stem: str, how: str = "importer"):
    from policylint.lint import lint_text
    path = next(SEEDS.glob(stem + "_*.txt"))
    md = convert(path.read_text("utf-8"), how)
    doc, diags = lint_text(md, path.name)
    return doc, diags, md


CONVERTERS = ["importer", "simple"]


def codes(diags) -> list[str]:
    return [d.rule for d in diags]


def elements(diags, code: str) -> set[str]:
    return {d.element for d in diags if d.rule == code}


def missing(diags) -> set[str]:
    return {d.element for d in diags if d.rule.startswith("PL1")}


def line_of(md: str, d) -> str:
    """The source line a finding points at."""
    return md.split("\n")[d.line - 1]


# ---------------------------------------------------------------- element by element
# What each seed really gives, read by hand (the passages are quoted in the tests below),
# as the PL1xx/PL2xx findings that must follow: exactly these, with either converter.

GAPS = {
    # AM System: brand only, never 'personuppgiftsansvarig' (PL101); no legal basis,
    # retention, rights or complaint; consent as 'ditt tillstånd' with no withdrawal.
    # Present: purposes, contact (info@amsystem.com), recipients. No DPO, no transfers,
    # no automated decisions mentioned: nothing to report there.
    "000": [("PL101", "controller"), ("PL104", "legal-basis"), ("PL105", "retention"),
            ("PL106", "rights"), ("PL107", "complaint"), ("PL112", "consent-withdrawal")],
    # AMCS: 'AMCS Group' only as the addressee of '[email protected]' (PL101, PL205);
    # retention as criteria only (PL203); three of six rights (PL201 x3); no complaint.
    # Present: purposes, legal bases (consent, legitimate interests), recipients,
    # consent withdrawal ('ret til at ændre mening når som helst').
    "001": [("PL101", "controller"), ("PL107", "complaint"), ("PL201", "right-portability"),
            ("PL201", "right-rectification"), ("PL201", "right-restriction"),
            ("PL203", "retention"), ("PL205", "contact")],
    # Amesto: no legal basis, rights or complaint (Datainspektionen is named only as the
    # supervisor of the law); consent to surveys and newsletters with no withdrawal;
    # transfers outside the EEA with no safeguard; 'skapa en intresseprofil' (profiling)
    # unexplained; 'Amesto Group' without legal form. Present: controller, contact and
    # DPO (the address block), purposes, recipients, retention with a period.
    "003": [("PL104", "legal-basis"), ("PL106", "rights"), ("PL107", "complaint"),
            ("PL109", "transfers"), ("PL111", "automated-decisions"),
            ("PL112", "consent-withdrawal"), ("PL206", "controller")],
}


@pytest.mark.parametrize("how", CONVERTERS)
@pytest.mark.parametrize("stem", sorted(GAPS))
def test_seed_gaps_exactly(stem, how):
    _, diags, _ = lint_seed(stem, how)
    got = sorted((d.rule, d.element) for d in diags if d.rule[:3] in ("PL1", "PL2"))
    assert got == GAPS[stem]


# ---------------------------------------------------------------- 000: AM System (sv)

@pytest.fixture(scope="module", params=CONVERTERS)
def am_system(request):
    return lint_seed("000", request.param)


def test_am_system_language(am_system):
    doc, _, _ = am_system
    assert doc.lang == "sv"


def test_am_system_missing_elements(am_system):
    _, diags, _ = am_system
    # Never says who is personuppgiftsansvarig; 'AM System' is a brand without a legal
    # form, and customer data is said to be controlled by the customer.
    # No rättslig grund, no lagringstid, rights only as 'valmöjligheter' (cookies,
    # unsubscribing), no word on complaining to IMY.
    for kind in ("controller", "legal-basis", "retention", "rights", "complaint"):
        assert kind in missing(diags), (kind, sorted(missing(diags)))
    # 'Hur vi använder informationen om dig' and info@amsystem.com are there;
    # 'Delning och avslöjande av data' lists who gets data.
    for kind in ("purposes", "contact", "recipients", "dpo", "transfers", "automated-decisions"):
        assert kind not in missing(diags), (kind, [d.message for d in diags if d.element == kind])
    # No rights at all: one PL106, not six PL201s.
    assert "PL201" not in codes(diags)


def test_am_system_consent_without_withdrawal(am_system):
    # 'Om du ger ditt tillstånd till det samlar vi in kontaktinformation', 'GPS-lokalisering
    # samlas bara in med ditt tillstånd': consent, and nothing on withdrawing it
    # (unsubscribing from newsletters is not that).
    _, diags, md = am_system
    found = [d for d in diags if d.rule == "PL112"]
    assert len(found) == 1 and "ditt tillstånd" in found[0].message


def test_am_system_hygiene(am_system):
    _, diags, md = am_system
    unfair = [d for d in diags if d.rule == "PL306"]
    assert len(unfair) == 1, [d.message for d in unfair]
    assert "fortsätta" in unfair[0].message.lower()
    # The changes section only promises a note 'på den här sidan'.
    assert [d.rule for d in diags].count("PL307") == 1
    # 'AM System kan få tillgång till och använda kunddatan.'
    vague = [line_of(md, d) for d in diags if d.rule == "PL301"]
    assert any("AM System kan få tillgång till och använda kunddatan" in ln for ln in vague), vague
    assert not {"PL302", "PL303", "PL304", "PL305"} & set(codes(diags))


def test_am_system_vague_purposes_in_the_list():
    # The importer keeps the bullets as list items, so each hedged purpose is its own
    # finding: 'Vi kan också kommunicera med dig …', 'Vi kan behöva kontakta dig …'.
    _, diags, md = lint_seed("000", "importer")
    vague = [line_of(md, d) for d in diags if d.rule == "PL301"]
    assert any("Vi kan också kommunicera med dig" in ln for ln in vague), vague
    assert any("Vi kan behöva kontakta dig" in ln for ln in vague), vague


def test_am_system_no_vague_finding_for_ability():
    # '- Förstå och förbättra våra tjänster. Vi undersöker och analyserar trender för att få
    # en bättre förståelse för hur våra användare använder tjänsterna och hur vi kan
    # förbättra dem.' says definitely what is done.
    _, diags, md = lint_seed("000", "importer")
    vague = [line_of(md, d) for d in diags if d.rule == "PL301"]
    assert not any("Förstå och förbättra våra tjänster" in ln for ln in vague), vague


def test_am_system_contact_is_reachable(am_system):
    _, diags, md = am_system
    assert "info@amsystem.com" in md
    assert "PL205" not in codes(diags) and "PL102" not in codes(diags)


# ---------------------------------------------------------------- 001: AMCS (da)

@pytest.fixture(scope="module", params=CONVERTERS)
def amcs(request):
    return lint_seed("001", request.param)


def test_amcs_language(amcs):
    assert amcs[0].lang == "da"


def test_amcs_scraper_residue_each_occurrence(amcs):
    _, diags, md = amcs
    residue = [d for d in diags if d.rule == "PL303"]
    assert len(residue) == 3, [d.message for d in residue]
    assert len({d.line for d in residue}) == 3
    assert all("[email protected]" in line_of(md, d) for d in residue)


def test_amcs_contact_only_residue(amcs):
    # 'Kontakt os' ends '… til AMCS Group på [email protected]': no way to reach them.
    # The section exists, so it is PL205 (unreachable), not PL102 (no contact at all).
    _, diags, md = amcs
    found = [d for d in diags if d.rule == "PL205"]
    assert len(found) == 1 and "PL102" not in codes(diags)
    assert "Kontakt os" in found[0].message and "[email protected]" in found[0].message
    assert line_of(md, found[0]).lstrip("# ").startswith("Kontakt os")


def test_amcs_retention_criteria_only(amcs):
    # 'så længe din konto er aktiv' and 'i en rimelig periode derefter': no period.
    _, diags, _ = amcs
    assert "retention" not in missing(diags)
    assert "PL202" not in codes(diags)
    vague = [d for d in diags if d.rule == "PL203"]
    assert len(vague) == 1
    assert re.search(r"så længe|rimelig", vague[0].message)


def test_amcs_rights_partial(amcs):
    # 'Dine valg': a copy (access), indsigelse (objection), sletning (erasure).
    _, diags, md = amcs
    assert "rights" not in missing(diags)
    assert elements(diags, "PL201") == {"right-rectification", "right-restriction",
                                        "right-portability"}
    # No rights section: the findings point at a right the text does state, not at 1:1.
    lines = {line_of(md, d) for d in diags if d.rule == "PL201"}
    assert len(lines) == 1 and re.search(r"(?i)\bret til", lines.pop()), lines


def test_amcs_complaint_missing(amcs):
    assert "complaint" in missing(amcs[1])


def test_amcs_consent_withdrawal_present(amcs):
    # 'Med dit samtykke' is a basis; 'ret til at ændre mening når som helst' withdraws it.
    _, diags, _ = amcs
    assert "consent-withdrawal" not in missing(diags)


def test_amcs_legal_basis_named(amcs):
    # Decision: 'legitime forretningsinteresser' and 'Med dit samtykke' name Art. 6 bases,
    # so the element is present (not per purpose, which the linter cannot judge).
    assert "legal-basis" not in missing(amcs[1])


def test_amcs_nothing_claimed_that_is_not_there(amcs):
    # No DPO, no transfer outside the EU/EEA and no automated decision is mentioned;
    # 'Tjenesteudbydere', Google and the cloud provider are the recipients.
    _, diags, _ = amcs
    for kind in ("dpo", "transfers", "automated-decisions", "recipients", "purposes"):
        assert kind not in missing(diags), kind
    assert not {"PL305", "PL302", "PL304"} & set(codes(diags))


def test_amcs_changes_notice_good(amcs):
    # '… hvis ændringerne er væsentlige, vil vi sende dig en e-mailnotifikation.'
    _, diags, _ = amcs
    assert "PL307" not in codes(diags)
    # The only PL306 is the take-it-or-leave-it sentence of the same section, 'Hvis du
    # ikke er enig i denne erklæring, må du ikke tilgå eller bruge vores produkter': it
    # turns use into acceptance of the notice, the pattern WP260 para. 29 calls unfair.
    assert [d.message for d in diags if d.rule == "PL306"] == \
        ["unfair change clause 'Hvis du ikke er enig i denne erklæring, må du ikke'"]


def test_amcs_vague_purposes(amcs):
    # 'Nedenfor er de typer af formål, som vi kan bruge de oplysninger …' and 'Vi kan
    # f.eks. offentliggøre udtalelser …' under 'Sådan bruger vi …'.
    _, diags, md = amcs
    vague = [line_of(md, d) for d in diags if d.rule == "PL301"]
    assert any("som vi kan bruge de oplysninger" in ln for ln in vague), vague
    assert any("Vi kan f.eks. offentliggøre udtalelser" in ln for ln in vague), vague


def test_amcs_controller(amcs):
    # 'AMCS Group' only (no legal form, no 'dataansvarlig' statement).
    _, diags, _ = amcs
    assert "controller" in missing(diags) or "PL206" in codes(diags)


# ---------------------------------------------------------------- 003: Amesto (sv)

@pytest.fixture(scope="module", params=CONVERTERS)
def amesto(request):
    return lint_seed("003", request.param)


def test_amesto_outdated_references(amesto):
    # 'regleras i personuppgiftslagen' (repealed 2018), 'Datainspektionen övervakar lagen'
    # (IMY since 2021); 'dataskyddslagen' (2018:218) is current and not reported.
    _, diags, md = amesto
    found = [d for d in diags if d.rule == "PL305"]
    msgs = " ".join(d.message for d in found).lower()
    assert len(found) == 2 and "personuppgiftslagen" in msgs and "datainspektionen" in msgs
    assert "dataskyddslagen" not in msgs


def test_amesto_controller_present_without_legal_form(amesto):
    # 'Amesto Group är personuppgiftsansvarig' — a group name, no AB/AS, no org.nr
    # (whether or not the importer copies it into front matter).
    _, diags, _ = amesto
    assert "controller" not in missing(diags)
    found = [d for d in diags if d.rule == "PL206"]
    assert len(found) == 1 and "Amesto Group" in found[0].message


def test_amesto_contact_and_dpo_at_end_of_links_section(amesto):
    # 'Länkar till andra webbplatser och tjänster' ends with privacy@amesto.no and
    # 'Amesto Group att. dataskyddsombud, Postboks 6395 …, Telefon: +47 …'.
    _, diags, _ = amesto
    assert "contact" not in missing(diags)
    assert "dpo" not in missing(diags)
    assert not {"PL102", "PL110", "PL205"} & set(codes(diags))


def test_amesto_retention_with_period(amesto):
    # 'fakturauppgifter sparas i minst fem år' next to criteria.
    _, diags, _ = amesto
    assert "retention" not in missing(diags)
    assert "PL202" not in codes(diags) and "PL203" not in codes(diags)


def test_amesto_transfers_without_safeguards(amesto):
    # 'överför personuppgifter till länder utanför EES …' with no SCCs or adequacy.
    _, diags, _ = amesto
    t = [d for d in diags if d.rule == "PL109"]
    assert len(t) == 1 and "EES" in t[0].message
    assert "recipients" not in missing(diags)


def test_amesto_consent_without_withdrawal(amesto):
    # 'Vi sparar de uppgifter som du lämnar i samband med att du samtycker till att (i)
    # delta i … undersökningar …, (ii) ta emot nyhetsbrev …': nothing on withdrawing it.
    _, diags, md = amesto
    found = [d for d in diags if d.rule == "PL112"]
    assert len(found) == 1 and "du samtycker till att" in line_of(md, found[0])


def test_amesto_profiling_unexplained(amesto):
    # '… behandlar vi dessa för att hantera din förfrågan samt för att skapa en
    # intresseprofil.' An interest profile is profiling (Art. 4(4)); a warning.
    _, diags, _ = amesto
    found = [d for d in diags if d.rule == "PL111"]
    assert len(found) == 1 and "intresseprofil" in found[0].message
    assert found[0].severity == "warning"


def test_amesto_missing(amesto):
    _, diags, _ = amesto
    for kind in ("rights", "complaint", "legal-basis"):
        assert kind in missing(diags), kind
    assert "purposes" not in missing(diags)
    # The supervisory authority is named, but not as a place to complain: no PL204.
    assert "PL204" not in codes(diags)
    assert not {"PL306", "PL307", "PL303"} & set(codes(diags))


@pytest.mark.parametrize("how", CONVERTERS)
def test_seeds_no_false_placeholders(how):
    for stem in ("000", "001", "003"):
        _, diags, _ = lint_seed(stem, how)
        assert "PL302" not in codes(diags), [d.message for d in diags if d.rule == "PL302"]
        assert "PL304" not in codes(diags), [d.message for d in diags if d.rule == "PL304"]
