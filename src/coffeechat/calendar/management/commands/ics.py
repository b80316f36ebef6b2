from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from coffeechat.calendar.ics import can_show, conversation_ics
from coffeechat.conversations.models import Conversation
from coffeechat.core.commands import CoffeechatCommand, user_for_command


class Command(CoffeechatCommand):
    help = (
        "Print the calendar file (.ics) of one conversation, the same as its download on the "
        "conversation page."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("conversation_id", type=int, metavar="CONVERSATION_ID")
        self.add_user_argument(parser)

    def handle(self, *args: Any, conversation_id: int, user: str | None, **options: Any) -> None:
        owner = user_for_command(user)
        conversation = (
            Conversation.objects.filter(owner=owner, pk=conversation_id)
            .select_related("contact", "contact__organization")
            .first()
        )
        if conversation is None:
            raise CommandError(f"{owner.username} has no conversation {conversation_id}.")
        if conversation.starts_at is None:
            raise CommandError("That conversation has no date and time yet: schedule it first.")
        if not can_show(conversation):
            raise CommandError(
                "That conversation's date is outside the years 1900 to 2200: edit it first."
            )
        sys.stdout.flush()
        self.stdout.write(conversation_ics(conversation).decode(), ending="")
