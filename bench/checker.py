"""Median time to check a 150-word request with the message checker (target: under 5 ms).

    .venv/bin/python bench/checker.py [--runs N]

Pure Python, no database: the checker is a pure module. Each run checks the message *cold*:
the job-ask model's sentence cache is emptied first, so every sentence is tokenized, turned
into features and scored again (only the per-word lemma cache stays warm, as it does in a
running server after its first messages). A second figure, *warm*, is the same message
checked again without emptying the cache, as when the draft page re-checks while the user
types. Exits 1 when the cold median is over the target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from coffeechat.outreach import jobask  # noqa: E402
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
    report = check(MESSAGE)  # load the model, compile the regular expressions
    cold, warm = [], []
    for _ in range(runs):
        jobask.clear_caches()
        started = time.perf_counter()
        check(MESSAGE)
        cold.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        check(MESSAGE)
        warm.append((time.perf_counter() - started) * 1000)
    rules = ", ".join(sorted({f.rule for f in report.findings}))
    print(f"message: {words} words, {len(report.findings)} findings ({rules})")
    median = statistics.median(cold)
    for label, timings in (("cold", cold), ("warm", warm)):
        timings.sort()
        p95 = timings[int(len(timings) * 0.95)]
        print(
            f"{label}: runs {runs}  median {statistics.median(timings):.2f} ms  "
            f"p95 {p95:.2f} ms  target: cold median < 5 ms"
        )
    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores shared with other work)")
    sys.exit(0 if median < 5 else 1)


if __name__ == "__main__":
    main()
