"""PostgreSQL only: trigram indexes for the contact list's substring search. pg_trgm is a
trusted extension (PostgreSQL 13+), so a database owner can create it; where it cannot be
created the indexes are skipped, with a note, and the search still works by scanning."""

import sys

from django.db import DatabaseError, migrations, transaction


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from coffeechat.search import postgres

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        sys.stderr.write(
            f"Note: pg_trgm is not available ({error}); the contact search box will scan.\n"
        )
        return
    for statement in postgres.trigram_sql():
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from coffeechat.search import postgres

    for statement in postgres.drop_trigram_sql():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("contacts", "0004_not_duplicate"),
        ("organizations", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
