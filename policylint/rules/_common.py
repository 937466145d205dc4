"""Patterns several rule families share: ways to reach someone, legal forms, negation.

These are language-neutral shapes (an email, a postcode, `GmbH`); words that differ
per language live in policylint/lang/*.toml and are reached through policylint.vocab.
"""
from __future__ import annotations

import re

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])")
#: Anything that looks like it wants to be an address: word chars around an @.
EMAILISH = re.compile(r"(?<![\w.+\-@])[\w.+%-]*[\w%+-]@[\w.@-]*|(?<![\w@])@[\w-]+\.[\w.-]+")
SCRAPER_EMAIL = re.compile(r"\[?\s*email\s*(?:&#160;|\s)*protected\s*\]?", re.I)
EXAMPLE_DOMAIN = re.compile(r"@(?:[\w-]+\.)*example\.(?:com|org|net)\b|@example\b", re.I)

PHONE = re.compile(r"(?:(?<![\w+])\+\d{1,3}|\b00\d{1,3}|\(0\d{1,4}\)|(?<!\d)0\d{1,4})"
                   r"(?:[ \t./-]?\(?\d{1,4}\)?){2,6}(?!\d)")
PHONE_LABEL = re.compile(r"\b(?:tel(?:efon|ephone|\.)?|phone|puh(?:elin)?|tlf|telefoon|t[ée]l[ée]phone)"
                         r"\s*[:.]?\s*\+?\d", re.I)

#: Endings of street names written as one word (Storgatan, Vestergade, Hafenstraße, Satamakatu).
_STREET_SUFFIXES = ("gatan", "gata", "vägen", "väg", "torget", "gränd", "backen", "allén", "gade",
                    "vej", "vænget", "plads", "veien", "vegen", "gate", "katu", "tie", "kuja",
                    "polku", "straße", "strasse", "str.", "weg", "platz", "allee", "ring", "damm",
                    "ufer", "laan", "straat", "plein", "gracht", "kade", "singel")
#: Street words written apart (Carl Jacobsens Vej 35, Karl Johans gate 1, Main Street 4).
_STREET_WORDS = frozenset(("vej", "gate", "gata", "väg", "vägen", "straße", "strasse", "weg",
                           "street", "st.", "road", "rd.", "avenue", "ave.", "lane", "square",
                           "drive", "way", "place", "allé", "allee", "plads", "torg", "torget",
                           "katu", "tie", "laan", "straat", "plein", "kade", "quay", "row"))
_WORD_NUMBER = re.compile(r"([^\W\d_][\w.'’-]*)\s+\d{1,4}[A-Za-z]?\b")
_POSTBOX = re.compile(r"\b(?:box|postboks|postbox|postfach|postbus|p\.?\s?o\.?\s?box|"
                      r"case postale)\s*\d{1,6}\b", re.I)
_NUMBER_STREET = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(?:rue|avenue|boulevard|bd|place|allée|chemin|impasse|quai)\b"
    r"|\b\d{1,4}\s+(?:[A-Z][\w.'’-]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Square|"
    r"Drive|Way|Quay|Place|Row)\b")
_POSTCODE = re.compile(
    r"(?:^|[,\n]|\s\s)\s*(?:[A-Z]{1,2}-)?(?:\d{3}\s\d{2}|\d{4,5})\s+[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéèß]+"
    r"|\b\d{4}\s?[A-Z]{2}\s+[A-Z][a-z]+", re.M)


def _street(text: str) -> list[str]:
    out = []
    for m in _WORD_NUMBER.finditer(text):
        word = m.group(1)
        if not word[0].isupper():
            continue
        low = word.lower()
        if low in _STREET_WORDS or (low.endswith(_STREET_SUFFIXES)
                                    and len(low) > max(len(x) for x in _STREET_SUFFIXES if low.endswith(x))):
            out.append(m.group(0))
    return out


URL = re.compile(r"\bhttps?://[^\s<>()\[\]]+|\bwww\.[^\s<>()\[\]]+", re.I)
FORM_URL = re.compile(r"contact|kontakt|form|request|dsar|yhteys|support|help|anfrage|demande|"
                      r"privacy-?(?:center|centre|request|portal)|verzoek|lomake", re.I)

#: Legal forms of companies and other organisations in the languages policylint covers.
LEGAL_FORMS = (
    r"AB(?:\s*\(publ\))?|HB|KB|Aktiebolag(?:et)?|ApS|A/S|I/S|P/S|K/S|IVS|AS|ASA|ANS|DA|SA|"
    r"Oy|Oyj|Ab|Ky|Tmi|Ry|GmbH(?:\s*&\s*Co\.?\s*KG)?|gGmbH|mbH|AG|KG|KGaA|OHG|UG(?:\s*\(haftungsbeschränkt\))?|"
    r"e\.\s?V\.|eG|SE|SAS|SASU|SARL|EURL|SCS|SNC|S\.A\.S?\.?|S\.A\.R\.L\.|B\.V\.|BV|N\.V\.|NV|VOF|"
    r"C\.V\.|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|PLC|plc|Inc\.?|Incorporated|Corp\.?|Corporation|"
    r"S\.r\.l\.|S\.p\.A\.|S\.L\.|GbR|Stiftung|Stiftelse(?:n)?|ideell förening|Ltda\.?|Pty\s+Ltd|"
    r"DAC|ULC|PBC|GIE|SRL|SpA"
)
LEGAL_FORM = re.compile(
    r"(?<![\w/])(?P<org>(?:[A-ZÅÄÖÆØÜ0-9][\w&'’.,-]*\s+){1,6}?(?:" + LEGAL_FORMS + r"))(?![\w/])")
ORG_NUMBER = re.compile(r"\b(?:org(?:anisations)?\.?\s?nr|org\.?\s?no|cvr(?:-nr)?|y-tunnus|"
                        r"business id|company (?:number|no)|registration number|"
                        r"handelsregister|hrb|kvk|siren|siret|rcs)\b", re.I)

#: Supervisory authorities by name or abbreviation (gdpr-notes §1.4), plus generic terms.
AUTHORITY = re.compile(
    r"Integritetsskyddsmyndighet\w*|Datainspektion\w*|\bIMY\b|Datatilsynet|Tietosuojavaltuut\w+|"
    r"Dataombudsman\w*|Bundesbeauftragte\w*|\bBfDI\b|Landesbeauftragte\w*|"
    r"Landesamt für Datenschutzaufsicht|\bBayLDA\b|Landesdatenschutz\w*|\bCNIL\b|"
    r"Commission nationale de l'informatique|Autoriteit Persoonsgegevens|"
    r"Information Commissioner|\bICO\b|Data Protection Commission|\bEDPB\b|"
    r"tillsynsmyndighet\w*|tilsynsmyndighe\w*|valvontaviranomai\w*|Aufsichtsbeh\w*|"
    r"autorit\w+ de contr\w+|toezichthoud\w*|supervisory authorit\w*|"
    r"data protection authorit\w*|dataskyddsmyndighet\w*|Datenschutzbeh\w*",
    re.I)


NEGATION = re.compile(
    r"\b(?:not|never|no|don't|doesn't|inte|aldrig|ej|icke|ingen|inga|ikke|aldri|aldrig|ingen|"
    r"ei|emme|eivät|nicht|nie|niemals|kein|keine|keinen|ne|pas|jamais|aucun|aucune|niet|"
    r"nooit|geen)\b", re.I)
SENTENCE = re.compile(r"(?:[^.!?;\n]|[.!?](?=\w))+[.!?;]?")   # "6.1", "imy.se" go on


def emails(text: str) -> list[str]:
    """Real addresses: not scraper residue, not example.com."""
    return [m.group(0) for m in EMAIL.finditer(text) if not EXAMPLE_DOMAIN.search(m.group(0))]


def phones(text: str) -> list[str]:
    out = [m.group(0) for m in PHONE.finditer(text) if sum(c.isdigit() for c in m.group(0)) >= 7]
    if not out and PHONE_LABEL.search(text):
        out.append(PHONE_LABEL.search(text).group(0))
    return out


_DIGIT = re.compile(r"\d")


def postal(text: str) -> list[str]:
    """Postal addresses, by their shape: a post box, a street and number, or a postcode and town."""
    if not _DIGIT.search(text):
        return []
    out = [m.group(0) for m in _POSTBOX.finditer(text)]
    out += _street(text)
    out += [m.group(0) for m in _NUMBER_STREET.finditer(text)]
    out += [m.group(0).strip(" ,\n") for m in _POSTCODE.finditer(text)]
    return out


def form_urls(text: str) -> list[str]:
    return [m.group(0) for m in URL.finditer(text) if FORM_URL.search(m.group(0))]


def reach(text: str) -> list[str]:
    """Every way to reach someone that ``text`` gives: email, phone, postal address, web form."""
    return emails(text) + phones(text) + postal(text) + form_urls(text)


def reachable(text: str) -> bool:
    """Whether ``text`` gives any way to reach someone (cheapest checks first)."""
    if "@" in text and emails(text):
        return True
    if ("http" in text or "www." in text) and form_urls(text):
        return True
    return bool(phones(text) or postal(text))


def legal_form_name(text: str) -> str | None:
    """The first organisation name written with a legal form (`Kvarnholmens Cykel AB`)."""
    m = LEGAL_FORM.search(text)
    if m:
        return m.group("org").strip()
    return None


def negated(text: str, start: int, end: int) -> bool:
    """True when the sentence around [start, end) denies it (`we do not transfer…`)."""
    for m in SENTENCE.finditer(text):
        if m.start() <= start < m.end() or m.start() < end <= m.end():
            return bool(NEGATION.search(m.group(0)))
    return False


def sentence_at(text: str, start: int, end: int, limit: int = 60) -> str:
    """The sentence around a hit for a message; a long one cut to a window that keeps the
    hit in view ('… ditt samtycke (art. 6.1 a) …'), whole words, at most ``limit`` chars."""
    s, e = start, end
    for m in SENTENCE.finditer(text):
        if m.start() <= start < m.end():
            s, e = m.start(), m.end()
            break
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    if e - s <= limit:
        return text[s:e]
    room = max(0, limit - (end - start)) // 2
    a, b = max(s, start - room), min(e, end + room)
    if a > s:
        a = text.find(" ", a, start) + 1 or a       # start at a word
    if b < e:
        b = text.rfind(" ", end, b) if text.rfind(" ", end, b) > 0 else b
    return ("… " if a > s else "") + text[a:b].strip() + (" …" if b < e else "")
