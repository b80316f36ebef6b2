"""Median time to check a 150-word request with the message checker (target: under 5 ms).

    .venv/bin/python bench/checker.py [--runs N]

Pure Python, no database: the checker is a pure module. Prints one line per kind and the
median, so docs/benchmarks.md can quote it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from coffeechat.outreach.checker import check, count_words  # noqa: E402

# An original 150-word request with a job ask buried in the middle, so every rule runs.
MESSAGE = (
    "Hi Priya, Ines Alvarez suggested I write to you, and we both studied biology at Chapel "
    "Hill. I graduated in May and I am exploring pharmaceutical sales, medical devices and "
    "research roles, trying to see which of them would suit the way I like to work. Your "
    "move from the lab bench into a territory role at Halvorsen Biologics is exactly the "
    "kind of path I want to understand from the inside. I have read about the long drives, "
    "the quarterly targets and the training in the first year, but I would value your view "
    "of what the work is like from week to week, what surprised you, and what you "
    "would do differently if you started again today. If anything opens up on your team, "
    "I hope you will think of me. Would you have 20 minutes in the next two weeks for a "
    "call? Thank you for reading."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2000)
    runs = parser.parse_args().runs
    words = count_words(MESSAGE)
    check(MESSAGE)  # warm the regular expressions
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        report = check(MESSAGE)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95)]
    rules = ", ".join(sorted({f.rule for f in report.findings}))
    print(f"message: {words} words, {len(report.findings)} findings ({rules})")
    print(f"runs: {runs}  median: {median:.2f} ms  p95: {p95:.2f} ms  target: < 5 ms")
    sys.exit(0 if median < 5 else 1)


if __name__ == "__main__":
    main()
