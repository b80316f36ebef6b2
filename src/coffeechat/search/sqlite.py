"""SQLite full-text search: an FTS5 table kept in sync by triggers.

Why triggers: contacts, notes and learnings are written by many services, by bulk imports and
by restores; a trigger cannot be forgotten by the next write path someone adds. Bulk writers
are the exception: a trigger costs about 0.1 ms per row, 3 s for a 30,000-row import, while
one INSERT ... SELECT indexes the same rows in a tenth of that. So a bulk writer drops the
insert and update triggers inside its own transaction (SQLite DDL is transactional: other
connections never see them missing), writes, indexes its rows in one statement per kind and
creates the triggers again before committing.

Row ids encode the kind, so an update or delete finds its index row by rowid:
rowid = object id * 4 + kind code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection

KINDS = {"contact": 0, "organization": 1, "note": 2, "learning": 3}

# kind -> (table, name expression, body expression), over the row called "r".
DOCUMENTS = {
    "contact": (
        "contacts_contact",
        "r.first_name || ' ' || r.last_name",
        "r.title || ' ' || r.email || ' ' || r.connection_detail || ' ' || r.notes",
    ),
    "organization": (
        "organizations_organization",
        "r.name",
        "r.industry || ' ' || r.notes",
    ),
    "note": ("notes_note", "''", "r.text"),
    "learning": ("conversations_learning", "''", "r.text"),
}


def _select(kind: str) -> str:
    table, name, body = DOCUMENTS[kind]
    code = KINDS[kind]
    return f"SELECT r.id * 4 + {code}, '{kind}', r.owner_id, {name}, {body} FROM {table} AS r"


def write_triggers() -> list[str]:
    statements = []
    for kind, (table, _, _) in DOCUMENTS.items():
        code = KINDS[kind]
        insert = (
            "INSERT INTO search_fts (rowid, kind, owner_id, name, body) "
            f"{_select(kind)} WHERE r.id = new.id;"
        )
        delete_old = f"DELETE FROM search_fts WHERE rowid = old.id * 4 + {code};"
        statements += [
            f"CREATE TRIGGER search_{kind}_ai AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER search_{kind}_au AFTER UPDATE ON {table} "
            f"BEGIN {delete_old} {insert} END",
        ]
    return statements


def drop_write_triggers() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS search_{kind}_{op}" for kind in DOCUMENTS for op in ("ai", "au")
    ]


def delete_triggers() -> list[str]:
    return [
        f"CREATE TRIGGER search_{kind}_ad AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM search_fts WHERE rowid = old.id * 4 + {KINDS[kind]}; END"
        for kind, (table, _, _) in DOCUMENTS.items()
    ]


def create_sql() -> list[str]:
    return [
        "CREATE VIRTUAL TABLE search_fts USING fts5(kind UNINDEXED, owner_id UNINDEXED, "
        "name, body, tokenize = 'unicode61 remove_diacritics 2')",
        *write_triggers(),
        *delete_triggers(),
    ]


def drop_delete_triggers() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS search_{kind}_ad" for kind in DOCUMENTS]


def drop_sql() -> list[str]:
    return [*drop_write_triggers(), *drop_delete_triggers(), "DROP TABLE IF EXISTS search_fts"]


def _unindex(cursor: Any, kind: str, where: str, params: list[Any]) -> None:
    """Removes from the index the rows of one kind that ``where`` (over "r") selects."""
    table = DOCUMENTS[kind][0]
    cursor.execute(
        f"DELETE FROM search_fts WHERE rowid IN (SELECT r.id * 4 + {KINDS[kind]} "
        f"FROM {table} AS r WHERE {where})",
        params,
    )


@contextmanager
def bulk(owner_id: int, since: datetime | None) -> Iterator[None]:
    """Inside a transaction: triggers off while the caller writes, then (re)index, with one
    statement per kind, every row of the owner's written at or after ``since`` (all of the
    owner's rows when ``since`` is None: a restore keeps the original timestamps)."""
    assert connection.in_atomic_block, "search bulk mode needs the caller's transaction"
    with connection.cursor() as cursor:
        for statement in drop_write_triggers():
            cursor.execute(statement)
    yield
    where = "r.owner_id = %s"
    params: list[Any] = [owner_id]
    if since is not None:
        where += " AND r.updated_at >= %s"
        params.append(connection.ops.adapt_datetimefield_value(since))
    with connection.cursor() as cursor:
        for kind in DOCUMENTS:
            _unindex(cursor, kind, where, params)
            # In rowid order: FTS5 flushes its pending segment whenever a rowid is not above
            # the previous one, so rows in an index's order (newest first) made one tiny
            # segment per row and merging them cost seconds for a 30,000-row import.
            cursor.execute(
                "INSERT INTO search_fts (rowid, kind, owner_id, name, body) "
                f"{_select(kind)} WHERE {where} ORDER BY r.id",
                params,
            )
        for statement in write_triggers():
            cursor.execute(statement)


def search(owner_id: int, terms: list[str], limit: int) -> list[tuple[str, int, float, str]]:
    """(kind, id, rank, snippet) best first; rank grows with relevance."""
    match = " ".join(f'"{term}"*' for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, rowid / 4, -bm25(search_fts, 5.0, 1.0), "
            "snippet(search_fts, -1, char(2), char(3), '…', 12) "
            "FROM search_fts WHERE search_fts MATCH %s AND owner_id = %s "
            "ORDER BY bm25(search_fts, 5.0, 1.0) LIMIT %s",
            [match, owner_id, limit],
        )
        return [(kind, int(pk), float(rank), snippet) for kind, pk, rank, snippet in cursor]


@contextmanager
def erase(owner_id: int) -> Iterator[None]:
    """Inside a transaction, around deleting every row of an owner: the owner's index rows go
    in one statement per kind, and the per-row delete triggers pause meanwhile (each costs a
    lookup and a tokenization, seconds for 30,000 contacts)."""
    assert connection.in_atomic_block, "search erase needs the caller's transaction"
    with connection.cursor() as cursor:
        for statement in drop_delete_triggers():
            cursor.execute(statement)
        for kind in DOCUMENTS:
            _unindex(cursor, kind, "r.owner_id = %s", [owner_id])
    yield
    with connection.cursor() as cursor:
        for statement in delete_triggers():
            cursor.execute(statement)
