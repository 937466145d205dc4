"""Notices, the notice command and the changelog on real policy pairs through the real differ.

tests/fixtures/notice/{sv,da,en}_v1.md -> _v2.md each make three material changes
(a labelled retention period lengthened, a new recipient, a new purpose) and one
editorial one (a typo fixed), which must not show up in any notice.
"""
from __future__ import annotations

import email
import email.policy
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint import changelog as cl
from policylint import notice as nt
from policylint.cli import main

FIX = Path(__file__).parent / "fixtures" / "notice"
TODAY = date(2026, 11, 20)

# What each notice must say (in the policy's language) and must not say.
EXPECT = {
    "sv": dict(
        must=["5 år", "2 år", "fakturor", "Ruttia Analys AB", "ruttplanering",
              "15 januari 2027", "56 dagars varsel", "https://cykelbudet.example/integritet"],
        sentence="Vi sparar nu fakturor i 5 år i stället för 2 år.",
        subject="Ändringar i vår integritetspolicy: Integritetspolicy för Cykelbudet",
        never=["personuppgifer", "träder i kraft"]),
    "da": dict(
        must=["3 år", "1 år", "ordrehistorik", "Klaviyo Inc.", "nyhedsbrev",
              "1. februar 2027", "73 dages varsel", "https://rugbroed.example/privatliv"],
        sentence="Vi opbevarer nu ordrehistorik i 3 år i stedet for 1 år.",
        subject="Ændringer i vores privatlivspolitik: Privatlivspolitik for Bageriet Rugbrød ApS",
        never=["personoplysniger"]),
    "en": dict(
        must=["5 years", "2 years", "invoices", "Readwise Analytics Inc.", "recommendations",
              "1 January 2027", "42 days' notice", "https://northwind.example/privacy"],
        sentence="We now keep invoices for 5 years instead of 2 years.",
        subject="Changes to our privacy policy: Privacy Policy of Northwind Books Ltd",
        never=["bookstore", "dta", "book store"]),
}


def flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def unmd(md: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)


def unhtml(page: str) -> str:
    import html
    return html.unescape(flat(re.sub(r"<[^>]+>", "", page)))


def build(lang: str, **kw) -> nt.Notice:
    diff = nt.diff_for_files(FIX / f"{lang}_v1.md", FIX / f"{lang}_v2.md")
    return nt.build_notice(diff, today=TODAY, **kw)


@pytest.mark.parametrize("lang", ["sv", "da", "en"])
def test_real_pair_gives_one_sentence_per_material_change(lang):
    n = build(lang)
    exp = EXPECT[lang]
    assert n.material and n.lang == lang and n.subject == exp["subject"]
    assert len(n.changes) >= 3, n.changes
    assert exp["sentence"] in n.changes
    for fmt, text in (("txt", flat(nt.to_text(n))), ("md", flat(unmd(nt.to_markdown(n)))),
                      ("html", unhtml(nt.to_html(n)))):
        for word in exp["must"]:
            assert word in text, (lang, fmt, word)
        assert exp["sentence"] in text, (lang, fmt)
        for word in exp["never"]:
            assert word not in text, (lang, fmt, word)
    assert not n.warnings


@pytest.mark.parametrize("lang", ["sv", "da", "en"])
def test_real_pair_as_email(lang):
    raw = nt.to_eml(build(lang), "Privacy <privacy@shop.example>", "dpo@shop.example")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    plain, html = (p for p in msg.iter_parts())
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert plain.get_content_charset() == html.get_content_charset() == "utf-8"
    assert msg["Subject"] == EXPECT[lang]["subject"]
    assert EXPECT[lang]["sentence"] in flat(plain.get_content())
    assert EXPECT[lang]["sentence"] in unhtml(html.get_content())


def test_include_minor_lists_the_editorial_change_but_not_its_text():
    n = build("en", include_minor=True)
    assert n.minor and n.minor_summary is None
    text = nt.to_text(n)
    assert "dta" not in text and "bookstore" not in text


def test_no_material_change_between_identical_versions():
    diff = nt.diff_for_files(FIX / "en_v2.md", FIX / "en_v2.md")
    assert not nt.build_notice(diff, today=TODAY).material


# ------------------------------------------------------------------ the command

def invoke(*args: str):
    return CliRunner().invoke(main, ["notice", *args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_cli_files_each_format(fmt):
    out = invoke("--files", str(FIX / "sv_v1.md"), str(FIX / "sv_v2.md"), "--format", fmt,
                 "--today", TODAY.isoformat())
    assert out.exit_code == 0, out.output
    text = {"md": lambda s: flat(unmd(s)), "txt": flat, "html": unhtml}[fmt](out.stdout)
    assert EXPECT["sv"]["sentence"] in text


def test_cli_eml_uses_config_sender_and_writes_atomically(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".policylint.toml").write_text(
        '[notice]\nfrom = "Cykelbudet <integritet@cykelbudet.example>"\n'
        'reply-to = "dpo@cykelbudet.example"\n', "utf-8")
    for name in ("sv_v1.md", "sv_v2.md"):
        (tmp_path / name).write_text((FIX / name).read_text("utf-8"), "utf-8")
    out = invoke("--files", "sv_v1.md", "sv_v2.md", "--format", "eml", "-o", "notice.eml",
                 "--today", TODAY.isoformat())
    assert out.exit_code == 0, out.output
    msg = email.message_from_bytes((tmp_path / "notice.eml").read_bytes(), policy=email.policy.default)
    assert msg["From"] == "Cykelbudet <integritet@cykelbudet.example>"
    assert msg["Reply-To"] == "dpo@cykelbudet.example"
    again = invoke("--files", "sv_v1.md", "sv_v2.md", "--format", "eml", "-o", "notice.eml")
    assert again.exit_code == 2 and "--force" in again.output
    forced = invoke("--files", "sv_v1.md", "sv_v2.md", "--format", "eml", "-o", "notice.eml",
                    "--force", "--from", "Other <other@x.example>")
    assert forced.exit_code == 0
    msg = email.message_from_bytes((tmp_path / "notice.eml").read_bytes(), policy=email.policy.default)
    assert msg["From"] == "Other <other@x.example>"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".policylint.toml", "notice.eml",
                                                         "sv_v1.md", "sv_v2.md"]


def test_cli_eml_without_sender_fails_cleanly():
    out = invoke("--files", str(FIX / "en_v1.md"), str(FIX / "en_v2.md"), "--format", "eml")
    assert out.exit_code == 2 and "--from" in out.output


def test_cli_no_material_changes_says_so_and_writes_nothing(tmp_path):
    out = invoke("--files", str(FIX / "en_v2.md"), str(FIX / "en_v2.md"), "--format", "eml",
                 "--from", "a@b.example", "-o", str(tmp_path / "n.eml"))
    assert out.exit_code == 0 and out.stdout == ""
    assert "no material changes" in out.stderr
    assert not (tmp_path / "n.eml").exists()


def test_cli_warns_about_short_notice():
    out = invoke("--files", str(FIX / "en_v1.md"), str(FIX / "en_v2.md"), "--today", "2026-12-25")
    assert out.exit_code == 0
    assert "policylint: warning:" in out.stderr and "7 days' notice" in out.stderr


# ------------------------------------------------------------------ revisions

@pytest.fixture
def repo(tmp_path, monkeypatch):
    import git
    r = git.Repo.init(tmp_path)
    with r.config_writer() as cw:
        cw.set_value("user", "name", "T")
        cw.set_value("user", "email", "t@example.com")
    monkeypatch.chdir(tmp_path)
    for i, (da, en) in enumerate((("da_v1.md", "en_v1.md"), ("da_v2.md", "en_v2.md"))):
        (tmp_path / "privatliv.md").write_text((FIX / da).read_text("utf-8"), "utf-8")
        (tmp_path / "privacy.md").write_text((FIX / en).read_text("utf-8"), "utf-8")
        r.index.add(["privatliv.md", "privacy.md"])
        r.index.commit(f"v{i + 1}")
        r.create_tag(f"v{i + 1}")
    return r


def test_cli_revision_range_with_path(repo):
    out = invoke("--format", "txt", "--today", TODAY.isoformat(), "v1..v2", "--", "privatliv.md")
    assert out.exit_code == 0, out.output
    assert EXPECT["da"]["sentence"] in flat(out.stdout)
    out = invoke("v1..v2", "privacy.md", "--format", "txt", "--today", TODAY.isoformat())
    assert EXPECT["en"]["sentence"] in flat(out.stdout)


def test_cli_range_with_two_policies_asks_for_a_path(repo):
    out = invoke("v1..v2")
    assert out.exit_code == 2 and "privacy.md" in out.output and "privatliv.md" in out.output


def test_cli_range_rejects_option_like_revisions(repo):
    out = invoke("--", "-v1..v2")
    assert out.exit_code == 2 and "starts with '-'" in out.output
    out = invoke("v1..--output=x")
    assert out.exit_code == 2 and "starts with '-'" in out.output


def test_cli_range_without_changes(repo):
    out = invoke("v2..v2")
    assert out.exit_code == 0 and "no policy changed" in out.stderr


# ------------------------------------------------------------------ changelog

def test_changelog_is_written_updated_at_the_top_and_idempotent(tmp_path):
    log = tmp_path / "CHANGELOG.md"
    args = ["--files", str(FIX / "en_v1.md"), str(FIX / "en_v2.md"), "--changelog", str(log),
            "--today", TODAY.isoformat(), "-o", str(tmp_path / "n.md")]
    assert invoke(*args).exit_code == 0
    first = log.read_text("utf-8")
    assert first.startswith("# Changelog: Privacy Policy of Northwind Books Ltd\n")
    assert "## 3.3 (2027-01-01)" in first
    assert "- We now keep invoices for 5 years instead of 2 years." in first
    assert invoke(*args, "--force").exit_code == 0
    assert log.read_text("utf-8") == first                      # same version: no duplicate
    other = tmp_path / "OTHER.md"
    failed = invoke(*[a if a != str(log) else str(other) for a in args])   # -o exists, no --force
    assert failed.exit_code == 2 and not other.exists()        # nothing recorded for a failed run

    # an older history below, a newer version on top
    v4 = (FIX / "en_v2.md").read_text("utf-8").replace('version: "3.3"', 'version: "3.4"') \
        .replace("**Support tickets:** 6 months", "**Support tickets:** 2 years")
    (tmp_path / "v4.md").write_text(v4, "utf-8")
    assert invoke("--files", str(FIX / "en_v2.md"), str(tmp_path / "v4.md"), "--changelog", str(log),
                  "--today", TODAY.isoformat()).exit_code == 0
    text = log.read_text("utf-8")
    assert text.index("## 3.4") < text.index("## 3.3") and text.count("## 3.3") == 1
    assert "support tickets" in text
    assert cl.update_text(text, cl.Entry("3.4", date(2027, 1, 1), ("x",))).count("## 3.4") == 1


def test_changelog_text_updates_keep_other_entries():
    base = "# History\n\nSome words.\n\n## 1.1 (2026-02-01)\n\n- b\n\n## 1.0 (2026-01-01)\n\n- a\n"
    e = cl.Entry("1.2", date(2026, 3, 1), ("c <script>",))
    once = cl.update_text(base, e)
    assert once == ("# History\n\nSome words.\n\n## 1.2 (2026-03-01)\n\n- c \\<script\\>\n\n"
                    "## 1.1 (2026-02-01)\n\n- b\n\n## 1.0 (2026-01-01)\n\n- a\n")
    assert cl.update_text(once, e) == once
    replaced = cl.update_text(once, cl.Entry("1.1", date(2026, 2, 2), ("b2",)))
    assert "- b2" in replaced and "- b\n" not in replaced and replaced.count("## 1.") == 3
    assert cl.update_text(cl.update_text("", e), e) == cl.update_text("", e)
    # an editorial fix released under the same version does not wipe that version's entry
    minor = cl.Entry("1.1", date(2026, 2, 2), ("Only smaller changes.",), minor_only=True)
    assert cl.update_text(once, minor) == once


def test_cli_editorial_change_without_bump_keeps_the_changelog_entry(tmp_path):
    log = tmp_path / "CHANGELOG.md"
    assert invoke("--files", str(FIX / "en_v1.md"), str(FIX / "en_v2.md"), "--changelog", str(log),
                  "--today", TODAY.isoformat()).exit_code == 0
    before = log.read_text("utf-8")
    fixed = (FIX / "en_v2.md").read_text("utf-8").replace("online bookstore", "online book shop")
    (tmp_path / "fixed.md").write_text(fixed, "utf-8")
    out = invoke("--files", str(FIX / "en_v2.md"), str(tmp_path / "fixed.md"), "--changelog", str(log))
    assert out.exit_code == 0 and "no material changes" in out.stderr
    assert log.read_text("utf-8") == before
