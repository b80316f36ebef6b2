"""One index entry fewer for every contact written (issue 13): the index of introducers held a
NULL for every contact nobody introduced (an import's 30,000 rows included), though it is
only ever read for one introducer or a few (introduced_by = x, IN (...), which imply NOT
NULL on both databases). It now holds only the contacts someone introduced.

The field changes in the migration state only; in the database the old index is dropped by
name. An AlterField would make SQLite rebuild the table, which drops the search app's
triggers on it.
"""

import django.db.models.deletion
from django.db import migrations, models

OLD = "contacts_contact_introduced_by_id_aeed48ad"


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0006_index_contacts_by_owner_introducer"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contact",
                    name="introduced_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="introduced",
                        to="contacts.contact",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{OLD}"',
                    f'CREATE INDEX "{OLD}" ON "contacts_contact" ("introduced_by_id")',
                )
            ],
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                condition=models.Q(("introduced_by__isnull", False)),
                fields=["introduced_by"],
                name="contact_introduced_by_idx",
            ),
        ),
    ]
