"""Full-text search structures, different per database: FTS5 and triggers on SQLite, GIN
expression indexes on PostgreSQL. Each branch does nothing on the other database."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from coffeechat.search import sqlite

        for statement in sqlite.create_sql():
            schema_editor.execute(statement)
        # Index what exists already.
        for kind in sqlite.DOCUMENTS:
            schema_editor.execute(
                "INSERT INTO search_fts (rowid, kind, owner_id, name, body) " + sqlite._select(kind)
            )
    elif schema_editor.connection.vendor == "postgresql":
        from coffeechat.search import postgres

        for model, index in postgres.indexes():
            schema_editor.add_index(model, index)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from coffeechat.search import sqlite

        for statement in sqlite.drop_sql():
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "postgresql":
        from coffeechat.search import postgres

        for model, index in postgres.indexes():
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    initial = True
    dependencies = [
        ("contacts", "0002_job_history_and_address_book"),
        ("organizations", "0001_initial"),
        ("notes", "0001_initial"),
        ("conversations", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
