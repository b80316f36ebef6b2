"""Precision and recall of the checker's asks-for-job decision on a labelled set of messages.

    .venv/bin/python -m coffeechat.outreach.evaluate                      # the frozen set
    .venv/bin/python -m coffeechat.outreach.evaluate tests/outreach/data/job_asks_dev.jsonl
    .venv/bin/python -m coffeechat.outreach.evaluate FILE --misses        # list what it got wrong

A set is JSONL, one message a line: {"id", "kind" (optional, default "request"), "label"
(true when the message asks for a job), "text"}. A message counts as flagged when the checker
reports an asks-for-job finding anywhere in it, as the frozen set's README prescribes
(tests/outreach/data/eval/README.md). The frozen set is measured, never tuned on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from coffeechat.outreach.checker import check

FROZEN = Path("tests/outreach/data/eval/job_asks_eval.jsonl")


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def line(self) -> str:
        return (
            f"precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})"
        )


def flags_a_job_ask(text: str, kind: str = "request") -> bool:
    return any(f.rule == "asks-for-job" for f in check(text, kind).findings)


def evaluate(rows: list[dict[str, object]]) -> dict[str, Scores]:
    """Scores over all rows ("all") and by kind."""
    scores: dict[str, Scores] = defaultdict(Scores)
    for row in rows:
        kind = str(row.get("kind") or "request")
        truth = bool(row["label"])
        predicted = flags_a_job_ask(str(row["text"]), kind)
        for key in ("all", kind):
            s = scores[key]
            s.tp += predicted and truth
            s.fp += predicted and not truth
            s.fn += truth and not predicted
            s.tn += not predicted and not truth
        if predicted != truth:
            what = "false alarm" if predicted else "missed"
            scores["all"].misses.append(f"{row.get('id', '?')} {what}: {row['text']}")
    return dict(scores)


def read_rows(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", type=Path, default=FROZEN)
    parser.add_argument("--misses", action="store_true", help="print every wrong decision")
    args = parser.parse_args(argv)
    if not args.file.exists():
        parser.error(f"{args.file} not found (run from the repository root)")
    scores = evaluate(read_rows(args.file))
    print(f"{args.file}: {scores['all'].tp + scores['all'].fn} asks in "
          f"{sum(s.tp + s.fp + s.fn + s.tn for k, s in scores.items() if k != 'all')} messages")
    print(f"all: {scores['all'].line()}")
    for kind in sorted(k for k in scores if k != "all"):
        print(f"  {kind}: {scores[kind].line()}")
    if args.misses:
        for miss in scores["all"].misses:
            print("  " + " ".join(miss.split()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
