"""SQLite full-text search: an FTS5 table kept in sync by triggers.

Why triggers: contacts, notes and learnings are written by many services, by bulk imports and
by restores; a trigger cannot be forgotten by the next write path someone adds. Bulk writers
are the exception: a trigger costs about 0.1 ms per row, 3 s for a 30,000-row import, while
one INSERT ... SELECT indexes the same rows in a tenth of that. So a bulk writer drops the
insert and update triggers inside its own transaction (SQLite DDL is transactional: other
connections never see them missing), writes, indexes its rows in one statement per kind and
creates the triggers again before committing.

Row ids say whose row it is and of which kind: rowid = (owner id * 4 + kind code) * 2**40 +
object id, so one owner's rows of one kind are one range of rowids. FTS5 restricts a match to
a rowid range inside its index and walks it from the top, so "the newest matches among this
owner's notes" costs what it returns, whatever other users hold (an UNINDEXED owner column is
only checked row by row after matching). Object ids stay below 2**40 and owner ids below 2**21
(a 64-bit rowid). An update or delete finds its index row by rowid.

A search does not rank every match (see ``search``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection

from coffeechat.core.sqlite.bulk_index import triggers_paused
from coffeechat.search import bm25

KINDS = {"contact": 0, "organization": 1, "note": 2, "learning": 3}
# Kinds whose documents have a name (weighted above the rest).
NAMED = ("contact", "organization")
ID_BITS = 40

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


def _rowid(kind: str, row: str = "r") -> str:
    return f"((({row}.owner_id * 4 + {KINDS[kind]}) << {ID_BITS}) + {row}.id)"


def rowid_range(owner_id: int, kind: str) -> tuple[int, int]:
    """The rowids of an owner's rows of one kind: from the first, up to the second excluded."""
    low = (owner_id * 4 + KINDS[kind]) << ID_BITS
    return low, low + (1 << ID_BITS)


def _select(kind: str) -> str:
    table, name, body = DOCUMENTS[kind]
    return f"SELECT {_rowid(kind)}, '{kind}', r.owner_id, {name}, {body} FROM {table} AS r"


def write_triggers() -> list[str]:
    statements = []
    for kind, (table, _, _) in DOCUMENTS.items():
        insert = (
            "INSERT INTO search_fts (rowid, kind, owner_id, name, body) "
            f"{_select(kind)} WHERE r.id = new.id;"
        )
        delete_old = f"DELETE FROM search_fts WHERE rowid = {_rowid(kind, 'old')};"
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
        f"DELETE FROM search_fts WHERE rowid = {_rowid(kind, 'old')}; END"
        for kind, (table, _, _) in DOCUMENTS.items()
    ]


def create_sql() -> list[str]:
    return [
        "CREATE VIRTUAL TABLE search_fts USING fts5(kind UNINDEXED, owner_id UNINDEXED, "
        "name, body, tokenize = 'unicode61 remove_diacritics 2')",
        # The index's words, to expand a prefix into the words it begins (see _phrase).
        "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'instance')",
        *write_triggers(),
        *delete_triggers(),
    ]


def drop_delete_triggers() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS search_{kind}_ad" for kind in DOCUMENTS]


def drop_sql() -> list[str]:
    return [
        *drop_write_triggers(),
        *drop_delete_triggers(),
        "DROP TABLE IF EXISTS search_vocab",
        "DROP TABLE IF EXISTS search_fts",
    ]


def _unindex(cursor: Any, kind: str, where: str, params: list[Any]) -> None:
    """Removes from the index the rows of one kind that ``where`` (over "r") selects."""
    table = DOCUMENTS[kind][0]
    cursor.execute(
        f"DELETE FROM search_fts WHERE rowid IN (SELECT {_rowid(kind)} "
        f"FROM {table} AS r WHERE {where})",
        params,
    )


def _reindex(cursor: Any, where: str, params: list[Any]) -> None:
    for kind in DOCUMENTS:
        _unindex(cursor, kind, where, params)
        # In rowid order: FTS5 flushes its pending segment whenever a rowid is not above the
        # previous one, so rows in an index's order (newest first) made one tiny segment per
        # row and merging them cost seconds for a 30,000-row import.
        cursor.execute(
            "INSERT INTO search_fts (rowid, kind, owner_id, name, body) "
            f"{_select(kind)} WHERE {where} ORDER BY r.id",
            params,
        )


@contextmanager
def bulk(owner_id: int, since: datetime | None) -> Iterator[None]:
    """Inside a transaction: triggers off while the caller writes, then (re)index, with one
    statement per kind, every row of the owner's written at or after ``since`` (all of the
    owner's rows when ``since`` is None: a restore keeps the original timestamps)."""
    with triggers_paused(
        owner_id=owner_id,
        since=since,
        drop=drop_write_triggers(),
        create=write_triggers(),
        reindex=_reindex,
    ):
        yield


# A search reads at most this many of the newest matches per kind (and, for people and
# organizations, as many whose name matches) and ranks those; see ``search``.
CANDIDATES = 200
# A word that begins more indexed words than this is left to FTS5's prefix query.
EXPANSIONS = 32
# Rows counted for a word's IDF; a word in more rows weighs as if it were in this many.
COUNTED = 50_000


def search(owner_id: int, terms: list[str], limit: int) -> list[tuple[str, int, float, str]]:
    """(kind, id, rank, snippet) best first; rank grows with relevance.

    Top-k without scoring every match: ranking all of a common word's matches (FTS5's
    ``ORDER BY rank``, or bm25() in a sort) reads the whole doclist and every matching row, so
    its cost grows with the matches: a word in half of a million notes took 420-600 ms. Here
    each kind gives its newest CANDIDATES matches (a rowid range walked from the top), people
    and organizations also their newest CANDIDATES whose name holds every word, so a name
    match is not crowded out by words in titles and notes; those are ranked by bm25 and the
    best ``limit`` kept. Each statement stops after its candidates, and the count behind a
    word's IDF after COUNTED rows. A row found only by its name gets its snippet from the
    name query, so it shows the name.
    """
    with connection.cursor() as cursor:
        phrases = [_phrase(cursor, term) for term in terms]
        match = " AND ".join(phrases)
        by_name = "{name} : (" + " AND ".join(phrases) + ")"
        rows, average_length = _totals(cursor)
        weights = [bm25.idf(rows, _matching(cursor, phrase)) for phrase in phrases]
        found: dict[tuple[str, int], tuple[str, str, str]] = {}
        for kind in KINDS:
            for query in (match, by_name) if kind in NAMED else (match,):
                for row in _candidates(cursor, query, owner_id, kind):
                    found.setdefault((kind, row[0] & ((1 << ID_BITS) - 1)), row[1:])
    words = [bm25.tokens(term) for term in terms]
    ranked = [
        (
            kind,
            pk,
            bm25.score(words, weights, bm25.tokens(name), bm25.tokens(body), average_length),
            snippet,
        )
        for (kind, pk), (name, body, snippet) in found.items()
    ]
    ranked.sort(key=lambda hit: (-hit[2], KINDS[hit[0]], hit[1]))
    return ranked[:limit]


def _phrase(cursor: Any, term: str) -> str:
    """The FTS5 query for one word of a search: it matches every indexed word the word
    begins. FTS5 answers a prefix query ("word"*) by merging the doclists of every word with
    that prefix, over the whole index, for each statement (13 ms for a word in half of a
    million notes); an OR of the exact words reads only as far as the statement goes. Words
    with accents (which the tokenizer folds) or that begin too many others keep the prefix
    query.

    The words come from the index's vocabulary, one step each: the first word after the last
    one found (``|| char(1)``: no word holds that character). The 'instance' vocabulary
    lists a word's first occurrence without reading the rest; the 'row' one counts every row
    of each word it lists (25 ms to find "meeting" after "meet")."""
    if not (term.isascii() and term.isalnum()):
        return f'"{term}"*'
    cursor.execute(
        "WITH RECURSIVE words(term, n) AS (SELECT %s, 0 UNION ALL "
        "SELECT (SELECT v.term FROM search_vocab AS v WHERE v.term >= words.term || char(1) "
        "AND v.term < %s LIMIT 1), n + 1 FROM words WHERE words.term IS NOT NULL AND n < %s) "
        "SELECT term FROM words WHERE term IS NOT NULL",
        [term, term + "\U0010ffff", EXPANSIONS + 1],
    )
    words = [word for (word,) in cursor.fetchall()]  # the word itself, then longer ones
    if len(words) > EXPANSIONS + 1:
        return f'"{term}"*'
    return "(" + " OR ".join(f'"{word}"' for word in words) + ")"


def _totals(cursor: Any) -> tuple[int, float]:
    """Rows in the index and their average length in tokens, from FTS5's own record of them
    (the "averages" row of its data table: varints, the row count and then each column's
    total tokens), which bm25() reads too."""
    cursor.execute("SELECT block FROM search_fts_data WHERE id = 1")
    row = cursor.fetchone()
    if row is None:
        return 0, 0.0
    blob, position, values = bytes(row[0]), 0, []
    while position < len(blob):
        value, position = _varint(blob, position)
        values.append(value)
    rows = values[0]
    return rows, sum(values[1:]) / rows if rows else 0.0


def _varint(blob: bytes, position: int) -> tuple[int, int]:
    """SQLite's varint: seven bits a byte, high bit set while more follow; a ninth byte
    carries eight bits."""
    value = 0
    for _ in range(8):
        byte = blob[position]
        position += 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, position
    return (value << 8) | blob[position], position + 1


def _matching(cursor: Any, phrase: str) -> int:
    cursor.execute(
        "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT %s)",
        [phrase, COUNTED],
    )
    return int(cursor.fetchone()[0])


def _candidates(cursor: Any, match: str, owner_id: int, kind: str) -> list[tuple[Any, ...]]:
    low, high = rowid_range(owner_id, kind)
    cursor.execute(
        "SELECT rowid, name, body, snippet(search_fts, -1, char(2), char(3), '…', 12) "
        "FROM search_fts WHERE search_fts MATCH %s AND rowid >= %s AND rowid < %s "
        "ORDER BY rowid DESC LIMIT %s",
        [match, low, high, CANDIDATES],
    )
    return list(cursor.fetchall())


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
