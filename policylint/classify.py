"""How much a change to a privacy policy matters: material, minor or editorial.

WP260 rev.01 paras 29-31 are the yardstick. A change is *material* when it affects what
happens to people's data or how they can act on it (new purposes, data, recipients or
transfers, longer retention, a different controller or legal basis, a right removed or
made harder to use, automated decisions introduced). Corrections of spelling, style and
formatting are *editorial*. Everything else a reader could act on is *minor*.

This module only looks at two pieces of text and the kind of section they sit in; the
matching of sections and paragraphs is :mod:`policylint.diff`. Keyword tables cover
English, Swedish and Danish (plus a few German/Norwegian stems) and are deliberately
small: a miss here degrades a *material* change to *minor*, never hides the change.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from difflib import SequenceMatcher
from typing import Callable, Iterable

EDITORIAL, MINOR, MATERIAL = "editorial", "minor", "material"
RANK = {EDITORIAL: 0, MINOR: 1, MATERIAL: 2}
CLASSES = (EDITORIAL, MINOR, MATERIAL)

#: Used when no config is given (policylint.config may not be importable in isolation).
DEFAULT_MATERIAL_KINDS = ("purposes", "data-categories", "recipients", "transfers",
                          "automated-decisions", "legal-basis", "controller")
#: Sections whose removal is material when no section of that kind is left (Art. 13(1)-(2)).
DEFAULT_REQUIRED = ("controller", "purposes", "legal-basis", "recipients", "retention",
                    "rights", "complaint")
RIGHTS_KINDS = ("rights", "consent-withdrawal", "complaint")

#: Section kind -> evidence type for text added to a section of that kind.
ADDED_TYPE = {
    "purposes": "purpose-added", "data-categories": "data-category-added",
    "recipients": "recipient-added", "transfers": "transfer-added",
    "automated-decisions": "automated-decisions-introduced",
    "legal-basis": "legal-basis-changed", "controller": "controller-changed",
}
REMOVED_TYPE = {"purposes": "purpose-removed", "recipients": "recipient-removed"}


@dataclass(frozen=True)
class Evidence:
    """One fact behind a classification, structured so a notice can phrase it per language."""
    type: str
    label: str | None
    old: str | None
    new: str | None
    old_days: int | None = None
    new_days: int | None = None


@dataclass(frozen=True)
class Verdict:
    classification: str
    reason: str
    evidence: tuple[Evidence, ...] = ()


def worst(classes: Iterable[str]) -> str:
    out = EDITORIAL
    for c in classes:
        if RANK[c] > RANK[out]:
            out = c
    return out


# ------------------------------------------------------------------ normalising

_NONWORD = re.compile(r"[\W_]+")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


#: norm() of texts seen lately: a paragraph is normalised for matching, then again by
#: each verdict that reads it, and in every version it appears in. Bounded; emptied by
#: :func:`forget`.
_NORMS: dict[str, str] = {}
_NORMS_MAX = 16_000_000      # characters of text kept
_norms_size = 0


def norm(text: str) -> str:
    """What is left when case, punctuation, quotes and spacing stop mattering."""
    if not text:
        return ""
    out = _NORMS.get(text)
    if out is None:
        # Quotes, dashes and other punctuation all become spaces below; no table needed.
        t = (text if text.isascii() else unicodedata.normalize("NFKC", text)).casefold()
        out = _words(t)
        _keep_norm(text, out)
    return out


#: ASCII bytes that are not letters or digits -> space; other bytes kept.
_ASCII_WORD = bytes(b if b >= 128 or chr(b).isalnum() else 32 for b in range(256))
_ASCII = bytes(range(128))


def _words(t: str) -> str:
    """``_NONWORD.sub(" ", t).strip()``, three times faster on a long text.

    ASCII punctuation becomes spaces in one bytes.translate; then each distinct non-ASCII
    character that is not a word character (``[\\W_]`` is exactly ``not ch.isalnum()``)
    is replaced. Policies have few of those: curly quotes, dashes, a no-break space.
    """
    try:
        b = t.encode()
    except UnicodeEncodeError:          # a lone surrogate
        return _NONWORD.sub(" ", t).strip()
    u = b.translate(_ASCII_WORD).decode()
    if not u.isascii():
        for ch in set(b.translate(None, _ASCII).decode()):
            if not ch.isalnum():
                u = u.replace(ch, " ")
    return " ".join(u.split())


def _keep_norm(text: str, out: str) -> None:
    global _norms_size
    _norms_size += len(text)
    if _norms_size > _NORMS_MAX:
        _NORMS.clear()
        _norms_size = len(text)
    _NORMS[text] = out


def remember_norm(text: str, normed: str) -> None:
    """Record ``norm(text)`` worked out from the norms of its parts.

    Every run of non-word characters becomes one space (NFKC and casefold act per
    character, and nothing composes with a newline), so the norm of parts joined by
    newlines is their norms joined by spaces: a section's text made from its units need
    not be normalised a second time.
    """
    if text and text not in _NORMS:
        _keep_norm(text, normed)


def forget() -> None:
    """Empty this module's memos of texts (a benchmark's cold run starts from nothing)."""
    global _norms_size
    _NORMS.clear()
    _norms_size = 0
    for memo in (_padded, _positive_hits, _transfer_hits):
        memo.cache_clear()
    _SPACED.clear()         # holds the subsets of tables that texts turned out to mention


def sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENTENCE.split(text)) if s]


def short(text: str | None, limit: int = 60) -> str:
    """The text on one line, cut to ``limit``. Only as much of it is read as that needs
    (a reason quoting a section added whole must not split all of its text)."""
    text = text or ""
    n = 4 * limit
    t = " ".join(text[:n].split())
    while len(t) <= limit and n < len(text):
        n *= 4
        t = " ".join(text[:n].split())
    return t if len(t) <= limit else t[:limit - 1].rstrip() + "…"


def edit_distance(a: str, b: str, cap: int = 3) -> int:
    """Levenshtein distance, giving up (returning cap) once it reaches ``cap``."""
    if abs(len(a) - len(b)) >= cap:
        return cap
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        best = i
        for j, cb in enumerate(b, 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            cur.append(v)
            best = min(best, v)
        if best >= cap:
            return cap
        prev = cur
    return min(prev[-1], cap)


_NEGATIONS = frozenset("not no never none without nor inte ej aldrig ingen inga inget icke ikke "
                       "aldri ingen intet nicht kein keine niemals nie".split())


_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec januari februari mars maj juni juli augusti "
    "oktober marts august januar februar juni juli oktober updated effective last version "
    "senast uppdaterad uppdaterad gäller från sidst opdateret opdateret gældende".split())


def date_only(old_words: tuple[str, ...], new_words: tuple[str, ...]) -> bool:
    """Only dates, numbers and 'last updated' words differ ('Last updated: May 1, 2026')."""
    sm = SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, a, b, c, d in sm.get_opcodes():
        if tag != "equal" and not all(w.isdigit() or w in _DATE_WORDS
                                      for w in (*old_words[a:b], *new_words[c:d])):
            return False
    return True


def is_typo(a: str, b: str) -> bool:
    """A misspelling fixed: one or two letters in a longer word, no digits, no negation."""
    if a == b:
        return True
    if any(ch.isdigit() for ch in a + b) or a in _NEGATIONS or b in _NEGATIONS:
        return False
    n = min(len(a), len(b))
    if n < 4:
        return False
    return edit_distance(a, b) <= (1 if n <= 6 else 2)


def typo_only(old_words: tuple[str, ...], new_words: tuple[str, ...]) -> list[tuple[str, str]] | None:
    """The (old, new) word pairs if the only differences are typo-size, else None."""
    if len(old_words) != len(new_words):
        return None
    fixes = [(a, b) for a, b in zip(old_words, new_words) if a != b]
    if len(fixes) > max(2, len(old_words) // 8):
        return None
    return fixes if all(is_typo(a, b) for a, b in fixes) else None


def _added_sentences(old: str, new: str) -> list[str]:
    """Sentences of ``new`` with no close counterpart in ``old`` (at least 3 words)."""
    olds = [norm(s).split() for s in sentences(old)]
    out = []
    for s in sentences(new):
        w = norm(s).split()
        if len(w) < 3:
            continue
        best = 0.0
        for o in olds:
            sm = SequenceMatcher(None, o, w, autojunk=False)
            if sm.real_quick_ratio() > best and sm.quick_ratio() > best:
                best = max(best, sm.ratio())
            if best >= 0.6:
                break
        if best < 0.6:
            out.append(s)
    return out


# ------------------------------------------------------------------ keyword tables

def _stems(*words: str) -> tuple[str, ...]:
    return tuple(norm(w) for w in words)


RIGHTS: dict[str, tuple[str, ...]] = {
    "access": _stems("right of access", "right to access", "access to your", "access your",
                     "copy of your", "tillgång till", "registerutdrag", "indsigt", "innsyn",
                     "auskunft"),
    "rectification": _stems("rectif", "correct", "rätta", "rättelse", "rättade", "berigtig",
                            "rette", "retting", "berichtig"),
    "erasure": _stems("erasure", "erase", "delete", "deletion", "forgotten", "radera",
                      "radering", "raderade", "glömd", "slette", "sletning", "slettet",
                      "löschung"),
    "restriction": _stems("restrict", "begränsa", "begränsning", "begrænse", "begrænsning",
                          "begrense", "einschränkung"),
    "objection": _stems("object to", "objection", "right to object", "invända", "invändning",
                        "indsigelse", "protestere", "widerspruch"),
    "portability": _stems("portab", "machine readable", "maskinläsbar", "dataportabilitet",
                          "maskinlæsbar", "overføre dine"),
    "withdraw-consent": _stems("withdraw", "återkalla", "tilbagekalde", "trekke tilbake",
                               "widerruf"),
    "complaint": _stems("complain", "klagomål", "klaga", "klage", "beschwerde",
                        "supervisory authority", "tillsynsmyndighet", "tilsynsmyndighed",
                        "datatilsynet", "integritetsskyddsmyndigheten"),
}
RIGHT_NAMES = {"access": "right of access", "rectification": "right to rectification",
               "erasure": "right to erasure", "restriction": "right to restriction",
               "objection": "right to object", "portability": "right to data portability",
               "withdraw-consent": "right to withdraw consent",
               "complaint": "right to lodge a complaint"}

BURDENS = _stems("in writing", "by post", "by letter", "by mail", "postal", "fee", "charge",
                 "notar", "certified", "in person", "proof of identity", "passport",
                 "identity document", "only by", "only via", "only through",
                 "skriftligen", "skriftlig", "per brev", "med post", "brevledes", "avgift",
                 "vidimerad", "personligen", "legitimation", "id handling", "endast",
                 "skriftligt", "pr brev", "med posten", "gebyr", "personligt", "kun ved",
                 "kun via", "udelukkende", "bestyrket", "schriftlich", "gebühr")

#: Phrases that speak of a third-country transfer by themselves.
TRANSFERS = _stems("third country", "third countries", "outside the eu", "outside the eea",
                   "outside the european", "standard contractual clauses",
                   "data privacy framework", "adequacy decision", "tredje land", "tredjeland",
                   "utanför eu", "utanför ees", "utanför europa", "standardavtalsklausul",
                   "uden for eu", "uden for eøs", "uden for europa", "standardkontraktbestemmelse",
                   "utenfor eu", "utenfor eøs", "drittland", "außerhalb der eu")
#: Countries count only in a sentence about storing or transferring data there
#: ('Additional disclosures for U.S. users' is not a transfer).
COUNTRIES: dict[str, tuple[str, ...]] = {
    "United States": _stems("united states", "usa", "u s a", "u s"),
    "China": _stems("china", "kina", "people's republic"),
    "India": _stems("india", "indien"),
}
TRANSFER_CONTEXT = _stems("transfer", "stored in", "store", "storage", "processed", "process",
                          "server", "hosted", "host", "located", "data centre", "data center",
                          "överför", "lagras", "lagrar", "lagring", "behandlas", "server",
                          "overfør", "opbevar", "behandles", "lagres", "gespeichert", "übermittel")

ADM = _stems("automated decision", "automated individual decision", "automatically decide",
             "profiling", "automatiserat beslut", "automatiserade beslut", "automatiska beslut",
             "profilering", "automatiske afgørelser", "automatisk afgørelse",
             "automatiserede afgørelser", "automatiserte avgjørelser", "automatisierte entscheidung")

BASES: dict[str, tuple[str, ...]] = {
    "consent": _stems("consent", "samtycke", "samtykke", "einwilligung"),
    "contract": _stems("contract", "avtal", "kontrakt", "aftale", "vertrag"),
    "legal obligation": _stems("legal obligation", "rättslig förpliktelse", "rättsliga förpliktelse",
                               "bokföringslag", "retlig forpligtelse", "bogføringslov",
                               "rettslig forpliktelse", "rechtliche verpflichtung"),
    "vital interests": _stems("vital interest", "grundläggande intresse", "vitale interesse"),
    "public task": _stems("public interest", "public task", "allmänt intresse",
                          "myndighetsutövning", "offentlig myndighedsudøvelse",
                          "samfundets interesse"),
    "legitimate interests": _stems("legitimate interest", "berättigat intresse",
                                   "berättigade intressen", "legitim interesse",
                                   "legitime interesse", "berechtigtes interesse",
                                   "berechtigten interesse"),
}
# '6' first, then the word boundary before it as a lookbehind: a literal first lets the
# regex engine skip ahead to each '6' (fifty times faster on a long section).
_ART6 = re.compile(r"6(?<!\w6)\s*(?:\.|\(|\s)\s*1\s*\)?\s*\.?\s*\(?\s*([a-f])\b")
_ART6_BASE = {"a": "consent", "b": "contract", "c": "legal obligation", "d": "vital interests",
              "e": "public task", "f": "legitimate interests"}

_ORG = re.compile(
    r"((?:[A-ZÅÄÖÆØÜ0-9][\w&'’.\-]*\s+){0,5}?(?:[A-ZÅÄÖÆØÜ][\w&'’.\-]*)\s*,?\s+"
    r"(?:AB|A/S|ApS|AS|ASA|Oy|Oyj|GmbH|AG|SE|KG|Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|Corp\.?"
    r"|Corporation|plc|PLC|S\.A\.|SA|SAS|S\.à r\.l\.|B\.V\.|BV|N\.V\.|K/S|I/S|P/S|HB|KB))(?![\w/])")


@lru_cache(maxsize=4096)
def _padded(text: str) -> str:
    """Normalised and space-padded, for word-start matching; cached because one text is
    searched for rights, burdens, transfers and automated decisions in turn."""
    return f" {norm(text)} "


_SPACED: dict = {}


def _spaced(stems) -> tuple[tuple[str, str], ...]:
    """(stem, ' stem') pairs of a keyword table, made once per table."""
    key = stems if isinstance(stems, (tuple, frozenset)) else None
    out = _SPACED.get(key) if key is not None else None
    if out is None:
        out = tuple((s, " " + s) for s in stems)
        if key is not None:
            _SPACED[key] = out
    return out


def found(stems: Iterable[str], text: str) -> set[str]:
    """Stems present in text (word-start match, so 'usa' does not hit 'causal')."""
    return found_padded(stems, _padded(text))


def found_padded(stems: Iterable[str], padded: str) -> set[str]:
    """:func:`found` in a text already normalised and space-padded."""
    return {s for s, spaced in _spaced(stems) if spaced in padded}


def _any_in(stems, padded: str) -> bool:
    for _, spaced in _spaced(stems):
        if spaced in padded:
            return True
    return False


def rights_in(text: str) -> set[str]:
    t = _padded(text)
    return {r for r, stems in RIGHTS.items() if _any_in(stems, t)}


def bases_in(text: str) -> set[str]:
    t = _padded(text)
    out = {b for b, stems in BASES.items() if _any_in(stems, t)}
    out.update(_ART6_BASE[m.group(1)] for m in _ART6.finditer(text.casefold()))
    return out


def orgs_in(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for m in _ORG.finditer(text):
        name = " ".join(m.group(1).split()).strip(" ,")
        seen.setdefault(norm(name), name)
    return list(seen.values())


@lru_cache(maxsize=4096)
def _positive_hits(stems: tuple[str, ...], text: str) -> frozenset[str]:
    """Stems mentioned in a sentence that does not negate them ('we do not transfer…').

    Cached: a walk through history meets the same paragraph in version after version.
    A sentence's words are a run of the text's, so it can only mention stems the whole
    text mentions: only those are looked for, and only until all are seen.
    """
    hits: set[str] = set()
    present = tuple(sorted(found(stems, text))) if text else ()
    if not present:
        return frozenset()
    for s in sentences(text):
        if _negated(s):
            continue
        hits |= found(present, s)
        if len(hits) == len(present):
            break
    return frozenset(hits)


def _negated(sentence: str) -> bool:
    return not _NEGATIONS.isdisjoint(norm(sentence).split())


def introduced(stems: tuple[str, ...], old: str, new: str) -> set[str]:
    """Affirmative mentions in ``new`` of a topic ``old`` never mentioned affirmatively."""
    new_hits = _positive_hits(stems, new)
    if not new_hits:
        return set()
    return set() if _positive_hits(stems, old) else set(new_hits)


# ------------------------------------------------------------------ the verdicts

@dataclass(frozen=True)
class Context:
    """What a verdict depends on besides the two texts."""
    kind: str | None
    heading: str
    material_kinds: tuple[str, ...] = DEFAULT_MATERIAL_KINDS
    threshold_days: int = 0
    #: stems -> those the *old* policy mentions anywhere; a topic the old policy already
    #: covered elsewhere is not "introduced" by a paragraph that mentions it again.
    prior: Callable[[tuple[str, ...]], set[str]] | None = None


def _prefix(ctx: Context) -> str:
    """`retention:` for a recognised section, else the section's heading."""
    if ctx.kind:
        return ctx.kind
    return f"'{short(ctx.heading, 40)}'" if ctx.heading and ctx.heading != "(preamble)" else "text"


def _days(durations) -> tuple[int | None, str | None, bool]:
    """Longest fixed period (days, as written) and whether an open-ended criterion is used."""
    best, text, criterion = None, None, False
    for d in durations or ():
        if d.days is None:
            criterion = criterion or bool(getattr(d, "criterion", False))
            if text is None and best is None:
                text = d.text
        elif best is None or d.days > best:
            best, text = d.days, d.text
    return best, text, criterion


_RETENTION_WORDS = _stems("keep", "retain", "retention", "store", "stored", "delete", "spara",
                          "sparar", "lagra", "lagrar", "bevara", "gallra", "radera", "opbevar",
                          "gemme", "gemmer", "slette", "slettes", "oppbevar", "aufbewahr",
                          "speicher")


def retention_verdict(label: str | None, old_durs, new_durs, old_text: str, new_text: str,
                      ctx: Context) -> Verdict | None:
    """Per clause: a lengthened period is material (beyond the threshold), shorter is minor."""
    if ctx.kind != "retention" and not (found(_RETENTION_WORDS, old_text)
                                        and found(_RETENTION_WORDS, new_text)):
        return None
    od, ot, oc = _days(old_durs)
    nd, nt, nc = _days(new_durs)
    lab = label or ctx.heading
    if od is not None and nd is not None and od != nd:
        if nd > od:
            cls = MATERIAL if nd - od > ctx.threshold_days else MINOR
            typ = "retention-lengthened"
        else:
            cls, typ = MINOR, "retention-shortened"
        ev = Evidence(typ, lab, ot, nt, od, nd)
        return Verdict(cls, f"retention: '{lab}' {ot} → {nt}", (ev,))
    if od is not None and nd is None and nc:
        ev = Evidence("retention-lengthened", lab, ot, nt or short(new_text), od, None)
        return Verdict(MATERIAL, f"retention: '{lab}' {ot} → open-ended ({short(nt or new_text, 40)})",
                       (ev,))
    if od is None and oc and nd is not None:
        ev = Evidence("retention-shortened", lab, ot or short(old_text), nt, None, nd)
        return Verdict(MINOR, f"retention: '{lab}' open-ended → {nt}", (ev,))
    return None


def transfer_hits(text: str) -> set[str]:
    """Third-country transfers a text affirms: 'third countries' and/or named countries."""
    return set(_transfer_hits(text)) if text else set()


@lru_cache(maxsize=4096)
def _transfer_hits(text: str) -> frozenset[str]:
    """:func:`transfer_hits`, cached and narrowed like :func:`_positive_hits`."""
    t = _padded(text)
    third = tuple(sorted(found_padded(TRANSFERS, t)))
    countries = {c: tuple(sorted(found_padded(stems, t))) for c, stems in COUNTRIES.items()}
    countries = {c: v for c, v in countries.items() if v}
    context = tuple(sorted(found_padded(TRANSFER_CONTEXT, t))) if countries else ()
    if not context:
        countries = {}
    possible = len(countries) + bool(third)
    if not possible:
        return frozenset()
    hits: set[str] = set()
    for sent in sentences(text):
        if _negated(sent):
            continue
        p = _padded(sent)
        if third and _any_in(third, p):
            hits.add("third countries")
        for country, stems in countries.items():
            if _any_in(stems, p) and _any_in(context, p):
                hits.add(country)
        if len(hits) == possible:
            break
    return frozenset(hits)


def _topic_verdicts(old: str, new: str, ctx: Context, label: str | None) -> list[Verdict]:
    """Transfers and automated decisions introduced anywhere in the policy."""
    out = []
    if "transfers" in ctx.material_kinds:
        hits = transfer_hits(new) - transfer_hits(old)
        if hits and ctx.prior:
            if ctx.prior(TRANSFERS):
                hits.discard("third countries")
            hits = {h for h in hits if h == "third countries" or not ctx.prior(COUNTRIES[h])}
        if hits:
            ev = Evidence("transfer-added", label or ctx.heading, None, short(new, 200))
            out.append(Verdict(MATERIAL, f"transfers: transfer to {', '.join(sorted(hits))} "
                                         "introduced", (ev,)))
    if "automated-decisions" in ctx.material_kinds:
        hits = introduced(ADM, old, new)
        if hits and ctx.prior:
            hits -= ctx.prior(ADM)
        if hits:
            ev = Evidence("automated-decisions-introduced", label or ctx.heading, None,
                          short(new, 200))
            out.append(Verdict(MATERIAL, f"automated-decisions: introduced ({', '.join(sorted(hits))})",
                               (ev,)))
    return out


def _contacts(facts) -> set[str]:
    if not facts:
        return set()
    return {x.casefold() for x in (*facts.emails, *facts.phones, *facts.urls)}


def _rights_verdicts(old: str, new: str, ctx: Context, section_new: str | None,
                     old_facts, new_facts) -> list[Verdict]:
    out: list[Verdict] = []
    if ctx.kind not in RIGHTS_KINDS:
        return out
    lost = rights_in(old) - rights_in(new)
    if section_new is not None:
        lost -= rights_in(section_new)
    for r in sorted(lost):
        ev = Evidence("right-removed", RIGHT_NAMES[r], short(old, 200), None)
        out.append(Verdict(MATERIAL, f"rights: {RIGHT_NAMES[r]} removed", (ev,)))
    burdens = found(BURDENS, new) - found(BURDENS, old)
    if burdens:
        ev = Evidence("rights-exercise-harder", ctx.heading, short(old, 200), short(new, 200))
        out.append(Verdict(MATERIAL, "rights: exercising rights made harder ("
                                     + ", ".join(f"'{b}'" for b in sorted(burdens)) + ")", (ev,)))
    oc, nc = _contacts(old_facts), _contacts(new_facts)
    gone = oc - nc
    if gone and not (nc - oc) and (section_new is None or not any(
            g in section_new.casefold() for g in gone)):
        ev = Evidence("rights-exercise-harder", ctx.heading, ", ".join(sorted(gone)), None)
        out.append(Verdict(MATERIAL, "rights: way to exercise rights removed ("
                                     + ", ".join(sorted(gone)) + ")", (ev,)))
    return out


def _contact_verdict(old_facts, new_facts, ctx: Context) -> Verdict | None:
    oc, nc = _contacts(old_facts), _contacts(new_facts)
    if oc == nc:
        return None
    ev = Evidence("contact-changed", ctx.heading, ", ".join(sorted(oc)) or None,
                  ", ".join(sorted(nc)) or None)
    return Verdict(MINOR, f"{_prefix(ctx)}: contact details changed "
                          f"({', '.join(sorted(oc)) or '—'} → {', '.join(sorted(nc)) or '—'})", (ev,))


def _names(text: str, label: str | None) -> dict[str, str]:
    names = {norm(n): n for n in orgs_in(text)}
    if label:
        names.setdefault(norm(label), label)
    return names


def _recipient(name: str, label: str | None, added: bool) -> Verdict:
    """One recipient a clause names. The organisation is the what; a clause label that is
    not its name ('Product analytics: Statlyse GmbH, …') says what it is for."""
    role = label if label and norm(label) != norm(name) else None
    if added:
        ev = Evidence("recipient-added", role or name, None, name)
        return Verdict(MATERIAL, f"recipients: new recipient '{name}'"
                                 + (f" ({role})" if role else ""), (ev,))
    ev = Evidence("recipient-removed", role or name, name, None)
    return Verdict(MINOR, f"recipients: '{name}' no longer a recipient", (ev,))


def modified(old_text: str, new_text: str, ctx: Context, *, label: str | None = None,
             old_durations=(), new_durations=(), old_facts=None, new_facts=None,
             section_new: str | None = None, old_raw: str = "", new_raw: str = "") -> Verdict:
    """A paragraph, list item or clause that exists in both versions."""
    on, nn = norm(old_text), norm(new_text)
    if on == nn:
        if old_text.split() != new_text.split():
            return Verdict(EDITORIAL, "editorial: punctuation or case only")
        if _links(old_raw) != _links(new_raw):
            return Verdict(EDITORIAL, "editorial: link target changed")
        return Verdict(EDITORIAL, "editorial: formatting only")
    ow, nw = tuple(on.split()), tuple(nn.split())
    fixes = typo_only(ow, nw)
    if fixes is not None:
        shown = ", ".join(f"'{a}' → '{b}'" for a, b in fixes[:3])
        return Verdict(EDITORIAL, f"editorial: spelling ({shown})")

    verdicts: list[Verdict] = []
    kinds = ctx.material_kinds
    r = retention_verdict(label, old_durations, new_durations, old_text, new_text, ctx)
    if r:
        verdicts.append(r)
    if ctx.kind == "controller" and "controller" in kinds:
        oo, no = {norm(x): x for x in orgs_in(old_text)}, {norm(x): x for x in orgs_in(new_text)}
        if oo and no and set(oo) != set(no):
            ev = Evidence("controller-changed", ctx.heading, ", ".join(oo.values()),
                          ", ".join(no.values()))
            verdicts.append(Verdict(MATERIAL, f"controller: {', '.join(oo.values())} → "
                                              f"{', '.join(no.values())}", (ev,)))
    if ctx.kind == "legal-basis" and "legal-basis" in kinds:
        ob, nb = bases_in(old_text), bases_in(new_text)
        if ob != nb:
            ev = Evidence("legal-basis-changed", label or ctx.heading,
                          ", ".join(sorted(ob)) or short(old_text), ", ".join(sorted(nb)) or short(new_text))
            verdicts.append(Verdict(MATERIAL, f"legal-basis: {', '.join(sorted(ob)) or '—'} → "
                                              f"{', '.join(sorted(nb)) or '—'}", (ev,)))
    verdicts += _rights_verdicts(old_text, new_text, ctx, section_new, old_facts, new_facts)
    if ctx.kind == "recipients" and "recipients" in kinds:
        # The label is on both sides: only names the text itself adds or drops count.
        on_, nn_ = _names(old_text, label), _names(new_text, label)
        verdicts += [_recipient(nn_[k], label, True) for k in nn_.keys() - on_.keys()]
        verdicts += [_recipient(on_[k], label, False) for k in on_.keys() - nn_.keys()]
    if ctx.kind in kinds and ctx.kind in ADDED_TYPE and not any(
            v.classification == MATERIAL for v in verdicts):
        added = _added_sentences(old_text, new_text)
        if added:
            ev = Evidence(ADDED_TYPE[ctx.kind], label or ctx.heading, None, " ".join(added))
            verdicts.append(Verdict(MATERIAL, f"{ctx.kind}: added '{short(' '.join(added))}'", (ev,)))
    verdicts += _topic_verdicts(old_text, new_text, ctx, label)
    if not verdicts or all(v.classification != MATERIAL for v in verdicts):
        c = _contact_verdict(old_facts, new_facts, ctx)
        if c:
            verdicts.append(c)
    if not verdicts:
        ev = Evidence("text-changed", label or ctx.heading, old_text, new_text)
        verdicts.append(Verdict(MINOR, f"{_prefix(ctx)}: wording changed", (ev,)))
    return combine(verdicts)


def added(text: str, ctx: Context, *, label: str | None = None, facts=None) -> Verdict:
    """A paragraph, list item or clause that is new in a section present in both versions."""
    if not norm(text):
        return Verdict(EDITORIAL, "editorial: empty block added")
    verdicts: list[Verdict] = []
    if ctx.kind in ctx.material_kinds and ctx.kind in ADDED_TYPE:
        typ = ADDED_TYPE[ctx.kind]
        names = {}
        if ctx.kind == "recipients":
            # One recipient per organisation the clause names; the label is the name only
            # when it names none ('- **Our accountants:** …').
            names = {norm(n): n for n in orgs_in(text)} or ({norm(label): label} if label else {})
        if names:
            verdicts += [_recipient(name, label, True) for name in names.values()]
        else:
            verdicts.append(Verdict(MATERIAL, f"{ctx.kind}: added '{short(label or text)}'",
                                    (Evidence(typ, label or ctx.heading, None, text),)))
    verdicts += _topic_verdicts("", text, ctx, label)
    if not verdicts:
        ev = Evidence("text-changed", label or ctx.heading, None, text)
        verdicts.append(Verdict(MINOR, f"{_prefix(ctx)}: added '{short(label or text)}'", (ev,)))
    return combine(verdicts)


def removed(text: str, ctx: Context, *, label: str | None = None, facts=None,
            section_new: str | None = None) -> Verdict:
    """A paragraph, list item or clause that is gone from a section present in both versions."""
    if not norm(text):
        return Verdict(EDITORIAL, "editorial: empty block removed")
    verdicts = _rights_verdicts(text, "", ctx, section_new, facts, None)
    if ctx.kind in REMOVED_TYPE:
        typ = REMOVED_TYPE[ctx.kind]
        verdicts.append(Verdict(MINOR, f"{ctx.kind}: removed '{short(label or text)}'",
                                (Evidence(typ, label or ctx.heading, text, None),)))
    if not verdicts:
        ev = Evidence("text-changed", label or ctx.heading, text, None)
        verdicts.append(Verdict(MINOR, f"{_prefix(ctx)}: removed '{short(label or text)}'", (ev,)))
    return combine(verdicts)


def section_added(heading: str, text: str, ctx: Context) -> Verdict:
    base = added(text, ctx) if norm(text) else None
    ev = Evidence("section-added", heading, None, heading)
    if base and base.classification == MATERIAL:
        return Verdict(MATERIAL, base.reason, base.evidence + (ev,))
    return Verdict(MINOR, f"section added: '{short(heading)}'", (ev,) + (
        tuple(e for e in base.evidence if e.type != "text-changed") if base else ()))


def section_removed(heading: str, text: str, ctx: Context, *, kind_left: bool,
                    required: tuple[str, ...]) -> Verdict:
    ev = Evidence("section-removed", heading, heading, None)
    if ctx.kind and ctx.kind in required and not kind_left:
        return Verdict(MATERIAL, f"section removed: '{short(heading)}' ({ctx.kind}, mandatory)", (ev,))
    rights = _rights_verdicts(heading + "\n" + text, "", ctx, None, None, None) \
        if ctx.kind in RIGHTS_KINDS else []
    if rights:
        return combine(rights + [Verdict(MATERIAL, "", (ev,))])
    return Verdict(MINOR, f"section removed: '{short(heading)}'", (ev,))


def combine(verdicts: list[Verdict]) -> Verdict:
    """Worst classification first; every reason kept, in that order."""
    verdicts = sorted(verdicts, key=lambda v: -RANK[v.classification])
    reasons = []
    for v in verdicts:
        if v.reason and v.reason not in reasons:
            reasons.append(v.reason)
    return Verdict(verdicts[0].classification, "; ".join(reasons),
                   tuple(e for v in verdicts for e in v.evidence))


_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")


def _links(raw: str) -> list[str]:
    return _LINK_TARGET.findall(raw or "")


# ------------------------------------------------------------------ front matter

#: Front matter keys a reader cannot act on.
FM_EDITORIAL = frozenset({"version", "updated", "id"})


def front_matter(key: str, old: object, new: object,
                 material_kinds: tuple[str, ...] = DEFAULT_MATERIAL_KINDS) -> Verdict:
    o = "" if old is None else str(old)
    n = "" if new is None else str(new)
    if key in FM_EDITORIAL:
        return Verdict(EDITORIAL, f"editorial: {key} {o or '—'} → {n or '—'}")
    if norm(o) == norm(n):
        return Verdict(EDITORIAL, f"editorial: {key} formatting only")
    if key == "controller":
        ev = Evidence("controller-changed", "controller", o or None, n or None)
        cls = MATERIAL if "controller" in material_kinds else MINOR
        return Verdict(cls, f"controller: '{o or '—'}' → '{n or '—'}'", (ev,))
    if key in ("contact", "dpo", "representative"):
        ev = Evidence("contact-changed", key, o or None, n or None)
        return Verdict(MINOR, f"{key}: '{o or '—'}' → '{n or '—'}'", (ev,))
    ev = Evidence("text-changed", key, o or None, n or None)
    return Verdict(MINOR, f"{key}: '{o or '—'}' → '{n or '—'}'", (ev,))


__all__ = ["Evidence", "Verdict", "Context", "EDITORIAL", "MINOR", "MATERIAL", "RANK", "CLASSES",
           "worst", "norm", "is_typo", "typo_only", "modified", "added", "removed",
           "section_added", "section_removed", "front_matter", "retention_verdict",
           "rights_in", "bases_in", "orgs_in", "combine"]
