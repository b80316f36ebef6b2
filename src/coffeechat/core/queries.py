"""Reading a few rows of a large ordered set: ids first, then the rows by id.

With the joins, the ordering and the LIMIT in one query, both databases can pick a plan that
builds every joined row before keeping a page: SQLite walks the ordering index testing every
filter again, PostgreSQL hashes whole tables (the dashboard's ten follow-ups joined all 30,000
contacts). Asking for the ids alone lets the ordering index answer; the rows then come by
primary key, read without ORDER BY and put in the ids' order here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models


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
