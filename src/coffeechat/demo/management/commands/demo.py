from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.db import transaction

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import (
    profile_first_steps_dismiss,
    profile_for,
    user_create,
)
from coffeechat.core.commands import CoffeechatCommand
from coffeechat.demo.services import demo_build, demo_clear, demo_has_data

USERNAME = "demo"
PASSWORD = "demo"
PERSONA: dict[str, Any] = {
    "display_name": "Maya Chen",
    "stage": Profile.Stage.RECENT_GRADUATE,
    "time_zone": "America/New_York",
}


class Command(CoffeechatCommand):
    help = (
        "Create the demo account (user demo, password demo): Maya Chen, a biology graduate "
        "exploring pharmaceutical sales, medical devices and biotech research."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo account's data and build it again; the password goes back "
            "to 'demo'.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the demo account even though other users exist on this installation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        self._refuse_beside_real_users(force=options["force"])
        # One transaction: a failed rebuild leaves the previous demo data in place.
        with transaction.atomic():
            user = User.objects.filter(username=USERNAME).first()
            if user is None:
                user = user_create(username=USERNAME, password=PASSWORD, **PERSONA)
            elif options["reset"]:
                self._reset_account(user)
            elif demo_has_data(user=user):
                self.stdout.write(
                    "The demo account is already there; nothing changed. "
                    "Use --reset to rebuild its data and set its password back to 'demo'."
                )
                return
            summary = demo_build(user=user)
            # Maya is weeks into her search: a newcomer's checklist has no place on her page.
            profile_first_steps_dismiss(user=user)
        elapsed = time.perf_counter() - started
        ready = f"Demo account ready: log in as {USERNAME} / {PASSWORD}"
        self.stdout.write(self.style.SUCCESS(ready))
        self.stdout.write(f"{summary}.")
        self.stdout.write(f"Built in {elapsed:.2f} s.")

    def _refuse_beside_real_users(self, *, force: bool) -> None:
        """A demo account with a known password does not belong next to real people's data."""
        others = list(
            User.objects.exclude(username=USERNAME)
            .order_by("username")
            .values_list("username", flat=True)[:4]
        )
        if others and not force:
            shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
            raise CommandError(
                f"This installation has other users ({shown}); the demo account is meant for a "
                "fresh installation. Use --force to add it anyway."
            )

    def _reset_account(self, user: User) -> None:
        user.set_password(PASSWORD)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        profile = profile_for(user)
        for name, value in PERSONA.items():
            setattr(profile, name, value)
        profile.save()
        demo_clear(user=user)
