from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import BaseCommand


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
