"""Parser throughput against markdown-it-py, and the start-up cost of one CLI run.

    python benchmarks/parse.py [--corpus DIR] [--runs 5]

Without --corpus, the Open Terms Archive "genai-eu" bundle (../shared/corpus;
ODC-By, credit Open Terms Archive) is cloned into a temporary folder and every .md
file at its newest commit is used. Prints MB/s (median of --runs) for
``policylint.parser.parse`` (the full AST: sections, kinds, clauses; facts are
extracted lazily, so a second figure forces them all) next to
``markdown_it.MarkdownIt("commonmark").parse`` on the same texts in the same run,
then the median wall time of 10 one-file `policylint lint` processes next to
`python -c pass`. Target: parse >= 1.5x markdown-it-py.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT.parent / "shared" / "corpus" / "genai-eu-versions.bundle"


def corpus_texts(folder: Path) -> list[tuple[Path, str]]:
    files = sorted(p for p in folder.rglob("*.md") if ".git" not in p.parts)
    return [(p, p.read_text("utf-8")) for p in files]


def throughput(fns: dict, texts: list[str], runs: int) -> dict[str, list[float]]:
    """Seconds per run for each function over all texts. Runs are interleaved
    (a, b, c, a, b, c, ...) so that a change in machine load hits every contender."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            for t in texts:
                fn(t)
            times[name].append(time.perf_counter() - t0)
    return times


def force_facts(doc) -> None:
    from policylint.ast import ListBlock, iter_blocks

    def touch(blocks):
        for b in iter_blocks(blocks):
            f = getattr(b, "facts", None)
            if f is not None:
                f.durations
            if isinstance(b, ListBlock):
                for it in b.items:
                    it.facts.durations
                    if it.clause:
                        it.clause.facts.durations
            c = getattr(b, "clause", None)
            if c:
                c.facts.durations
    touch(doc.blocks)
    for s in doc.walk():
        touch(s.blocks)


def process_time(cmd: list[str], runs: int = 10, cwd: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="folder of .md files (default: clone the bundle)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus
        if folder is None:
            if not BUNDLE.is_file():
                print(f"no corpus: pass --corpus DIR (bundle not found at {BUNDLE})", file=sys.stderr)
                return 2
            folder = Path(tmp) / "genai"
            subprocess.run(["git", "clone", "-q", str(BUNDLE), str(folder)], check=True)
        docs = corpus_texts(folder)
        if not docs:
            print(f"no .md files under {folder}", file=sys.stderr)
            return 2
        texts = [t for _, t in docs]
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

        from markdown_it import MarkdownIt

        from policylint.parser import parse

        md = MarkdownIt("commonmark")
        times = throughput({"policylint": parse, "markdown-it": md.parse,
                            "facts": lambda t: force_facts(parse(t))}, texts, args.runs)
        pl_med, md_med = statistics.median(times["policylint"]), statistics.median(times["markdown-it"])
        full_med = statistics.median(times["facts"])
        print(f"corpus: {len(texts)} files, {mb:.2f} MB ({folder})")
        print(f"policylint.parser.parse      {mb / pl_med:7.2f} MB/s  (median of {args.runs}; "
              f"first run {mb / times['policylint'][0]:.2f} MB/s, cold caches)")
        print(f"  ... with every fact read   {mb / full_med:7.2f} MB/s")
        print(f"markdown-it-py commonmark    {mb / md_med:7.2f} MB/s")
        ratio = md_med / pl_med
        print(f"ratio policylint/markdown-it {ratio:7.2f}x  (target >= 1.5x: "
              f"{'met' if ratio >= 1.5 else 'NOT met'})")

        exe = Path(sys.executable).with_name("policylint")
        probe = [str(exe)] if exe.exists() else [sys.executable, "-m", "policylint"]
        check = subprocess.run(probe + ["lint", "--help"], capture_output=True)
        command = "lint" if check.returncode == 0 else "parse"
        one = max(docs, key=lambda d: "Privacy Policy" in d[0].name and len(d[1]) < 60_000)[0]
        cli = process_time(probe + [command, str(one)], cwd=Path(tmp))
        base = process_time([sys.executable, "-c", "pass"])
        print(f"`policylint {command}` on one file ({one.parent.name}/{one.name}): "
              f"{cli * 1000:.0f} ms median of 10; `python -c pass`: {base * 1000:.0f} ms; "
              f"policylint's own share {(cli - base) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
