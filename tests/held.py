"""Two requests at once, made to meet: the first runs in a transaction held open while the
second runs in another connection, as two clicks (or two ticks) a moment apart reach the
server. A service that locks what it reads makes the second wait for the first's commit and
see its rows; one that does not lets the second decide on what it read before."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connections, transaction

# How long the first holds its transaction open once the second has started.
HOLD_SECONDS = 0.5


def first_held_open(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Runs ``first`` in a transaction, then ``second`` in another thread and connection while
    that transaction is still open; returns both results. Raises what either raised."""
    first_done, second_started = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def run(name: str, body: Callable[[], Any]) -> None:
        try:
            results[name] = body()
        except BaseException as error:  # handed to the test's thread below
            results[f"{name}_error"] = error
        finally:
            first_done.set()
            connections.close_all()

    def held() -> Any:
        with transaction.atomic():
            value = first()
            first_done.set()
            second_started.wait(timeout=10)
            time.sleep(HOLD_SECONDS)
            return value

    def after() -> Any:
        first_done.wait(timeout=10)
        second_started.set()
        return second()

    threads = [
        threading.Thread(target=run, args=("first", held)),
        threading.Thread(target=run, args=("second", after)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for name in ("first", "second"):
        if f"{name}_error" in results:
            raise results[f"{name}_error"]
    return results["first"], results["second"]
