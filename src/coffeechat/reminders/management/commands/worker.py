from __future__ import annotations

import signal
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from coffeechat.core.commands import CoffeechatCommand
from coffeechat.core.text import plural
from coffeechat.imports.services import import_previews_purge
from coffeechat.reminders.services import digests_enqueue_due


class Command(CoffeechatCommand):
    help = (
        "Run the background worker: every INTERVAL seconds it queues the daily digest of each "
        "user whose digest hour has come (in their own time zone; at most one a day), deletes "
        "import previews left unconfirmed for a day, then runs every queued task. Needs "
        "COFFEECHAT_SMTP_HOST to send mail. Stop with Ctrl+C."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=120.0,
            metavar="SECONDS",
            help="Seconds between two checks (default: 120).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Check and run what is due once, then exit (for cron or a test).",
        )

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        self.running = True
        if not once:
            signal.signal(signal.SIGINT, self._stop)
            signal.signal(signal.SIGTERM, self._stop)
        worker_id = "coffeechat-" + get_random_string(12)
        while self.running:
            close_old_connections()
            queued = digests_enqueue_due()
            if queued and options["verbosity"] > 0:
                self.stdout.write(f"Queued {plural(queued, 'digest')}.")
            # Import previews never confirmed hold whole files; a day is long enough to decide.
            purged = import_previews_purge()
            if purged and options["verbosity"] > 0:
                self.stdout.write(f"Deleted {plural(purged, 'unconfirmed import preview')}.")
            # django-tasks-db's own worker in batch mode: runs every ready task, then returns.
            Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
            if once:
                return
            self._sleep(interval)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(1.0, deadline - time.monotonic()))

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stdout.write("Stopping the worker.")
        self.running = False
