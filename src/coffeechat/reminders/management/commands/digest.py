from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.utils import timezone

from coffeechat.accounts.services import profile_for
from coffeechat.core.commands import CoffeechatCommand
from coffeechat.reminders.mail import MailNotConfigured, digest_send


class Command(CoffeechatCommand):
    help = (
        "Send the daily digest of what is due today (follow-ups, thank-yous, conversations "
        "of the day) by email. Nothing is sent to a user with nothing due."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            required=True,
            help="Send at once, without waiting for the worker's daily hour.",
        )
        parser.add_argument("--user", metavar="NAME", help="Only this user (default: every user).")

    def handle(self, *args: Any, now: bool, user: str | None, **options: Any) -> None:
        users = User.objects.filter(is_active=True).order_by("username")
        if user:
            users = users.filter(username=user)
            if not users.exists():
                raise CommandError(f"No user named {user!r}.")
        for account in users:
            day = timezone.localdate(timezone.now(), profile_for(account).tz)
            try:
                sent = digest_send(user=account, day=day)
            except MailNotConfigured as error:
                raise CommandError(str(error)) from None
            if not account.email:
                outcome = "no email address on the settings page"
            else:
                outcome = f"sent to {account.email}" if sent else "nothing due, no mail"
            self.stdout.write(f"{account.username}: {outcome}")
