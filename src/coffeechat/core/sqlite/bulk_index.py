"""SQLite: the bulk mode shared by the trigger-kept indexes (the search index, the contacts'
trigram index). A bulk writer (an import, a restore, the bench's builder) pauses their write
triggers inside its transaction and indexes what it wrote in one statement per table
afterwards: a trigger per row made a 30,000-row import seconds slower."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection

# (cursor, WHERE over the table aliased "r", its parameters) -> None
Reindex = Callable[[Any, str, list[Any]], None]


@contextmanager
def triggers_paused(
    *,
    owner_id: int,
    since: datetime | None,
    drop: Sequence[str],
    create: Sequence[str],
    reindex: Reindex,
) -> Iterator[None]:
    """Inside a transaction: the ``drop`` statements (the write triggers off) while the
    caller writes, then ``reindex`` of the owner's rows written at or after ``since`` (all of
    them when None: a restore keeps the original timestamps), then ``create`` (the triggers
    back)."""
    assert connection.in_atomic_block, "an index's bulk mode needs the caller's transaction"
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
    yield
    where = "r.owner_id = %s"
    params: list[Any] = [owner_id]
    if since is not None:
        where += " AND r.updated_at >= %s"
        params.append(connection.ops.adapt_datetimefield_value(since))
    with connection.cursor() as cursor:
        reindex(cursor, where, params)
        for statement in create:
            cursor.execute(statement)
