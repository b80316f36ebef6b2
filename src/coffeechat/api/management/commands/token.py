from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from coffeechat.api import services
from coffeechat.api.models import ApiToken
from coffeechat.api.selectors import tokens_for
from coffeechat.core.commands import CoffeechatCommand, user_for_command


class Command(CoffeechatCommand):
    help = (
        "Personal access tokens for the JSON API (/api/v1/). create prints a new token once "
        "(only its hash is kept); list shows each token's id, name, scope, last use and "
        "whether it is revoked; revoke ID stops a token for good."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Make a token and print it once.")
        create.add_argument("--name", default="command line", metavar="N", help="What will use it.")
        create.add_argument(
            "--read-only", action="store_true", help="It may read, not change anything."
        )
        self.add_user_argument(create)
        listing = actions.add_parser("list", help="List the user's tokens.")
        self.add_user_argument(listing)
        revoke = actions.add_parser("revoke", help="Revoke a token by its id (from list).")
        revoke.add_argument("token_id", type=int, metavar="ID")
        self.add_user_argument(revoke)

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_for_command(options["user"])
        action = options["action"]
        if action == "create":
            scope = ApiToken.Scope.READ if options["read_only"] else ApiToken.Scope.READ_WRITE
            try:
                token = services.token_create(owner=user, name=options["name"], scope=scope)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(token)
            self.stderr.write(
                "Shown once: keep it in your tool's secret store. "
                "Use it as Authorization: Bearer <token>."
            )
        elif action == "list":
            for row in tokens_for(user=user):
                used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
                state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "live"
                self.stdout.write(
                    f"{row.pk}\tcc_{row.key}…\t{row.scope}\t{state}\tlast used {used}\t{row.name}"
                )
        else:
            found = tokens_for(user=user).filter(pk=options["token_id"]).first()
            if found is None:
                raise CommandError(f"{user.username} has no token {options['token_id']}.")
            services.token_revoke(token=found)
            self.stdout.write(f"Revoked token {found.pk} ({found.name}).")
