"""Whether the database has every table this version of coffeechat needs, and bringing it there.

Every command that reads or writes the data calls ``schema_ensure`` first, so that a fresh data
folder or a database from an older version works without a separate ``coffeechat migrate``.

The check must stay cheap, since it runs before every command (a one-row import has a budget of
0.5 s of CPU): it lists the migration files on disk and compares them with the
``django_migrations`` table, two small queries and no migration module imported (loading the
whole migration graph costs about 30 ms). Only when something is missing does the real
``migrate`` run, and that works out the exact plan itself.
"""

from __future__ import annotations

import importlib
import pkgutil

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


def _migrations_on_disk() -> set[tuple[str, str]]:
    """(app label, migration name) of every migration file shipped, found the way Django's
    MigrationLoader finds them (non-package modules whose names do not start with _ or ~)."""
    found: set[tuple[str, str]] = set()
    for app_config in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(app_config.label)
        if module_name is None:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue  # An app without migrations (humanize, staticfiles, ...).
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            if not info.ispkg and info.name[0] not in "_~":
                found.add((app_config.label, info.name))
    return found


def unapplied_migrations(using: str = DEFAULT_DB_ALIAS) -> tuple[list[tuple[str, str]], bool]:
    """Migration files not yet recorded as applied in the database, sorted, and whether the
    database is new (no migration applied at all). A squashed migration applied in place of the
    ones it replaces would leave those listed: then ``migrate`` runs, finds nothing to do, and
    nothing is lost but time."""
    recorder = MigrationRecorder(connections[using])
    on_disk = _migrations_on_disk()
    applied = set(recorder.applied_migrations()) if recorder.has_table() else set()
    return sorted(on_disk - applied), not applied


def schema_ensure(*, stderr: OutputWrapper, using: str = DEFAULT_DB_ALIAS) -> None:
    """Applies pending migrations on the embedded SQLite database; on PostgreSQL (server mode)
    says in one sentence to run ``coffeechat migrate`` instead.

    Why not on PostgreSQL: there the database is shared with running app processes, perhaps
    of the previous version during an upgrade, and the operator decides when the tables change
    (``coffeechat migrate`` or ``coffeechat serve``, both deliberate). A ``coffeechat digest``
    from a cron job or an import run by hand must not alter a shared schema as a side effect.
    A local SQLite file belongs to the one person running the command, who expects it to work.
    """
    connection = connections[using]
    try:
        pending, fresh = unapplied_migrations(using)
    except DatabaseError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CommandError(f"Cannot reach the database: {reason}.") from None
    if not pending:
        return
    count = len(pending)
    if connection.vendor != "sqlite":
        raise CommandError(
            f"The database needs {count} update{'s' if count != 1 else ''} for this version of "
            "coffeechat: run 'coffeechat migrate' first."
        )
    if fresh:
        stderr.write(f"Creating the database in {connection.settings_dict['NAME']}...")
    else:
        stderr.write(
            f"Updating the database for this version of coffeechat "
            f"({count} change{'s' if count != 1 else ''})..."
        )
    stderr.flush()
    call_command("migrate", interactive=False, verbosity=0, database=using)
