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

_STREET_WORDS = (r"gatan|gata|gatu|vägen|väg|torget|gränd|backe|allén|gade|vej|vænget|alle|plads|"
                 r"veien|vegen|gate|gata|katu|tie|kuja|polku|straße|strasse|str\.|weg|platz|allee|"
                 r"ring|damm|ufer|laan|straat|plein|gracht|kade|singel|street|st\.|road|rd\.|avenue|"
                 r"ave\.|lane|square|drive|way|place")
POSTAL = re.compile(
    r"\b(?:box|postboks|postbox|postfach|postbus|p\.?\s?o\.?\s?box|pl|bp|cs|case postale)\s*\d{1,6}\b"
    rf"|\b[A-ZÅÄÖÆØÜ][\wåäöæøüéèß.-]*(?:{_STREET_WORDS})\s+\d{{1,4}}[A-Za-z]?\b"
    rf"|\b(?:{_STREET_WORDS})\s+\d{{1,4}}[A-Za-z]?\b"
    r"|\b\d{1,4}[a-z]?,?\s+(?:rue|avenue|boulevard|bd|place|allée|chemin|impasse|quai)\b"
    r"|\b\d{1,4}\s+[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)?\s+(?:Street|St|Road|Rd|Avenue|Ave|Lane|Square|Drive|Way)\b"
    r"|(?:^|[,\n]\s*|\s)(?:[A-Z]{1,2}-)?\d{3}\s\d{2}\s+[A-ZÅÄÖ][a-zåäö]+"           # SE 413 27 Göteborg
    r"|(?:^|[,\n])\s*(?:[A-Z]{1,2}-)?\d{4,5}\s+[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéèß]+",        # , 2500 Valby
    re.I | re.M)
# The case-insensitive flag above would let `pl 3` or `cs 12` match anywhere; those two
# only count in an address line with a postcode, so check them apart.
_WEAK_BOX = re.compile(r"^(?:pl|cs|bp)\s*\d", re.I)

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
    r"DAC|ULC"
)
LEGAL_FORM = re.compile(
    r"(?<![\w/])(?P<org>(?:[A-ZÅÄÖÆØÜ0-9][\w&'’.,-]*\s+){1,6}?(?:" + LEGAL_FORMS + r"))(?![\w/])")
ORG_NUMBER = re.compile(r"\b(?:org(?:anisations)?\.?\s?nr|org\.?\s?no|cvr(?:-nr)?|y-tunnus|"
                        r"business id|company (?:number|no)|registration number|"
                        r"handelsregister|hrb|kvk|siren|siret|rcs)\b", re.I)

NEGATION = re.compile(
    r"\b(?:not|never|no|don't|doesn't|inte|aldrig|ej|icke|ingen|inga|ikke|aldri|aldrig|ingen|"
    r"ei|emme|eivät|en|et|nicht|nie|niemals|kein|keine|keinen|ne|pas|jamais|aucun|aucune|niet|"
    r"nooit|geen)\b", re.I)
SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]?")


def emails(text: str) -> list[str]:
    """Real addresses: not scraper residue, not example.com."""
    return [m.group(0) for m in EMAIL.finditer(text) if not EXAMPLE_DOMAIN.search(m.group(0))]


def phones(text: str) -> list[str]:
    out = [m.group(0) for m in PHONE.finditer(text) if sum(c.isdigit() for c in m.group(0)) >= 7]
    if not out and PHONE_LABEL.search(text):
        out.append(PHONE_LABEL.search(text).group(0))
    return out


def postal(text: str) -> list[str]:
    out = []
    for m in POSTAL.finditer(text):
        s = m.group(0).strip(" ,\n")
        if _WEAK_BOX.match(s) and not re.search(r"\d{4,5}", text[m.end():m.end() + 40]):
            continue
        out.append(s)
    return out


def form_urls(text: str) -> list[str]:
    return [m.group(0) for m in URL.finditer(text) if FORM_URL.search(m.group(0))]


def reach(text: str) -> list[str]:
    """Every way to reach someone that ``text`` gives: email, phone, postal address, web form."""
    return emails(text) + phones(text) + postal(text) + form_urls(text)


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


def sentence_at(text: str, start: int, end: int) -> str:
    for m in SENTENCE.finditer(text):
        if m.start() <= start < m.end():
            return m.group(0).strip()
    return text[start:end]
