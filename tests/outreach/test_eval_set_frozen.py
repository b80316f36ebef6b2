"""The job-ask evaluation set is frozen: its bytes must match the recorded checksum, and its
shape must stay what the README promises. If this fails because the file was edited, put the
file back. The set is never changed to improve a score (see data/eval/README.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.frozen import assert_unchanged, frozen_rows

EVAL_DIR = Path(__file__).parent / "data" / "eval"
EVAL_FILE = EVAL_DIR / "job_asks_eval.jsonl"
CHECKSUM_FILE = EVAL_DIR / "job_asks_eval.sha256"
KINDS = {"request", "linkedin-note", "followup", "thanks"}
FIELDS = {"id", "kind", "label", "text", "note"}


def _rows() -> list[dict]:
    return frozen_rows(EVAL_FILE)


def test_bytes_match_the_recorded_checksum() -> None:
    assert_unchanged(EVAL_FILE, CHECKSUM_FILE)


def test_every_row_has_the_documented_shape() -> None:
    rows = _rows()
    assert len(rows) >= 320
    for row in rows:
        assert set(row) == FIELDS, row.get("id")
        assert isinstance(row["label"], bool), row["id"]
        assert row["kind"] in KINDS, row["id"]
        assert isinstance(row["text"], str) and row["text"].strip(), row["id"]
        assert isinstance(row["note"], str) and row["note"].strip(), row["id"]
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]


def test_positive_share_is_between_35_and_50_percent() -> None:
    rows = _rows()
    share = sum(row["label"] for row in rows) / len(rows)
    assert 0.35 <= share <= 0.50, share


def test_every_kind_has_asks_and_non_asks() -> None:
    counts = Counter((row["kind"], row["label"]) for row in _rows())
    for kind in KINDS:
        assert counts[(kind, True)] and counts[(kind, False)], kind


def test_linkedin_notes_fit_an_invitation() -> None:
    for row in _rows():
        if row["kind"] == "linkedin-note":
            assert len(row["text"]) < 300, row["id"]
