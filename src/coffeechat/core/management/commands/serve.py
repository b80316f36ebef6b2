from __future__ import annotations

import ipaddress
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
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


class Command(CoffeechatCommand):
    # Serving is the deliberate start of an installation: it applies migrations on both
    # databases itself (unless --no-migrate), not only on SQLite as other commands do.
    needs_tables = False
    # The server is where a wrong configuration would hurt: it checks it before serving.
    requires_system_checks = "__all__"
    help = (
        "Serve coffeechat over HTTP with waitress, a production WSGI server. Applies pending "
        "database migrations first and serves the static files itself."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to listen on (default: 127.0.0.1)."
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on (default: 8000)."
        )
        parser.add_argument("--threads", type=int, default=8, help="Worker threads (default: 8).")
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply migrations before serving."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        # A server is the long-running process SQLite's advice has in mind: look at every
        # table once at start (SQLite 3.46 and later), e.g. those of a database that an older
        # coffeechat left without statistics. Each request's connection does the rest as it
        # closes (core/sqlite/base.py).
        statistics_refresh(every_table=True)
        connections.close_all()
        host, port = options["host"], options["port"]
        if (
            not _is_loopback(host)
            and host not in settings.ALLOWED_HOSTS
            and "*" not in settings.ALLOWED_HOSTS
        ):
            self.stderr.write(
                f"Note: {host} is not in COFFEECHAT_ALLOWED_HOSTS; set it to the name people "
                "will type in their browser."
            )
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        self.stdout.write(f"coffeechat is running at http://{shown}:{port}/  (Ctrl+C stops it)")
        self.stdout.flush()
        serve(
            get_wsgi_application(),
            host=host,
            port=port,
            threads=options["threads"],
            ident="coffeechat",
            _quiet=True,
        )
