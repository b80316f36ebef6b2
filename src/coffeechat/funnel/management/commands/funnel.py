from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from coffeechat.accounts.services import profile_for
from coffeechat.core.commands import CoffeechatCommand, user_for_command
from coffeechat.funnel import results, selectors
from coffeechat.funnel.documents import funnel_markdown


class Command(CoffeechatCommand):
    help = (
        "Print the funnel, the same figures as the Funnel page: requests sent, replies, "
        "conversations held, referrals, leads, applications, formal interviews and offers over "
        "the last N weeks (or months) in your time zone, per target and per channel, the reply "
        "rate per kind of request, and your conversations per offer next to the reference 12."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        period = parser.add_mutually_exclusive_group()
        period.add_argument(
            "--weeks",
            type=int,
            metavar="N",
            help=f"The last N weeks, this one included (1 to {results.MAX_PERIODS['week']}; "
            f"default {results.DEFAULT_PERIODS['week']}).",
        )
        period.add_argument(
            "--months",
            type=int,
            metavar="N",
            help=f"The last N months instead, this one included (1 to "
            f"{results.MAX_PERIODS['month']}).",
        )
        parser.add_argument("--format", choices=["md", "json"], default="md")
        self.add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        by, count = results.WEEK, options["weeks"]
        if options["months"] is not None:
            by, count = results.MONTH, options["months"]
        if count is not None and not 1 <= count <= results.MAX_PERIODS[by]:
            raise CommandError(f"--{by}s must be from 1 to {results.MAX_PERIODS[by]}.")
        user = user_for_command(options["user"])
        result = selectors.funnel(user=user, profile=profile_for(user), by=by, periods=count)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(funnel_markdown(result))
