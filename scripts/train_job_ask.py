"""Rebuild the job-ask model (src/coffeechat/outreach/data/job_ask_model.json) from the corpus.

    .venv/bin/python scripts/train_job_ask.py            # train, report cross-validation, write
    .venv/bin/python scripts/train_job_ask.py --cv-only  # report cross-validation, write nothing

Deterministic: the same corpus gives byte-identical weights (a fixed seed orders the passes,
floats are rounded before they are written). The training units are

- every sentence of tests/outreach/data/job_ask_corpus.jsonl (label and a short reason per
  row; a row of several sentences gives its label to the last one, and its earlier sentences
  are the context; the earlier sentences of a negative row are negatives too);
- every question of the bank (src/coffeechat/questions/data/bank.toml), as negatives: a
  question written for a conversation is never a job ask, whatever its words. When the bank
  changes, the weights are rebuilt (a test compares them) and the frozen set measured again;
- every sentence of every built-in template, filled as the draft page fills it with each kind
  of connection line, as negatives.

The model is a logistic regression (L2, AdaGrad, averaged over the last passes) over the
features of coffeechat.outreach.jobask.features. Pure Python: nothing to install.
Cross-validation is five folds over the corpus; the frozen evaluation set
(tests/outreach/data/eval/) is never read here.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from coffeechat.outreach import jobask  # noqa: E402
from coffeechat.outreach.checker import normalize, sentence_spans  # noqa: E402

CORPUS = ROOT / "tests" / "outreach" / "data" / "job_ask_corpus.jsonl"
BANK = ROOT / "src" / "coffeechat" / "questions" / "data" / "bank.toml"
SEED = 11
EPOCHS = int(os.environ.get("JOBASK_EPOCHS", "30"))
L2 = float(os.environ.get("JOBASK_L2", "5e-4"))
# Hand features and the context ones carry the intent; they are regularized less than words.
L2_HAND = float(os.environ.get("JOBASK_L2_HAND", "1e-5"))
MIN_COUNT = int(os.environ.get("JOBASK_MIN_COUNT", "1"))
DROP = tuple(p for p in os.environ.get("JOBASK_DROP", "").split(",") if p)
RATE = float(os.environ.get("JOBASK_RATE", "0.1"))

Unit = tuple[str, str, bool, str]  # (sentence, context sentence, label, source)


def split(text: str) -> list[str]:
    norm = normalize(text)
    return [norm[s:e] for s, e in sentence_spans(norm)]


def with_clauses(units: list[Unit]) -> list[Unit]:
    """The checker scores a sentence's clauses too (jobask.probability): every clause of a
    sentence that asks for nothing asks for nothing either, and is taught so."""
    out = []
    for sentence, context, label, source in units:
        out.append((sentence, context, label, source))
        parts = jobask.clauses(sentence)
        if not label and len(parts) > 1:
            for start, end in parts:
                if len(sentence[start:end].split()) >= 3:
                    out.append((sentence[start:end], context, False, source + "-clause"))
    return out


def corpus_units(rows: list[dict[str, object]]) -> list[list[Unit]]:
    """The units of each corpus row, kept together so that a fold never splits a row."""
    grouped = []
    for row in rows:
        context = [normalize(str(row["context"]))] if row.get("context") else []
        sentences = split(str(row["text"]))
        label = bool(row["label"])
        units: list[Unit] = []
        for i, sentence in enumerate(sentences):
            before = sentences[i - 1] if i else (context[0] if context else "")
            last = i == len(sentences) - 1
            if last or not label:
                units.append((sentence, before, label if last else False, "corpus"))
        grouped.append(with_clauses(units))
    return grouped


def bank_questions() -> list[str]:
    data = tomllib.loads(BANK.read_text(encoding="utf-8"))
    return [q["text"] for value in data.values() if isinstance(value, list) for q in value]


def filled_templates() -> list[str]:
    """Every built-in template filled as the draft page fills it, once per connection line."""
    os.environ.setdefault("COFFEECHAT_DATA_DIR", tempfile.mkdtemp(prefix="coffeechat-train-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    import django

    django.setup()
    from coffeechat.outreach.drafts import _CONNECTION_LINES, BUILTIN, fill

    texts = []
    for connection, _ in _CONNECTION_LINES.values():
        values = {
            "first_name": "Dana",
            "full_name": "Dana Whitfield",
            "title": "Clinical research associate",
            "organization": "Halvorsen Biologics",
            "connection": connection,
            "target": "clinical research",
            "background": "Biology graduate, two summers in a lab",
            "my_name": "Sam Ortiz",
            "minutes": "30",
            "met_on": "on Tuesday",
            "learning": "learn the regulations before the science",
            "what_happened": "",
        }
        for template in BUILTIN.values():
            texts.append(fill(template.body, values))
            if template.subject:
                texts.append(fill(template.subject, values))
    return texts


def fixed_units() -> list[Unit]:
    units: list[Unit] = []
    for source, texts in (("bank", bank_questions()), ("template", filled_templates())):
        for text in texts:
            sentences = split(text)
            for i, sentence in enumerate(sentences):
                units.append((sentence, sentences[i - 1] if i else "", False, source))
    return with_clauses(units)


def train(units: list[Unit], seed: int = SEED) -> dict[str, float]:
    """Logistic regression by AdaGrad with L2, averaged over the second half of the passes."""
    examples = [(_features(s, c), 1.0 if y else 0.0) for s, c, y, _ in units]
    # A word or pair seen in a single sentence teaches that sentence, not intent: drop it.
    seen = Counter(f for feats, _ in examples for f in feats)
    examples = [
        ([f for f in feats if seen[f] >= MIN_COUNT or f.startswith(("f:", "x:"))], y)
        for feats, y in examples
    ]
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    total: dict[str, float] = {}
    rng = random.Random(seed)
    order = list(range(len(examples)))
    averaged = 0
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        for index in order:
            feats, y = examples[index]
            z = sum(weights.get(f, 0.0) for f in feats)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - y
            for f in feats:
                w = weights.get(f, 0.0)
                hand = f.startswith(("f:", "x:")) or f == "bias"
                grad = g + (L2_HAND if hand else L2) * w
                squares[f] = squares.get(f, 0.0) + grad * grad
                weights[f] = w - RATE * grad / math.sqrt(squares[f] + 1e-8)
        if epoch >= EPOCHS // 2:
            averaged += 1
            for f, w in weights.items():
                total[f] = total.get(f, 0.0) + w
    return {f: w / averaged for f, w in total.items()}


def _features(sentence: str, context: str) -> list[str]:
    feats = jobask.features(sentence, context)
    return [f for f in feats if not f.startswith(DROP)] if DROP else feats


def score(weights: dict[str, float], sentence: str, context: str) -> float:
    """As jobask.probability: the sentence or its likeliest clause."""

    def one(text: str) -> float:
        z = sum(weights.get(f, 0.0) for f in _features(text, context))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    best = one(sentence)
    parts = jobask.clauses(sentence)
    if len(parts) > 1:
        for start, end in parts:
            if len(sentence[start:end].split()) >= 3:
                best = max(best, one(sentence[start:end]))
    return best


def folds(grouped: list[list[Unit]], k: int = 5) -> list[list[int]]:
    indices = list(range(len(grouped)))
    random.Random(SEED).shuffle(indices)
    return [indices[i::k] for i in range(k)]


def cross_validate(
    rows: list[dict[str, object]], fixed: list[Unit], threshold: float, verbose: bool
) -> dict[str, float]:
    grouped = corpus_units(rows)
    tp = fp = fn = tn = 0
    misses = []
    for held in folds(grouped):
        held_set = set(held)
        training = [u for i, g in enumerate(grouped) if i not in held_set for u in g] + fixed
        weights = train(training)
        for i in held:
            row = rows[i]
            units = grouped[i]
            # As the checker decides: the model, or a rule for the plainest asks.
            predicted = any(
                score(weights, s, c) >= threshold or jobask.clear_ask(s) for s, c, _, _ in units
            )
            truth = bool(row["label"])
            tp += predicted and truth
            fp += predicted and not truth
            fn += truth and not predicted
            tn += not predicted and not truth
            if predicted != truth:
                misses.append(("FALSE ALARM " if predicted else "MISSED ") + str(row["text"]))
    if verbose:
        for line in sorted(misses):
            print("  " + line)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv-only", action="store_true", help="report, write nothing")
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    parser.add_argument("--verbose", action="store_true", help="list cross-validation misses")
    parser.add_argument("--threshold", type=float, default=0.45)
    parser.add_argument(
        "--output", type=Path, default=jobask.MODEL_PATH, help="where to write the weights"
    )
    args = parser.parse_args()
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]
    fixed = fixed_units()
    kinds = Counter(u[3] for u in fixed if not u[3].endswith("-clause"))
    print(
        f"corpus: {len(rows)} rows ({sum(r['label'] for r in rows)} asks); "
        f"bank: {kinds['bank']} sentences; templates: {kinds['template']} sentences"
    )
    if not args.no_cv:
        cv = cross_validate(rows, fixed, args.threshold, args.verbose)
        print(
            f"5-fold cross-validation on the corpus rows: precision {cv['precision']:.3f}, "
            f"recall {cv['recall']:.3f} (tp {cv['tp']}, fp {cv['fp']}, fn {cv['fn']}, "
            f"tn {cv['tn']})"
        )
    if args.cv_only:
        return
    units = [u for g in corpus_units(rows) for u in g] + fixed
    weights = train(units)
    kept = {f: round(w, 4) for f, w in sorted(weights.items()) if abs(w) >= 0.0005}
    out = {
        "about": "Job-ask model of coffeechat's message checker; rebuilt by "
        "scripts/train_job_ask.py from tests/outreach/data/job_ask_corpus.jsonl. Do not edit.",
        "threshold": args.threshold,
        "units": len(units),
        "weights": kept,
    }
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(
        json.dumps(out, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.output}: {len(kept)} weights")


if __name__ == "__main__":
    main()
