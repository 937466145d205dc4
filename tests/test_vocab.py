"""The language layer: heading classification, language detection, body elements, hygiene."""
from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

from policylint import vocab
from policylint.ast import RIGHT_ELEMENTS, SECTION_KINDS

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
LANG_DIR = Path(vocab.__file__).resolve().parent / "lang"

# (heading, language, expected kind)
HEADINGS = [
    # Swedish
    ("Hur länge sparar vi dina uppgifter?", "sv", "retention"),
    ("Hur länge sparas uppgifterna", "sv", "retention"),
    ("6. Lagringstid", "sv", "retention"),
    ("Personuppgiftsansvarig", "sv", "controller"),
    ("Vem är ansvarig för dina personuppgifter?", "sv", "controller"),
    ("Kontakta oss", "sv", "contact"),
    ("7. Dina rättigheter", "sv", "rights"),
    ("Ändamål med behandlingen – vad uppgifterna används till", "sv", "purposes"),
    ("Hur vi använder informationen om dig", "sv", "purposes"),
    ("Rättslig grund för behandlingen", "sv", "legal-basis"),
    ("Vilka personuppgifter behandlas", "sv", "data-categories"),
    ("Informationen som vi samlar in", "sv", "data-categories"),
    ("Till vilka lämnar vi uppgifterna", "sv", "recipients"),
    ("Delning och avslöjande av data", "sv", "recipients"),
    ("Överföring till tredje land", "sv", "transfers"),
    ("Cookies och pixeltaggar", "sv", "cookies"),
    ("AM System och barn", "sv", "children"),
    ("Förändringar i integritetspolicyn", "sv", "changes"),
    ("Hur skyddar vi uppgifterna", "sv", "security"),
    ("AM Systems säkerhetsarbete", "sv", "security"),
    ("Rätt att klaga", "sv", "complaint"),
    ("Rätt att klaga hos tillsynsmyndigheten", "sv", "complaint"),
    ("Dataskyddsombud", "sv", "dpo"),
    ("Automatiserat beslutsfattande", "sv", "automated-decisions"),
    ("Återkallande av samtycke", "sv", "consent-withdrawal"),
    ("Varifrån får vi uppgifterna?", "sv", "sources"),
    # Danish
    ("Hvor længe opbevarer vi personlige oplysninger", "da", "retention"),
    ("Dataansvarlig", "da", "controller"),
    ("Kontakt os", "da", "contact"),
    ("Dine rettigheder", "da", "rights"),
    ("Sådan bruger vi de oplysninger, vi indsamler:", "da", "purposes"),
    ("Retsgrundlag", "da", "legal-basis"),
    ("Hvilke personlige data vi indsamler om dig", "da", "data-categories"),
    ("Overførsel til tredjelande", "da", "transfers"),
    ("Ændringer i vores fortrolighedserklæring", "da", "changes"),
    ("Klage til Datatilsynet", "da", "complaint"),
    ("Din ret til at klage til Datatilsynet", "da", "complaint"),
    ("Hvem videregiver vi oplysningerne til?", "da", "recipients"),
    ("Databeskyttelsesrådgiver", "da", "dpo"),
    # Norwegian
    ("Lagring av personopplysninger", "nb", "retention"),
    ("Hvor lenge lagrer vi opplysningene?", "nb", "retention"),
    ("Behandlingsansvarlig", "nb", "controller"),
    ("Dine rettigheter", "nb", "rights"),
    ("Rettslig grunnlag", "nb", "legal-basis"),
    ("Hvem vi deler opplysningene med", "nb", "recipients"),
    ("Personvernombud", "nb", "dpo"),
    ("Informasjonskapsler", "nb", "cookies"),
    ("Endringer i personvernerklæringen", "nb", "changes"),
    ("Slik beskytter vi opplysningene dine", "nb", "security"),
    # Finnish
    ("Säilytysaika", "fi", "retention"),
    ("1. Rekisterinpitäjä", "fi", "controller"),
    ("Rekisteröidyn oikeudet", "fi", "rights"),
    ("Käsittelyn oikeusperuste", "fi", "legal-basis"),
    ("Henkilötietojen käsittelyn tarkoitus", "fi", "purposes"),
    ("Tietosuojavastaava", "fi", "dpo"),
    ("Tietojen siirto EU:n tai ETA:n ulkopuolelle", "fi", "transfers"),
    ("Oikeus tehdä valitus valvontaviranomaiselle", "fi", "complaint"),
    ("Evästeet", "fi", "cookies"),
    ("Tietojen vastaanottajat", "fi", "recipients"),
    # German
    ("Speicherdauer", "de", "retention"),
    ("Wie lange speichern wir Ihre Daten?", "de", "retention"),
    ("Rechte der betroffenen Person", "de", "rights"),
    ("Zwecke der Verarbeitung", "de", "purposes"),
    ("Rechtsgrundlage", "de", "legal-basis"),
    ("Empfänger", "de", "recipients"),
    ("Datenschutzbeauftragter", "de", "dpo"),
    ("Übermittlung in Drittländer", "de", "transfers"),
    ("Beschwerderecht bei einer Aufsichtsbehörde", "de", "complaint"),
    ("Widerruf Ihrer Einwilligung", "de", "consent-withdrawal"),
    ("§ 3 Verantwortlicher", "de", "controller"),
    # French
    ("Durée de conservation", "fr", "retention"),
    ("Vos droits", "fr", "rights"),
    ("Base légale", "fr", "legal-basis"),
    ("Finalités du traitement", "fr", "purposes"),
    ("Destinataires des données", "fr", "recipients"),
    ("Délégué à la protection des données", "fr", "dpo"),
    ("Transferts hors de l'Union européenne", "fr", "transfers"),
    ("Droit d'introduire une réclamation", "fr", "complaint"),
    ("II. Responsable du traitement", "fr", "controller"),
    # Dutch
    ("Bewaartermijn", "nl", "retention"),
    ("Hoe lang we gegevens bewaren", "nl", "retention"),
    ("Uw rechten", "nl", "rights"),
    ("Rechtsgrond", "nl", "legal-basis"),
    ("Doeleinden", "nl", "purposes"),
    ("Functionaris gegevensbescherming", "nl", "dpo"),
    ("Doorgifte buiten de EU/EER", "nl", "transfers"),
    ("Klachten bij de Autoriteit Persoonsgegevens", "nl", "complaint"),
    ("Hoe we uw gegevens beveiligen", "nl", "security"),
    # English
    ("How long we keep your data", "en", "retention"),
    ("7. Retention", "en", "retention"),
    ("Contact us", "en", "contact"),
    ("Your rights", "en", "rights"),
    ("How we use your information", "en", "purposes"),
    ("Purposes of processing", "en", "purposes"),
    ("Legal basis", "en", "legal-basis"),
    ("What data we collect", "en", "data-categories"),
    ("Categories of personal data", "en", "data-categories"),
    ("Who we share your data with", "en", "recipients"),
    ("International transfers", "en", "transfers"),
    ("Children", "en", "children"),
    ("Changes to this policy", "en", "changes"),
    ("Security", "en", "security"),
    ("Right to lodge a complaint", "en", "complaint"),
    ("Data protection officer", "en", "dpo"),
    ("Automated decision-making and profiling", "en", "automated-decisions"),
    ("Withdrawing consent", "en", "consent-withdrawal"),
    ("Where we get your data", "en", "sources"),
    ("3.1 Retention periods", "en", "retention"),
    ("A) Cookies", "en", "cookies"),
]

NEGATIVES = [
    ("Inledningsvis", "sv"), ("GDPR", "da"), ("Integritetspolicy", "sv"), ("Privacy Policy", "en"),
    ("Dina valmöjligheter för datahantering", "sv"), ("Andra valmöjligheter för integritet", "sv"),
    ("Intern sökning på webbplatserna", "sv"), ("Sociala medier", "sv"),
    ("Länkar till andra webbplatser och tjänster", "sv"),
    ("Er du klar til at starte din digitale rejse?", "da"),
    ("Hold dig opdateret ved at tilmelde dig vores nyhedsbrev nu!", "da"),
    ("Californiens civillovbog", "da"), ("Introduction", "en"), ("Definitions", "en"),
    ("Miscellaneous", "en"), ("Cookies and your rights", "en"), ("Tietosuojaseloste", "fi"),
    ("Datenschutzerklärung", "de"), ("Politique de confidentialité", "fr"),
    ("Privacyverklaring", "nl"), ("Personvernerklæring", "nb"), ("", None), ("   ", None),
    ("3.", None), ("Formål og retsgrundlag", "da"),
]


@pytest.mark.parametrize("heading,lang,kind", HEADINGS)
def test_classify_heading_with_language(heading, lang, kind):
    assert vocab.classify_heading(heading, lang) == kind


@pytest.mark.parametrize("heading,lang,kind", HEADINGS)
def test_classify_heading_without_language(heading, lang, kind):
    assert vocab.classify_heading(heading, None) == kind


@pytest.mark.parametrize("heading,lang", NEGATIVES)
def test_unclassified_headings(heading, lang):
    assert vocab.classify_heading(heading, lang) is None
    assert vocab.classify_heading(heading, None) is None


def test_every_language_has_eight_heading_cases():
    for code in vocab.LANGS:
        assert sum(1 for _, lang, _ in HEADINGS if lang == code) >= 8, code
    assert len(NEGATIVES) >= 15


def test_more_specific_pattern_wins_but_disjoint_tie_is_ambiguous():
    assert vocab.classify_heading("Right to lodge a complaint with the supervisory authority", "en") == "complaint"
    assert vocab.classify_heading("Cookies and your rights", "en") is None
    assert vocab.classify_heading("Ändamål och rättslig grund", "sv") is None


def test_heading_with_unknown_or_regional_language():
    assert vocab.classify_heading("Dina rättigheter", "sv-SE") == "rights"
    assert vocab.classify_heading("Dine rettigheter", "no") == "rights"
    assert vocab.classify_heading("Your rights", "xx") == "rights"
    # a Swedish document with an English heading
    assert vocab.classify_heading("Cookies", "sv") == "cookies"


def test_normalise_heading():
    assert vocab.normalise_heading("3.1 Hur länge sparar vi dina uppgifter?") == "hur länge sparar vi dina uppgifter"
    assert vocab.normalise_heading("II. Vos droits") == "vos droits"
    assert vocab.normalise_heading("A) Cookies") == "cookies"
    assert vocab.normalise_heading("§ 4 Rechte") == "rechte"


@pytest.mark.parametrize("code,expected", [
    ("sv", "sv"), ("sv-SE", "sv"), ("SV_se", "sv"), ("no", "nb"), ("nn", "nb"), ("nb-NO", "nb"),
    ("en-GB", "en"), ("de-AT", "de"), ("fr", "fr"), ("xx", None), ("", None), (None, None),
])
def test_normalise_lang(code, expected):
    assert vocab.normalise_lang(code) == expected


# ---------------------------------------------------------------- language detection

PARAGRAPHS = {
    "sv": "Vi behandlar dina personuppgifter för att kunna leverera tjänsten och för att "
          "uppfylla våra skyldigheter enligt lag. Uppgifterna sparas inte längre än vad som "
          "är nödvändigt, och du kan när som helst kontakta oss om du har frågor.",
    "da": "Vi behandler dine personoplysninger for at kunne levere vores tjenester, og vi "
          "opbevarer dem ikke længere end nødvendigt. Du kan altid kontakte os, hvis du har "
          "spørgsmål om, hvordan vi bruger dine oplysninger.",
    "nb": "Vi behandler personopplysningene dine for å kunne levere tjenesten, og vi lagrer "
          "dem ikke lenger enn nødvendig. Du kan når som helst ta kontakt med oss hvis du har "
          "spørsmål om hvordan vi bruker opplysningene.",
    "fi": "Käsittelemme henkilötietojasi, jotta voimme tarjota palvelun ja täyttää "
          "lakisääteiset velvoitteemme. Säilytämme tiedot vain niin kauan kuin se on tarpeen, "
          "ja voit ottaa meihin yhteyttä, jos sinulla on kysyttävää.",
    "de": "Wir verarbeiten Ihre personenbezogenen Daten, um unsere Dienste zu erbringen und "
          "unsere gesetzlichen Pflichten zu erfüllen. Die Daten werden nicht länger "
          "gespeichert, als es für diese Zwecke erforderlich ist.",
    "fr": "Nous traitons vos données personnelles pour fournir nos services et respecter nos "
          "obligations légales. Les données ne sont pas conservées plus longtemps que "
          "nécessaire et vous pouvez nous contacter à tout moment.",
    "nl": "Wij verwerken uw persoonsgegevens om onze diensten te leveren en om te voldoen aan "
          "onze wettelijke verplichtingen. De gegevens worden niet langer bewaard dan nodig is "
          "en u kunt altijd contact met ons opnemen.",
    "en": "We process your personal data to provide our services and to meet our legal "
          "obligations. The data is not kept for longer than is necessary, and you can contact "
          "us at any time if you have questions.",
}


@pytest.mark.parametrize("lang", list(PARAGRAPHS))
def test_detect_language_short_paragraphs(lang):
    assert vocab.detect_language(PARAGRAPHS[lang]) == lang


@pytest.mark.parametrize("text", ["", "Hello world", "GDPR 2018", "Kontakt: info@example.se",
                                  "Vi och de och"])
def test_detect_language_not_confident(text):
    assert vocab.detect_language(text) is None


def test_detect_language_mixed_is_not_confident():
    mixed = PARAGRAPHS["da"] + " " + PARAGRAPHS["nb"]
    assert vocab.detect_language(mixed) in (None, "da", "nb")


def _seeds():
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not available")
    return sorted(SEEDS.glob("*.txt"))


def test_detect_language_seeds():
    found = {}
    for p in _seeds():
        found[p.name] = vocab.detect_language(p.read_text("utf-8"))
    assert sorted(found.values()) == ["da", "sv", "sv"], found


def test_seed_elements_danish():
    seeds = [p for p in _seeds() if vocab.detect_language(p.read_text("utf-8")) == "da"]
    text = seeds[0].read_text("utf-8")
    found = vocab.find_elements(text, "da")
    for el in ("right-access", "right-objection", "right-erasure", "consent-withdrawal"):
        assert el in found, el
    for el in ("right-rectification", "right-restriction", "right-portability"):
        assert el not in found, el


# ---------------------------------------------------------------------------- elements

def _found(text, lang):
    return {k: [text[s:e] for s, e in v] for k, v in vocab.find_elements(text, lang).items()}


@pytest.mark.parametrize("text,lang,element", [
    ("Du har rätt att lämna klagomål till Integritetsskyddsmyndigheten (IMY).", "sv", "complaint"),
    ("Du kan klage til Datatilsynet.", "da", "complaint"),
    ("Sie haben das Recht auf Beschwerde bei einer Aufsichtsbehörde.", "de", "complaint"),
    ("Vous pouvez introduire une réclamation auprès de la CNIL.", "fr", "complaint"),
    ("U kunt een klacht indienen bij de Autoriteit Persoonsgegevens.", "nl", "complaint"),
    ("You can lodge a complaint with the ICO.", "en", "complaint"),
    ("Voit tehdä valituksen tietosuojavaltuutetulle.", "fi", "complaint"),
    ("Du kan när som helst återkalla ditt samtycke.", "sv", "consent-withdrawal"),
    ("Du kan tilbagekalde dit samtykke.", "da", "consent-withdrawal"),
    ("Du kan trekke tilbake samtykket ditt.", "nb", "consent-withdrawal"),
    ("You may withdraw your consent at any time.", "en", "consent-withdrawal"),
    ("Sie können Ihre Einwilligung jederzeit widerrufen.", "de", "consent-withdrawal"),
    ("Vous pouvez retirer votre consentement.", "fr", "consent-withdrawal"),
    ("U kunt uw toestemming intrekken.", "nl", "consent-withdrawal"),
    ("Voit peruuttaa suostumuksesi milloin tahansa.", "fi", "consent-withdrawal"),
    ("Vi behandlar uppgifterna med stöd av ditt samtycke.", "sv", "consent-basis"),
    ("Vårt dataskyddsombud nås på dso@example.se.", "sv", "dpo"),
    ("Our Data Protection Officer can be reached by post.", "en", "dpo"),
    ("Unser Datenschutzbeauftragter ist erreichbar.", "de", "dpo"),
    ("Vi överför inte uppgifter utanför EES.", "sv", "transfers"),
    ("Oplysningerne overføres ikke uden for EU/EØS.", "da", "transfers"),
    ("Data may be transferred to third countries.", "en", "transfers"),
    ("Die Daten werden nicht in Drittländer übermittelt.", "de", "transfers"),
    ("Vi använder inte automatiserat beslutsfattande.", "sv", "automated-decisions"),
    ("We do not use profiling.", "en", "automated-decisions"),
    ("Behandlingen sker med stöd av vårt berättigade intresse.", "sv", "legal-basis"),
    ("We rely on our legitimate interests.", "en", "legal-basis"),
    ("Du har rätt att begära registerutdrag.", "sv", "right-access"),
    ("Du har rätt att få felaktiga uppgifter rättade genom rättelse.", "sv", "right-rectification"),
    ("Du kan begära radering av dina uppgifter.", "sv", "right-erasure"),
    ("Du kan begära begränsning av behandlingen.", "sv", "right-restriction"),
    ("Du har rätt att invända mot behandlingen.", "sv", "right-objection"),
    ("Du har rätt till dataportabilitet.", "sv", "right-portability"),
    ("Du har ret til at anmode om en kopi af dine personlige oplysninger.", "da", "right-access"),
    ("Du kan gøre indsigelse mod behandlingen.", "da", "right-objection"),
    ("Recht auf Berichtigung und Löschung.", "de", "right-rectification"),
    ("Recht auf Datenübertragbarkeit.", "de", "right-portability"),
    ("Droit à la portabilité des données.", "fr", "right-portability"),
    ("U heeft recht op inzage.", "nl", "right-access"),
    ("You have the right to erasure.", "en", "right-erasure"),
])
def test_find_elements(text, lang, element):
    assert element in vocab.find_elements(text, lang)
    assert element in vocab.find_elements(text, None)


def test_find_elements_offsets_and_word_boundaries():
    text = "See our ICONS page. Complaints go to the ICO."
    spans = vocab.find_elements(text, "en")["complaint"]
    assert [text[s:e] for s, e in spans] == ["ICO"]
    assert "complaint" not in vocab.find_elements("ICONS and icons everywhere", "en")
    assert "complaint" not in vocab.find_elements("Kontakta IMYRA-teamet", "sv")
    assert _found("Klagomål lämnas till IMY.", "sv")["complaint"] == ["IMY"]
    # "imy" lower case is not the authority
    assert "complaint" not in vocab.find_elements("imy", "sv")


def test_find_elements_nothing():
    assert vocab.find_elements("", "sv") == {}
    assert vocab.find_elements("Hej och välkommen.", "sv") == {}


def test_element_names_cover_rights():
    names = set(vocab.element_names())
    assert set(RIGHT_ELEMENTS) <= names
    assert {"complaint", "consent-withdrawal", "consent-basis", "dpo", "transfers",
            "automated-decisions", "recipients", "legal-basis"} <= names


# ----------------------------------------------------------------------------- hygiene

def test_hygiene_outdated_any_language():
    text = "Behandlingen regleras av personuppgiftslagen (PUL) och Datainspektionen är tillsynsmyndighet."
    hits = vocab.find_hygiene(text, "en", "outdated")
    assert [text[s:e] for s, e, _ in hits] == ["personuppgiftslagen", "PUL", "Datainspektionen"]
    assert "GDPR" in hits[0][2]
    assert "IMY" in hits[2][2]
    # Danish "pul" is not the Swedish act
    assert vocab.find_hygiene("en pul på puden", "da", "outdated") == []


@pytest.mark.parametrize("text", [
    "We rely on the EU-US Privacy Shield.", "under Directive 95/46/EC", "i henhold til persondataloven",
    "i samsvar med personopplysningsloven av 2000", "Safe Harbor principles",
])
def test_hygiene_outdated_examples(text):
    assert vocab.find_hygiene(text, None, "outdated")


def test_hygiene_vague_per_language():
    hits = vocab.find_hygiene("We may use some of your data.", "en", "vague")
    assert [m for _, _, m in hits] == ["may", "some"]
    hits = vocab.find_hygiene("Vi kan komma att dela vissa uppgifter.", "sv", "vague")
    assert [m for _, _, m in hits] == ["kan komma att", "vissa"]
    assert vocab.find_hygiene("Dismay", "en", "vague") == []


@pytest.mark.parametrize("text,lang", [
    ("Please check this page regularly for updates.", "en"),
    ("Your continued use of the service means that you accept the changes.", "en"),
    ("Om du väljer att fortsätta använda tjänsten efter att förändringarna har trätt i kraft "
     "godkänner du den uppdaterade policyn.", "sv"),
    ("Hvis du ikke er enig i denne erklæring, må du ikke bruge tjenesten.", "da"),
])
def test_hygiene_unfair_change(text, lang):
    assert vocab.find_hygiene(text, lang, "unfair-change")


def test_hygiene_change_notice_and_placeholders():
    assert vocab.find_hygiene("We will notify you by email before changes.", "en", "change-notice")
    assert vocab.find_hygiene("Vi kommer att meddela dig via e-post.", "sv", "change-notice")
    text = "Skriv till [email protected] eller TODO: fyll i."
    hits = vocab.find_hygiene(text, "sv", "placeholders")
    assert [m for _, _, m in hits] == ["[email protected]", "TODO"]
    assert vocab.find_hygiene("todo list", "sv", "placeholders") == []
    assert vocab.find_hygiene("x", "sv", "no-such-group") == []


# ----------------------------------------------------------------------------- data files

@pytest.mark.parametrize("code", vocab.LANGS)
def test_language_file_layout(code):
    data = tomllib.loads((LANG_DIR / f"{code}.toml").read_text("utf-8"))
    assert data["meta"]["name"]
    assert len(data["meta"]["stopwords"]) >= 35
    assert set(data["headings"]) == set(SECTION_KINDS), set(SECTION_KINDS) ^ set(data["headings"])
    for name in RIGHT_ELEMENTS + ("complaint", "consent-withdrawal", "consent-basis", "dpo", "transfers"):
        assert data["elements"].get(name), (code, name)
    for group in ("vague", "unfair-change", "change-notice"):
        assert data["hygiene"].get(group), (code, group)
    assert set(data["units"]) == {"day", "week", "month", "year"}
    assert len(data["numbers"]) >= 12
    assert data["criteria"]["phrases"]
    v = vocab.vocabulary(code)
    assert v.code == code and v.data["meta"] == data["meta"]


def test_vocabulary_loaded_once():
    a = vocab.vocabulary("sv")
    assert vocab.vocabulary("sv-SE") is a
    assert vocab.vocabulary("xx") is None


def test_classify_heading_is_fast():
    headings = [h for h, _, _ in HEADINGS]
    vocab.classify_heading("warm up", None)
    vocab._classify_cached.cache_clear()
    t = time.perf_counter()
    for h in headings:
        vocab.classify_heading(h, None)
    per = (time.perf_counter() - t) / len(headings)
    assert per < 0.005, per


def test_every_language_has_its_three_files():
    """A language is its files: vocabulary, notice phrasing and starter template. The
    code lists none, so one forgotten file must fail here rather than in a user's run."""
    from policylint import resources
    vocab_langs = resources.shipped_langs("lang", ".toml")
    assert vocab_langs == resources.shipped_langs("templates/notice", ".toml")
    assert vocab_langs == resources.shipped_langs("templates/init", ".md")
    assert set(vocab_langs) >= {"sv", "da", "nb", "fi", "de", "fr", "nl", "en"}
