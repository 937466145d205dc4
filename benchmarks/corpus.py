"""Every Markdown file at every commit of the real corpus: parse, format, re-parse.

    python benchmarks/corpus.py [--corpus DIR]

The tests sample 40 commits (tests/test_parser_corpus.py) and format the newest one
(tests/test_fmt.py); this walks the whole history of Open Terms Archive's genai-eu
collection (ODC-By; credit Open Terms Archive and the collection's maintainers).
Each distinct blob of a ``.md`` path at any commit is read once (one
``git cat-file --batch``), parsed, formatted, and the formatted text parsed again.
Any exception, lost structure or non-idempotent format is listed and the exit code
is 1. Throughput is printed next to markdown-it-py's CommonMark parse of the same
blobs in the same run.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import corpus_dir  # noqa: E402

from policylint.fmt import format_source, structure  # noqa: E402
from policylint.parser import parse, parse_bytes  # noqa: E402


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], input=data, check=True,
                          capture_output=True).stdout


def every_blob(repo: Path) -> dict[str, str]:
    """blob id -> one path it had, over every commit (one `git log --raw` walk)."""
    out = _git(repo, "log", "--all", "--raw", "--no-renames", "--no-abbrev", "--format=",
               "-z", "--", "*.md")
    blobs: dict[str, str] = {}
    fields = out.split(b"\0")
    i = 0
    while i < len(fields) - 1:
        meta, path = fields[i], fields[i + 1]
        i += 2
        parts = meta.lstrip(b":").split()
        if len(parts) >= 5 and parts[4] != b"D":
            blobs.setdefault(parts[3].decode(), path.decode("utf-8", "replace"))
    return blobs


def read_blobs(repo: Path, ids: list[str]) -> list[bytes]:
    out = _git(repo, "cat-file", "--batch", data="".join(i + "\n" for i in ids).encode())
    result, pos = [], 0
    for _ in ids:
        nl = out.index(b"\n", pos)
        size = int(out[pos:nl].split()[2])
        result.append(out[nl + 1:nl + 1 + size])
        pos = nl + 1 + size + 1
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus")
    args = ap.parse_args()
    repo = corpus_dir(args.corpus)
    commits = len(_git(repo, "rev-list", "--all").split())
    blobs = every_blob(repo)
    ids = list(blobs)
    datas = read_blobs(repo, ids)
    size = sum(map(len, datas))
    print(f"{commits} commits, {len(ids)} distinct .md blobs, {size / 1e6:.1f} MB")

    problems: list[str] = []
    t_parse = t_fmt = 0.0
    kw = {"classify_headings": False, "validate": False}
    for sha, data in zip(ids, datas):
        name = f"{blobs[sha]}@{sha[:8]}"
        try:
            t = time.perf_counter()
            doc = parse_bytes(data, name)
            t_parse += time.perf_counter() - t
            if any(d.rule == "PL002" for d in doc.diagnostics):
                problems.append(f"{name}: {doc.diagnostics[0].message}")
                continue
            text = data.decode("utf-8")
            t = time.perf_counter()
            r = format_source(text, name)
            t_fmt += time.perf_counter() - t
            if r.formatted is None:
                problems.append(f"{name}: fmt refused: {r.error}")
                continue
            if format_source(r.formatted, name).formatted != r.formatted:
                problems.append(f"{name}: fmt is not idempotent")
            if structure(parse(r.formatted, **kw)) != structure(parse(text, **kw)):
                problems.append(f"{name}: fmt changed the structure")
        except Exception:   # the point of the run: any exception is a finding
            problems.append(f"{name}: {traceback.format_exc().strip().splitlines()[-1]}")

    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark")
    texts = [d.decode("utf-8", "replace") for d in datas]
    t = time.perf_counter()
    for x in texts:
        md.parse(x)
    t_md = time.perf_counter() - t

    mb = size / 1e6
    print(f"policylint parse (full AST)  {mb / t_parse:6.2f} MB/s  ({t_parse:.1f} s)")
    print(f"markdown-it-py commonmark    {mb / t_md:6.2f} MB/s  ({t_md:.1f} s)   "
          f"ratio {t_md / t_parse:.2f}x")
    print(f"policylint fmt               {mb / t_fmt:6.2f} MB/s  ({t_fmt:.1f} s, parse + render + "
          "re-parse check)")
    print(f"problems: {len(problems)}")
    for p in problems[:50]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
