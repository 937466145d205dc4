"""`policylint fmt`: the canonical dialect, idempotence, and never a changed document."""
from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint import fmt as fmt_mod
from policylint.cli import main
from policylint.fmt import format_bytes, format_source, structure
from policylint.parser import parse

SHARED = Path(__file__).resolve().parents[2] / "shared"
BUNDLE = SHARED / "corpus" / "genai-eu-versions.bundle"


def fmt(src: str) -> str:
    result = format_source(textwrap.dedent(src), "t.md")
    assert result.formatted is not None, result.error
    assert format_source(result.formatted, "t.md").formatted == result.formatted
    return result.formatted


def test_headings_become_atx_and_keep_tags_and_trailing_hashes():
    out = fmt("""\
        Title
        =====
        Part {#retention}
        -----------------
        ### Closed ###
        Ends with C#
        ------------
        """)
    assert out == ("# Title\n\n## Part {#retention}\n\n### Closed\n\n## Ends with C#\n")


def test_heading_ending_in_spaced_hash_keeps_it():
    out = fmt("Score #\n=======\n")
    assert out == "# Score # #\n"
    assert parse(out).sections[0].heading == "Score #"


def test_bullets_numbers_and_nesting():
    out = fmt("""\
        *   Identity: name
            more
            +   nested one
            +   nested two
        *   Payment

        3. third
        3. fourth
        3) fifth
        """)
    assert out == textwrap.dedent("""\
        - Identity: name
          more
          - nested one
          - nested two
        - Payment

        3. third
        4. fourth
        5. fifth
        """)


def test_continuation_paragraphs_and_loose_lists():
    out = fmt("""\
        1.  First

            Still first.
            *   nested

            Back in first.

        2.  Second
        """)
    assert out == textwrap.dedent("""\
        1. First

           Still first.
           - nested

           Back in first.

        2. Second
        """)


def test_front_matter_in_schema_order_with_comments_and_unknown_keys_last():
    out = fmt("""\
        ---
        zeta: unknown
        effective: 2026-01-01

        # the version below is quoted on purpose
        version: "2.0"
        title:Policy
        ---
        text
        """)
    assert out == textwrap.dedent("""\
        ---
        title: Policy
        # the version below is quoted on purpose
        version: "2.0"
        effective: 2026-01-01
        zeta: unknown
        ---

        text
        """)


def test_tables_normalised_cells_kept_exactly():
    out = fmt("""\
        |Data|Period|Why|
        |:---|---:|:-:|
        | Invoices |7 years| law \\| tax |
        Logs | 30 days
        """)
    assert out == textwrap.dedent("""\
        | Data | Period | Why |
        | :-- | --: | :-: |
        | Invoices | 7 years | law \\| tax |
        | Logs | 30 days |
        """)


def test_code_html_directives_verbatim_whitespace_cleaned():
    src = ("Text   \n\n\n\n```py  \n  x = 1   \n```\n<div>\n  <b>keep</b>  \n</div>\n\n"
           "<!-- policylint-disable-next-line PL302 -->\nTODO later\n\n    indented   \n")
    out = fmt(src)
    assert out == ("Text\n\n```py\n  x = 1   \n```\n\n<div>\n  <b>keep</b>  \n</div>\n\n"
                   "<!-- policylint-disable-next-line PL302 -->\nTODO later\n\n    indented   \n")


def test_crlf_bom_and_final_newline():
    assert fmt("\ufeff# T\r\n\r\n\r\ntext") == "# T\n\ntext\n"
    assert fmt("") == ""
    assert fmt("\n\n") == ""


def test_indented_code_after_list_becomes_fenced():
    out = fmt("12345678. item\n\n      code\n")      # content column 10: code, not item text
    assert out == "12345678. item\n\n```\n  code\n```\n"


def test_leading_break_is_not_turned_into_front_matter():
    out = fmt("\n---\n---\n")
    assert parse(out).front_matter is None


def test_unclosed_front_matter_is_kept_as_is():
    src = "---\ntitle: x\n\nBody\n"
    out = fmt(src)
    assert out == src
    assert [d.rule for d in parse(out).diagnostics] == ["PL001"]


def test_refuses_rather_than_change_the_document(monkeypatch):
    monkeypatch.setattr(fmt_mod, "render", lambda doc: "# Different\n")
    r = format_source("# Original\n", "p.md")
    assert r.formatted is None
    assert r.error.startswith("formatting would change the document (")
    assert "Original" in r.error


def test_refuses_unstable_output(monkeypatch):
    calls = iter(["# A\n", "# A #\n"])
    monkeypatch.setattr(fmt_mod, "render", lambda doc: next(calls))
    r = format_source("A\n=\n", "p.md")
    assert r.formatted is None and "not stable" in r.error


def test_structure_ignores_style_but_not_words():
    a = parse("Title\n=====\n\n* a\n* b\n")
    b = parse("# Title\n\n- a\n- b\n")
    c = parse("# Title\n\n- a\n- c\n")
    assert structure(a) == structure(b) != structure(c)


def test_invalid_utf8_is_refused():
    r = format_bytes(b"# ok\n\xff\n", "x.md")
    assert r.formatted is None and "UTF-8" in r.error


# ------------------------------------------------------------------ the command

def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_fmt_check_lists_files_and_exits_1(tmp_path):
    (tmp_path / "a.md").write_text("Title\n=====\n", "utf-8")
    (tmp_path / "b.md").write_text("# Fine\n", "utf-8")
    (tmp_path / "notes.txt").write_text("Title\n=====\n", "utf-8")
    r = run("fmt", "--check", str(tmp_path))
    assert r.exit_code == 1
    assert r.stdout == f"would reformat {tmp_path / 'a.md'}\n"
    assert (tmp_path / "a.md").read_text("utf-8") == "Title\n=====\n"
    r = run("fmt", "--check", str(tmp_path / "b.md"))
    assert r.exit_code == 0 and r.stdout == ""


def test_fmt_rewrites_and_reports(tmp_path):
    f = tmp_path / "p.md"
    f.write_text("Title\n=====\n* a\n", "utf-8")
    r = run("fmt", str(f))
    assert r.exit_code == 0
    assert r.stdout == f"reformatted {f}\n"
    assert f.read_text("utf-8") == "# Title\n\n- a\n"
    r = run("fmt", str(f))
    assert r.exit_code == 0 and r.stdout == ""


def test_fmt_diff_changes_nothing(tmp_path):
    f = tmp_path / "p.md"
    f.write_text("* a\n", "utf-8")
    r = run("fmt", "--diff", str(f))
    assert r.exit_code == 1
    assert "-* a\n+- a\n" in r.stdout
    assert f.read_text("utf-8") == "* a\n"


def test_fmt_refusal_leaves_file_and_says_why(tmp_path, monkeypatch):
    f = tmp_path / "p.md"
    f.write_text("# Original\n\ntext  \n", "utf-8")
    monkeypatch.setattr(fmt_mod, "render", lambda doc: "# Other\n")
    r = run("fmt", str(f))
    assert r.exit_code == 1
    assert r.stderr.startswith(f"{f}: not formatted: formatting would change the document (")
    assert f.read_text("utf-8") == "# Original\n\ntext  \n"


def test_fmt_bad_bytes_and_missing_paths(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe")
    r = run("fmt", str(bad))
    assert r.exit_code == 1 and "not formatted: not valid UTF-8" in r.stderr
    assert bad.read_bytes() == b"\xff\xfe"
    r = run("fmt", str(tmp_path / "nope.md"))
    assert r.exit_code == 2 and "no such file or folder" in r.stderr and "Traceback" not in r.output


def test_hard_line_breaks_survive_as_backslashes():
    """An address written with two trailing spaces keeps its lines when published;
    `fmt` strips trailing spaces, so it writes the break as a backslash."""
    from policylint.fmt import format_source
    src = ("# Kontakt\n\nAcme AB  \nStorgatan 1  \n111 22 Stockholm  \n\n"
           "- Acme AB  \n  Storgatan 1\n- x\\\\  \n  y\n")
    out = format_source(src).formatted
    assert out == ("# Kontakt\n\nAcme AB\\\nStorgatan 1\\\n111 22 Stockholm\n\n"
                   "- Acme AB\\\n  Storgatan 1\n- x\\\\\\\n  y\n")
    assert format_source(out).formatted == out          # and stays so
    from policylint.render import render_html
    assert render_html(out).count("<br") == render_html(src).count("<br") == 4


def test_fmt_takes_the_files_lint_takes(tmp_path, monkeypatch):
    """A folder is expanded as `lint` expands it: the config's exclude (a README, the
    templates) is left alone by `fmt` too."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".policylint.toml").write_text('exclude = ["README.md"]\n', "utf-8")
    (tmp_path / "README.md").write_text("Readme\n======\n", "utf-8")
    (tmp_path / "p.md").write_text("Policy\n======\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    r = run("fmt", ".")
    assert r.exit_code == 0 and "reformatted p.md" in r.output
    assert (tmp_path / "p.md").read_text("utf-8") == "# Policy\n"
    assert (tmp_path / "README.md").read_text("utf-8") == "Readme\n======\n"


def test_fmt_stdin_to_stdout():
    r = run("fmt", "-", input="Title\n=====\n")
    assert r.exit_code == 0 and r.stdout == "# Title\n"


def test_fmt_skips_hidden_folders(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("* a\n", "utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_text("* a\n", "utf-8")
    r = run("fmt", "--check", str(tmp_path))
    assert r.stdout == f"would reformat {tmp_path / 'docs' / 'p.md'}\n"


# ------------------------------------------------------------------ real documents

FIXTURES = Path(__file__).parent / "fixtures"
OWN = sorted(FIXTURES.glob("parse/*.md")) + sorted(FIXTURES.glob("policies/*.md"))


@pytest.mark.parametrize("path", OWN, ids=[p.name for p in OWN])
def test_fixture_policies_format_safely(path):
    r = format_bytes(path.read_bytes(), path.name)
    if path.name == "nl-errors.md":       # unclosed fence at the end: still formats
        assert r.formatted is not None
    assert r.formatted is not None, r.error
    assert format_source(r.formatted, path.name).formatted == r.formatted


@pytest.fixture(scope="module")
def newest_corpus(tmp_path_factory):
    if not BUNDLE.is_file():
        pytest.skip(f"corpus bundle not available ({BUNDLE})")
    dest = tmp_path_factory.mktemp("fmtcorpus") / "genai"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(dest)], check=True, capture_output=True)
    files = sorted(dest.rglob("*.md"))
    files = [f for f in files if ".git" not in f.parts]
    assert files
    return files


def test_corpus_newest_commit_formats_idempotently_and_keeps_the_ast(newest_corpus):
    problems = []
    for f in newest_corpus:
        text = f.read_text("utf-8")
        r = format_source(text, f.name)
        if r.formatted is None:
            problems.append(f"{f.parent.name}/{f.name}: {r.error}")
            continue
        again = format_source(r.formatted, f.name)
        if again.formatted != r.formatted:
            problems.append(f"{f.parent.name}/{f.name}: not idempotent")
        kw = {"classify_headings": False, "validate": False}
        if structure(parse(r.formatted, **kw)) != structure(parse(text, **kw)):
            problems.append(f"{f.parent.name}/{f.name}: structure changed")
    assert not problems, "\n".join(problems)
