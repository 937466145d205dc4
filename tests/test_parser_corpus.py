"""Real-world Markdown: every .md file at ~40 commits of the Open Terms Archive
"genai-eu" history (published AI-service terms and privacy policies; ODC-By, credit
Open Terms Archive) parses without exception, drops no line, and finds the same
headings, tables and code blocks as markdown-it-py's CommonMark parser.

The bundle lives outside the project (../shared/corpus); it is cloned into a
temporary folder once per session. Without it these tests are skipped.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from policylint.ast import CodeBlock, HtmlBlock, ListBlock, Table, iter_blocks
from policylint.parser import parse_bytes

SHARED = Path(__file__).resolve().parents[2] / "shared"
BUNDLE = SHARED / "corpus" / "genai-eu-versions.bundle"
SAMPLE_COMMITS = 40


def _git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], input=input, check=True,
                          capture_output=True).stdout


def clone_corpus(tmp_path_factory) -> Path:
    if not BUNDLE.is_file():
        pytest.skip(f"corpus bundle not available ({BUNDLE})")
    dest = tmp_path_factory.mktemp("corpus") / "genai"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(dest)], check=True,
                   capture_output=True)
    return dest


def markdown_blobs(repo: Path, commits: list[str]) -> dict[bytes, tuple[str, str]]:
    """Distinct .md blobs at the given commits: blob id -> (commit, path)."""
    blobs: dict[bytes, tuple[str, str]] = {}
    for c in commits:
        for entry in _git(repo, "ls-tree", "-r", "-z", c).split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            if path.endswith(b".md") and meta.split()[1] == b"blob":
                blobs.setdefault(meta.split()[2], (c, path.decode("utf-8", "replace")))
    return blobs


def read_blobs(repo: Path, ids: list[bytes]) -> list[bytes]:
    """`git cat-file --batch`: one process for all blobs."""
    out = _git(repo, "cat-file", "--batch", input=b"\n".join(ids) + b"\n")
    result, pos = [], 0
    for _ in ids:
        nl = out.index(b"\n", pos)
        size = int(out[pos:nl].split()[2])
        result.append(out[nl + 1:nl + 1 + size])
        pos = nl + 1 + size + 1
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    repo = clone_corpus(tmp_path_factory)
    commits = _git(repo, "rev-list", "--all").decode().split()
    step = max(1, len(commits) // SAMPLE_COMMITS)
    sample = commits[::step][:SAMPLE_COMMITS]
    if commits[0] not in sample:
        sample.append(commits[0])
    blobs = markdown_blobs(repo, sample)
    ids = list(blobs)
    files = [(f"{blobs[i][1]}@{blobs[i][0][:8]}", data) for i, data in zip(ids, read_blobs(repo, ids))]
    # Parsed once here (must not raise); every test below reads the same documents.
    return [(name, data, parse_bytes(data, name)) for name, data in files]


def _all_blocks(doc):
    yield from iter_blocks(doc.blocks)
    for s in doc.walk():
        yield from iter_blocks(s.blocks)


def _covered_lines(doc) -> set[int]:
    covered: set[int] = set()

    def add(span_line: int, end_line: int) -> None:
        covered.update(range(span_line, end_line + 1))

    if doc.front_matter:
        add(1, doc.front_matter.span.end_line)
    for s in doc.walk():
        add(s.span.line, s.span.end_line)
    for b in _all_blocks(doc):
        add(b.span.line, b.span.end_line)
        if isinstance(b, ListBlock):
            for it in b.items:
                add(it.span.line, it.span.end_line)
    return covered


def test_corpus_sample_is_substantial(corpus):
    assert len(corpus) > 100


def test_every_file_parses_and_no_line_is_dropped(corpus):
    problems = []
    for name, _, doc in corpus:
        if any(d.rule in ("PL001", "PL002") for d in doc.diagnostics):
            problems.append(f"{name}: {doc.diagnostics[0].message}")
        covered = _covered_lines(doc)
        lost = [i + 1 for i, line in enumerate(doc.lines)
                if line.strip(" \t") and i + 1 not in covered]
        if lost:
            problems.append(f"{name}: lines {lost[:5]} belong to no block")
    assert not problems, "\n".join(problems[:20])


def test_structure_agrees_with_commonmark(corpus):
    """Headings, tables, code and HTML blocks are counted as markdown-it-py counts them."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    disagree = []
    for name, data, doc in corpus:
        toks = md.parse(data.decode("utf-8"))
        theirs = (sum(t.type == "heading_open" for t in toks),
                  sum(t.type == "table_open" for t in toks),
                  sum(t.type in ("fence", "code_block") for t in toks),
                  sum(t.type == "html_block" for t in toks))
        blocks = list(_all_blocks(doc))
        ours = (sum(1 for _ in doc.walk()), sum(isinstance(b, Table) for b in blocks),
                sum(isinstance(b, CodeBlock) for b in blocks),
                sum(isinstance(b, HtmlBlock) for b in blocks))
        if ours != theirs:
            disagree.append(f"{name}: markdown-it {theirs}, policylint {ours}")
    assert not disagree, "\n".join(disagree[:20])


def test_corpus_headings_have_sane_levels_and_ranges(corpus):
    for name, _, doc in corpus:
        for s in doc.walk():
            assert 1 <= s.level <= 6
            assert s.span.line <= s.end_line <= doc.line_count, name


def test_corpus_json_matches_schema(corpus):
    import jsonschema

    from policylint.resources import schema
    from policylint.serialize import document_to_dict

    validator = jsonschema.Draft202012Validator(schema("ast"))
    for name, _, doc in corpus[::10]:
        errors = list(validator.iter_errors(document_to_dict(doc)))
        assert not errors, f"{name}: {list(errors[0].path)}: {errors[0].message}"
