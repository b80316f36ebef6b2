"""How well free-text job titles map to occupational families, on the frozen evaluation set.

    .venv/bin/python bench/families_eval.py [--misses]

The set (tests/questions/data/eval/families_eval.jsonl, see its README) was written before the
mapping's rules and is never used to tune them. A row counts as right when the mapping's family
equals the row's, or when the row expects none and the mapping is not confident enough to
tailor (the plan then uses general questions and says so). The organization's name is in some
rows to show that the mapping is never given it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
EVAL_FILE = ROOT / "tests" / "questions" / "data" / "eval" / "families_eval.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="List every row it gets wrong.")
    args = parser.parse_args()

    from coffeechat.questions.families import TAILOR_AT, taxonomy

    rows = [json.loads(line) for line in EVAL_FILE.read_text(encoding="utf-8").splitlines()]
    names = taxonomy()
    started = time.perf_counter()
    results = [names.classify(row["title"], row["industry"]) for row in rows]
    elapsed = (time.perf_counter() - started) * 1000 / len(rows)

    right = [
        row["family"] == (result.family or "") for row, result in zip(rows, results, strict=True)
    ]
    with_family = [ok for row, ok in zip(rows, right, strict=True) if row["family"]]
    without = [ok for row, ok in zip(rows, right, strict=True) if not row["family"]]
    # Wrong tailoring is worse than none: a plan for the wrong field asks the wrong things.
    wrong_field = sum(
        1
        for row, result in zip(rows, results, strict=True)
        if result.family and result.family != row["family"]
    )
    general = sum(
        1 for row, result in zip(rows, results, strict=True) if row["family"] and not result.family
    )
    print(f"Families evaluation set: {len(rows)} rows ({EVAL_FILE.relative_to(ROOT)})")
    print(f"  accuracy               {sum(right) / len(rows):.3f}  ({sum(right)}/{len(rows)})")
    print(
        f"  rows with a family     {sum(with_family) / len(with_family):.3f}  "
        f"({sum(with_family)}/{len(with_family)})"
    )
    print(
        f"  rows without one       {sum(without) / len(without):.3f}  "
        f"({sum(without)}/{len(without)})"
    )
    print(f"  tailored to a wrong family: {wrong_field}; general instead of tailored: {general}")
    print(f"  tailoring threshold {TAILOR_AT}; {elapsed:.3f} ms per title")
    if args.misses:
        for row, result, ok in zip(rows, results, right, strict=True):
            if not ok:
                print(
                    f"  {row['id']}  {row['title']!r} / {row['industry']!r}: expected "
                    f"{row['family'] or '(none)'}, got {result.family or '(none)'} "
                    f"(guess {result.guess}, {result.confidence})"
                )


if __name__ == "__main__":
    main()
