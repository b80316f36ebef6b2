from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from coffeechat.core.commands import CoffeechatCommand, user_for_command
from coffeechat.portability.selectors import FORMATS, export_as


class Command(CoffeechatCommand):
    help = (
        "Export an account. json holds everything (restorable with 'coffeechat restore'); "
        "csv (Google Contacts layout) and vcard hold the contacts, for other address books; "
        "markdown is a document to read."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument(
            "--output", metavar="PATH", help="Write to this file (default: standard output)."
        )
        self.add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_for_command(options["user"])
        content, _, _ = export_as(user=user, format=options["format"])
        if options["output"]:
            Path(options["output"]).write_text(content, encoding="utf-8")
            self.stderr.write(f"Exported {user.username} to {options['output']}.")
        else:
            sys.stdout.write(content)
