"""Properties over generated input: the parser never raises and always returns a
Document; `fmt` never raises, is idempotent, and when it refuses a document (its
AST check failed) that is counted, not hidden."""
from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from policylint.ast import Document
from policylint.fmt import format_source, structure
from policylint.parser import parse, parse_bytes

# Line fragments that hit every branch of the line lexer, in any order and nesting.
FRAGMENTS = [
    "", "", "", "text line", "Lagringstid: 2 år", "**Invoices:** 7 years", "# Heading",
    "## Section {#retention}", "### Bad {#Not Valid}", "Title", "=====", "-----", "---", "***",
    "- item", "* item", "+ item", "• item", "1. one", "2) two", "10. ten", "-", "  - nested",
    "    - deeper", "   continuation", "      indented more", "\tTabbed", "-\ttab item",
    "> quote", ">", "lazy", "```", "```py", "~~~", "    code", "<div>", "</div>", "<!--",
    "-->", "<!-- policylint-disable PL204 -->", "<!-- policylint-enable junk -->",
    "<!-- policylint-disable-next-line -->", "| a | b |", "|---|---|", "| c | d |",
    "a | b", "--- | ---", "1\\. escaped", "  ## indented heading", "  ---", "  ===",
    "- # heading in item", "1.  THE PART", "    ------", "key: value", "{{ Placeholder }}",
    "<https://example.com>", "[link](https://x.example) and mail@example.com", " ", "\u00a0",
    "\ufeff", "\r", "#", "######", "####### seven", "- - -", "* - -", "`inline`", "&amp;",
]

markdownish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40,
).map("\n".join)
front = st.sampled_from(["", "---\ntitle: x\n---\n", "---\nlang: sv\n", "---\n\n",
                         "---\neffective: 2026-02-30\n...\n"])
documents = st.builds(lambda f, b: f + b, front, markdownish)

FMT_STATS = {"formatted": 0, "refused": 0}
SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text())
def test_parse_any_text_returns_document(text):
    assert isinstance(parse(text, "h.md"), Document)


@SETTINGS
@given(documents)
def test_parse_markdownish_returns_document(text):
    doc = parse(text, "h.md")
    assert isinstance(doc, Document)
    for s in doc.walk():
        assert s.span.line <= s.end_line or s.end_line == s.span.line - 1


@SETTINGS
@given(st.binary())
def test_parse_bytes_any_bytes_returns_document(data):
    assert isinstance(parse_bytes(data, "h.md"), Document)


@SETTINGS
@given(st.one_of(documents, st.text()))
def test_fmt_never_raises_and_is_idempotent(text):
    result = format_source(text, "h.md")
    if result.formatted is None:
        FMT_STATS["refused"] += 1
        event("fmt refused")
        assert result.error
        return
    FMT_STATS["formatted"] += 1
    out = result.formatted
    again = format_source(out, "h.md")
    assert again.formatted == out
    assert structure(parse(out, "h.md", classify_headings=False, validate=False)) == \
        structure(parse(text, "h.md", classify_headings=False, validate=False))


def test_fmt_refusals_are_rare():
    """Run after the property above (file order): refusals are counted and stay rare."""
    total = FMT_STATS["formatted"] + FMT_STATS["refused"]
    if not total:
        return
    print(f"\nfmt on generated documents: {FMT_STATS['formatted']} formatted, "
          f"{FMT_STATS['refused']} refused")
    assert FMT_STATS["refused"] <= total * 0.1
