from __future__ import annotations

from argparse import ArgumentParser
from typing import Any, TextIO

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
    # Commands that read or write the data set this: run from the command line, they bring
    # the database up to date first (see core.schema), so a fresh data folder just works.
    needs_tables = True

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

    def execute(self, *args: Any, **options: Any) -> str | None:
        # Only from the command line: code that calls a command (tests, serve) owns its
        # database already; --help and bad arguments never get here.
        if self.needs_tables and getattr(self, "_called_from_command_line", False):
            from coffeechat.core.schema import schema_ensure

            schema_ensure(stderr=self.stderr)
        return super().execute(*args, **options)

    def add_user_argument(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--user",
            metavar="NAME",
            help="Whose data to use; may be left out when the installation has one user.",
        )


def user_for_command(name: str | None) -> User:
    """The account a command acts on: the one named, or the only one there is."""
    if name:
        user = User.objects.filter(username__iexact=name).first()
        if user is None:
            raise CommandError(f"No user named {name!r}.")
        return user
    users = list(User.objects.order_by("id")[:2])
    if not users:
        raise CommandError("There is no account yet: create one with 'coffeechat createuser'.")
    if len(users) > 1:
        raise CommandError("This installation has several accounts: name one with --user NAME.")
    return users[0]


class ProgressBar:
    """A one-line progress bar on standard error, drawn only on a terminal."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.enabled = stream.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        percent = min(100, done * 100 // total)
        if percent == self.last:
            return
        self.last = percent
        filled = percent * 30 // 100
        bar = "#" * filled + "-" * (30 - filled)
        self.stream.write(f"\r{self.label} [{bar}] {percent:3d}% ({done:,}/{total:,})")
        if percent == 100:
            self.stream.write("\n")
        self.stream.flush()
