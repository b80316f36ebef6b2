from __future__ import annotations

from argparse import ArgumentParser

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError


class CoffeechatCommand(BaseCommand):
    """Base for coffeechat's own commands: hides Django's plumbing options from --help and
    documents the options that the ``coffeechat`` entry point handles for every command."""

    suppressed_base_arguments = {
        "--version",
        "--settings",
        "--pythonpath",
        "--traceback",
        "--no-color",
        "--force-color",
        "--skip-checks",
    }

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):  # type: ignore[no-untyped-def]
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--data-dir",
            metavar="DIR",
            help="Folder of the SQLite database (default: $COFFEECHAT_DATA_DIR, else the "
            "platform's user data folder). Ignored when DATABASE_URL is set.",
        )
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        pass

    def add_user_argument(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--user",
            metavar="NAME",
            help="Whose data to use; may be left out when the installation has one user.",
        )

    def resolve_user(self, name: str | None) -> User:
        """The named user, or the only one; a clear error otherwise."""
        if name:
            user = User.objects.filter(username__iexact=name).first()
            if user is None:
                raise CommandError(f"No user named {name!r}.")
            return user
        users = list(User.objects.order_by("username")[:2])
        if len(users) == 1:
            return users[0]
        if not users:
            raise CommandError("This installation has no users yet; create one first.")
        raise CommandError("This installation has several users: name one with --user NAME.")
