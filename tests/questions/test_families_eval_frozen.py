"""The occupational-family evaluation set is frozen: its bytes must match the recorded
checksum, and its shape must stay what the README promises. If this fails because the file
was edited, put the file back. The set is never changed to improve a score (see
data/eval/README.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.frozen import assert_unchanged, frozen_rows

EVAL_DIR = Path(__file__).parent / "data" / "eval"
EVAL_FILE = EVAL_DIR / "families_eval.jsonl"
CHECKSUM_FILE = EVAL_DIR / "families_eval.sha256"
FIELDS = {"id", "title", "industry", "organization", "family", "note"}


def _rows() -> list[dict]:
    return frozen_rows(EVAL_FILE)


def test_bytes_match_the_recorded_checksum() -> None:
    assert_unchanged(EVAL_FILE, CHECKSUM_FILE)


def test_every_row_has_the_documented_shape() -> None:
    rows = _rows()
    assert len(rows) >= 200
    for row in rows:
        assert set(row) == FIELDS, row.get("id")
        assert all(isinstance(row[name], str) for name in FIELDS), row["id"]
        assert row["note"].strip(), row["id"]
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]


def test_at_least_forty_families_and_some_rows_without_one() -> None:
    counts = Counter(row["family"] for row in _rows())
    assert len(set(counts) - {""}) >= 40
    assert counts[""] >= 10


def test_every_family_of_the_set_is_in_the_taxonomy() -> None:
    from coffeechat.questions.families import taxonomy

    keys = set(taxonomy().families)
    assert {row["family"] for row in _rows()} - {""} <= keys
