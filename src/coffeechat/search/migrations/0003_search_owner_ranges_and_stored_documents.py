"""Search without ranking every match (issue 13).

SQLite: the FTS5 index is rebuilt with rowids that hold the owner and the kind (one range of
rowids per owner and kind), and a vocabulary table beside it. PostgreSQL: each searched table
gets a stored generated tsvector column with its GIN index, replacing the expression indexes
of 0001. Each branch does nothing on the other database.

Going back rebuilds what 0001 made: on SQLite the index with the old rowids (object id * 4 +
kind code), written out here because the code no longer makes it.
"""

from django.db import migrations

# The rowid of migration 0001, for going back.
OLD_ROWID = {"contact": 0, "organization": 1, "note": 2, "learning": 3}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from coffeechat.search import sqlite

        for statement in [*sqlite.drop_sql(), *sqlite.create_sql()]:
            schema_editor.execute(statement)
        # In rowid order (owner, then id): FTS5 writes one segment instead of many.
        for kind in sqlite.DOCUMENTS:
            schema_editor.execute(
                "INSERT INTO search_fts (rowid, kind, owner_id, name, body) "
                f"{sqlite._select(kind)} ORDER BY r.owner_id, r.id"
            )
    elif schema_editor.connection.vendor == "postgresql":
        from coffeechat.search import postgres

        for statement in postgres.document_columns_sql():
            schema_editor.execute(statement)
        for model, index in postgres.indexes():
            schema_editor.remove_index(model, index)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from coffeechat.search import sqlite

        for statement in sqlite.drop_sql():
            schema_editor.execute(statement)
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(kind UNINDEXED, owner_id UNINDEXED, "
            "name, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        for kind, (table, name, body) in sqlite.DOCUMENTS.items():
            code = OLD_ROWID[kind]
            select = (
                f"SELECT r.id * 4 + {code}, '{kind}', r.owner_id, {name}, {body} FROM {table} AS r"
            )
            insert = f"INSERT INTO search_fts (rowid, kind, owner_id, name, body) {select}"
            delete = f"DELETE FROM search_fts WHERE rowid = old.id * 4 + {code};"
            for statement in (
                f"CREATE TRIGGER search_{kind}_ai AFTER INSERT ON {table} BEGIN "
                f"{insert} WHERE r.id = new.id; END",
                f"CREATE TRIGGER search_{kind}_au AFTER UPDATE ON {table} BEGIN "
                f"{delete} {insert} WHERE r.id = new.id; END",
                f"CREATE TRIGGER search_{kind}_ad AFTER DELETE ON {table} BEGIN {delete} END",
                insert,
            ):
                schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "postgresql":
        from coffeechat.search import postgres

        for statement in postgres.drop_document_columns_sql():
            schema_editor.execute(statement)
        for model, index in postgres.indexes():
            schema_editor.add_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_trigram_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
