"""Benchmark `policylint log` against `git log -p --follow` on real policy history.

Uses the Open Terms Archive genai-eu versions collection (ODC-By; credit: Open Terms
Archive and the collection's maintainers), cloned from ../shared/corpus into a temporary
folder unless --corpus points at a clone. Picks the privacy policy with the most versions.

    python benchmarks/history.py [--corpus DIR] [--runs 7] [--file "Llama API/Privacy Policy.md"]

The headline is the cold run: `policylint.history.log(path, cache=False)`, a fresh
repository object and no diff cache in .git/policylint, with policylint's in-process
memos of text (heading kinds, normalised texts) emptied before each run so nothing of
an earlier run is reused; imports, compiled grammar and patterns stay loaded (a long
process, or the second file of a run, has them). The warm run reuses the diff cache
(.git/policylint/diff-cache.json). Every figure is a median, and `git log -p --follow
-- FILE` is timed in the same loop, alternating with policylint, so both see the same
machine load. The whole `policylint log` process (interpreter start, imports, pattern
compilation) is timed too. Target: the cold library run within 2x of git.
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


def _most_versions(repo: Path) -> tuple[str, int]:
    best = ("", 0)
    for p in sorted(repo.glob("*/Privacy Policy.md")):
        rel = p.relative_to(repo).as_posix()
        n = len(subprocess.run(["git", "log", "--first-parent", "--format=%H", "--", rel], cwd=repo,
                               capture_output=True, text=True, check=True).stdout.split())
        if n > best[1]:
            best = (rel, n)
    return best


def _forget() -> None:
    """Empty the process-wide memos of text results, so a run starts cold."""
    from policylint import classify, vocab
    if hasattr(classify, "forget"):
        classify.forget()
    for fn in (getattr(classify, "_padded", None), getattr(vocab, "_classify_cached", None)):
        if fn is not None and hasattr(fn, "cache_clear"):
            fn.cache_clear()


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _row(label: str, times: list[float], git: list[float]) -> str:
    ours, theirs = statistics.median(times), statistics.median(git)
    return (f"  {label:<34} {ours * 1000:7.0f} ms   git {theirs * 1000:5.0f} ms   "
            f"{ours / theirs:4.1f}x")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="an existing clone of the corpus")
    ap.add_argument("--file", help="policy to walk (default: the one with most versions)")
    ap.add_argument("--runs", type=int, default=7)
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

        run = lambda c: subprocess.run(c, stdout=subprocess.DEVNULL, check=True)  # noqa: E731
        git_cmd = ["git", "log", "-p", "--follow", "--", path]
        exe = shutil.which("policylint")
        cmd = [exe, "log", path, "--no-color"] if exe else \
            [sys.executable, "-m", "policylint.cli", "log", path, "--no-color"]

        def cold_log() -> None:
            _forget()
            log(path, cache=False)

        run(git_cmd)                # warm-up: page cache, imports, grammar, patterns
        cold_log()
        cold, warm, proc_cold, proc_warm = [], [], [], []
        git = {"cold": [], "warm": [], "proc_cold": [], "proc_warm": []}
        for _ in range(args.runs):
            git["cold"].append(_timed(lambda: run(git_cmd)))
            cold.append(_timed(cold_log))
        log(path)                   # fills .git/policylint/diff-cache.json
        for _ in range(args.runs):
            git["warm"].append(_timed(lambda: run(git_cmd)))
            warm.append(_timed(lambda: log(path)))
        for _ in range(args.runs):
            git["proc_cold"].append(_timed(lambda: run(git_cmd)))
            proc_cold.append(_timed(lambda: run(cmd + ["--no-cache"])))
            git["proc_warm"].append(_timed(lambda: run(git_cmd)))
            proc_warm.append(_timed(lambda: run(cmd)))
        versions = len(log(path).entries)
        print(f"file: {path} ({versions} versions), median of {args.runs} runs, "
              "git log -p --follow timed alongside")
        print(_row("cold: library log(cache=False)", cold, git["cold"]) + "   (target 2x)")
        print(_row("warm: library log(), diff cache", warm, git["warm"]))
        print(_row("cold: `policylint log --no-cache`", proc_cold, git["proc_cold"]))
        print(_row("warm: `policylint log`", proc_warm, git["proc_warm"]))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
