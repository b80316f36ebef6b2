from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from coffeechat.core.commands import CoffeechatCommand, user_for_command
from coffeechat.portability.services import RestoreError, account_restore


class Command(CoffeechatCommand):
    help = (
        "Restore a JSON export (from 'coffeechat export') into an empty account: every "
        "target, contact, conversation, note, follow-up and link as it was."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", metavar="PATH", help="The JSON export.")
        self.add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_for_command(options["user"])
        try:
            data = json.loads(Path(options["path"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['path']} as JSON: {error}") from None
        except RecursionError:
            raise CommandError(
                f"Cannot read {options['path']} as JSON: it nests deeper than any export does."
            ) from None
        try:
            counts = account_restore(user=user, data=data)
        except RestoreError as error:
            raise CommandError(f"{error} Nothing was restored.") from None
        total = sum(counts.values())
        self.stdout.write(f"Restored {total} rows into {user.username}'s account.")
