"""SQLite: statistics for an index added by a migration to a table that already has some.

``PRAGMA optimize`` (core/sqlite/base.py) analyzes a table only when it has no statistics or
has grown many times over, so an index added later never gets its own: the planner then
guesses its worth and may pass it over (the funnel's introduced-ids index lost to the primary
key, which reads each wide contact row). A migration that adds an index to a table that may
already be large and analyzed ends with ``AnalyzeTable``."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _analyze(table: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return  # PostgreSQL's autovacuum measures new indexes by itself.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return  # Never analyzed: PRAGMA optimize will measure the whole table.
            cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
            if cursor.fetchone() is not None:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    return run


def AnalyzeTable(table: str) -> migrations.RunPython:  # noqa: N802  (reads as an operation)
    """A migration operation: on SQLite, measure ``table`` again if it was measured before."""
    return migrations.RunPython(_analyze(table), migrations.RunPython.noop, elidable=True)
