from django.db import migrations


def load_bank(apps, schema_editor):
    from coffeechat.questions.bank import sync_rows

    sync_rows(apps.get_model("questions", "Question"))


class Migration(migrations.Migration):
    # Loads the shipped question bank. Idempotent: a later bank update adds a migration that
    # runs the same function again (or run `coffeechat questions --sync`).
    dependencies = [("questions", "0001_initial")]

    operations = [migrations.RunPython(load_bank, migrations.RunPython.noop)]
