"""Shared by the benches: a fresh SQLite database in a temporary folder, migrated, with one
account; the same settings a local user runs (WAL, foreign keys on)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(data_dir: Path | None = None) -> Path:
    """``data_dir``: keep the SQLite database there (made if missing) instead of a fresh
    temporary folder, so that a bench can build its data once and measure it again."""
    if data_dir is None:
        data_dir = Path(tempfile.mkdtemp(prefix="coffeechat-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["COFFEECHAT_DATA_DIR"] = str(data_dir)
    os.environ["COFFEECHAT_TESTING"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir


def timed(
    fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None
) -> list[float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float], limit: float | None = None, unit: str = "s") -> float:
    median = statistics.median(times)
    scale = 1000 if unit == "ms" else 1
    verdict = ""
    if limit is not None:
        verdict = "  PASS" if median * scale <= limit else f"  FAIL (limit {limit} {unit})"
    print(
        f"{label}: median {median * scale:.{1 if unit == 'ms' else 3}f} {unit} "
        f"(min {min(times) * scale:.3f}, max {max(times) * scale:.3f}, {len(times)} runs){verdict}"
    )
    return median
