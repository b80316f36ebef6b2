"""PostgreSQL only: one owner-led trigram index for the contact list's search (issue 13).

The trigram GIN indexes of search 0002 hold every user's contacts, one per column: a search for
a common word on a server of many accounts read every user's matches, or (as the planner
preferred) walked the owner's whole name index testing each row. This index starts with the
owner (``btree_gin`` lets a GIN index hold a plain equality column; ``owner_id::bigint``,
an expression no other index holds, see ``contacts.selectors.OWNER_KEY``) and holds the four searched
columns joined by a space, upper-cased, so one index scan finds the owner's contacts whose
name, email or title holds a word (a word holds no space, so it cannot match across two
columns). ``contacts.selectors.SEARCH_TEXT`` is the same expression: PostgreSQL uses the index
only for a query that writes it alike.

``btree_gin`` is a trusted extension (PostgreSQL 13+), as pg_trgm is; where either cannot be
created the index is skipped, with a note, and the search tests rows as before.
"""

import sys

from django.db import DatabaseError, migrations, transaction

INDEX = "contact_owner_search_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from coffeechat.contacts.selectors import OWNER_KEY, SEARCH_TEXT

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    except DatabaseError as error:
        sys.stderr.write(
            f"Note: btree_gin or pg_trgm is not available ({error}); the contact search "
            "will not have its owner-led index.\n"
        )
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "contacts_contact" '
        f"USING gin (({OWNER_KEY}), (UPPER(({SEARCH_TEXT})::text)) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0011_name_index_covers_connection"),
        ("search", "0002_trigram_indexes"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
