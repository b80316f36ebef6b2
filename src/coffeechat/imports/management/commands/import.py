from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from coffeechat.core.commands import CoffeechatCommand, ProgressBar, user_for_command
from coffeechat.core.text import plural
from coffeechat.imports import parsers
from coffeechat.imports.services import import_file


class Command(CoffeechatCommand):
    help = (
        "Import contacts from a LinkedIn export (Connections.csv, messages.csv, "
        "Invitations.csv or the whole archive .zip), a Google Contacts or Outlook CSV, or a "
        "vCard file. The format is read from the file's content. Importing a file again "
        "creates nothing; a newer export updates titles and employers and records the job "
        "change. A file that cannot be imported writes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", metavar="PATH", help="The file to import.")
        parser.add_argument(
            "--format",
            choices=["auto", *parsers.FAMILIES],
            default="auto",
            help="Check that the file is of this kind (default: auto, detect it).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; write nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print {"format", "created", "updated", "duplicates", "skipped": '
            '[{"row", "reason"}]} (and a few more counts) instead of sentences.',
        )
        self.add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(
                f"{path.name} is {path.stat().st_size // (1024 * 1024)} MB; the limit is "
                f"{settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB. Nothing was imported."
            )
        user = user_for_command(options["user"])
        try:
            with path.open("rb") as data:
                plan = import_file(
                    owner=user,
                    data=data,
                    family=options["format"],
                    dry_run=options["dry_run"],
                    filename=path.name,
                    progress=ProgressBar(sys.stderr, "Importing"),
                )
        except parsers.ImportError_ as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        summary = plan.summary()
        if options["json"]:
            keys = ("format", "created", "updated", "duplicates", "unchanged", "skipped")
            self.stdout.write(json.dumps({key: summary[key] for key in keys}))
            return
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            f"{verb} from {parsers.LABELS[plan.format]}: {summary['created']:,} new, "
            f"{summary['updated']:,} updated, {summary['unchanged']:,} unchanged, "
            f"{plural(summary['duplicates'], 'possible duplicate')}, "
            f"{len(summary['skipped']):,} skipped."
        )
        for skipped in summary["skipped"][:50]:
            self.stdout.write(f"  row {skipped['row']}: {skipped['reason']}")
        if len(summary["skipped"]) > 50:
            self.stdout.write(f"  ... and {len(summary['skipped']) - 50} more skipped rows")
