"""What the demo's tests share: Maya's account and the fixed day the demo is built on."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib.auth.models import User

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import user_create

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 3, 11)  # a Wednesday, just after the switch to daylight saving time
NOON = dt.datetime.combine(TODAY, dt.time(12, 0), NY)
INDUSTRIES = {"Pharmaceuticals", "Medical devices", "Biotechnology"}


def maya_account(username: str = "demo") -> User:
    return user_create(
        username=username,
        password="demo",
        display_name="Maya Chen",
        stage=Profile.Stage.RECENT_GRADUATE,
        time_zone="America/New_York",
    )


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(NY)
