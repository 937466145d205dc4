"""Benchmark `policylint log` against `git log -p --follow` on real policy history.

Uses the Open Terms Archive genai-eu versions collection (ODC-By; credit: Open Terms
Archive and the collection's maintainers), cloned from ../shared/corpus into a temporary
folder unless --corpus points at a clone. Picks the privacy policy with the most versions.

    python benchmarks/history.py [--corpus DIR] [--runs 5] [--file "Llama API/Privacy Policy.md"]

Prints the median of several runs for: the library call (`policylint.history.log`, fresh
repository and caches each run), the whole `policylint log` process, and
`git log -p --follow -- FILE`, plus the ratios. Target: within 2x of git.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUNDLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "genai-eu-versions.bundle"


def _time(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def _most_versions(repo: Path) -> tuple[str, int]:
    best = ("", 0)
    for p in sorted(repo.glob("*/Privacy Policy.md")):
        rel = p.relative_to(repo).as_posix()
        n = len(subprocess.run(["git", "log", "--first-parent", "--format=%H", "--", rel], cwd=repo,
                               capture_output=True, text=True, check=True).stdout.split())
        if n > best[1]:
            best = (rel, n)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="an existing clone of the corpus")
    ap.add_argument("--file", help="policy to walk (default: the one with most versions)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    tmp = None
    repo = args.corpus
    if repo is None:
        if not BUNDLE.is_file():
            print(f"corpus bundle not found at {BUNDLE}; pass --corpus DIR", file=sys.stderr)
            return 2
        tmp = tempfile.mkdtemp(prefix="policylint-bench-")
        repo = Path(tmp) / "genai"
        subprocess.run(["git", "clone", "-q", str(BUNDLE), str(repo)], check=True)
    try:
        path, n = (args.file, 0) if args.file else _most_versions(repo)
        os.chdir(repo)
        from policylint.history import log

        log(path, cache=False)   # warm-up: imports, grammar, page cache
        cold, _ = _time(lambda: log(path, cache=False), args.runs)
        log(path)                # fills .git/policylint/diff-cache.json
        warm, _ = _time(lambda: log(path), args.runs)
        versions = len(log(path).entries)
        exe = shutil.which("policylint") or sys.executable
        cmd = [exe, "log", path, "--no-color"] if exe != sys.executable else \
            [exe, "-m", "policylint.cli", "log", path, "--no-color"]
        run = lambda c: subprocess.run(c, stdout=subprocess.DEVNULL, check=True)  # noqa: E731
        proc_cold, _ = _time(lambda: run(cmd + ["--no-cache"]), args.runs)
        proc_warm, _ = _time(lambda: run(cmd), args.runs)
        gitlog, _ = _time(lambda: run(["git", "log", "-p", "--follow", "--", path]), args.runs)
        print(f"file: {path} ({versions} versions), {args.runs} runs, median")
        print("                                     cold (--no-cache)   warm (diff cache)")
        print(f"  policylint.history.log (library)  {cold * 1000:8.0f} ms {warm * 1000:14.0f} ms")
        print(f"  policylint log (whole process)    {proc_cold * 1000:8.0f} ms {proc_warm * 1000:14.0f} ms")
        print(f"  git log -p --follow               {gitlog * 1000:8.0f} ms")
        print(f"  ratio to git: library {cold / gitlog:.1f}x cold, {warm / gitlog:.1f}x warm; "
              f"process {proc_cold / gitlog:.1f}x cold, {proc_warm / gitlog:.1f}x warm (target 2x)")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
