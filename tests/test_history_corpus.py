"""`policylint log` / `diff` on real history: the Open Terms Archive genai-eu versions
collection (ODC-By; credit: Open Terms Archive and the collection's maintainers).

The bundle lives outside the project (../shared/corpus); the test clones it into a
temporary folder and is skipped where it is absent. Pinned classifications were checked
by hand against `git show` of each commit; each test says what changed.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
BUNDLE = SHARED / "corpus" / "genai-eu-versions.bundle"

pytestmark = pytest.mark.skipif(not BUNDLE.is_file(), reason="corpus bundle not available")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("corpus") / "genai"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(dest)], check=True)
    return dest


@pytest.fixture
def in_corpus(corpus, monkeypatch) -> Path:
    monkeypatch.chdir(corpus)
    return corpus


def test_log_completes_on_every_privacy_policy(in_corpus):
    from policylint.history import log
    files = sorted(p.relative_to(in_corpus).as_posix() for p in in_corpus.glob("*/Privacy Policy.md"))
    assert len(files) >= 10
    for f in files:
        res = log(f)
        assert res.entries, f
        assert res.entries[-1].status == "added"          # history reaches the first version
        git_count = len(subprocess.run(["git", "log", "--first-parent", "--format=%H", "--", f],
                                       capture_output=True, text=True, check=True).stdout.split())
        assert len(res.entries) == git_count, f
        assert all(e.diff.classification in ("material", "minor", "editorial") for e in res.entries)


def _version(path: str, short: str):
    from policylint.history import log
    (e,) = [e for e in log(path).entries if e.commit.startswith(short)]
    return e


def test_curly_apostrophe_is_editorial(in_corpus):
    # ChatGPT e65db9d: "won't" became "won’t" in one sentence; nothing else changed.
    e = _version("ChatGPT/Privacy Policy.md", "e65db9d")
    assert e.diff.classification == "editorial"
    assert [c.reason for c in e.diff.changes] == ["editorial: punctuation or case only"]


def test_straightened_quotes_are_editorial(in_corpus):
    # Qwen Chat a0a6e68: "quotes" → “quotes” and 'Content** :' → 'Content**:' in table cells.
    e = _version("Qwen Chat/Privacy Policy.md", "a0a6e68")
    assert e.diff.classification == "editorial"
    assert e.diff.changes


def test_text_turned_into_link_is_editorial(in_corpus):
    # Google Generative AI Services 20095e5: the list item "Google Built-In" became a link.
    e = _version("Google Generative AI Services/Privacy Policy.md", "20095e5")
    assert e.diff.classification == "editorial"
    assert [c.reason for c in e.diff.changes] == ["editorial: link target changed"]


def test_blank_lines_only(in_corpus):
    # Microsoft Copilot 7cdca88: two whitespace-only lines added.
    e = _version("Microsoft Copilot/Privacy Policy.md", "7cdca88")
    assert (e.diff.classification, e.diff.changes) == ("editorial", ())


def test_us_transfer_introduced(in_corpus):
    # Microsoft Copilot 8b298b3: the full privacy statement (1,884 lines) replaced a stub;
    # it says data "may be stored and processed ... in the United States" — a transfer the
    # previous version never mentioned.
    e = _version("Microsoft Copilot/Privacy Policy.md", "8b298b3")
    assert e.diff.classification == "material"
    where = [c for c in e.diff.changes if c.section == "Where we store and process personal data"]
    assert where and where[0].classification == "material"
    assert any(ev.type == "transfer-added" for ev in where[0].evidence)
    assert "United States" in where[0].reason


def test_wiped_policy_is_material(in_corpus):
    # Le Chat 506b7ae: 151 lines deleted; every section (retention, recipients, rights…)
    # disappeared from the captured page. Removing mandatory sections is material.
    e = _version("Le Chat/Privacy Policy.md", "506b7ae")
    assert e.diff.classification == "material"
    assert any(ev.type == "section-removed" for c in e.diff.changes for ev in c.evidence)


def test_cli_log_on_corpus(in_corpus):
    out = subprocess.run(["policylint", "log", "DeepSeek/Privacy Policy.md", "--no-color"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 3 and lines[-1].split()[1] == "c304825"


def test_text_splitter_agrees_with_parser_on_corpus(corpus):
    # diff_texts finds section boundaries with a regex scan; if the parser's idea of a
    # heading ever drifts from it, log (fast path) and diff (parsed) would disagree.
    from policylint.diff import _split
    from policylint.parser import parse
    for p in sorted(corpus.glob("*/*.md")):
        text = p.read_text(encoding="utf-8")
        assert _split(text)[1] == [s.span.line for s in parse(text).walk()], p.name


def _histories(corpus: Path):
    """Each policy's distinct versions, newest first, as text."""
    for p in sorted(corpus.glob("*/*.md")):
        rel = p.relative_to(corpus).as_posix()
        out = subprocess.run(["git", "log", "--first-parent", "--raw", "--no-abbrev", "--format=",
                              "--", rel], cwd=corpus, capture_output=True, text=True, check=True).stdout
        shas = [ln.split()[3] for ln in out.splitlines() if ln.startswith(":")]
        shas = [s for s in dict.fromkeys(shas) if s != "0" * 40]
        if shas:
            blobs = subprocess.run(["git", "cat-file", "--batch"], cwd=corpus, check=True,
                                   input="".join(s + "\n" for s in shas).encode(),
                                   capture_output=True).stdout
            texts, pos = [], 0
            for _ in shas:
                head_end = blobs.index(b"\n", pos)
                size = int(blobs[pos:head_end].split()[2])
                texts.append(blobs[head_end + 1: head_end + 1 + size].decode("utf-8", "replace"))
                pos = head_end + 1 + size + 1
            yield rel, texts


def test_layouts_derived_along_history_match_fresh_ones(corpus):
    # log splits one version from scratch and derives the next from it, re-scanning only
    # around the change (policylint.diff._Layout.derive); that must equal a fresh split.
    from policylint.diff import _Layout, _split
    for rel, texts in _histories(corpus):
        for a, b in zip(texts, texts[1:]):
            for x, y in ((a, b), (b, a)):
                fresh = _Layout.of(y)
                got = _Layout.of(x).derive(y)
                assert (got.starts, got.cstarts, got.raws, got.pre, got.total) == \
                    (fresh.starts, fresh.cstarts, fresh.raws, fresh.pre, fresh.total), rel
                assert fresh.starts == _split(y)[1]


def test_sections_parsed_in_pieces_match_whole_sections(corpus):
    # log parses a section in pieces cut at paragraph starts (policylint.diff._pieces), so
    # the next version of a long section costs one paragraph; every section ever in the
    # corpus must come out the same as when parsed whole.
    from policylint.diff import (DiffCache, _chunk_bare, _chunk_units, _heading_lines, _Layout,
                                 _parsed_units)

    def key(u):
        f = u.facts
        return (u.text, u.raw, u.label, u.line, u.durations,
                None if f is None else (f.emails, f.urls, f.phones))
    chunks = set()
    for _, texts in _histories(corpus):
        for t in texts:
            chunks.update(_Layout.of(t).raws)
    cache = DiffCache()
    for chunk in chunks:
        whole = [key(u) for u in _chunk_units(chunk)]
        assert [key(u) for u in cache.body(chunk, chunk)] == whole
        assert [key(u) for u in _parsed_units(chunk)] == whole     # blocks only, no Document
        assert _chunk_bare(_heading_lines(chunk)) == _chunk_bare(chunk)


def test_diff_cache_gives_what_a_cold_run_gives(in_corpus):
    # .git/policylint/diff-cache.json keeps each classified pair of blobs (redlines are
    # left to be made when read); a run served from it must report exactly what a run
    # without it reports, redlines included.
    from policylint.history import log, log_json
    path = "Google Generative AI Services/Privacy Policy.md"
    cold = log_json(log(path, cache=False))
    log(path)                                   # fills the cache
    assert (in_corpus / ".git" / "policylint" / "diff-cache.json").is_file()
    assert log_json(log(path)) == cold
