from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class Profile(models.Model):
    """What the app needs to know about the job seeker to pace and phrase its advice."""

    class Stage(models.TextChoices):
        RECENT_GRADUATE = "recent_graduate", "Recent graduate"
        CAREER_CHANGER = "career_changer", "Career changer"
        OTHER = "other", "Other"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField("your name", max_length=120, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RECENT_GRADUATE)
    time_zone = models.CharField(max_length=64, default="UTC")
    weekly_goal = models.PositiveSmallIntegerField(
        "weekly goal",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="New conversations to schedule each week. One a week keeps momentum.",
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")
