import uuid

from django.db import migrations, models
from django.utils import timezone


def first_stamp(apps, schema_editor):
    apps.get_model("questions", "BankStamp").objects.update_or_create(
        pk=1, defaults={"stamp": uuid.uuid4().hex, "changed_at": timezone.now()}
    )


class Migration(migrations.Migration):
    # The stamp the processes' cached copy of the shipped bank is checked against.
    dependencies = [("questions", "0004_tags_become_families")]

    operations = [
        migrations.CreateModel(
            name="BankStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stamp", models.CharField(editable=False, max_length=32)),
                ("changed_at", models.DateTimeField(editable=False)),
            ],
        ),
        migrations.RunPython(first_stamp, migrations.RunPython.noop),
    ]
