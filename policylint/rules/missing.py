"""PL1xx: information Art. 13/14 GDPR requires that the policy does not give at all.

An element counts as present when a section of that kind exists (tag or recognised
heading), when the vocabulary recognises it in body text anywhere (the complaint right
inside the rights section, contact details at the end of another section), or when the
front matter supplies it. The rules report what is really missing, not what is merely
untagged; PL404 nudges towards tags separately.
"""
from __future__ import annotations

from typing import Iterator

from . import Finding, rule
from ._common import (AUTHORITY, EXAMPLE_DOMAIN, FORM_URL, emails, form_urls, negated, phones,
                      postal, sentence_at)
from ..lint import Context, Hit, quote

#: English fallbacks for fix hints when the language file has no heading for a kind.
_HEADINGS = {
    "controller": "Who is responsible for your data", "contact": "How to contact us",
    "dpo": "Data protection officer", "purposes": "What we use your data for",
    "legal-basis": "Legal basis", "recipients": "Who we share your data with",
    "transfers": "Transfers outside the EU/EEA", "retention": "How long we keep your data",
    "rights": "Your rights", "consent-withdrawal": "Withdrawing consent",
    "complaint": "Complaints", "automated-decisions": "Automated decisions and profiling",
    "security": "Security", "cookies": "Cookies", "children": "Children",
    "changes": "Changes to this policy", "data-categories": "What data we collect",
    "sources": "Where we get your data from",
}


def suggest(ctx: Context, kind: str) -> str:
    """`## Hur länge {#retention}` in the policy's language when its vocabulary has a plain
    heading for the kind (the first pattern without wildcards), else English."""
    heading = None
    try:
        from .. import vocab
        v = vocab.vocabulary(ctx.lang) if ctx.lang else None
        for pat in (v.headings.get(kind, []) if v is not None else []):
            if isinstance(pat, str) and pat.strip() and not any(c in pat for c in "*|^$…") \
                    and "..." not in pat:
                heading = pat.strip()
                break
    except Exception:   # noqa: BLE001 - a hint must never break linting
        heading = None
    if heading:
        heading = heading[:1].upper() + heading[1:]
    return f"## {heading or _HEADINGS.get(kind, kind)} {{#{kind}}}"


def _missing(ctx: Context, kind: str, what: str, article: str) -> Iterator[Finding]:
    if kind in ctx.required() and not ctx.has(kind):
        yield Finding(f"no {what} ({article})", element=kind,
                      fix=f"add a section such as `{suggest(ctx, kind)}`")


def _first_live(ctx: Context, hits: list[Hit]) -> Hit | None:
    """The first hit whose sentence does not deny it (`we do not transfer…`)."""
    for h in hits:
        if not negated(h.unit.text, h.start, h.end):
            return h
    return None


# ------------------------------------------------------------------ always required

@rule("PL101", "missing-controller", "error", "controller",
      summary="The policy says who the controller is.",
      rationale="Art. 13(1)(a) and 14(1)(a) GDPR: the identity of the controller (and of "
                "its representative, where there is one) must be given. A brand or product "
                "name is not enough; WP260 para. 36 puts the controller's identity in the "
                "first layer of every notice.",
      fix="add a controller section naming the legal entity, e.g. `## Personuppgiftsansvarig "
          "{#controller}` with 'Exempel AB, org.nr …, är personuppgiftsansvarig', or a "
          "front matter `controller:`")
def missing_controller(ctx: Context) -> Iterator[Finding]:
    yield from _missing(ctx, "controller", "statement of who the controller is",
                        "Art. 13(1)(a)")


@rule("PL102", "missing-contact", "error", "contact",
      summary="The policy gives the controller's contact details.",
      rationale="Art. 13(1)(a) and 14(1)(a) GDPR require the controller's contact details "
                "alongside its identity, so that people can ask questions and exercise "
                "their rights (Art. 12(2)).",
      fix="add a contact section with an email address, phone number, postal address or "
          "web form, or a front matter `contact:`")
def missing_contact(ctx: Context) -> Iterator[Finding]:
    if "contact" not in ctx.required() or ctx.fm("contact"):
        return
    if ctx.of_kind("contact") or ctx.hits("contact") or contact_means(ctx):
        return   # an unreachable contact section is PL205's business
    yield Finding("no contact details for the controller: no email address, phone number, "
                  "postal address or web form (Art. 13(1)(a))", element="contact",
                  fix=f"add a section such as `{suggest(ctx, 'contact')}` with an email "
                      "address, phone number, postal address or web form")


def contact_means(ctx: Context) -> bool:
    """Whether the body gives an email, phone, postal address or form anywhere outside
    complaint sections (the supervisory authority's address is not the controller's).
    Each means is looked for in every unit before the next, costlier one."""
    key = ("contact-means",)
    if key not in ctx._cache:
        complaint = [(s.span.line, s.end_line) for s in ctx.of_kind("complaint")]
        units = [u for u in ctx.body_units() if not any(a <= u.line <= b for a, b in complaint)]
        ctx._cache[key] = any(any(map(test, units)) for test in _MEANS)
    return ctx._cache[key]


def _reachable_unit(unit) -> bool:
    """Like ``reachable`` but trusting the facts the parser already extracted."""
    return any(test(unit) for test in _MEANS)


def _email(unit) -> bool:
    facts = getattr(unit.block, "facts", None)
    if facts is None:
        return "@" in unit.text and bool(emails(unit.text))
    return any(not EXAMPLE_DOMAIN.search(e) for e in facts.emails)


def _form(unit) -> bool:
    facts = getattr(unit.block, "facts", None)
    if facts is None:
        return ("http" in unit.text or "www." in unit.text) and bool(form_urls(unit.text))
    return any(FORM_URL.search(x) for x in facts.urls)


def _phone(unit) -> bool:
    facts = getattr(unit.block, "facts", None)
    return bool(phones(unit.text) if facts is None else facts.phones)


def _postal(unit) -> bool:
    return bool(postal(unit.text))


#: the ways to reach someone, cheapest to look for first
_MEANS = (_email, _form, _phone, _postal)


@rule("PL103", "missing-purposes", "error", "purposes",
      summary="The policy says what personal data is used for.",
      rationale="Art. 13(1)(c) and 14(1)(c) GDPR: the purposes of the processing must be "
                "given; WP260 para. 36 lists them first among the information every "
                "notice must lead with.",
      fix="add a purposes section listing each purpose of the processing")
def missing_purposes(ctx: Context) -> Iterator[Finding]:
    yield from _missing(ctx, "purposes", "statement of the purposes of processing",
                        "Art. 13(1)(c)")


@rule("PL104", "missing-legal-basis", "error", "legal-basis",
      summary="The policy gives the legal basis of the processing.",
      rationale="Art. 13(1)(c) and 14(1)(c) GDPR require the legal basis (Art. 6(1): "
                "consent, contract, legal obligation, vital interests, public task or "
                "legitimate interests) for each purpose, not only the purpose itself.",
      fix="add a legal basis section, or state the basis next to each purpose (e.g. "
          "'the legal basis is performance of our contract with you')")
def missing_legal_basis(ctx: Context) -> Iterator[Finding]:
    if "legal-basis" not in ctx.required() or ctx.of_kind("legal-basis"):
        return
    # 'kept to fulfil legal obligations' in a retention section explains the period,
    # not the basis of the processing (the Amesto seed).
    retention = [(s.span.line, s.end_line) for s in ctx.of_kind("retention")]
    if any(not any(a <= h.unit.line <= b for a, b in retention) for h in ctx.hits("legal-basis")):
        return
    yield Finding("no legal basis for the processing (Art. 13(1)(c))", element="legal-basis",
                  fix=f"add a section such as `{suggest(ctx, 'legal-basis')}`, or state the "
                      "basis next to each purpose")


@rule("PL105", "missing-retention", "error", "retention",
      summary="The policy says how long personal data is kept.",
      rationale="Art. 13(2)(a) and 14(2)(a) GDPR: the storage period must be given or, "
                "where that is not possible, the criteria used to determine it.",
      fix="add a retention section with a period per kind of data (e.g. 'Invoices: 7 "
          "years (Bookkeeping Act)') or the criteria that determine it")
def missing_retention(ctx: Context) -> Iterator[Finding]:
    if "retention" not in ctx.required() or ctx.of_kind("retention"):
        return
    # A retention phrase only counts when its passage states a period or a criterion:
    # 'vi sparar även e-postmeddelanden' says what is kept, not for how long.
    if any(retention_durations(ctx, h.unit) for h in ctx.hits("retention")):
        return
    yield Finding("no retention period or criteria for personal data (Art. 13(2)(a))",
                  element="retention",
                  fix=f"add a section such as `{suggest(ctx, 'retention')}` giving a period "
                      "per kind of data, or the criteria that determine it")


def retention_durations(ctx: Context, unit) -> tuple:
    """Durations and criteria the parser/extractor found in a unit's block, else in its
    text (remembered: several rules ask about the same units)."""
    key = ("durations", id(unit))
    got = ctx._cache.get(key)
    if got is None:
        facts = getattr(unit.block, "facts", None)
        if facts is not None and facts.durations:
            got = facts.durations
        else:
            from .. import extract
            got = tuple(extract.find_durations(unit.text))
        ctx._cache[key] = got
    return got


@rule("PL106", "missing-rights", "error", "rights",
      summary="The policy tells people their data protection rights.",
      rationale="Art. 13(2)(b) and 14(2)(c) GDPR: the existence of the rights of access, "
                "rectification, erasure, restriction, objection and data portability must "
                "be stated; WP260 para. 36 puts them in the first layer of a notice.",
      fix="add a rights section describing access, rectification, erasure, restriction, "
          "objection and portability and how to exercise them")
def missing_rights(ctx: Context) -> Iterator[Finding]:
    if "rights" not in ctx.required() or rights_stated(ctx):
        return
    yield Finding("no statement of the data subject's rights (access, rectification, "
                  "erasure, restriction, objection, portability) (Art. 13(2)(b))",
                  element="rights",
                  fix=f"add a section such as `{suggest(ctx, 'rights')}` describing each "
                      "right and how to exercise it")


def rights_stated(ctx: Context) -> bool:
    """A rights section, or at least two of the six rights in the text. One stray verb
    ('radera' in 'lagra, dela, modifiera, radera och bibehålla data') is not a statement
    of rights; PL201 names the rights left out of a real one."""
    return bool(ctx.of_kind("rights")) or sum(1 for r in RIGHTS if ctx.hits(r)) >= 2


RIGHTS = ("right-access", "right-rectification", "right-erasure", "right-restriction",
          "right-objection", "right-portability")


@rule("PL107", "missing-complaint", "error", "complaint",
      summary="The policy tells people they may complain to a supervisory authority.",
      rationale="Art. 13(2)(d) and 14(2)(e) GDPR: the right to lodge a complaint with a "
                "supervisory authority must be stated (Art. 77 lets people choose the "
                "authority of their residence, work or the infringement, so a generic "
                "'supervisory authority' satisfies it; naming the national one helps).",
      fix="state the right to complain and name the authority, e.g. Integritetsskyddsmyndigheten "
          "(IMY), Datatilsynet, Tietosuojavaltuutetun toimisto, CNIL; or set front matter `authority:`")
def missing_complaint(ctx: Context) -> Iterator[Finding]:
    if "complaint" not in ctx.required() or ctx.of_kind("complaint") or ctx.fm("authority"):
        return
    if complaint_statements(ctx):
        return
    yield Finding("no statement of the right to lodge a complaint with a supervisory "
                  "authority (Art. 13(2)(d))", element="complaint",
                  fix=f"add a section such as `{suggest(ctx, 'complaint')}` naming the "
                      "authority, or set front matter `authority:`")


def complaint_statements(ctx: Context) -> list[Hit]:
    """Complaint phrases that state the right. An authority named on its own
    ('Datainspektionen övervakar lagen') is not a statement of the right to complain to it."""
    return [h for h in ctx.hits("complaint") if not AUTHORITY.fullmatch(h.text.strip())]


# ------------------------------------------------------------------ conditional

@rule("PL108", "missing-recipients", "error", "recipients",
      summary="A policy that shares personal data says with whom.",
      rationale="Art. 13(1)(e) and 14(1)(e) GDPR: the recipients or categories of "
                "recipients must be given where data is disclosed; WP260 para. 30 treats "
                "enlarging them as a fundamental change.",
      fix="add a recipients section naming the recipients or their categories (processors, "
          "payment providers, group companies, authorities…)")
def missing_recipients(ctx: Context) -> Iterator[Finding]:
    if ctx.has("recipients"):
        return
    if "recipients" in ctx.required():
        yield Finding("no statement of the recipients of personal data (Art. 13(1)(e))",
                      element="recipients",
                      fix=f"add a section such as `{suggest(ctx, 'recipients')}`")
        return
    h = _first_live(ctx, ctx.hits("sharing"))
    if h is not None:
        yield ctx.finding(h, f"the policy mentions sharing personal data ({quote(h.text)}) "
                             "but never says with whom (Art. 13(1)(e))", element="recipients",
                          fix=f"add a section such as `{suggest(ctx, 'recipients')}` naming "
                              "the recipients or their categories")


@rule("PL109", "missing-transfers", "error", "transfers",
      summary="Transfers outside the EU/EEA come with their safeguards.",
      rationale="Art. 13(1)(f) and 14(1)(f) GDPR: where data goes to a third country the "
                "policy must say so, whether an adequacy decision exists or which "
                "safeguards (Art. 46 standard contractual clauses, binding corporate rules) "
                "apply and how to obtain a copy. WP260 para. 30 treats new transfers as a "
                "fundamental change.",
      fix="add a transfers section naming the countries, the adequacy decision or "
          "safeguards (e.g. the EU standard contractual clauses) and how to get a copy")
def missing_transfers(ctx: Context) -> Iterator[Finding]:
    if ctx.of_kind("transfers") or ctx.hits("transfer-safeguards"):
        return
    if "transfers" in ctx.required() and not ctx.hits("transfers"):
        yield Finding("no statement on transfers outside the EU/EEA (Art. 13(1)(f))",
                      element="transfers", fix=f"add a section such as `{suggest(ctx, 'transfers')}`")
        return
    h = _first_live(ctx, ctx.hits("transfers"))
    if h is not None:
        yield ctx.finding(h, f"transfers outside the EU/EEA are mentioned ({quote(h.text)}) "
                             "but no adequacy decision or safeguard is named (Art. 13(1)(f))",
                          element="transfers")


@rule("PL110", "missing-dpo", "error", "dpo",
      summary="A data protection officer that exists is reachable.",
      rationale="Art. 13(1)(b) and 14(1)(b) GDPR: where a data protection officer is "
                "designated, the policy must give the DPO's contact details.",
      fix="add a DPO section (`{#dpo}`) with the officer's email or postal address, or a "
          "front matter `dpo:`")
def missing_dpo(ctx: Context) -> Iterator[Finding]:
    if ctx.of_kind("dpo") or ctx.fm("dpo"):
        return
    if "dpo" in ctx.required() and not ctx.hits("dpo"):
        yield Finding("no contact details for the data protection officer (Art. 13(1)(b))",
                      element="dpo", fix=f"add a section such as `{suggest(ctx, 'dpo')}`")
        return
    hits = [h for h in ctx.hits("dpo") if not negated(h.unit.text, h.start, h.end)]
    if not hits:
        return
    for h in hits:
        if _reachable_near(ctx, h):
            return
    h = hits[0]
    yield ctx.finding(h, f"a data protection officer is mentioned ({quote(h.text)}) but no "
                         "contact details for the officer are given (Art. 13(1)(b))")


def _reachable_near(ctx: Context, hit: Hit) -> bool:
    """Contact details in the mention's unit or the units after it, up to the next heading
    (an address is often one short paragraph per line)."""
    units = ctx.units
    i = ctx.unit_index(hit.unit)
    for u in units[i:i + 12]:
        if u.section is not hit.unit.section or (u.heading and u is not hit.unit):
            break
        if _reachable_unit(u):
            return True
    return False


@rule("PL111", "missing-automated-decisions", "warning", "automated-decisions",
      summary="Automated decisions or profiling that are mentioned are explained.",
      rationale="Art. 13(2)(f) and 14(2)(g) GDPR: the existence of automated "
                "decision-making including profiling (Art. 22(1),(4)) must be stated with "
                "meaningful information about the logic involved and its significance and "
                "envisaged consequences. A warning, not an error: a mention of profiling "
                "does not prove an Art. 22 decision.",
      fix="add an automated decisions section explaining the logic, significance and "
          "consequences, or say plainly that no such decisions are made")
def missing_automated_decisions(ctx: Context) -> Iterator[Finding]:
    if ctx.of_kind("automated-decisions"):
        return
    if "automated-decisions" in ctx.required() and not ctx.hits("automated-decisions"):
        yield Finding("no statement on automated decision-making or profiling (Art. 13(2)(f))",
                      element="automated-decisions",
                      fix=f"add a section such as `{suggest(ctx, 'automated-decisions')}`")
        return
    rights = [(s.span.line, s.end_line) for s in ctx.of_kind("rights")]
    hits = [h for h in ctx.hits("automated-decisions")
            if not any(a <= h.unit.line <= b for a, b in rights)      # the right, not the practice
            and not _denied_in_unit(ctx, h.unit, "automated-decisions")]
    h = _first_live(ctx, hits)
    if h is not None:
        yield ctx.finding(h, f"automated decision-making or profiling is mentioned "
                             f"({quote(h.text)}) without explaining the logic, significance "
                             "and consequences (Art. 13(2)(f))")


def _denied_in_unit(ctx: Context, unit, element: str) -> bool:
    """'Mistral AI does not engage in profiling': a denial anywhere in the passage settles it."""
    return any(negated(h.unit.text, h.start, h.end) for h in ctx.hits(element) if h.unit is unit)


@rule("PL112", "missing-consent-withdrawal", "error", "consent-withdrawal",
      summary="Where consent is a legal basis, the policy says it can be withdrawn.",
      rationale="Art. 13(2)(c) and 14(2)(d) GDPR: where processing is based on consent "
                "(Art. 6(1)(a) or 9(2)(a)) the policy must state the right to withdraw it "
                "at any time without affecting the lawfulness of earlier processing "
                "(Art. 7(3)).",
      fix="state that consent can be withdrawn at any time, how, and that withdrawal does "
          "not affect processing before it")
def missing_consent_withdrawal(ctx: Context) -> Iterator[Finding]:
    if ctx.has("consent-withdrawal"):
        return
    if "consent-withdrawal" in ctx.required():
        yield Finding("no statement of the right to withdraw consent (Art. 13(2)(c))",
                      element="consent-withdrawal",
                      fix=f"add a section such as `{suggest(ctx, 'consent-withdrawal')}`")
        return
    h = _first_live(ctx, ctx.hits("consent-basis"))
    if h is not None:
        yield ctx.finding(h, f"consent is used as a legal basis ({quote(sentence_at(h.unit.text, h.start, h.end), 80)}) "
                             "but the right to withdraw it at any time is not stated "
                             "(Art. 13(2)(c))")


@rule("PL113", "missing-section", "error", None,
      summary="Sections the configuration requires are present.",
      rationale="`required-sections` in the configuration adds kinds the organisation "
                "always wants covered (e.g. security, Art. 32, or cookies under the "
                "ePrivacy rules); kinds with their own PL1xx rule are reported there.",
      fix="add the section the message names, tagged with its kind")
def missing_section(ctx: Context) -> Iterator[Finding]:
    own = {"controller", "contact", "purposes", "legal-basis", "retention", "rights",
           "complaint", "recipients", "transfers", "dpo", "automated-decisions",
           "consent-withdrawal"}
    if ctx.config is None or getattr(ctx.config, "required_sections", None) is None:
        return
    for kind in ctx.required():
        if kind not in own and not ctx.has(kind):
            yield Finding(f"no '{kind}' section, which the configuration requires",
                          element=kind, fix=f"add a section such as `{suggest(ctx, kind)}`")
