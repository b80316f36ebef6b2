from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from coffeechat.conversations.models import Conversation
from coffeechat.core.commands import CoffeechatCommand, user_for_command
from coffeechat.prep import documents
from coffeechat.prep.selectors import prep_sheet


class Command(CoffeechatCommand):
    help = (
        "Print the prep sheet of a conversation: its question plan, in TIARA order, and its "
        "research checklist. Shows the saved plan with your edits; a fresh plan when none is "
        "saved yet or when --minutes asks for another length (nothing is saved)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("conversation_id", type=int, metavar="CONVERSATION_ID")
        parser.add_argument(
            "--minutes", type=int, metavar="N", help="The slot, 20 to 60 (default: the plan's)."
        )
        parser.add_argument("--format", choices=["md", "json", "pdf"], default="md")
        parser.add_argument(
            "--paper", choices=["a4", "letter"], default="a4", help="Paper size of the PDF."
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Write to FILE instead of standard output (advised for --format pdf).",
        )
        self.add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_for_command(options["user"])
        minutes = options["minutes"]
        if minutes is not None and not 20 <= minutes <= 60:
            raise CommandError("--minutes must be 20 to 60: a conversation's length.")
        conversation = (
            Conversation.objects.filter(owner=user, pk=options["conversation_id"])
            .select_related("contact", "contact__organization")
            .first()
        )
        if conversation is None:
            raise CommandError(f"{user.username} has no conversation {options['conversation_id']}.")
        sheet = prep_sheet(conversation=conversation, minutes=minutes)
        if options["format"] == "pdf":
            data = documents.sheet_pdf(sheet, paper=options["paper"])
            if options["output"]:
                Path(options["output"]).write_bytes(data)
            else:
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            return
        if options["format"] == "json":
            text = json.dumps(sheet.as_json(), indent=2, ensure_ascii=False)
        else:
            text = documents.sheet_markdown(sheet)
        if options["output"]:
            Path(options["output"]).write_text(text + "\\n", encoding="utf-8")
        else:
            self.stdout.write(text)
