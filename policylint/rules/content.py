"""PL2xx: elements that are there but say too little to meet Art. 13/14 GDPR."""
from __future__ import annotations

import re
from typing import Iterator

from . import Finding, rule
from ._common import AUTHORITY, ORG_NUMBER, SCRAPER_EMAIL, legal_form_name
from .missing import RIGHTS, complaint_statements, rights_stated, contact_means, retention_durations
from ..lint import Context, Unit, quote

_RIGHT_NAMES = {
    "right-access": "access (Art. 15)", "right-rectification": "rectification (Art. 16)",
    "right-erasure": "erasure (Art. 17)", "right-restriction": "restriction of processing (Art. 18)",
    "right-objection": "objection (Art. 21)", "right-portability": "data portability (Art. 20)",
}


@rule("PL201", "missing-right", "error", "rights",
      summary="The rights statement covers all six rights of Art. 13(2)(b).",
      rationale="Art. 13(2)(b) and 14(2)(c) GDPR name six rights: access, rectification, "
                "erasure, restriction of processing, objection and data portability. A "
                "statement that lists some of them leaves people unaware of the others; "
                "one finding per right left out.",
      fix="add the missing right to the rights section with a sentence on how to use it")
def missing_right(ctx: Context) -> Iterator[Finding]:
    if not rights_stated(ctx):
        return       # nothing about rights at all: PL106 reports that once
    found = {r: ctx.hits(r) for r in RIGHTS}
    sections = ctx.of_kind("rights")
    # No rights section: the rights are stated in passing; point at the first one stated.
    first = None if sections else min((h for hs in found.values() for h in hs),
                                      key=lambda h: (h.unit.line, h.start), default=None)
    for r in RIGHTS:
        if found[r]:
            continue
        msg = f"the rights statement omits the right to {_RIGHT_NAMES[r]} (Art. 13(2)(b))"
        if sections:
            yield ctx.at_heading(sections[0], msg, element=r)
        elif first is not None:
            yield ctx.finding(first, msg, element=r)
        else:
            yield Finding(msg, element=r)


@rule("PL204", "complaint-authority-unnamed", "info", "complaint",
      summary="The complaint statement names the supervisory authority.",
      rationale="Art. 13(2)(d) GDPR requires the right to complain to 'a supervisory "
                "authority'; Art. 77 lets people choose the authority of their residence, "
                "work or the infringement, so a generic reference is lawful. Naming the "
                "lead authority (IMY, Datatilsynet, CNIL…) and how to reach it makes the "
                "right usable.",
      fix="name the supervisory authority and give its address or web site")
def complaint_authority_unnamed(ctx: Context) -> Iterator[Finding]:
    if ctx.fm("authority"):
        return
    sections = ctx.of_kind("complaint")
    statements = complaint_statements(ctx)
    units = [u for s in sections for u in ctx.section_units(s)]
    units += [h.unit for h in statements]
    if not units or any(AUTHORITY.search(u.text) for u in units):
        return
    if sections:
        yield ctx.at_heading(sections[0], f"section {quote(sections[0].heading)} does not "
                                          "name a supervisory authority")
    else:
        h = statements[0]
        yield ctx.finding(h, f"the complaint right ({quote(h.text)}) does not name a "
                             "supervisory authority")


def _retention_units(ctx: Context) -> list[Unit]:
    units: list[Unit] = []
    for s in ctx.of_kind("retention"):
        units.extend(ctx.section_units(s))
    seen = set(map(id, units))
    for h in ctx.hits("retention"):
        if id(h.unit) not in seen:
            seen.add(id(h.unit))
            units.append(h.unit)
    return units


@rule("PL202", "retention-unspecified", "error", "retention",
      summary="A retention section gives a period or the criteria for one.",
      rationale="Art. 13(2)(a) GDPR requires 'the period for which the personal data will "
                "be stored, or if that is not possible, the criteria used to determine that "
                "period'. A retention heading over text with neither says nothing.",
      fix="give a period per kind of data ('Invoices: 7 years') or the criterion that ends "
          "storage ('until you close your account')")
def retention_unspecified(ctx: Context) -> Iterator[Finding]:
    sections = ctx.of_kind("retention")
    if any(retention_durations(ctx, u) for u in _retention_units(ctx)):
        return      # the policy states retention somewhere; 'Storage and processing' may be about where
    for s in sections:
        if any(o is not s and o.span.line < s.span.line <= o.end_line for o in sections):
            continue    # a subsection ('Example of a retention request') of a retention section
        if any(retention_durations(ctx, u) for u in ctx.section_units(s)):
            continue
        if not ctx.section_units(s):
            continue    # empty: PL402
        yield ctx.at_heading(s, f"section {quote(s.heading)} gives neither a retention "
                                "period nor the criteria that determine it (Art. 13(2)(a))")


@rule("PL203", "retention-vague", "warning", "retention",
      summary="Retention is stated as a period, not only as open criteria.",
      rationale="Art. 13(2)(a) GDPR allows criteria only where a period is 'not possible'; "
                "WP260 para. 12 asks for concrete, unambiguous language. 'As long as "
                "necessary' or 'a reasonable period' lets the controller decide later.",
      fix="replace the criterion with a period where one exists (e.g. '3 years after your "
          "last purchase'), and explain why where it does not")
def retention_vague(ctx: Context) -> Iterator[Finding]:
    criteria: list[tuple[Unit, object]] = []
    for u in _retention_units(ctx):
        for d in retention_durations(ctx, u):
            if d.days is not None and not d.criterion:
                return        # a concrete period exists: criteria next to it are fine
            criteria.append((u, d))
    if not criteria:
        return
    u, d = criteria[0]
    others = [c.text for _, c in criteria[1:3] if c.text != d.text]
    more = (" and " + ", ".join(quote(t) for t in others)) if others else ""
    start = u.text.lower().find(d.text.lower())
    from ..lint import Hit
    msg = (f"retention is given only as criteria: {quote(d.text)}{more}, with no period "
           "(Art. 13(2)(a))")
    if start >= 0:
        yield ctx.finding(Hit(u, start, start + len(d.text)), msg)
    else:
        yield ctx.at_unit(u, msg)


@rule("PL205", "contact-unreachable", "error", "contact",
      summary="The contact section gives a way to actually reach the controller.",
      rationale="Art. 13(1)(a) GDPR requires the controller's contact details, and "
                "Art. 12(2) obliges it to facilitate the exercise of rights: a contact "
                "heading without an email address, phone number, postal address or web "
                "form (or with a web-scraper artefact in place of the address) reaches no one.",
      fix="give an email address, phone number, postal address or web form")
def contact_unreachable(ctx: Context) -> Iterator[Finding]:
    if ctx.fm("contact") or contact_means(ctx):
        return
    sections = ctx.of_kind("contact") or ctx.of_kind("controller")
    residue = [u for u in ctx.body_units() if SCRAPER_EMAIL.search(u.text)]
    note = (" ('[email protected]' is what a web scraper leaves of an obfuscated address, "
            "not an address)") if residue else ""
    if sections:
        s = sections[0]
        yield ctx.at_heading(s, f"section {quote(s.heading)} gives no email address, phone "
                                f"number, postal address or web form{note}")
    elif ctx.hits("contact"):
        h = ctx.hits("contact")[0]
        yield ctx.finding(h, f"the policy invites contact ({quote(h.text)}) but gives no "
                             f"email address, phone number, postal address or web form{note}")


_NAME_BEFORE = re.compile(
    r"([A-ZÅÄÖÆØÜ][\w&.'’-]*(?:\s+[A-ZÅÄÖÆØÜ][\w&.'’-]*){0,4})\s+(?:är|is|er|ist|est|on)\b")


def _controller_name(hit) -> str | None:
    """'Amesto Group' from 'Amesto Group är personuppgiftsansvarig'."""
    window = hit.unit.text[max(0, hit.start - 80):hit.end]
    names = [m.group(1) for m in _NAME_BEFORE.finditer(window)]
    names = [n for n in names if n.split()[0].lower() not in _PRONOUNS]
    return names[-1] if names else None


_PRONOUNS = {"vi", "we", "wir", "nous", "me", "wij", "det", "den", "denne", "denna", "dette",
             "this", "it", "der", "die", "das", "som", "which", "who", "vem", "hvem", "the"}


@rule("PL206", "controller-unnamed", "warning", "controller",
      summary="The controller is named as a legal entity.",
      rationale="Art. 13(1)(a) GDPR asks for the controller's identity: the registered "
                "name with its legal form (AB, A/S, AS, Oy, GmbH, SAS, B.V., Ltd…) identifies "
                "the entity responsible, where a brand or group name may cover several.",
      fix="write the registered name with its legal form (and ideally the registration "
          "number), or set front matter `controller:`")
def controller_unnamed(ctx: Context) -> Iterator[Finding]:
    fm = ctx.fm("controller")
    if fm and (legal_form_name(str(fm)) or ORG_NUMBER.search(str(fm))):
        return
    sections = ctx.of_kind("controller")
    hits = ctx.hits("controller")
    if not fm and not sections and not hits:
        return          # PL101
    units: list[Unit] = []
    for s in sections + ctx.of_kind("contact"):
        units.extend(ctx.section_units(s))
    units.extend(h.unit for h in hits)
    units.extend(u for u in ctx.units if u.section is None or u.section.level == 1)
    for u in units:
        if legal_form_name(u.text) or ORG_NUMBER.search(u.text):
            return
    name = next((n for n in map(_controller_name, hits) if n), None)
    if name is None:
        for u in units:
            if u.section is not None and u.section.kind == "controller":
                m = [x.group(1) for x in _NAME_BEFORE.finditer(u.text)
                     if x.group(1).split()[0].lower() not in _PRONOUNS]
                if m:
                    name = m[0]
                    break
    what = f"{quote(name)} is named as controller" if name else "the controller is named"
    msg = f"{what} without a legal form (AB, A/S, AS, Oy, GmbH, SAS, B.V., Ltd…) or registration number"
    if fm:
        entry = ctx.doc.front_matter.entry("controller")
        yield Finding(f"front matter controller {quote(str(fm))} has no legal form (AB, A/S, AS, "
                      "Oy, GmbH, SAS, B.V., Ltd…) and the text gives none", entry.line, 1)
    elif sections:
        yield ctx.at_heading(sections[0], msg)
    else:
        yield ctx.finding(hits[0], msg)
