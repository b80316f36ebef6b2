from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError

from coffeechat.calendar.ics import conversation_ics
from coffeechat.conversations.models import Conversation
from coffeechat.core.commands import CoffeechatCommand


class Command(CoffeechatCommand):
    help = (
        "Print the calendar file (.ics) of one conversation, the same as its download on the "
        "conversation page."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("conversation_id", type=int, metavar="CONVERSATION_ID")
        parser.add_argument(
            "--user",
            metavar="NAME",
            help="Whose conversation it is; needed when the installation has several users.",
        )

    def handle(self, *args: Any, conversation_id: int, user: str | None, **options: Any) -> None:
        if user:
            owner = User.objects.filter(username=user).first()
            if owner is None:
                raise CommandError(f"No user named {user!r}.")
        else:
            users = list(User.objects.order_by("id")[:2])
            if len(users) != 1:
                raise CommandError("Several users here (or none): name one with --user NAME.")
            owner = users[0]
        conversation = (
            Conversation.objects.filter(owner=owner, pk=conversation_id)
            .select_related("contact", "contact__organization")
            .first()
        )
        if conversation is None:
            raise CommandError(f"{owner.username} has no conversation {conversation_id}.")
        if conversation.starts_at is None:
            raise CommandError("That conversation has no date and time yet: schedule it first.")
        sys.stdout.flush()
        self.stdout.write(conversation_ics(conversation).decode(), ending="")
