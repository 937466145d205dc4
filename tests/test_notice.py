"""Change notices built from hand-made diffs: rendering, escaping, e-mail structure.

The diffs here are built from policylint.diff's dataclasses so that every
Evidence type and every hostile string can be pinned down exactly; tests that go
through the real differ on real policy pairs are in test_notice_fixtures.py.
"""
from __future__ import annotations

import email
import email.policy
import email.utils
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from policylint import notice as nt
from policylint.ast import Document, FrontMatter, FrontMatterEntry, Span
from policylint.errors import PolicylintError

from policylint.diff import Change, DocDiff, Evidence

TODAY = date(2026, 11, 20)


def unmd(md: str) -> str:
    """Markdown source with backslash escapes removed: the words a reader sees."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)


def unhtml(page: str) -> str:
    import html
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page)))


SPAN = Span(1, 1, 1, 4)


def doc(**fm) -> Document:
    entries = tuple(FrontMatterEntry(k.replace("_", "-"), v, str(v), i + 2)
                    for i, (k, v) in enumerate(fm.items()))
    return Document(path="privacy.md", front_matter=FrontMatter(entries, SPAN), blocks=(),
                    sections=(), lang=fm.get("lang"), lang_source="front-matter")


def change(kind, section, cls, *evidence, how="modified", reason="r", old=None, new=None) -> Change:
    return Change(kind=kind, section=section, change=how, classification=cls, reason=reason,
                  old=old, new=new, redline=(), evidence=tuple(evidence), old_line=10, new_line=10)


PHRASES = {
    # lang: (title, retention label, old, new, recipient, purpose label, purpose body, expected sentences)
    "sv": ("Integritetspolicy för Cykelbudet", "Fakturor", "2 år", "5 år", "Ruttia Analys AB",
           "Ruttplanering", "för att planera cykelrutter",
           ["Vi sparar nu fakturor i 5 år i stället för 2 år.",
            "Vi delar dina uppgifter med en ny mottagare: Ruttia Analys AB (ruttoptimering).",
            "Vi använder dina uppgifter för ett nytt ändamål: ruttplanering, för att planera cykelrutter.",
            "Ändringarna gäller från och med den 15 januari 2027.",
            "56 dagars varsel"]),
    "da": ("Privatlivspolitik for Bageriet Rugbrød ApS", "Ordrehistorik", "1 år", "3 år",
           "Klaviyo Inc.", "Nyhedsbrev", "for at sende dig tilbud",
           ["Vi opbevarer nu ordrehistorik i 3 år i stedet for 1 år.",
            "Vi deler dine oplysninger med en ny modtager: Klaviyo Inc. (ruttoptimering).",
            "Vi bruger dine oplysninger til et nyt formål: nyhedsbrev, for at sende dig tilbud.",
            "Ændringerne gælder fra den 15. januar 2027.",
            "56 dages varsel"]),
    "en": ("Privacy Policy of Northwind Books Ltd", "Invoices", "2 years", "5 years",
           "Readwise Analytics Inc.", "Recommendations", "to suggest books",
           ["We now keep invoices for 5 years instead of 2 years.",
            "We share your data with a new recipient: Readwise Analytics Inc. (ruttoptimering).",
            "We use your data for a new purpose: recommendations, to suggest books.",
            "The changes take effect on 15 January 2027.",
            "56 days' notice"]),
}


def make_diff(lang: str, *, title: str | None = None, editorial_text: str = "EDITORIALWORD",
              **front) -> DocDiff:
    t, label, old, new, rcpt, plabel, pbody, _ = PHRASES[lang]
    fm_old = dict(title=title or t, version="1.0", lang=lang)
    fm_new = dict(title=title or t, version="1.1", lang=lang, controller="Example AB",
                  contact="privacy@example.com", effective=date(2027, 1, 15),
                  url="https://example.com/privacy")
    fm_new.update(front)
    changes = (
        change("retention", "Retention", "material",
               Evidence("retention-lengthened", label, old, new, 730, 1825)),
        change("recipients", "Recipients", "material",
               Evidence("recipient-added", rcpt, None, f"{rcpt}: ruttoptimering"), how="added"),
        change("purposes", "Purposes", "material",
               Evidence("purpose-added", plabel, None, f"{plabel}: {pbody}"), how="added"),
        change(None, "Intro", "editorial", old=f"{editorial_text}x", new=editorial_text),
    )
    return DocDiff(doc(**fm_old), doc(**fm_new), "material", changes)


# ------------------------------------------------------------------ content per language

@pytest.mark.parametrize("lang", ["sv", "da", "en"])
def test_every_material_change_in_the_readers_language(lang):
    n = nt.build_notice(make_diff(lang), today=TODAY)
    assert n.material and n.lang == lang
    expected = PHRASES[lang][-1]
    outputs = {"txt": nt.to_text(n), "md": nt.to_markdown(n), "html": nt.to_html(n)}
    flat = {k: re.sub(r"\s+", " ", v) for k, v in outputs.items()}
    for sentence in expected:
        assert sentence in flat["txt"], (lang, sentence)
        assert sentence in unmd(flat["md"]), (lang, sentence)
        assert sentence in unhtml(flat["html"]), (lang, sentence)
    assert "EDITORIALWORD" not in flat["txt"] + flat["md"] + flat["html"]
    assert n.minor_summary and n.minor_summary in flat["txt"]
    assert "https://example.com/privacy" in flat["txt"]
    assert '<a href="https://example.com/privacy">' in flat["html"]
    assert n.days_notice == 56 and n.required_days == 30 and not n.warnings


def test_subject_is_in_the_policys_language():
    assert nt.build_notice(make_diff("sv"), today=TODAY).subject.startswith("Ändringar i vår integritetspolicy")
    assert nt.build_notice(make_diff("da"), today=TODAY).subject.startswith("Ændringer i vores privatlivspolitik")
    assert nt.build_notice(make_diff("en"), today=TODAY).subject.startswith("Changes to our privacy policy")
    assert nt.build_notice(make_diff("en"), lang="nb", today=TODAY).subject.startswith("Endringer")


def test_text_is_wrapped_at_72_columns_without_breaking_urls():
    long_url = "https://example.com/" + "a" * 90
    n = nt.build_notice(make_diff("sv", url=long_url), today=TODAY)
    text = nt.to_text(n)
    for line in text.splitlines():
        assert len(line) <= 72 or long_url in line
    assert long_url in text
    # continuation lines of a bullet are indented under its text
    assert re.search(r"^- .+\n  \S", text, re.M)


def test_days_of_notice_count_from_today_not_from_updated():
    n = nt.build_notice(make_diff("en", updated=date(2026, 1, 1)), today=date(2026, 12, 16))
    assert n.days_notice == 30
    assert "That gives you 30 days' notice." in re.sub(r"\s+", " ", nt.to_text(n))
    short = nt.build_notice(make_diff("en"), today=date(2027, 1, 5))
    assert short.days_notice == 10
    assert any("10 days' notice" in w and "2027-02-04" in w for w in short.warnings)


def test_notice_days_from_front_matter_then_config():
    class Cfg:
        notice_days = 90
        notice_url = "https://config.example/policy"
    n = nt.build_notice(make_diff("en", url=""), config=Cfg(), today=TODAY)
    assert n.required_days == 90 and n.url == "https://config.example/policy"
    assert any("90 required" in w for w in n.warnings)
    n = nt.build_notice(make_diff("en", notice_days=14), config=Cfg(), today=TODAY)
    assert n.required_days == 14


def test_missing_effective_date_is_said_and_warned():
    d = make_diff("sv")
    new_fm = tuple(e for e in d.new.front_matter.entries if e.key != "effective")
    d = replace(d, new=replace(d.new, front_matter=FrontMatter(new_fm, SPAN)))
    n = nt.build_notice(d, today=TODAY)
    assert n.effective is None and n.days_notice is None
    assert "Vi meddelar dig innan ändringarna börjar gälla." in nt.to_text(n)
    assert any("effective" in w for w in n.warnings)


def test_minor_changes_are_one_line_or_listed_with_include_minor():
    d = make_diff("en")
    minor = change("rights", "Your rights", "minor", reason="wording",
                   old="write to us", new="email us")
    d = replace(d, changes=d.changes + (minor,))
    n = nt.build_notice(d, today=TODAY)
    assert n.minor == () and "2 smaller changes" in (n.minor_summary or "")
    listed = nt.build_notice(d, include_minor=True, today=TODAY)
    assert listed.minor_summary is None
    assert "We have changed the section “Your rights”." in listed.minor
    assert "We have changed the section “Your rights”." in nt.to_text(listed)


def test_no_material_change_means_no_notice():
    d = make_diff("en")
    d = replace(d, classification="editorial", changes=d.changes[-1:])
    n = nt.build_notice(d, today=TODAY)
    assert not n.material and n.changes == ()


def test_override_trailer_is_respected():
    d = make_diff("en")
    assert not nt.build_notice(replace(d, override="editorial"), today=TODAY).material
    only_minor = replace(d, classification="minor", changes=d.changes[-1:], override="material")
    n = nt.build_notice(only_minor, today=TODAY)
    assert n.material and n.changes


@pytest.mark.parametrize("etype,label,old,new,expected", [
    ("recipient-removed", "Postnord AB", "Postnord AB: parcels", None,
     "We no longer share your data with Postnord AB: parcels."),
    ("transfer-added", None, None, "USA (standard contractual clauses)",
     "We now transfer your data outside the EU/EEA: USA (standard contractual clauses)."),
    ("controller-changed", None, "Northwind Books Ltd", "Northwind Group AB",
     "Northwind Group AB is now responsible for your data (the controller) instead of Northwind Books Ltd."),
    ("right-removed", "right-portability", "data portability", None,
     "The policy no longer describes your right to data portability."),
    ("right-removed", "right to erasure", "You may ask us to erase your data.", None,
     "The policy no longer describes your right to have your data erased."),
    ("right-removed", "Odd right", "text", None,
     "The policy no longer describes one of your rights: Odd right."),
    ("legal-basis-changed", "Newsletter", "consent", "legitimate interests",
     "We have changed the legal basis for newsletter: legitimate interests instead of consent."),
    ("automated-decisions-introduced", None, None, "credit scoring",
     "We now make automated decisions about you: credit scoring."),
    ("contact-changed", None, "privacy@a.example", "privacy@b.example",
     "You now reach us at privacy@b.example instead of privacy@a.example."),
    ("retention-lengthened", None, "2 years", "5 years", "We now keep your data for 5 years instead of 2 years."),
    ("something-new", None, None, None, "We have changed the section “Retention”."),
])
def test_each_evidence_type_has_a_plain_sentence(etype, label, old, new, expected):
    d = make_diff("en")
    d = replace(d, changes=(change("retention", "Retention", "material",
                                   Evidence(etype, label, old, new)),))
    assert nt.build_notice(d, today=TODAY).changes == (expected,)


@pytest.mark.parametrize("lang", nt.SHIPPED_LANGS)
def test_every_shipped_language_has_every_phrase(lang):
    tpl = nt.load_templates(lang)
    en = nt.load_templates("en")
    assert set(tpl["evidence"]) == set(en["evidence"])
    assert set(tpl) >= set(nt.REQUIRED_KEYS)
    n = nt.build_notice(make_diff("en"), lang=lang, today=TODAY)
    text = nt.to_text(n)
    assert "{" not in text and "}" not in text
    assert len(n.changes) == 3


def test_swedish_rights_and_legal_bases_are_translated():
    d = make_diff("sv")
    d = replace(d, changes=(
        change("rights", "Dina rättigheter", "material",
               Evidence("right-removed", "right to object", "Du kan invända.", None)),
        change("legal-basis", "Rättslig grund", "material",
               Evidence("legal-basis-changed", "Nyhetsbrev", "consent", "legitimate interests, contract")),
    ))
    assert nt.build_notice(d, today=TODAY).changes == (
        "Policyn beskriver inte längre din rätt att invända mot behandlingen.",
        "Vi har ändrat den rättsliga grunden för nyhetsbrev: berättigat intresse, avtal i stället "
        "för samtycke.")


def test_recipient_detail_comes_from_the_changed_clause():
    d = make_diff("en")
    d = replace(d, changes=(change("recipients", "Recipients", "material",
                                   Evidence("recipient-added", "Klaviyo Inc.", None, "Klaviyo Inc."),
                                   how="added", new="Klaviyo Inc.: sending newsletters"),))
    assert nt.build_notice(d, today=TODAY).changes == (
        "We share your data with a new recipient: Klaviyo Inc. (sending newsletters).",)


def test_markdown_escape():
    assert nt.md_escape("3.3 is") == "3\\.3 is"
    assert nt.md_escape("- x") == "\\- x" and nt.md_escape("x - y") == "x - y"
    assert nt.md_escape("a <b> [c](d) *e* _f_ #g &amp;") == \
        "a \\<b\\> \\[c\\](d) \\*e\\* \\_f\\_ \\#g \\&amp;"
    assert nt.md_escape("1.0", line_start=False) == "1.0"


def test_a_clause_ending_in_a_period_does_not_end_the_bullet_twice():
    d = make_diff("en")
    d = replace(d, changes=(change("recipients", "Recipients", "material",
                                   Evidence("recipient-added", "Klaviyo Inc.", None, "Klaviyo Inc."),
                                   how="added", new="Klaviyo Inc.: sending newsletters."),))
    assert nt.build_notice(d, today=TODAY).changes == (
        "We share your data with a new recipient: Klaviyo Inc. (sending newsletters).",)
    assert nt._excerpt("Readwise Analytics Inc.") == "Readwise Analytics Inc."
    assert nt._excerpt("Acme S.A.") == "Acme S.A." and nt._excerpt("wait...") == "wait..."
    assert nt._excerpt("stored in the United States.") == "stored in the United States"


@pytest.mark.parametrize("lang,sentence", [
    ("en", "We share your data with a new recipient: Product analytics (Statlyse GmbH)."),
    ("sv", "Vi delar dina uppgifter med en ny mottagare: Produktanalys (Statlyse GmbH)."),
    ("da", "Vi deler dine oplysninger med en ny modtager: Produktanalyse (Statlyse GmbH)."),
])
def test_one_added_recipient_clause_is_one_bullet(lang, sentence):
    """policies/examples: '- **Product analytics:** Statlyse GmbH, Germany, …' is added."""
    ex = Path(__file__).resolve().parents[1] / "policies" / "examples" / lang
    n = nt.build_notice(nt.diff_for_files(ex / "privacy-v1.md", ex / "privacy-v2.md"), today=TODAY)
    assert [s for s in n.changes if "Statlyse" in s] == [sentence]
    assert not any(".)." in s or ".." in s for s in n.changes)


def test_labels_are_lowercased_only_when_they_are_ordinary_words():
    assert nt._lower_first("Invoices") == "invoices"
    assert nt._lower_first("IMY") == "IMY"
    assert nt._lower_first("Stripe Payments Europe") == "Stripe Payments Europe"
    assert nt._lower_first("iPhone data") == "iPhone data"


# ------------------------------------------------------------------ hostile text

HOSTILE_TITLE = 'Policy <script>alert(1)</script>'
HOSTILE_LABEL = '"><img src=x onerror=alert(1)>'


def hostile_diff() -> DocDiff:
    d = make_diff("en", title=HOSTILE_TITLE)
    bad = change("recipients", "<script>steal()</script>", "material",
                 Evidence("recipient-added", HOSTILE_LABEL, None,
                          HOSTILE_LABEL + ": [click](javascript:alert(1)) <b>bold</b>"))
    return replace(d, changes=d.changes + (bad,))


def test_html_escapes_every_piece_of_policy_text():
    html = nt.to_html(nt.build_notice(hostile_diff(), today=TODAY))
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "<b>" not in html
    assert "javascript:" not in html.split("<body>")[1].split("</body>")[0].replace(
        "(javascript:alert(1))", "")  # only as escaped text, never as a link
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert re.findall(r"<(\w+)", html) and set(re.findall(r"<(\w+)", html)) <= {
        "html", "head", "meta", "title", "body", "h1", "p", "ul", "li", "a", "br"}


def test_markdown_keeps_hostile_text_literal():
    md = nt.to_markdown(nt.build_notice(hostile_diff(), today=TODAY))
    assert "\\<script\\>" in md and "\\[click\\]" in md
    from markdown_it import MarkdownIt
    tokens = MarkdownIt("commonmark").parse(md)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert "html_inline" not in kinds and "html_block" not in kinds
    links = [c.attrs.get("href") for t in tokens for c in (t.children or []) if c.type == "link_open"]
    assert links == ["https://example.com/privacy"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", 'https://x.example/"><script>alert(1)</script>',
                                 "https://x.example/a>b"])
def test_only_plain_http_urls_become_links(url):
    class Cfg:
        notice_url = url
    n = nt.build_notice(make_diff("en", url=""), config=Cfg(), today=TODAY)
    page = nt.to_html(n)
    assert "<script" not in page and 'href="javascript' not in page
    assert "<a " not in page
    assert url in unhtml(page)


def test_heading_like_policy_text_does_not_become_markdown_structure():
    d = make_diff("en", title="# Not a heading\n- not a list")
    md = nt.to_markdown(nt.build_notice(d, today=TODAY))
    assert md.count("\n# ") == 0 and md.startswith("# ")
    assert "\n- not a list" not in md


# ------------------------------------------------------------------ e-mail

FROM = "Northwind Privacy <privacy@northwind.example>"
REPLY = "dpo@northwind.example"


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


@pytest.mark.parametrize("lang", ["sv", "da", "en"])
def test_eml_structure_and_headers(lang):
    n = nt.build_notice(make_diff(lang), today=TODAY)
    raw = nt.to_eml(n, FROM, REPLY, to="reader@example.org")
    assert raw.isascii()                                   # 7-bit clean for any relay
    head, _, body = raw.partition(b"\r\n\r\n")
    assert all(len(line) <= 998 for line in head.split(b"\r\n"))
    assert all(len(line) <= 76 for line in body.split(b"\r\n"))   # quoted-printable limit
    msg = parse(raw)
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert [p.get_content_charset() for p in parts] == ["utf-8", "utf-8"]
    assert [k for k, _ in msg.items()] == ["Subject", "From", "To", "Reply-To", "Date", "Message-ID",
                                          "MIME-Version", "Content-Type", "Content-Language"]
    assert msg["Subject"] == n.subject
    assert msg["From"] == FROM and msg["Reply-To"] == REPLY and msg["To"] == "reader@example.org"
    assert msg["MIME-Version"] == "1.0" and msg["Content-Language"] == lang
    assert email.utils.parsedate_to_datetime(msg["Date"]) is not None
    assert re.fullmatch(r"<[^<>@\s]+@northwind\.example>", msg["Message-ID"])
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for sentence in PHRASES[lang][-1][:3]:
        assert sentence in re.sub(r"\s+", " ", plain)
        assert sentence in unhtml(html)
    assert plain.replace("\r\n", "\n") == nt.to_text(n)


@pytest.mark.parametrize("title", [
    "Privacy\nBcc: victim@evil.example",
    "Privacy\r\nBcc: victim@evil.example",
    "Privacy\rX-Injected: yes",
    "Privacy\u2028Bcc: victim@evil.example",
    "Privacy\x85Bcc: victim@evil.example",
])
def test_a_title_with_a_line_break_cannot_inject_a_header(title):
    n = nt.build_notice(make_diff("en"), today=TODAY)
    n = replace(n, title=title, subject=f"Changes: {title}")    # even if it reached the Notice
    msg = parse(nt.to_eml(n, FROM, REPLY))
    assert [k for k, _ in msg.items()] == ["Subject", "From", "Reply-To", "Date", "Message-ID",
                                          "MIME-Version", "Content-Type", "Content-Language"]
    assert "\n" not in msg["Subject"] and "\r" not in msg["Subject"]
    assert msg["Subject"].startswith("Changes: Privacy ")
    # and build_notice itself reduces a title to one line
    n2 = nt.build_notice(make_diff("en", title=title), today=TODAY)
    assert "\n" not in n2.subject and "\r" not in n2.subject and "\u2028" not in n2.subject


@pytest.mark.parametrize("bad", ["a@b.example\nBcc: c@d.example", "not an address", "x@y\r\n"])
def test_addresses_with_line_breaks_or_no_address_are_refused(bad):
    n = nt.build_notice(make_diff("en"), today=TODAY)
    with pytest.raises(PolicylintError):
        nt.to_eml(n, bad, REPLY)
    with pytest.raises(PolicylintError):
        nt.to_eml(n, FROM, bad)


def test_eml_needs_a_sender():
    n = nt.build_notice(make_diff("en"), today=TODAY)
    with pytest.raises(PolicylintError, match="sender"):
        nt.to_eml(n, None, None)


def test_html_eml_part_escapes_hostile_text():
    msg = parse(nt.to_eml(nt.build_notice(hostile_diff(), today=TODAY), FROM, REPLY))
    html = msg.get_body(("html",)).get_content()
    assert "<script" not in html.lower() and "<img" not in html.lower()


# ------------------------------------------------------------------ templates from config

def test_config_templates_folder_overrides_shipped_phrasings(tmp_path):
    (tmp_path / "sv.toml").write_text(
        'greeting = "Hej på dig!"\n[evidence]\n'
        'retention-lengthened = "Nu sparas {label_lc} {new} (förut {old})."\n', "utf-8")
    (tmp_path / "xx.toml").write_text((nt.resources.path("templates", "notice", "en.toml"))
                                      .read_text("utf-8").replace("Hello,", "Howdy,"), "utf-8")

    class Cfg:
        notice_templates = str(tmp_path)
    n = nt.build_notice(make_diff("sv"), config=Cfg(), today=TODAY)
    assert n.greeting == "Hej på dig!"
    assert n.changes[0] == "Nu sparas fakturor 5 år (förut 2 år)."
    assert n.changes[1].startswith("Vi delar dina uppgifter")       # other keys: shipped
    assert nt.build_notice(make_diff("sv"), config=Cfg(), lang="xx", today=TODAY).greeting == "Howdy,"


def test_broken_override_is_a_config_error(tmp_path):
    (tmp_path / "en.toml").write_text('greeting = "unterminated\n', "utf-8")

    class Cfg:
        notice_templates = str(tmp_path)
    with pytest.raises(PolicylintError, match="invalid TOML"):
        nt.build_notice(make_diff("en"), config=Cfg(), today=TODAY)


@pytest.mark.parametrize("content,message", [
    ('greeting = "Hi {name},"\n', "unknown placeholder {name}"),
    ('greeting = 3\n', "must be a string"),
    ('[evidence]\nrecipient-added = ["New: {label"]\n', "brace"),
])
def test_mistakes_in_an_override_are_named(tmp_path, content, message):
    (tmp_path / "en.toml").write_text(content, "utf-8")

    class Cfg:
        notice_templates = str(tmp_path)
    with pytest.raises(PolicylintError, match=message):
        nt.build_notice(make_diff("en"), config=Cfg(), today=TODAY)


def test_language_fallbacks():
    assert nt.normalise_lang("sv-SE") == "sv" and nt.normalise_lang("no") == "nb"
    d = make_diff("en")
    d = replace(d, new=replace(d.new, lang="is"), old=replace(d.old, lang="is"))
    n = nt.build_notice(d, today=TODAY)
    assert n.lang == "en" and any("'is'" in w for w in n.warnings)
    with pytest.raises(PolicylintError, match="available"):
        nt.build_notice(make_diff("en"), lang="tlh", today=TODAY)


def test_parse_range_rejects_options():
    assert nt.parse_range("v1..v2") == ("v1", "v2")
    assert nt.parse_range("v1..") == ("v1", "HEAD")
    assert nt.parse_range("v1") == ("v1", "HEAD")
    for bad in ("--output=x..HEAD", "v1..-x", "..HEAD", "a...b"):
        with pytest.raises(PolicylintError):
            nt.parse_range(bad)


# ------------------------------------------------------------------ any text at all

from hypothesis import given, settings  # noqa: E402  (a test extra, like pytest)
from hypothesis import strategies as st  # noqa: E402

_ALLOWED_TAGS = {"html", "head", "meta", "title", "body", "h1", "p", "ul", "li", "a", "br"}


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1, max_size=60), label=st.text(max_size=40), body=st.text(max_size=80))
def test_no_policy_text_becomes_markup_or_a_header(title, label, body):
    d = make_diff("en", title=title)
    d = replace(d, changes=d.changes + (change("recipients", label or "x", "material",
                                                Evidence("recipient-added", label or None, None,
                                                         f"{label}: {body}")),))
    n = nt.build_notice(d, today=TODAY)
    page = nt.to_html(n)
    assert set(re.findall(r"<([a-zA-Z][\w-]*)", page)) <= _ALLOWED_TAGS
    assert re.findall(r'href="([^"]*)"', page) == ["https://example.com/privacy"]
    msg = parse(nt.to_eml(n, FROM, REPLY))
    assert [k for k, _ in msg.items()] == ["Subject", "From", "Reply-To", "Date", "Message-ID",
                                          "MIME-Version", "Content-Type", "Content-Language"]
    assert msg["Subject"] == n.subject
