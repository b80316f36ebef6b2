"""What every frozen evaluation set promises: its bytes match the recorded checksum, and it
reads as one JSON object per line. The sets are never changed to improve a score (see each
set's data/eval/README.md)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def frozen_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def assert_unchanged(path: Path, checksum: Path) -> None:
    recorded = checksum.read_text(encoding="ascii").split()
    assert recorded[1:] == [path.name], "the checksum file must name the set"
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    assert actual == recorded[0], (
        f"{path.name} has changed; the evaluation set is frozen (see data/eval/README.md)"
    )
