"""The parser on small, named cases: each Markdown construct, the dialect's
additions, repairs with their diagnostics, and `policylint parse`."""
from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from policylint.ast import (
    BlockQuote, CodeBlock, Directive, Paragraph, Table, ThematicBreak, block_text,
)
from policylint.cli import main
from policylint.parser import parse, parse_bytes, split_lines, tokenize


def doc_of(src: str, **kw):
    return parse(textwrap.dedent(src), "t.md", **kw)


def kinds(blocks) -> list[str]:
    return [type(b).__name__ for b in blocks]


def codes(doc) -> list[str]:
    return [d.rule for d in doc.diagnostics]


# ------------------------------------------------------------------ headings

def test_atx_and_setext_headings_nest_by_level():
    d = doc_of("""\
        Title
        =====

        Part one
        --------

        ### Detail ###

        # Second top
        """)
    assert [(s.heading, s.level, s.style) for s in d.walk()] == [
        ("Title", 1, "setext"), ("Part one", 2, "setext"), ("Detail", 3, "atx"),
        ("Second top", 1, "atx")]
    assert d.sections[0].end_line == 7


def test_escaped_number_in_setext_heading():
    d = doc_of("1\\. Collection of data\n-----------------------\n\ntext\n")
    s = d.sections[0]
    assert (s.heading, s.heading_raw, s.level) == ("1. Collection of data", "1\\. Collection of data", 2)


def test_tags_kinds_anchors_and_invalid_tags():
    d = doc_of("""\
        ## Storage {#retention}
        ## Newsletter {#newsletter}
        ## Bad {#Not Valid!}
        """, classify_headings=False)
    a, b, c = d.sections
    assert (a.tag, a.kind, a.kind_source) == ("retention", "retention", "tag")
    assert (b.tag, b.kind) == ("newsletter", None)
    assert c.tag is None and c.heading == "Bad {#Not Valid!}"   # kept, not dropped
    [diag] = d.diagnostics
    assert (diag.rule, diag.line, diag.column) == ("PL001", 3, 8)


def test_hash_without_space_is_text_and_empty_heading_is_allowed():
    d = doc_of("#hashtag\n\n##\n")
    assert isinstance(d.blocks[0], Paragraph)
    assert d.sections[0].heading == "" and d.sections[0].level == 2


def test_setext_dash_after_text_is_heading_but_alone_is_a_break():
    d = doc_of("Intro\n---\n\n---\n\ntext\n")
    assert d.sections[0].heading == "Intro"
    assert kinds(d.sections[0].blocks) == ["ThematicBreak", "Paragraph"]


# ------------------------------------------------------------------ lists

def test_star_bullets_with_wide_spacing_and_lazy_lines():
    d = doc_of("""\
        *   Identity: name and email
        lazy continuation
        *   Payment: card
        """)
    [lst] = d.blocks
    assert [i.text for i in lst.items] == ["Identity: name and email lazy continuation",
                                           "Payment: card"]
    assert lst.items[0].clause.label == "Identity"


def test_continuation_after_nested_list_goes_by_content_column():
    d = doc_of("""\
        *   Contact data: name.

            *   email
            *   phone

                phone paragraph

            Back in contact data.
        *   Payment data.
        """)
    [lst] = d.blocks
    outer = lst.items[0]
    assert kinds(outer.children) == ["ListBlock", "Paragraph"]
    assert outer.children[1].text == "Back in contact data."
    nested = outer.children[0]
    assert nested.items[1].text == "phone phone paragraph"
    assert lst.items[1].text == "Payment data."


def test_continuation_paragraph_before_children_joins_item_text():
    d = doc_of("- first\n\n  second paragraph\n- next\n")
    [lst] = d.blocks
    assert lst.items[0].raw == "first\n\nsecond paragraph"
    assert lst.items[0].span.end_line == 3


def test_under_indented_text_after_blank_ends_the_list():
    d = doc_of("1. one\n\n  not in the item (indent 2 < content column 3)\n")
    assert kinds(d.blocks) == ["ListBlock", "Paragraph"]


def test_ordered_and_bullet_runs_become_separate_lists():
    d = doc_of("- a\n- b\n1. c\n2. d\n")
    assert [(b.ordered, len(b.items)) for b in d.blocks] == [(False, 2), (True, 2)]


def test_only_one_can_interrupt_a_paragraph():
    d = doc_of("In 2026 we\n2. changed things\n\nList:\n1. first\n")
    assert kinds(d.blocks) == ["Paragraph", "Paragraph", "ListBlock"]
    assert d.blocks[0].text == "In 2026 we 2. changed things"


def test_tab_indented_nested_items():
    d = parse("-\tone\n\t-\tnested\n", "t.md")
    [lst] = d.blocks
    assert lst.items[0].children[0].items[0].text == "nested"


def test_fence_inside_list_item_is_a_child_block():
    d = doc_of("""\
        - item

          ```
          code
          ```
        - next
        """)
    [lst] = d.blocks
    [code] = lst.items[0].children
    assert isinstance(code, CodeBlock) and code.code == "code"
    assert len(lst.items) == 2


def test_deep_nesting_is_capped_not_recursed():
    src = "".join("  " * k + "- x\n" for k in range(200))
    d = parse(src, "t.md")
    depth, b = 0, d.blocks[0]
    while b.items[-1].children:
        b = b.items[-1].children[0]
        depth += 1
    assert depth < 40


# ------------------------------------------------------------------ other blocks

def test_table_with_alignment_escaped_pipe_and_row_without_outer_pipes():
    d = doc_of("""\
        | Data | Period |
        |:-----|------:|
        | Invoices | 7 years \\| law |
        Logs | 30 days
        """)
    [t] = d.blocks
    assert isinstance(t, Table)
    assert t.header == ("Data", "Period")
    assert t.rows == (("Invoices", "7 years | law"), ("Logs", "30 days"))


def test_pipe_line_over_dashes_with_other_cell_count_is_a_heading():
    d = doc_of("a | b\n---\n")
    assert d.sections[0].heading == "a | b"


def test_html_block_kinds():
    d = doc_of("""\
        <div class="x">
        text
        </div>

        <!--
        note
        -->

        <b>inline html starts a paragraph-like block only alone</b> and more
        """)
    assert kinds(d.blocks) == ["HtmlBlock", "HtmlBlock", "Paragraph"]


def test_autolink_at_line_start_is_text():
    d = doc_of("<https://example.com> and <privacy@example.com>\n")
    [p] = d.blocks
    assert isinstance(p, Paragraph) and p.text == "https://example.com and privacy@example.com"


def test_quote_with_lazy_line_code_and_breaks():
    d = doc_of("""\
        > quoted
        lazy

        ```py
        # not a heading
        ```

            indented

            code

        ***
        """)
    q, fence, code, hr = d.blocks
    assert isinstance(q, BlockQuote) and q.text == "quoted lazy"
    assert fence.info == "py" and fence.code == "# not a heading"
    assert code.code == "indented\n\ncode"
    assert isinstance(hr, ThematicBreak)


def test_directives():
    d = doc_of("""\
        <!-- policylint-disable PL204, PL301 -->
        <!-- policylint-enable -->
        <!-- policylint-disable-next-line PL302 -->
        text
        """)
    a, b, c, _ = d.blocks
    assert isinstance(a, Directive) and a.rules == ("PL204", "PL301") and a.action == "disable"
    assert b.action == "enable" and b.rules == ()
    assert c.action == "disable-next-line"
    assert not d.diagnostics


def test_directive_with_junk_is_reported():
    d = doc_of("<!-- policylint-disable PL204 because -->\n")
    assert codes(d) == ["PL001"]


def test_clause_forms():
    d = doc_of("""\
        **Invoices:** 7 years

        **Tickets**: 2 years

        Logs: 90 days

        This is a sentence. Not: a clause
        """)
    labels = [b.clause.label if b.clause else None for b in d.blocks]
    assert labels == ["Invoices", "Tickets", "Logs", None]


def test_a_plain_label_is_at_most_eight_words():
    """docs/dialect.md §3: a sentence that ends in a colon introduces a list, it is no label."""
    d = doc_of("""\
        Uppgifter om dig som kund hos oss idag: två år

        Vi anlitar biträden som behandlar uppgifter för vår räkning: PostNord och Klarna.

        **Vi anlitar biträden som behandlar uppgifter för vår räkning:** PostNord
        """)
    labels = [b.clause.label if b.clause else None for b in d.blocks]
    assert labels == ["Uppgifter om dig som kund hos oss idag", None,
                      "Vi anlitar biträden som behandlar uppgifter för vår räkning"]


# ------------------------------------------------------------------ front matter

def test_front_matter_values():
    d = doc_of("""\
        ---
        title: "Policy"
        version: '2.0'
        # a comment

        effective: 2026-01-15
        notice-days: 30
        services: [a, "b, c"]
        ---
        # Title
        """)
    fm = d.front_matter.as_dict()
    assert fm["title"] == "Policy" and fm["version"] == "2.0"
    assert fm["effective"].isoformat() == "2026-01-15" and fm["notice-days"] == 30
    assert fm["services"] == ["a", "b, c"]
    assert d.sections[0].heading == "Title"


def test_unclosed_front_matter_is_repaired_and_reported():
    d = doc_of("---\ntitle: x\nlang: en\n\n# Heading\n\nBody.\n")
    assert d.front_matter.as_dict() == {"title": "x", "lang": "en"}
    assert codes(d) == ["PL001"]
    assert d.sections[0].heading == "Heading"


def test_unclosed_front_matter_does_not_swallow_up_to_a_later_rule():
    d = doc_of("---\ntitle: x\n\nProse here.\n\n---\n\nMore.\n")
    assert d.front_matter.as_dict() == {"title": "x"}
    assert kinds(d.blocks) == ["Paragraph", "ThematicBreak", "Paragraph"]


def test_leading_rule_without_keys_is_not_front_matter():
    d = doc_of("---\n\nJust text.\n")
    assert d.front_matter is None and not d.diagnostics
    assert kinds(d.blocks) == ["ThematicBreak", "Paragraph"]


def test_lang_without_a_vocabulary_is_one_finding_with_the_choices():
    d = doc_of("---\ntitle: Política\nlang: es\n---\n# Política de privacidad\n")
    assert codes(d) == ["PL003"] and d.diagnostics[0].line == 3
    assert "no vocabulary for lang 'es'" in d.diagnostics[0].message
    assert "sv" in d.diagnostics[0].fix and "policylint/lang/es.toml" in d.diagnostics[0].fix
    assert not doc_of("---\nlang: sv-SE\n---\n# Hej\n").diagnostics     # regional, known
    assert "unexpected form" in doc_of("---\nlang: svenska!\n---\n").diagnostics[0].message


def test_bad_front_matter_line_inside_closed_block():
    d = doc_of("---\ntitle: x\nnot a key line\n---\n")
    assert codes(d) == ["PL001"] and d.diagnostics[0].line == 3


# ------------------------------------------------------------------ input hygiene

def test_crlf_bom_and_tabs_accepted():
    data = "\ufeff# Title\r\n\r\n-\tItem: 2 years\r\n\r\nText\there\r\n".encode()
    d = parse_bytes(data, "t.md")
    assert not d.diagnostics
    assert d.sections[0].heading == "Title"
    assert d.sections[0].blocks[0].items[0].clause.label == "Item"
    assert d.lines[0] == "# Title"


def test_split_lines_handles_lone_cr():
    assert split_lines("a\rb\r\nc\n") == ["a", "b", "c"]


def test_invalid_utf8_is_one_encoding_diagnostic():
    d = parse_bytes(b"ok\nbad \xff byte\n", "t.md")
    [diag] = d.diagnostics
    assert (diag.rule, diag.line, diag.column) == ("PL002", 2, 5)


def test_nul_byte_is_one_encoding_diagnostic():
    d = parse_bytes(b"text\x00more", "t.md")
    assert codes(d) == ["PL002"] and "NUL" in d.diagnostics[0].message


def test_unclosed_fence_swallows_rest_and_is_reported():
    d = doc_of("# A\n\n```\ncode\n# B\n")
    assert [s.heading for s in d.walk()] == ["A"]
    assert codes(d) == ["PL001"] and d.diagnostics[0].line == 3


def test_empty_and_blank_documents():
    for src in ("", "\n", "   \n\t\n"):
        d = parse(src, "t.md")
        assert d.blocks == () and d.sections == () and not d.diagnostics


def test_tokens_are_runs_not_lines():
    """One terminal per run of lines is what makes the LALR stage cheap."""
    lines = split_lines("para one\nstill para\n\n- item\n  more\n\n  cont\n")
    assert [t.type for t in tokenize(lines).tokens] == ["TEXT", "ITEM", "CONT_PARA"]


def test_every_block_text_is_plain():
    d = doc_of("A *b* **c** [d](https://e.example) `f` &amp; \\*g\n")
    assert block_text(d.blocks[0]) == "A b c d f & *g"


def test_line_breaking_tags_and_hard_breaks_separate_words():
    """Pasted web text: 'Tjänster<br>För' is two words to a reader, and to the vocabulary."""
    d = doc_of("Våra tjänster<br>För mer<BR/>information, se <b>nedan</b>.\n")
    assert block_text(d.blocks[0]) == "Våra tjänster För mer information, se nedan."
    d = doc_of("Rad ett\\\nrad två, och ett snedstreck \\\\\nkvar\n")
    assert block_text(d.blocks[0]) == "Rad ett rad två, och ett snedstreck \\ kvar"


# ------------------------------------------------------------------ the command

def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_parse_command_json_and_tree(tmp_path):
    f = tmp_path / "p.md"
    f.write_text("# Policy\n\n## Retention {#retention}\n\n- **Invoices:** 7 years\n", "utf-8")
    r = run("parse", str(f))
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["sections"][0]["sections"][0]["kind"] == "retention"
    r = run("parse", "--format", "tree", str(f))
    assert "## Retention {#retention} <retention:tag>" in r.stdout


@pytest.mark.parametrize("src, expected", [
    ("---\ntitle: x\n", ["<stdin>:1:1: PL001 front matter opened on line 1 is never closed",
                         "    ---", "    ^^^"]),
    ("# T\n\n```\ncode\n", ["<stdin>:3:1: PL001 code fence opened on line 3 is never closed",
                            "    ```", "    ^^^"]),
    ("## Keep {#No Way}\n", ["<stdin>:1:9: PL001 heading tag '{#No Way}' is neither a section "
                             "kind nor a valid anchor", "    ## Keep {#No Way}",
                             "            ^^^^^^^^^"]),
])
def test_parse_command_reports_with_caret(src, expected):
    r = run("parse", "-", input=src)
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[:3] == expected


def test_parse_command_encoding_error_shows_line(tmp_path):
    f = tmp_path / "bad.md"
    f.write_bytes(b"fine\nbr\xffoken\n")
    r = run("parse", "--format", "tree", str(f))
    assert r.exit_code == 1
    assert r.stderr.splitlines()[:3] == [
        f"{f}:2:3: PL002 not valid UTF-8: byte 0xff at line 2", "    br\ufffdoken", "      ^"]


def test_parse_command_unreadable_file_exits_2(tmp_path):
    r = run("parse", str(tmp_path / "missing.md"))
    assert r.exit_code == 2
    assert r.stderr.startswith("policylint: error: cannot read") and "Traceback" not in r.output
    r = run("parse", str(tmp_path))
    assert r.exit_code == 2 and "directory" in r.stderr


def test_parse_command_crlf_bom_tabs_clean(tmp_path):
    f = tmp_path / "w.md"
    f.write_bytes("\ufeff# T\r\n\r\n-\tA: 1 year\r\n".encode())
    r = run("parse", str(f))
    assert r.exit_code == 0 and r.stderr == ""


# ------------------------------------------------------------------ real-world shapes

def test_headings_inside_list_items_become_sections():
    """HTML converted to Markdown puts `<li><h2>` headings in list items; CommonMark
    renders them as headings, so they are sections, and the item's indented content
    after them is the section's content."""
    d = doc_of("""\
        Terms
        =====

        1.  THE SERVICES
            ------------

            **1.1 Input.** You can upload files.

            1.  First point.
            2.  Second point.

        2.  PRIVACY
            -------

            See our policy.
        """, classify_headings=False)
    top = d.sections[0]
    assert [s.heading for s in top.sections] == ["1. THE SERVICES", "2. PRIVACY"]
    first = top.sections[0]
    assert kinds(first.blocks) == ["Paragraph", "ListBlock"]
    assert first.blocks[0].text == "1.1 Input. You can upload files."
    assert [i.text for i in first.blocks[1].items] == ["First point.", "Second point."]
    assert kinds(top.sections[1].blocks) == ["Paragraph"]


def test_atx_heading_at_item_content_column_becomes_a_section():
    d = doc_of("- intro\n\n  ## Inside\n\n  text under it\n", classify_headings=False)
    assert kinds(d.blocks) == ["ListBlock"]
    assert d.sections[0].heading == "Inside"
    assert d.sections[0].blocks[0].text == "text under it"


def test_bullet_item_heading_loses_its_bullet():
    d = doc_of("- Title\n  ---\n", classify_headings=False)
    assert d.sections[0].heading == "Title"


@pytest.mark.parametrize("body", ["*a " * 20000, "**a " * 15000, "[" * 40000, "[a](" * 10000,
                                  "![a](" * 10000, "`" * 40000, "<" * 40000, "__a " * 15000])
def test_pathological_inline_markup_stays_linear(body):
    import time
    t0 = time.perf_counter()
    block = parse("# T\n\nx " + body + "\n", "t.md").sections[0].blocks[0]
    assert block.facts.durations == ()
    assert time.perf_counter() - t0 < 3


def test_inline_code_spans_are_literal():
    d = doc_of("Use `a*b*` and \\`not code\\` and ``x`y``\n")
    assert d.blocks[0].text == "Use a*b* and `not code` and x`y"


def test_diagnostic_display_hides_control_characters(tmp_path):
    f = tmp_path / "b.md"
    f.write_bytes(b"ok\n\x1b[31mred\x07 \xff\n")
    r = run("parse", "--format", "tree", str(f))
    assert r.exit_code == 1
    assert not [c for c in r.stderr if ord(c) < 32 and c not in "\n"]


def test_parse_command_nul_byte_reports_with_caret(tmp_path):
    f = tmp_path / "bin.md"
    f.write_bytes(b"# T\nab\x00cd\n")
    r = run("parse", str(f))
    assert r.exit_code == 1
    assert r.stderr.splitlines()[:3] == [
        f"{f}:2:3: PL002 not a text file: NUL byte at line 2", "    ab\u2400cd", "      ^"]


def test_facts_are_lazy_but_behave_like_facts():
    import pickle

    from policylint.ast import Facts
    from policylint.inline import LazyFacts

    d = doc_of("Invoices: 7 years, mail dpo@example.com\n")
    f = d.blocks[0].facts
    assert isinstance(f, LazyFacts) and isinstance(f, Facts)
    plain = Facts(f.durations, f.emails, f.urls, f.phones)
    assert f == plain and plain == f and hash(f) == hash(plain) and bool(f)
    assert "dpo@example.com" in f.emails
    back = pickle.loads(pickle.dumps(f))
    assert type(back) is Facts and back == f
    assert doc_of("nothing here\n").blocks[0].facts == Facts()


def test_a_grammar_failure_keeps_the_text_as_raw(monkeypatch):
    from lark import Token

    import policylint.parser as P

    real = P.tokenize

    def broken(lines):
        out = real(lines)
        out.tokens.insert(0, Token("FENCE_CLOSE", "x", line=1, column=1, end_line=1, end_column=2))
        return out

    monkeypatch.setattr(P, "tokenize", broken)
    d = P.parse("# Title\n\ntext\n", "t.md")
    assert [type(b).__name__ for b in d.blocks] == ["RawBlock"]
    assert d.blocks[0].raw == "# Title\n\ntext"
    assert [x.rule for x in d.diagnostics] == ["PL001"]


def test_grammar_is_lalr1_without_conflicts():
    from lark import Lark

    from policylint.parser import _grammar_text, _PreLexed

    Lark(_grammar_text(), parser="lalr", lexer=_PreLexed, strict=True)
