"""The weekly review's warm contacts read in an index's order, up to the weekly goal.

"Introduced to you" and the advocates (alumni, then affinity) were each ordered by warmth, an
order no index gives: every introduced or advocate contact was read and sorted (about 10 ms
each at 30,000 contacts). They now read the newest introductions first from a partial index
that holds only the introduced contacts, and the advocates by most recent interaction from
the index of the connection filter, widened to (owner, how_connected, last_interaction DESC,
id DESC) in place of (owner, how_connected): no more index entries per contact written.

On PostgreSQL the widened index is NULLS LAST, the order the review reads (never-contacted
people last), as migration 0008 did for the "recent" sort; SQLite's DESC puts NULLs last
already, and cannot say NULLS LAST in an index.
"""

from django.conf import settings
from django.db import migrations, models

HOW_RECENT = "contact_owner_how_recent_idx"


def nulls_last(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{HOW_RECENT}"')
        schema_editor.execute(
            f'CREATE INDEX "{HOW_RECENT}" ON "contacts_contact" '
            '("owner_id", "how_connected", "last_interaction" DESC NULLS LAST, "id" DESC)'
        )


def nulls_first(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{HOW_RECENT}"')
        schema_editor.execute(
            f'CREATE INDEX "{HOW_RECENT}" ON "contacts_contact" '
            '("owner_id", "how_connected", "last_interaction" DESC, "id" DESC)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0009_contact_trigram_index"),
        ("organizations", "0003_index_organizations_by_owner_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="contact", name="contacts_co_owner_i_9c3444_idx"),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["owner", "how_connected", "-last_interaction", "-id"], name=HOW_RECENT
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                condition=models.Q(("introduced_by__isnull", False)),
                fields=["owner", "-created_at", "-id"],
                name="contact_introduced_recent_idx",
            ),
        ),
        migrations.RunPython(nulls_last, nulls_first),
    ]
