from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError

from coffeechat.accounts.models import Profile
from coffeechat.core.commands import CoffeechatCommand, user_for_command
from coffeechat.prep import documents
from coffeechat.prep.selectors import plan_try


class Command(CoffeechatCommand):
    help = (
        "Print the plan for a conversation with someone known only by their job title: the "
        "opening, the questions in TIARA order and the close, tailored to the title's field "
        "and to your stage. Nothing is saved. Uses your question bank and profile (the only "
        "account, or --user); on an installation without accounts, the shipped bank. The "
        "JSON is the same as `coffeechat prep --format json`, with a null conversation."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--title", required=True, metavar="T", help='Their job title, e.g. "Sr. UX designer".'
        )
        parser.add_argument(
            "--organization",
            metavar="O",
            default="",
            help="Their employer; only words the reasons, never decides the field.",
        )
        parser.add_argument(
            "--industry", metavar="I", default="", help="Their organization's industry."
        )
        parser.add_argument(
            "--stage",
            choices=Profile.Stage.values,
            help="Where you are (default: your profile's stage, else other).",
        )
        parser.add_argument(
            "--minutes", type=int, default=30, metavar="N", help="The slot, 20 to 60 (default 30)."
        )
        parser.add_argument("--format", choices=["md", "json"], default="md")
        self.add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = options["minutes"]
        if not 20 <= minutes <= 60:
            raise CommandError("--minutes must be 20 to 60: a conversation's length.")
        title = " ".join(options["title"].split())
        if not title:
            raise CommandError("--title needs the contact's job title.")
        # No account is fine: a plan needs no data. Several accounts need --user.
        user = (
            user_for_command(options["user"]) if options["user"] or User.objects.exists() else None
        )
        sheet = plan_try(
            user=user,
            title=title,
            organization=options["organization"].strip(),
            industry=options["industry"].strip(),
            stage=options["stage"] or "",
            minutes=minutes,
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(sheet.as_json(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(documents.sheet_markdown(sheet))
