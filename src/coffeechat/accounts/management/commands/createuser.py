from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import user_create
from coffeechat.core.commands import CoffeechatCommand
from coffeechat.core.validators import validate_time_zone


class Command(CoffeechatCommand):
    help = (
        "Create a job seeker's account (or, with --coach, a career coach's). Asks for the "
        "password unless --password-stdin is given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="Display name.")
        parser.add_argument(
            "--stage", choices=Profile.Stage.values, default=Profile.Stage.RECENT_GRADUATE
        )
        parser.add_argument("--time-zone", default="UTC", help="IANA name, e.g. America/New_York.")
        parser.add_argument(
            "--coach",
            action="store_true",
            help="A coach's account: it can accept a student's invitation and then read the "
            "progress (and the notes and prep plans) the student chose to share.",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input (for scripts).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        try:
            User.username_validator(username)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} exists already.")
        try:
            validate_time_zone(options["time_zone"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages) + " No user was created.") from None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The two passwords differ. No user was created.")
        try:
            password_validation.validate_password(password, User(username=username))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user_create(
            username=username,
            password=password,
            email=options["email"],
            display_name=options["name"],
            stage=options["stage"],
            time_zone=options["time_zone"],
            is_coach=options["coach"],
        )
        self.stdout.write(f"Created {'coach' if options['coach'] else 'user'} {username}.")
