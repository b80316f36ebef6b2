"""Reading a few rows of a large ordered set: ids first, then the rows by id.

With the joins, the ordering and the LIMIT in one query, both databases can pick a plan that
builds every joined row before keeping a page: SQLite walks the ordering index testing every
filter again, PostgreSQL hashes whole tables (the dashboard's ten follow-ups joined all 30,000
contacts). Asking for the ids alone lets the ordering index answer; the rows then come by
primary key, read without ORDER BY and put in the ids' order here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models


def lock_rows(queryset: models.QuerySet[Any]) -> None:
    """Locks ``queryset``'s rows until the transaction ends (SELECT ... FOR UPDATE), reading
    their ids alone: how a service that finds a row or makes one makes a second request at
    the same moment wait for the first and find its row. In id order, so that two callers
    locking the same rows cannot wait on each other. SQLite has no row locks; its IMMEDIATE
    transactions already queue writers."""
    list(queryset.select_for_update().order_by("pk").values_list("pk"))


def rows_by_ids(queryset: models.QuerySet[Any], ids: Sequence[int]) -> list[Any]:
    """The rows of ``queryset`` with these ids (its filters, joins and prefetches kept), in
    ``ids``'s order. Meant for ids read from the same queryset, so that no row is lost."""
    if not ids:
        return []
    position = {pk: index for index, pk in enumerate(ids)}
    return sorted(queryset.filter(pk__in=ids).order_by(), key=lambda row: position[row.pk])


def first_rows(queryset: models.QuerySet[Any], limit: int) -> list[Any]:
    """The first ``limit`` rows of an ordered ``queryset``."""
    return rows_by_ids(queryset, list(queryset.values_list("pk", flat=True)[:limit]))


def counts_between(
    model: type[models.Model],
    *,
    where: Mapping[str, object],
    field_name: str,
    bounds: Sequence[object],
) -> list[int]:
    """How many rows of ``model`` matching ``where`` (field: value, or field: a tuple of
    values) have ``field_name`` in each interval [bounds[i], bounds[i + 1]): one count per
    interval, in one query.

    Written as one UNION ALL of plain range counts, each answered from an index whose columns
    are those of ``where``, then ``field_name``: the database counts index entries and sends
    back one figure per interval. The ORM's equivalents (a filtered COUNT per interval, or a
    CASE to group by) cost 2.5 ms of Python to build for twelve intervals and made the
    database test every row against every interval; this costs 0.2 ms."""
    batch = CountBatch()
    batch.add_between(0, model, where=where, field_name=field_name, bounds=bounds)
    return batch.run(kinds=1, intervals=len(bounds) - 1)[0]


class CountBatch:
    """Counts per interval of several kinds of rows, each kind under its number, sent to the
    database as one statement: a page of eight such counts paid eight round trips and eight
    plans on PostgreSQL (a few ms), and they are all small. Each part is a SELECT of (kind's
    number, interval's index, count) rows; the numbers are in the SQL itself, as a parameter
    there has no type PostgreSQL could infer."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, params: Sequence[Any]) -> None:
        """A SELECT of (number, index, count) rows."""
        self.parts.append(sql)
        self.params += params

    def add_between(
        self,
        number: int,
        model: type[models.Model],
        *,
        where: Mapping[str, object],
        field_name: str,
        bounds: Sequence[object],
    ) -> None:
        """Rows of ``model`` matching ``where`` with ``field_name`` in each interval, as in
        ``counts_between``: one range count per interval."""
        meta = model._meta
        quote = connection.ops.quote_name

        def column_of(name: str) -> tuple[models.Field, str]:
            field = meta.get_field(name)
            assert isinstance(field, models.Field) and field.column, name
            return field, quote(field.column)

        conditions, fixed = [], []
        for name, value in where.items():
            field, column = column_of(name)
            values = value if isinstance(value, tuple) else (value,)
            conditions.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            fixed += [field.get_db_prep_value(v, connection) for v in values]
        target, column = column_of(field_name)
        edges = [target.get_db_prep_value(edge, connection) for edge in bounds]
        condition = " AND ".join([*conditions, f"{column} >= %s", f"{column} < %s"])
        table = quote(meta.db_table)
        for index in range(len(bounds) - 1):
            # The rows may come in any order; the numbers say whose count it is.
            self.add(
                f"SELECT {number:d}, {index:d}, COUNT(*) FROM {table} WHERE {condition}",
                [*fixed, edges[index], edges[index + 1]],
            )

    def run(self, *, kinds: int, intervals: int) -> list[list[int]]:
        """Each number's (0 to ``kinds`` - 1) count per interval, 0 where no row came back."""
        counts = [[0] * intervals for _ in range(kinds)]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(self.parts), self.params)
            for number, index, n in cursor.fetchall():
                counts[number][index] = n
        return counts
