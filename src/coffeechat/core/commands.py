from __future__ import annotations

from argparse import SUPPRESS, ArgumentParser
from typing import Any, Literal, TextIO

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


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
    # System checks load the whole URL configuration, and with it every view and what the
    # views import (the PDF writer and its font tools among them): over a second of CPU before
    # a one-row import. They look at the project's configuration, which is the same for every
    # command, so they run where they matter: `coffeechat serve` (which sets them back),
    # `coffeechat check` and `coffeechat migrate` (Django's own commands). Tests run them too.
    requires_system_checks: list[str] | tuple[str, ...] | Literal["__all__"] = []
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
        if not self.requires_system_checks:
            # Accepted, as before the checks were dropped, so that scripts passing it still run.
            parser.add_argument("--skip-checks", action="store_true", help=SUPPRESS)
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        pass

    def execute(self, *args: Any, **options: Any) -> str | None:
        # Only from the command line: code that calls a command (tests, serve) owns its
        # database already; --help and bad arguments never get here.
        from_command_line = getattr(self, "_called_from_command_line", False)
        if self.needs_tables and from_command_line:
            from coffeechat.core.schema import schema_ensure

            schema_ensure(stderr=self.stderr)
        try:
            return super().execute(*args, **options)
        finally:
            if from_command_line:
                # Closed rather than dropped at exit, so that SQLite gathers the statistics
                # this command's queries wanted (core/sqlite/base.py).
                connections.close_all()

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
