"""Benchmark: what the rules cost next to parsing, on real privacy policies.

Lints the newest version of every privacy policy in the corpus (in process and as
a whole `policylint lint` process) and prints it beside a parse-only figure from
the same run: medians of interleaved runs. Target: rules cost less than parsing does.

    python benchmarks/lint.py [--corpus DIR] [--runs N]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import corpus_dir, median_time  # noqa: E402

from policylint.lint import lint_document  # noqa: E402
from policylint.parser import parse  # noqa: E402


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    root = corpus_dir(args.corpus)
    files = sorted(p for p in root.glob("*/*.md") if "Privacy" in p.name)
    texts = [(str(p), p.read_text("utf-8")) for p in files]
    size = sum(len(t.encode()) for _, t in texts)
    print(f"{len(files)} privacy policies, {size / 1e6:.2f} MB (newest versions)")

    # Each rules run lints freshly parsed documents (nothing cached on them), and parse
    # and rules runs alternate, so that a change in machine load hits both figures.
    batches = [[parse(t, p) for p, t in texts] for _ in range(args.runs + 1)]
    [lint_document(d) for d in batches.pop()]          # warm-up: vocabularies, regexes
    parse_times, rules_times = [], []
    for docs in batches:
        parse_times.append(timed(lambda: [parse(t, p) for p, t in texts]))
        rules_times.append(timed(lambda: [lint_document(d) for d in docs]))
    t_parse, t_rules = statistics.median(parse_times), statistics.median(rules_times)
    print(f"parse only (in process):  {t_parse * 1000:8.1f} ms")
    print(f"rules only (in process):  {t_rules * 1000:8.1f} ms   rules/parse = {t_rules / t_parse:.2f}"
          f"  ({'OK' if t_rules < t_parse else 'ABOVE TARGET'}: rules must cost less than parsing)")

    paths = [p for p, _ in texts]
    parse_proc = [sys.executable, "-c",
                  "import sys; from policylint.parser import parse_file\n"
                  "for p in sys.argv[1:]: parse_file(p)", *paths]
    lint_proc = [sys.executable, "-m", "policylint", "lint", "--format", "json", *paths]
    t_pp = median_time(lambda: subprocess.run(parse_proc, capture_output=True), args.runs)
    t_lp = median_time(lambda: subprocess.run(lint_proc, capture_output=True), args.runs)
    print(f"whole process, parse only: {t_pp * 1000:7.1f} ms")
    print(f"whole process, policylint lint: {t_lp * 1000:7.1f} ms   ratio = {t_lp / t_pp:.2f}")


if __name__ == "__main__":
    main()
