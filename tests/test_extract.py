"""Fact extraction: durations, retention criteria, e-mails, URLs, phones."""
from __future__ import annotations

import time

import pytest

from policylint.ast import Duration, Facts
from policylint.extract import extract_facts, find_durations, find_emails, find_phones, find_urls

Y, M, W = 365, 30, 7


def _periods(text):
    return [(d.text, d.days) for d in find_durations(text) if not d.criterion]


@pytest.mark.parametrize("text,expected", [
    # Swedish
    ("Fakturor sparas i 7 år enligt bokföringslagen.", [("7 år", 7 * Y)]),
    ("Vi sparar loggar i sex månader.", [("sex månader", 6 * M)]),
    ("Uppgifterna raderas efter 30 dagar.", [("30 dagar", 30)]),
    ("Fakturauppgifter sparas i minst fem år.", [("fem år", 5 * Y)]),
    ("i tjugofyra månader", [("tjugofyra månader", 24 * M)]),
    ("inom en månad", [("en månad", M)]),
    # Danish
    ("Vi opbevarer data i tolv måneder.", [("tolv måneder", 12 * M)]),
    ("Bogføringsmateriale gemmes i fem år.", [("fem år", 5 * Y)]),
    ("Oplysningerne slettes efter to år.", [("to år", 2 * Y)]),
    ("inden for 14 dage", [("14 dage", 14)]),
    # Norwegian
    ("Opplysningene lagres i tre måneder.", [("tre måneder", 3 * M)]),
    ("Vi sletter dataene etter 2 uker.", [("2 uker", 2 * W)]),
    # Finnish
    ("Säilytämme tiedot viisi vuotta.", [("viisi vuotta", 5 * Y)]),
    ("Lokitiedot säilytetään 12 kuukautta.", [("12 kuukautta", 12 * M)]),
    # German
    ("Die Daten werden 2 Jahre gespeichert.", [("2 Jahre", 2 * Y)]),
    ("Löschung nach 3 Monaten.", [("3 Monaten", 3 * M)]),
    ("Aufbewahrung für zehn Jahre.", [("zehn Jahre", 10 * Y)]),
    # French
    ("Les données sont conservées cinq ans.", [("cinq ans", 5 * Y)]),
    ("pendant 13 mois", [("13 mois", 13 * M)]),
    ("pendant un an", [("un an", Y)]),
    # Dutch
    ("Wij bewaren de gegevens vijf jaar.", [("vijf jaar", 5 * Y)]),
    ("binnen 4 weken", [("4 weken", 4 * W)]),
    # English
    ("We keep logs for 24 months.", [("24 months", 24 * M)]),
    ("Records are kept for 1 year.", [("1 year", Y)]),
    ("Invoices are retained for ten (10) years.", [("ten (10) years", 10 * Y)]),
    ("a 90-day window", [("90-day", 90)]),
    ("for twenty-four months", [("twenty-four months", 24 * M)]),
    ("for 2.5 years", [("2.5 years", 912)]),
    # several in one text, in order
    ("Kontakt 6 månader, fakturor 7 år.", [("6 månader", 6 * M), ("7 år", 7 * Y)]),
])
def test_durations(text, expected):
    assert _periods(text) == expected


def test_duration_values_compare_across_languages():
    a = find_durations("2 år")[0]
    b = find_durations("24 months")[0]
    assert abs(a.days - b.days) <= 10
    assert find_durations("tolv måneder")[0].days == find_durations("12 months")[0].days


@pytest.mark.parametrize("text", [
    "Vi sparar uppgifterna så länge som är nödvändigt för ändamålet.",
    "Kontaktuppgifter sparas så länge du är kund hos oss.",
    "Vi opbevarer dine kontooplysninger, så længe din konto er aktiv.",
    "We keep your data for as long as necessary to provide the service.",
    "We keep it for as long as your account is active.",
    "Die Daten werden gespeichert, solange dies für die Vertragserfüllung erforderlich ist.",
    "Les données sont conservées aussi longtemps que nécessaire.",
    "Wij bewaren gegevens zolang als nodig is.",
    "Tietoja säilytetään niin kauan kuin asiakassuhde on voimassa.",
    "Opplysningene lagres så lenge det er nødvendig.",
])
def test_criteria(text):
    ds = find_durations(text)
    crits = [d for d in ds if d.criterion]
    assert crits, ds
    assert all(d.days is None for d in crits)


def test_criterion_text_is_the_full_phrase():
    d = find_durations("så længe din konto er aktiv")
    assert d == (Duration("så længe din konto er aktiv", None, True),)


@pytest.mark.parametrize("text", [
    "Policyn uppdaterades den 9 maj 2018.",
    "2018",
    "Version 3 of the policy, section 4.",
    "from days to weeks",          # "to" is Danish/Norwegian 2, not with English units
    "It took years.",
    "Vi har 200 anställda.",
    "",
])
def test_no_durations(text):
    assert _periods(text) == []


def test_age_is_a_duration_too():
    assert _periods("Barn under 13 år") == [("13 år", 13 * Y)]


# ------------------------------------------------------------------------------ e-mails

def test_emails():
    text = "Kontakta oss på info@amsystem.com eller privacy@amesto.se."
    assert find_emails(text) == ("info@amsystem.com", "privacy@amesto.se")
    assert find_emails("Skriv till dpo@företag.se!") == ("dpo@företag.se",)
    assert find_emails("first.last+tag@sub.example.co.uk") == ("first.last+tag@sub.example.co.uk",)


@pytest.mark.parametrize("text", [
    "send en e-mail til [email protected]", "[email protected]", "@handle", "user@localhost",
    "no mail here",
])
def test_not_emails(text):
    assert find_emails(text) == ()


# -------------------------------------------------------------------------------- URLs

def test_urls():
    text = ("Läs mer på https://www.imy.se/. Se även www.datatilsynet.dk/borger/klage, "
            "(https://example.org/a_(b)) och http://x.se/p?q=1;")
    assert find_urls(text) == ("https://www.imy.se/", "www.datatilsynet.dk/borger/klage",
                               "https://example.org/a_(b)", "http://x.se/p?q=1")


def test_urls_none():
    assert find_urls("no links, only http and www mentioned") == ()
    assert find_urls("mail info@www.example.com") == ()


# ------------------------------------------------------------------------------ phones

@pytest.mark.parametrize("text,expected", [
    ("Telefon: +47 928 54 989", "+47 928 54 989"),
    ("Ring +46 (0)8-123 45 67.", "+46 (0)8-123 45 67"),
    ("Växel 08-123 45 67", "08-123 45 67"),
    ("Tlf. 70 20 30 40", "70 20 30 40"),
    ("tel: +45 33 19 32 00", "+45 33 19 32 00"),
    ("Puh. 09 123 4567", "09 123 4567"),
    ("Tel.: +49 30 1234567", "+49 30 1234567"),
    ("Tlf.: 33193200", "33193200"),
])
def test_phones(text, expected):
    assert find_phones(text) == (expected,)


@pytest.mark.parametrize("text", [
    "fra 1. januar 2020 følgende rettigheder",
    "Uppdaterad 2018-05-25",
    "den 01.01.2020",
    "9 maj 2018",
    "CVR-nr. 12345678",
    "1 000 000 kr",
    "i 7 år och 24 månader",
    "Postboks 6395 0604 Etterstad",
    "+1",
])
def test_not_phones(text):
    assert find_phones(text) == ()


# ------------------------------------------------------------------------------- facts

def test_extract_facts_combined():
    text = ("Kontakt: dpo@example.se, +46 8 123 456 78, https://example.se/integritet. "
            "Vi sparar uppgifterna i 3 år eller så länge du är kund.")
    f = extract_facts(text)
    assert isinstance(f, Facts) and f
    assert f.emails == ("dpo@example.se",)
    assert f.urls == ("https://example.se/integritet",)
    assert f.phones == ("+46 8 123 456 78",)
    assert [d.days for d in f.durations] == [3 * Y, None]


def test_extract_facts_empty():
    assert not extract_facts("")
    assert not extract_facts("Hej och välkommen till vår webbplats.")


def test_extract_facts_is_fast():
    para = ("We process your personal data to provide the service, for example your name, "
            "e-mail address and order history, and we keep it for as long as your account is "
            "active and then for 24 months. Contact privacy@example.com or see "
            "https://example.com/privacy. ")
    plain = "Vi behandlar dina uppgifter för att kunna leverera tjänsten och svara på frågor. " * 3
    texts = [para, plain] * 200
    extract_facts(para)
    t = time.perf_counter()
    for x in texts:
        extract_facts(x)
    size = sum(map(len, texts))
    per_100k = (time.perf_counter() - t) / size * 100_000
    assert per_100k < 0.05, per_100k   # generous: 50 ms per 100 KB on a loaded CI machine
