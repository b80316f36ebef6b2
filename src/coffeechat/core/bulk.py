"""Writing many rows as a bare DB-API loop would: the import's and the restore's write path.

bulk_create builds a model instance per row and prepares every value through several layers;
for 30,000 contacts that costs seconds. Here the caller hands over tuples of database-ready
values (dates adapted with connection.ops) for the named columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection


def rows_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """INSERT rows into ``table`` (database column names): one executemany on SQLite, one COPY
    on PostgreSQL. Omitted columns take their database default (NULL)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one command; Django's client-side-binding cursor sends
            # an executemany as one INSERT per row (30,000 contacts: 3.0 s -> 1.2 s).
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # type: ignore[arg-type]


def ids_reserve(table: str, pk_column: str, count: int) -> list[int]:
    """``count`` new primary keys for ``table``, ascending, that no other row has or will get:
    the caller inserts its rows with them and so knows every row's id before writing any.
    Inside a write transaction (SQLite's IMMEDIATE one holds the database's write lock)."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk_column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT max({quote(pk_column)}) FROM {quote(table)}")
        highest = cursor.fetchone()[0] or 0
        # AUTOINCREMENT never gives an id again, even after its row was deleted.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def statistics_refresh(*, tables: Sequence[str] = (), every_table: bool = False) -> None:
    """On SQLite, after a bulk write: the query planner's statistics where they are missing or
    stale (SQLite gathers none by itself; see core/sqlite/base.py), in the caller's transaction
    if it has one, so that they commit with the rows. ``tables`` are analyzed in full: those a
    bulk write filled without querying them, which ``PRAGMA optimize`` passes over before
    SQLite 3.46. ``every_table`` asks SQLite 3.46 and later to look at every table, not only the
    ones this connection queried (what SQLite advises when a long-running process starts; older
    versions ignore it). On PostgreSQL, nothing: autovacuum gathers its own."""
    if connection.vendor != "sqlite":
        return
    from coffeechat.core.sqlite.base import OPTIMIZE, OPTIMIZE_EVERY_TABLE

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {quote(table)}")
        cursor.execute(OPTIMIZE_EVERY_TABLE if every_table else OPTIMIZE)


class IdBlocks:
    """New primary keys of one table, handed out one at a time from blocks reserved ahead, so
    that rows can be written, and point at each other, without a query per row. On SQLite
    the first reservation is enough: inside the write transaction nobody else inserts, so the
    ids count on from it. On PostgreSQL each block is one query to the sequence, and
    ``ready()`` says whether the next id is at hand without one (a caller streaming a COPY
    must end it before a query). Blocks double from ``block`` up to ``most``: a three-row
    import wastes a few sequence values, not thousands."""

    def __init__(self, table: str, pk_column: str = "id", *, block: int = 500, most: int = 16000):
        self.table, self.pk_column = table, pk_column
        self.block, self.most = block, most
        self.ids: list[int] = []  # reserved, highest first (taken from the end)
        self.counting: int | None = None  # SQLite: the next id

    def ready(self) -> bool:
        return self.counting is not None or bool(self.ids)

    def take(self) -> int:
        if self.counting is not None:
            self.counting += 1
            return self.counting - 1
        if not self.ids:
            if connection.vendor != "postgresql":
                self.counting = ids_reserve(self.table, self.pk_column, 1)[0] + 1
                return self.counting - 1
            self.ids = ids_reserve(self.table, self.pk_column, self.block)[::-1]
            self.block = min(self.block * 2, self.most)
        return self.ids.pop()


class RowStream:
    """INSERT rows into one table as they come (values database-ready, as for rows_insert).
    On PostgreSQL they flow into one COPY, open until ``pause()``: the server writes them,
    and updates the table's indexes, while the caller reads the next ones. On SQLite they
    wait in a list for ``pause()``, which inserts them with one executemany. Either way,
    ``pause()`` frees the connection for other queries; the next ``write()`` goes on. Use it
    as a context manager: an error ends an open COPY with it."""

    def __init__(self, table: str, columns: Sequence[str]) -> None:
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        self.copy_sql = f"COPY {quote(table)} ({names}) FROM STDIN"
        marks = ", ".join(["%s"] * len(columns))
        self.insert_sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"
        self.rows: list[Sequence[Any]] = []
        self.cursor: Any = None
        self.copying: Any = None  # the COPY's context
        self.copy: Any = None
        # SQLite: a row is one append (the import writes 30,000 of them in a loop).
        self.write: Callable[[Sequence[Any]], None] = (
            self._copy_row if connection.vendor == "postgresql" else self.rows.append
        )

    def _copy_row(self, row: Sequence[Any]) -> None:
        if self.copy is None:
            self.cursor = connection.cursor()
            self.copying = self.cursor.cursor.copy(self.copy_sql)
            self.copy = self.copying.__enter__()
        self.copy.write_row(row)

    def pending(self) -> int:
        """Rows waiting for ``pause()`` (SQLite)."""
        return len(self.rows)

    def busy(self) -> bool:
        """Whether a COPY holds the connection (PostgreSQL): no other query until pause()."""
        return self.copy is not None

    def pause(self) -> None:
        self._end(None, None, None)

    def _end(self, *error: Any) -> None:
        if self.copy is not None:
            copying, cursor = self.copying, self.cursor
            self.copying = self.copy = self.cursor = None
            try:
                copying.__exit__(*error)  # waits until the server has every row
            finally:
                cursor.close()
        if self.rows and error[0] is None:
            with connection.cursor() as cursor:
                cursor.executemany(self.insert_sql, self.rows)
        self.rows.clear()  # the same list: ``write`` appends to it

    def __enter__(self) -> RowStream:
        return self

    def __exit__(self, *error: Any) -> None:
        self._end(*error)
