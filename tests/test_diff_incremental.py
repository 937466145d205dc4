"""The shortcuts that keep `policylint log` fast give the answers the long way gives.

A version's sections are found by re-scanning only around what changed since the
version before (``_Layout.derive``); a section is parsed in pieces (``_pieces``) so that
its next version re-parses only the paragraph that changed; matching skips the sections
both versions share at the start and end (``_trim``); the old policy's normalised text is
built from its sections'; redlines are made when first read. Each is checked here
against the plain computation, on the fixtures and on generated text (seeded, so a
failure repeats). tests/test_history_corpus.py does the same on real history.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from policylint import classify as C
from policylint import diff as D
from policylint.diff import Change, DiffCache, change_json, diff_texts

FIXTURES = Path(__file__).parent / "fixtures"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("**/*.md"))]

# Lines that move section boundaries, fences, front matter, lists, tables, paragraphs.
PIECES = ["# H", "## Sub {#retention}", "Title", "=====", "----", "---", "--", "```", "~~~",
          "  ```", "para text", "", "", "- item", "  - nested", "> q", "1. x", "2) y",
          "<div>", "</div>", "| a | b |", "|---|---|", "    code", "#", "### x ###", "...",
          "text: value", "**Label:** body", "[link](https://example.com)", "Heading",
          "Other para", "We keep invoices for 7 years.", "***", "  continued"]


def _mutate(rng: random.Random, lines: list[str]) -> list[str]:
    out = list(lines)
    for _ in range(rng.randint(1, 3)):
        k = rng.randint(0, len(out))
        op = rng.random()
        if op < 0.4:
            out.insert(k, rng.choice(PIECES))
        elif op < 0.7 and out:
            del out[min(k, len(out) - 1)]
        elif out:
            out[min(k, len(out) - 1)] += rng.choice(["", " x", "#", "`", "-", "="])
    return out


def _texts(rng: random.Random, n: int):
    """(text, next version of it) pairs: fixtures and generated, with and without front matter."""
    for _ in range(n):
        if rng.random() < 0.5:
            lines = rng.choice(TEXTS).split("\n")
        else:
            lines = [rng.choice(PIECES) for _ in range(rng.randint(0, 40))]
        if rng.random() < 0.3:
            lines = ["---", "lang: en"] + (["---"] if rng.random() < 0.8 else []) + lines
        end = "\n" if rng.random() < 0.7 else ""
        yield "\n".join(lines) + end, "\n".join(_mutate(rng, lines)) + end


def _same_layout(a: D._Layout, b: D._Layout) -> bool:
    return (a.starts, a.cstarts, a.raws, a.pre, a.total, a.fm_end) == \
        (b.starts, b.cstarts, b.raws, b.pre, b.total, b.fm_end)


def test_layout_derived_from_another_version_is_the_layout_of_the_text():
    rng = random.Random(20260115)
    derived = 0
    for old, new in _texts(rng, 3000):
        for a, b in ((old, new), (new, old)):
            full = D._Layout.of(b)
            assert full.starts == D._split(b)[1]
            got = D._Layout.of(a).derive(b)
            assert _same_layout(got, full), (a, b)
            derived += got.same > 0
    assert derived > 1000          # the shortcut was taken, not just the fallback


def test_layout_of_odd_texts():
    for junk in ("", "\n", "\n\n", "---", "---\n", "---\ntitle: x\n", "# only", "# only\n",
                 "x\n===\n", "```\n# not\n```\n# h\n", "  \n# a\n\n## b\n"):
        for other in ("", "# a\n", junk + "tail\n", "head\n" + junk):
            assert _same_layout(D._Layout.of(junk).derive(other), D._Layout.of(other))


def test_common_prefix_and_suffix():
    rng = random.Random(7)
    for _ in range(3000):
        a = "".join(rng.choice("ab\n") for _ in range(rng.randint(0, 9000)))
        cut = rng.randint(0, len(a))
        b = a[:cut] + "".join(rng.choice("ab\n") for _ in range(rng.randint(0, 40))) \
            + (a[rng.randint(0, len(a)):] if rng.random() < 0.5 else "")
        cp = D._common_prefix(a, b)
        want = 0
        while want < min(len(a), len(b)) and a[want] == b[want]:
            want += 1
        assert cp == want
        limit = min(len(a), len(b)) - cp
        want = 0
        while want < limit and a[-1 - want] == b[-1 - want]:
            want += 1
        assert D._common_suffix(a, b, limit) == want


def _unit_key(u) -> tuple:
    f = u.facts
    facts = None if f is None else (f.durations, f.emails, f.urls, f.phones)
    return (u.text, u.raw, u.label, u.label_key, u.norm, u.line, facts, u.durations)


def _section_chunks():
    rng = random.Random(99)
    for text in TEXTS:
        yield from D._Layout.of(text).raws
    for _ in range(400):
        lines = ["## Section"] + [rng.choice(PIECES + ["", "", "Paragraph text.",
                                                       "Another paragraph."])
                                  for _ in range(rng.randint(0, 30))]
        yield "\n".join(lines)


def test_section_parsed_in_pieces_gives_the_units_of_the_whole():
    cut = 0
    for chunk in _section_chunks():
        cache = DiffCache()
        pieces = D._pieces(chunk)
        cut += len(pieces) > 1
        assert "\n".join(p for _, p in pieces) == chunk
        whole = [_unit_key(u) for u in D._chunk_units(chunk)]
        assert [_unit_key(u) for u in cache.body(chunk, chunk)] == whole, chunk
        assert [_unit_key(u) for u in D._parsed_units(chunk)] == whole, chunk
        assert D._chunk_bare(D._heading_lines(chunk)) == D._chunk_bare(chunk), chunk
    u = D._chunk_units("Para **Label:** text, 2 years.\n\n- item")[0]
    moved = u.shifted(3)
    assert [getattr(moved, n) for n in D._Unit.__slots__] == \
        [getattr(u, n) + 3 if n == "line" else getattr(u, n) for n in D._Unit.__slots__]
    assert cut > 50


def test_fast_word_split_is_the_regex_split():
    """classify._words replaces the regex on every character: check every code point."""
    import re
    nonword = re.compile(r"[\W_]+")
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        assert (not nonword.fullmatch(ch)) == ch.isalnum(), hex(cp)
    rng = random.Random(3)
    alphabet = [chr(c) for c in range(0x3000)] + ["\U0001F600", "\U00010400", "\ud800"] \
        + list("ab _-.\n\t’“”–é")
    for _ in range(20000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert C._words(t) == nonword.sub(" ", t).strip(), repr(t)
    for text in TEXTS:
        assert C._words(text) == nonword.sub(" ", text).strip()


def _plain_hits(stems, text):
    """classify._positive_hits the long way: every sentence, every stem."""
    out = set()
    for s in C.sentences(text):
        if not set(C.norm(s).split()) & C._NEGATIONS:
            out |= C.found(stems, s)
    return out


def test_narrowed_topic_search_finds_what_the_plain_search_finds():
    rng = random.Random(11)
    words = ["we", "do", "not", "transfer", "data", "to", "the", "United", "States", "third",
             "countries", "outside", "the", "EEA", "profiling", "automated", "decisions",
             "stored", "in", "India", "China.", "No", "U.S.", "servers;", "\n", "USA!"]
    texts = list(TEXTS) + [" ".join(rng.choice(words) for _ in range(rng.randint(0, 60)))
                           for _ in range(2000)]
    for text in texts:
        assert C._positive_hits(C.ADM, text) == _plain_hits(C.ADM, text)
        want = set()
        for s in C.sentences(text):
            if set(C.norm(s).split()) & C._NEGATIONS:
                continue
            if C.found(C.TRANSFERS, s):
                want.add("third countries")
            want |= {c for c, stems in C.COUNTRIES.items()
                     if C.found(stems, s) and C.found(C.TRANSFER_CONTEXT, s)}
        assert C.transfer_hits(text) == want, text


def test_short_reads_only_the_start_but_cuts_as_the_whole():
    rng = random.Random(2)
    for _ in range(20000):
        t = "".join(rng.choice("ab  \n\t\u00a0c") for _ in range(rng.randint(0, 800)))
        limit = rng.choice([5, 40, 60, 200])
        whole = " ".join(t.split())
        assert C.short(t, limit) == (whole if len(whole) <= limit
                                     else whole[:limit - 1].rstrip() + "…"), (t, limit)


def test_norms_made_from_parts_are_the_norms():
    """A section's body text and its words are normalised from their parts, not again."""
    odd = ["## É\u0301 x\n\nÅ\u030a ﬁ ß Σ_\n\n- \u0301 y\n", "## \n\n\n", "## a\n\n`_`\n"]
    for chunk in [*_section_chunks(), *odd]:
        C.forget()
        sec = D._Sec(chunk, 0, None, None, DiffCache(), lambda: "en", {})
        text, full = sec.text(), sec.full()
        made = C.norm(text), C.norm(full)
        C.forget()
        assert made == (C.norm(text), C.norm(full)), chunk
        assert sec.words == frozenset(C.norm(chunk.partition("\n")[2]).split()), chunk


def test_normalised_full_text_from_sections():
    cache = DiffCache()
    for text in TEXTS + ["", "\n\n", "no headings", "# only\n", "---\ntitle: x\n",
                         "x\u0301\n# \u0301é\n", "\ufeff# bom\r\nx\r\n", "# A\n\n---\n\n# B ...\n"]:
        view = D._view_of_text(text, cache)
        assert view.padded() == C._padded(view.full_text())


def _json(d) -> tuple:
    return d.classification, [change_json(c) for c in d.changes]


def test_trimmed_matching_gives_the_full_matching(monkeypatch):
    """Shared leading/trailing sections skipped, duplicates and moves included."""
    rng = random.Random(5)
    sections = [f"## S{k}\n\nText of section {k} about invoices and {k} years.\n" for k in range(8)]
    sections += ["## Dup\n\nSame text.\n", "## Dup\n\nSame text.\n",
                 "## Retention {#retention}\n\nWe keep invoices for 2 years.\n"]
    pairs = []
    for _ in range(300):
        old = [rng.choice(sections) for _ in range(rng.randint(1, 10))]
        new = list(old)
        for _ in range(rng.randint(1, 3)):
            k = rng.randint(0, len(new))
            op = rng.random()
            if op < 0.3:
                new.insert(k, rng.choice(sections))
            elif op < 0.5 and new:
                del new[min(k, len(new) - 1)]
            elif op < 0.7 and len(new) > 1:
                i, j = rng.sample(range(len(new)), 2)
                new[i], new[j] = new[j], new[i]
            elif new:
                i = min(k, len(new) - 1)
                new[i] = new[i].replace("years", "months") + "More text.\n"
        pairs.append(("# Policy\n\n" + "\n".join(old), "# Policy\n\n" + "\n".join(new)))
    fast = [_json(diff_texts(a, b)) for a, b in pairs]
    monkeypatch.setattr(D, "_trim", lambda O, N: (0, 0))
    assert [_json(diff_texts(a, b)) for a, b in pairs] == fast


def test_trimmed_unit_matching_gives_the_full_matching():
    """Units the same at both ends of a section are paired in place, repeats included."""
    rng = random.Random(8)
    paras = ["Same text.", "Other text.", "- **Invoices:** 2 years", "- **Invoices:** 5 years",
             "We keep data.", "We keep your data.", "[Play](https://a.example)",
             "[Play](https://b.example)", "Text of paragraph three about invoices."]
    for _ in range(1500):
        old = [rng.choice(paras) for _ in range(rng.randint(0, 9))]
        new = list(old)
        for _ in range(rng.randint(1, 3)):
            k = rng.randint(0, len(new))
            if rng.random() < 0.5:
                new.insert(k, rng.choice(paras))
            elif new:
                new[min(k, len(new) - 1)] = rng.choice(paras)
        ou, nu = (D._chunk_units("\n\n".join(x)) for x in (old, new))
        assert D._match_units(ou, nu) == D._match_all_units(ou, nu), (old, new)


def test_trim_declines_when_a_changed_section_repeats_a_shared_one():
    cache = DiffCache()
    a = D._view_of_text("# A\n\nx\n# B\n\ny\n# A\n\nx\n", cache)
    b = D._view_of_text("# A\n\nx\n# A\n\nx\n# B\n\ny\n# A\n\nx\n", cache)
    assert D._trim(a.sections, b.sections) == (0, 0)
    c = D._view_of_text("# A\n\nx\n# C\n\nz\n# A\n\nx\n", cache)
    assert D._trim(a.sections, c.sections) == (1, 1)


def test_redline_made_when_first_read():
    c = Change("retention", "Retention", "modified", "material", "r", "We keep invoices for 2 years.",
               "We keep invoices for 5 years.", None, (), 1, 1)
    assert c.__dict__["redline"] is None
    assert c.redline == (("=", "We keep invoices for"), ("-", "2"), ("+", "5"), ("=", "years."))
    given = Change(None, "s", "moved", "editorial", "r", "a", "a", (("=", "a"),), (), 1, 2)
    assert given.redline == (("=", "a"),)
    same = Change("retention", "Retention", "modified", "material", "r", c.old, c.new,
                  c.redline, (), 1, 1)
    assert same == c and hash(same) == hash(c)
    assert change_json(c)["redline"] == [["=", "We keep invoices for"], ["-", "2"], ["+", "5"],
                                         ["=", "years."]]


@pytest.mark.parametrize("lang", ["sv", "da", "en"])
def test_views_derived_along_a_history_agree_with_fresh_views(lang):
    """A walk through versions (each view derived from the last) sees what fresh views see."""
    base = (FIXTURES / "diff" / f"{lang}.md").read_text(encoding="utf-8")
    rng = random.Random(lang)
    versions = [base]
    for _ in range(12):
        lines = versions[-1].split("\n")
        k = rng.randrange(len(lines))
        lines[k] = lines[k] + rng.choice([" Updated.", "", " 3 years"])
        if rng.random() < 0.3:
            lines.insert(rng.randrange(len(lines)), rng.choice(["", "## New heading", "New text."]))
        versions.append("\n".join(lines))
    cache = DiffCache()
    for k in range(len(versions) - 1, 0, -1):
        walked = diff_texts(versions[k - 1], versions[k], cache=cache, old_key=k - 1, new_key=k)
        assert _json(walked) == _json(diff_texts(versions[k - 1], versions[k]))
