from __future__ import annotations

import ipaddress
import sys
from argparse import ArgumentParser, ArgumentTypeError
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.wsgi import get_wsgi_application
from django.db import connections

from coffeechat.core.bulk import statistics_refresh
from coffeechat.core.commands import CoffeechatCommand


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _at_least_one(what: str) -> Callable[[str], int]:
    """An argparse type for a count that cannot be 0: says in a sentence what it wanted."""

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise ArgumentTypeError(f"the number of {what} must be a whole number, 1 or more.")
        return value

    return parse


def _bind_address(host: str, port: int) -> str:
    # gunicorn reads "host:port"; an IPv6 address needs its brackets to be told from the port.
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


class Command(CoffeechatCommand):
    # Serving is the deliberate start of an installation: it applies migrations on both
    # databases itself (unless --no-migrate), not only on SQLite as other commands do.
    needs_tables = False
    # The server is where a wrong configuration would hurt: it checks it before serving.
    requires_system_checks = "__all__"
    help = (
        "Serve coffeechat over HTTP with waitress, a production WSGI server, or with gunicorn "
        "in several processes (--workers above 1, not on Windows). Applies pending database "
        "migrations first and serves the static files itself."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to listen on (default: 127.0.0.1)."
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on (default: 8000)."
        )
        parser.add_argument(
            "--threads",
            type=_at_least_one("threads"),
            default=8,
            help="Threads per process (default: 8).",
        )
        parser.add_argument(
            "--workers",
            type=_at_least_one("processes"),
            default=1,
            metavar="N",
            help="Processes (default: 1, served by waitress). Above 1, gunicorn runs N "
            "processes, each with its threads, so that pages use more than one CPU core; "
            "use it on PostgreSQL. Not on Windows. gunicorn's other settings come from "
            "GUNICORN_CMD_ARGS.",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply migrations before serving."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"]
        if workers > 1 and sys.platform == "win32":
            raise CommandError(
                "Several processes need gunicorn, which does not run on Windows: serve with "
                "--workers 1 (waitress) instead."
            )
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        # A server is the long-running process SQLite's advice has in mind: look at every
        # table once at start (SQLite 3.46 and later), e.g. those of a database that an older
        # coffeechat left without statistics. Each request's connection does the rest as it
        # closes (core/sqlite/base.py).
        statistics_refresh(every_table=True)
        # Closed before serving, and above all before gunicorn forks: two processes must
        # never share one database connection.
        connections.close_all()
        host, port = options["host"], options["port"]
        if host in ("0.0.0.0", "::"):
            # Every address (a container, a server behind its proxy): what matters is that the
            # names people type are allowed, not the address itself.
            if all(_is_loopback(name) for name in settings.ALLOWED_HOSTS):
                self.stderr.write(
                    "Note: COFFEECHAT_ALLOWED_HOSTS names only this machine; set it to the "
                    "name people will type in their browser."
                )
        elif (
            not _is_loopback(host)
            and host not in settings.ALLOWED_HOSTS
            and "*" not in settings.ALLOWED_HOSTS
        ):
            self.stderr.write(
                f"Note: {host} is not in COFFEECHAT_ALLOWED_HOSTS; set it to the name people "
                "will type in their browser."
            )
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        processes = f" in {workers} processes" if workers > 1 else ""
        self.stdout.write(
            f"coffeechat is running at http://{shown}:{port}/{processes}  (Ctrl+C stops it)"
        )
        self.stdout.flush()
        if workers > 1:
            from coffeechat.core.processes import serve_in_processes

            serve_in_processes(
                bind=_bind_address(host, port), workers=workers, threads=options["threads"]
            )
            return
        from waitress import serve

        serve(
            get_wsgi_application(),
            host=host,
            port=port,
            threads=options["threads"],
            ident="coffeechat",
            _quiet=True,
        )
