"""Shared by the benchmarks: find or clone the real corpus of published policies.

The corpus is Open Terms Archive's genai-eu versions collection (ODC-By; credit
Open Terms Archive and the collection's maintainers), shipped as a git bundle in
../shared/corpus/ beside the checkout.
"""
from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from pathlib import Path

BUNDLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "genai-eu-versions.bundle"


def corpus_dir(given: str | None = None) -> Path:
    """A work tree of the corpus: the one given, or a fresh clone of the bundle."""
    if given:
        return Path(given)
    if not BUNDLE.exists():
        raise SystemExit(f"corpus bundle not found at {BUNDLE}; pass --corpus DIR")
    dest = Path(tempfile.mkdtemp(prefix="policylint-corpus-")) / "genai"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(dest)], check=True)
    return dest


def median_time(fn, runs: int = 5) -> float:
    """Median wall time of ``runs`` calls, in seconds (machines are shared and noisy)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)
