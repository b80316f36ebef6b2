from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import connection


@contextmanager
def search_bulk(*, owner_id: int, since: datetime | None) -> Iterator[None]:
    """Wrap a bulk write (import, restore, merge) inside its transaction. Rows written must
    carry ``updated_at >= since`` (None: reindex all of the owner's rows). On SQLite the
    per-row triggers pause and the rows are indexed in one statement per kind (and the
    contact list's trigram index, ``contacts/trigrams.py``, in one more); PostgreSQL's
    indexes need nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    from coffeechat.contacts import trigrams
    from coffeechat.search import sqlite

    # The contact list's trigram index pauses and catches up with the search index.
    with sqlite.bulk(owner_id, since), trigrams.bulk(owner_id, since):
        yield


@contextmanager
def search_erase(*, owner_id: int) -> Iterator[None]:
    """Wrap deleting all of an owner's rows inside its transaction (account deletion). On
    SQLite the owner's index rows go in one statement per kind; PostgreSQL needs nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    from coffeechat.contacts import trigrams
    from coffeechat.search import sqlite

    with sqlite.erase(owner_id), trigrams.erase(owner_id):
        yield
