"""SQLite only: the trigram index of contacts' names, emails and titles, for the contact list's
search box (``contacts/trigrams.py``). PostgreSQL has its trigram GIN indexes (search 0002)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from coffeechat.contacts import trigrams

    for statement in trigrams.create_sql():
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from coffeechat.contacts import trigrams

    for statement in trigrams.drop_sql():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0008_contact_recent_index_nulls_last")]
    operations = [migrations.RunPython(forwards, backwards)]
