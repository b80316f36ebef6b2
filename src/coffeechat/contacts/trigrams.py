"""SQLite: a trigram index of each contact's name, email and title, so that the contact list's
search box reads only the contacts that match (issue 13).

The search box finds a word anywhere inside a first name, last name, email address or title
("vorsen" finds Halvorsen). Without an index for that, every search tested every contact of
the account: 94-131 ms at 300,000 contacts, whatever it found. FTS5's trigram tokenizer
indexes every three-character piece of the text, and a phrase query of a word's pieces, one
after another, finds exactly the rows that hold the word, case-insensitively; words of one or
two characters have no trigram and are still tested row by row (see ``contacts.selectors``).

One row per contact: the four fields joined by spaces (a searched word holds no space, so it
never matches across two fields). Row ids say whose contact it is, as in the search index
(``search/sqlite.py``): rowid = owner id * 2**40 + contact id, so one owner's contacts are one
range of rowids and a query restricted to it costs what that owner's matches cost, whatever
other users hold.

Kept by triggers, like the search index, and for the same reason: contacts are written by
many paths. Bulk writers (imports, restores, the bench's builder) pause them inside their
transaction and index their rows in one statement (``bulk``), through ``search_bulk``.
PostgreSQL has trigram GIN indexes on the same columns instead (search migration 0002).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection

from coffeechat.core.sqlite.bulk_index import triggers_paused

TABLE = "contacts_trigrams"
ID_BITS = 40
# The shortest word the index can find: one trigram.
SHORTEST = 3

_TEXT = "r.first_name || ' ' || r.last_name || ' ' || r.email || ' ' || r.title"
_COLUMNS = "first_name, last_name, email, title, owner_id"


def _rowid(row: str = "r") -> str:
    return f"(({row}.owner_id << {ID_BITS}) + {row}.id)"


def _insert(where: str) -> str:
    return (
        f"INSERT INTO {TABLE} (rowid, text) SELECT {_rowid()}, {_TEXT} "
        f"FROM contacts_contact AS r WHERE {where}"
    )


def write_triggers() -> list[str]:
    return [
        f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON contacts_contact "
        f"BEGIN {_insert('r.id = new.id')}; END",
        # Only when a searched field changes: a contact's last interaction or notes do not.
        f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF {_COLUMNS} ON contacts_contact BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = {_rowid('old')}; {_insert('r.id = new.id')}; END",
    ]


def drop_write_triggers() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {TABLE}_{op}" for op in ("ai", "au")]


def delete_trigger() -> str:
    return (
        f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON contacts_contact "
        f"BEGIN DELETE FROM {TABLE} WHERE rowid = {_rowid('old')}; END"
    )


def create_sql() -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5(text, tokenize = 'trigram')",
        *write_triggers(),
        delete_trigger(),
        # What exists already, in rowid order (one FTS5 segment instead of many).
        _insert("1") + " ORDER BY r.owner_id, r.id",
    ]


def drop_sql() -> list[str]:
    return [*drop_write_triggers(), f"DROP TRIGGER IF EXISTS {TABLE}_ad", f"DROP TABLE {TABLE}"]


def rowid_range(owner_id: int) -> tuple[int, int]:
    low = owner_id << ID_BITS
    return low, low + (1 << ID_BITS)


def _phrase(word: str) -> str:
    """The FTS5 query for ``word`` as a substring: a phrase of its trigrams."""
    assert len(word) >= SHORTEST
    return '"' + word.replace('"', '""') + '"'


def join(owner_id: int, *words: str) -> tuple[str, str, list[Any]]:
    """(table, condition, parameters) for ``QuerySet.extra``: joins the owner's contacts whose
    name, email or title holds one of ``words`` (each SHORTEST characters or more, spaces
    allowed) to the index rows that found them. The condition gives each contact's id from
    its index row, so SQLite walks the index's matches and looks each contact up by id."""
    low, high = rowid_range(owner_id)
    return (
        TABLE,
        f"contacts_contact.id = {TABLE}.rowid - %s AND {TABLE} MATCH %s "
        f"AND {TABLE}.rowid >= %s AND {TABLE}.rowid < %s",
        [low, " OR ".join(_phrase(word) for word in words), low, high],
    )


def count(owner_id: int, word: str, up_to: int | None) -> int:
    """How many of the owner's contacts hold ``word``, counted up to ``up_to`` (None: all), in
    the index alone (10,001 of the Smiths at 300,000 contacts: 2 ms)."""
    low, high = rowid_range(owner_id)
    limit = "" if up_to is None else f" LIMIT {int(up_to)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"AND rowid >= %s AND rowid < %s{limit})",
            [_phrase(word), low, high],
        )
        return int(cursor.fetchone()[0])


def _reindex(cursor: Any, where: str, params: list[Any]) -> None:
    cursor.execute(
        f"DELETE FROM {TABLE} WHERE rowid IN "
        f"(SELECT {_rowid()} FROM contacts_contact AS r WHERE {where})",
        params,
    )
    cursor.execute(_insert(where) + " ORDER BY r.id", params)


@contextmanager
def bulk(owner_id: int, since: datetime | None) -> Iterator[None]:
    """Inside a transaction: the insert and update triggers off while the caller writes, then
    the owner's contacts written at or after ``since`` (all of them when None) indexed in one
    statement."""
    with triggers_paused(
        owner_id=owner_id,
        since=since,
        drop=drop_write_triggers(),
        create=write_triggers(),
        reindex=_reindex,
    ):
        yield


@contextmanager
def erase(owner_id: int) -> Iterator[None]:
    """Inside a transaction, around deleting every contact of an owner: their index rows go
    in one statement and the per-row delete trigger pauses meanwhile."""
    assert connection.in_atomic_block, "trigram erase needs the caller's transaction"
    low, high = rowid_range(owner_id)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_ad")
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid >= %s AND rowid < %s", [low, high])
    yield
    with connection.cursor() as cursor:
        cursor.execute(delete_trigger())
