"""Query planner statistics on SQLite (issue 13, item 3): gathered as connections close and
after bulk writes, never by hand; nothing of the kind on PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from coffeechat.accounts.services import user_create
from coffeechat.contacts.models import Contact
from coffeechat.core.bulk import statistics_refresh
from coffeechat.core.sqlite.base import DatabaseWrapper
from coffeechat.imports.services import import_file
from coffeechat.portability.selectors import account_export
from coffeechat.portability.services import account_restore
from tests.test_imports import sample

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL run")


def analyzed_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return set()
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


@on_sqlite
@pytest.mark.django_db
def test_an_import_leaves_statistics_for_the_contacts_table(owner: User) -> None:
    assert "contacts_contact" not in analyzed_tables()
    import_file(owner=owner, data=sample("linkedin-connections.csv"))
    assert Contact.objects.filter(owner=owner).exists()
    assert {"contacts_contact", "organizations_organization"} <= analyzed_tables()


@on_sqlite
@pytest.mark.django_db
def test_a_dry_run_import_writes_no_statistics(owner: User) -> None:
    import_file(owner=owner, data=sample("linkedin-connections.csv"), dry_run=True)
    assert "contacts_contact" not in analyzed_tables()


@on_sqlite
@pytest.mark.django_db
def test_a_restore_leaves_statistics_for_every_table_it_filled(owner: User, world) -> None:
    data = json.loads(json.dumps(account_export(user=owner)))
    copy = user_create(username="copy", password="x" * 12)
    assert not {"network_knows", "notes_note"} & analyzed_tables()
    counts = account_restore(user=copy, data=data)
    assert counts["network.knows"] and counts["notes.note"]
    # Tables the restore only wrote into, never queried: ANALYZE by name.
    assert {"network_knows", "notes_note", "contacts_contact"} <= analyzed_tables()


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_refreshing_statistics_sends_nothing() -> None:
    with CaptureQueriesContext(connection) as queries:
        statistics_refresh(tables=["contacts_contact"], every_table=True)
    assert len(queries) == 0


@pytest.fixture
def file_database(db: None, tmp_path: Path) -> DatabaseWrapper:
    """A second connection, to a database file, through coffeechat's SQLite backend (the
    tests' own database is in memory, and Django never closes that one). On PostgreSQL runs
    too: the backend is the same whatever the default database."""
    settings_dict = dict(connections["default"].settings_dict)
    settings_dict.update(
        ENGINE="coffeechat.core.sqlite",
        NAME=str(tmp_path / "statistics.sqlite3"),
        OPTIONS={"init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;"},
    )
    wrapper = DatabaseWrapper(settings_dict, alias="statistics")
    with wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE link (id INTEGER PRIMARY KEY, owner_id INT, other_id INT)")
        cursor.execute("CREATE INDEX link_owner ON link (owner_id, other_id)")
        cursor.execute("CREATE INDEX link_other ON link (other_id)")
        cursor.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999) "
            "INSERT INTO link (owner_id, other_id) SELECT 1, i FROM n"
        )
    return wrapper


def stat_rows(path: str) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return []
        return sorted(db.execute("SELECT tbl, idx FROM sqlite_stat1"))


def test_closing_a_connection_gathers_the_statistics_its_queries_wanted(
    file_database: DatabaseWrapper,
) -> None:
    with file_database.cursor() as cursor:
        cursor.execute("SELECT id FROM link WHERE owner_id = 1 AND other_id IN (5, 6)")
        cursor.fetchall()
    path = file_database.settings_dict["NAME"]
    assert stat_rows(path) == []
    file_database.close()
    assert stat_rows(path) == [("link", "link_other"), ("link", "link_owner")]


def test_a_connection_that_only_wrote_closes_without_analyzing(
    file_database: DatabaseWrapper,
) -> None:
    """SQLite's own rule: a table is analyzed when a query of this connection would have
    planned better with statistics, not for every write."""
    path = file_database.settings_dict["NAME"]
    file_database.close()
    assert stat_rows(path) == []


def test_a_busy_database_closes_at_once_without_statistics(
    file_database: DatabaseWrapper,
) -> None:
    """Another writer holds the database: the close neither waits nor fails."""
    with file_database.cursor() as cursor:
        cursor.execute("SELECT id FROM link WHERE owner_id = 1 AND other_id = 5")
        cursor.fetchall()
    path = file_database.settings_dict["NAME"]
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        file_database.close()
        assert file_database.connection is None
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert stat_rows(path) == []


@on_sqlite
@pytest.mark.django_db
def test_a_migration_that_adds_an_index_measures_it_where_the_table_was_measured(
    owner: User,
) -> None:
    """PRAGMA optimize never measures an index added to a table it measured before: the
    migration does (core/sqlite/statistics.py), and leaves an unmeasured table to optimize."""
    from coffeechat.core.sqlite.statistics import _analyze

    def measured(index: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE idx = %s", [index])
            return cursor.fetchone() is not None

    introducer = Contact.objects.create(owner=owner, first_name="Ada")
    for n in range(5):
        Contact.objects.create(owner=owner, first_name=f"P{n}", introduced_by=introducer)
    run = _analyze("contacts_contact")
    # What RunPython hands over; a real schema editor cannot open inside the test's transaction.
    editor = SimpleNamespace(connection=connection)
    run(None, editor)  # no statistics at all yet: left to PRAGMA optimize
    assert "contacts_contact" not in analyzed_tables()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_contact")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE idx = 'contact_introduced_ids_idx'")
    assert not measured("contact_introduced_ids_idx")
    run(None, editor)
    assert measured("contact_introduced_ids_idx")
