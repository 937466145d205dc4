"""PL3xx: text that should not be published — leftovers, stale law, vague or unfair wording."""
from __future__ import annotations

import re
from typing import Iterator

from . import Finding, rule
from ._common import EMAIL, EMAILISH, EXAMPLE_DOMAIN, SCRAPER_EMAIL
from ..lint import Context, Hit, effective_date_pair, quote


def _is_residue(text: str) -> bool:
    return bool(SCRAPER_EMAIL.fullmatch(text.strip())) or "email protected" in " ".join(text.lower().split())


def _residue_hits(ctx: Context) -> list[Hit]:
    """`[email protected]` occurrences, from the vocabulary and our own pattern, deduplicated."""
    out: dict[tuple[int, int], Hit] = {}
    for u in ctx.units:
        if "protected" not in u.text.lower():
            continue
        for m in SCRAPER_EMAIL.finditer(u.text):
            out[(id(u), m.start())] = Hit(u, m.start(), m.end())
    return list(out.values())


@rule("PL302", "placeholder", "error", None,
      summary="No template placeholders or drafting notes are left in the text.",
      rationale="Art. 12(1) GDPR requires information in a concise, transparent, "
                "intelligible form; 'TODO', 'lorem ipsum', an example.com address or an "
                "unfilled {{ placeholder }} tells the reader nothing and shows the text was "
                "never finished. Each occurrence is reported.",
      fix="replace the placeholder with the real text")
def placeholder(ctx: Context) -> Iterator[Finding]:
    hits = [h for h in ctx.hygiene("placeholders") if not _is_residue(h.text)]
    # The shapes the dialect defines are checked here too, whatever the language file says.
    for u in ctx.units:
        t = u.text
        if "{{" in t or "TODO" in t or "TBD" in t or "FIXME" in t or "XXX" in t \
                or "orem" in t or "xample." in t:
            hits.extend(Hit(u, m.start(), m.end()) for m in _PLACEHOLDER.finditer(u.text))
    taken: dict[int, list[tuple[int, int]]] = {}
    for h in sorted(hits, key=lambda h: (h.unit.line, h.start, -(h.end - h.start))):
        spans = taken.setdefault(id(h.unit), [])
        if any(s < h.end and h.start < e for s, e in spans):
            continue          # one finding per occurrence, however many patterns match it
        spans.append((h.start, h.end))
        why = f" — {h.message}" if h.message and h.message != h.text else ""
        yield ctx.finding(h, f"placeholder {quote(h.text)} left in the text{why}")


_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}|(?-i:\b(?:TODO|TBD|FIXME|XXX+)\b)|\blorem ipsum\b|"
                          r"[\w.+-]*@(?:[\w-]+\.)*example\.(?:com|org|net)\b|"
                          r"(?<![@\w.-])(?:www\.)?example\.(?:com|org|net)\b", re.I)


@rule("PL303", "scraper-residue", "error", None,
      summary="No '[email protected]' left where a copied web page hid an email address.",
      rationale="Sites obfuscate addresses against spam; copying the page keeps the text "
                "'[email protected]' instead of the address, so the policy no longer gives "
                "the contact details Art. 13(1)(a) and (b) GDPR require.",
      fix="write the real email address in place of '[email protected]'")
def scraper_residue(ctx: Context) -> Iterator[Finding]:
    for h in _residue_hits(ctx):
        yield ctx.finding(h, f"web-scraper residue {quote(h.text)} where an email address should be")


@rule("PL304", "malformed-email", "error", None,
      summary="Email addresses are well formed.",
      rationale="A mistyped address (no domain, two @, a trailing dot in the domain) makes "
                "the contact details of Art. 13(1)(a),(b) GDPR unusable; example.com "
                "addresses are placeholders (PL302).",
      fix="correct the address: name@domain.tld")
def malformed_email(ctx: Context) -> Iterator[Finding]:
    for u in ctx.units:
        if "@" not in u.text:
            continue
        good = [(m.start(), m.end()) for m in EMAIL.finditer(u.text)]
        for m in EMAILISH.finditer(u.text):
            cand = m.group(0).rstrip(".,;:")
            if not cand or cand.startswith("@") and "." not in cand[1:]:
                continue
            s, e = m.start(), m.start() + len(cand)
            if any(gs <= s and e <= ge for gs, ge in good):
                continue
            if any(gs <= s < ge for gs, ge in good) and e > s:
                # the good part is a prefix: `a@b.com.` after rstrip is fine; `a@@b.com` is not
                if cand.count("@") == 1:
                    continue
            if _is_residue(u.text[max(0, s - 2):e + 12]) or cand.lower() in ("email", "e-mail"):
                continue
            if cand.startswith("@") or "@" not in cand:
                continue   # social media handles ('@policylint')
            if EXAMPLE_DOMAIN.search(cand):
                continue
            yield ctx.finding(Hit(u, s, e), f"malformed email address {quote(cand)}")


@rule("PL305", "outdated-reference", "error", None,
      summary="No references to repealed law, renamed authorities or invalid transfer schemes.",
      rationale="A policy citing Directive 95/46/EC, personuppgiftslagen (PUL), "
                "persondataloven, the Norwegian personopplysningsloven of 2000, "
                "Datainspektionen (now IMY), Safe Harbor or the EU-US Privacy Shield "
                "(invalidated in Schrems II, C-311/18) misinforms people about the law and "
                "authority that apply (Art. 12(1), 13(1)(f), 13(2)(d) GDPR).",
      fix="cite the GDPR and the current national act or authority")
def outdated_reference(ctx: Context) -> Iterator[Finding]:
    from ..vocab import hygiene_fixes
    fixes = hygiene_fixes("outdated")
    for h in ctx.hygiene("outdated"):
        why = f" — {h.message}" if h.message and h.message != h.text else ""
        yield ctx.finding(h, f"outdated reference {quote(h.text)}{why}", fix=fixes.get(h.message))


_PURPOSE_KINDS = ("purposes", "legal-basis")
#: 'we' and 'our' in the eight languages: a qualifier is vague when the controller (or its
#: staff) is the subject ('Vi kan komma att…', 'Our editors may…'); 'Du kan när som helst
#: återkalla…' states a right, which is not vagueness.
_WE = frozenset(("vi", "we", "wir", "nous", "wij", "me"))
_WORDS = re.compile(r"[\w'’-]+")
#: Words that make 'we' the subject of a subordinate clause: 'how we can improve them',
#: 'so that we may reply' describe an ability or an aim, not a hedged purpose.
_SUBORDINATE = frozenset(("hur", "att", "så", "hvordan", "at", "hvorfor", "miten",
                          "jotta", "että", "wie", "dass", "damit", "how", "that", "so",
                          "hoe", "dat", "zodat", "comment", "que", "qu", "afin"))
_OUR = frozenset(("our", "vår", "våra", "vårt", "våre", "vores", "vore", "unsere", "unser",
                  "unserer", "notre", "nos", "onze", "ons"))


def _controller_subject(text: str, start: int, end: int) -> bool:
    """'we' right before the qualifier ('Vi kan', 'We may'), 'our <noun>' before it ('Our
    editors may'), 'we' right after it ('kan vi', 'können wir'), or the qualifier is itself
    a first person plural verb (fi 'voimme', fr 'pouvons'). 'information such as', 'Du kan'
    or a subordinate 'how we can improve them' is not the controller hedging its purposes."""
    hit = text[start:end].lower()
    if re.search(r"(?:mme|ons)$", hit) and len(hit) > 4:
        return True
    before = [w.lower() for w in _WORDS.findall(text[max(0, start - 40):start])[-2:]]
    after = [w.lower() for w in _WORDS.findall(text[end:end + 20])[:1]]
    if before and before[-1] in _WE:
        return not (len(before) == 2 and before[0] in _SUBORDINATE)
    if " " in hit.strip():
        return False            # 'such as', 'bland annat': only a lone modal can be hedging
    if len(before) == 2 and before[0] in _OUR:
        return True
    return bool(after) and after[0] in _WE


@rule("PL301", "vague-purpose", "warning", None,
      summary="Purposes are stated definitely, without 'may', 'might', 'some', 'possibly'.",
      rationale="WP260 paras. 12-13: 'We may use your personal data to develop new "
                "services' is poor practice; qualifiers such as 'may', 'might', 'some' and "
                "'possible' leave the purpose open and should be avoided in statements of "
                "purpose (Art. 5(1)(b), 12(1), 13(1)(c) GDPR). Checked in purposes and "
                "legal basis sections only, where the controller ('we') is the subject, one "
                "finding per paragraph or list item.",
      fix="say what you do ('We use your order history to suggest products'), or explain "
          "why the processing is uncertain")
def vague_purpose(ctx: Context) -> Iterator[Finding]:
    ranges = [(s.span.line, s.end_line) for k in _PURPOSE_KINDS for s in ctx.of_kind(k)]
    if not ranges:
        return
    done: set[int] = set()
    for h in sorted(ctx.hygiene("vague", _PURPOSE_KINDS), key=lambda h: (h.unit.line, h.start, h.start - h.end)):
        u = h.unit
        if id(u) in done or u.heading or u.front_key is not None:
            continue
        if not any(a <= u.line <= b for a, b in ranges):
            continue
        if not _controller_subject(u.text, h.start, h.end):
            continue
        done.add(id(u))
        yield ctx.finding(h, f"vague wording {quote(h.text)} in a statement of purpose")


@rule("PL306", "unfair-change-clause", "error", None,
      summary="No 'check this page regularly' or 'continued use means acceptance' clauses.",
      rationale="WP260 para. 29-30: telling people to check the notice regularly for "
                "changes is 'not only insufficient but also unfair in the context of "
                "Article 5.1(a)'; material changes must be brought to their attention "
                "explicitly and effectively, and continued use is not agreement.",
      fix="say how you will notify people of material changes (email, in-app message) and "
          "how far in advance, and drop the clause")
def unfair_change_clause(ctx: Context) -> Iterator[Finding]:
    for h in ctx.hygiene("unfair-change"):
        yield ctx.finding(h, f"unfair change clause {quote(h.text)}")


@rule("PL307", "change-notice-missing", "warning", None,
      summary="The changes section says how people are told of material changes.",
      rationale="WP260 para. 29-30: material changes must be communicated by an "
                "appropriate modality (email, letter, pop-up) devoted to them and well in "
                "advance; a changes section that only says the policy may change does not "
                "tell people how they will learn of it.",
      fix="add how you notify material changes and how far ahead, e.g. 'We email you at "
          "least 30 days before a material change takes effect'")
def change_notice_missing(ctx: Context) -> Iterator[Finding]:
    notices = ctx.hygiene("change-notice", ("changes",))
    for s in ctx.of_kind("changes"):
        if not ctx.section_units(s):
            continue
        if any(s.span.line <= h.unit.line <= s.end_line for h in notices):
            continue
        yield ctx.at_heading(s, f"section {quote(s.heading)} does not say how people are "
                                "told of material changes")


@rule("PL308", "effective-date-missing", "warning", None,
      summary="Front matter gives the date the policy takes effect.",
      rationale="People must be able to tell which version applied when (Art. 5(2) "
                "accountability), and WP260 para. 30 asks that material changes be "
                "announced well before they take effect: that needs an `effective` date.",
      fix="add `effective: YYYY-MM-DD` to the front matter")
def effective_date_missing(ctx: Context) -> Iterator[Finding]:
    fm = ctx.doc.front_matter
    if fm is not None and fm.entry("effective") is not None:
        return
    line = fm.span.line if fm is not None else 1
    yield Finding("front matter has no `effective` date", line, 1)


@rule("PL309", "effective-before-updated", "error", None,
      summary="The effective date is not earlier than the last update.",
      rationale="If the text was changed after the date it claims to take effect, people "
                "were never given the changed version in advance (WP260 para. 30); either "
                "the effective date is stale or the change took effect retroactively.",
      fix="set `effective` to the date the updated text takes effect (on or after `updated`)")
def effective_before_updated(ctx: Context) -> Iterator[Finding]:
    eff, upd = effective_date_pair(ctx.doc)
    if eff and upd and eff < upd:
        e = ctx.doc.front_matter.entry("effective")
        yield Finding(f"effective date {eff.isoformat()} is earlier than updated date "
                      f"{upd.isoformat()}", e.line, 1)
