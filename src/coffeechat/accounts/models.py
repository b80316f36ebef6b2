from __future__ import annotations

import re
import secrets
import zoneinfo
from functools import cache

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from coffeechat.core.validators import validate_time_zone, zone_or_utc


@cache
def country_choices() -> list[tuple[str, str]]:
    """Countries whose public holidays the `holidays` package knows, by English name."""
    from holidays.registry import COUNTRIES

    pairs = [
        (entry[1], re.sub(r"(?<=[a-z])(?=[A-Z])", " ", entry[0])) for entry in COUNTRIES.values()
    ]
    return [("", "None (weekends only)"), *sorted(pairs, key=lambda pair: pair[1])]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Weekday(models.IntegerChoices):
    """Days as ``date.weekday()`` numbers them."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Profile(models.Model):
    """What the app needs to know about the job seeker to pace and phrase its advice."""

    class Stage(models.TextChoices):
        STUDENT = "student", "Student"
        RECENT_GRADUATE = "recent_graduate", "Recent graduate"
        CAREER_CHANGER = "career_changer", "Career changer"
        OTHER = "other", "Other"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField("your name", max_length=120, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RECENT_GRADUATE)
    background = models.CharField(
        "your background",
        max_length=160,
        blank=True,
        default="",
        help_text="In a few words, for example “Biology graduate, two summers in a lab” or "
        "“Seven years teaching middle-school science”. Your 30-second introduction and the "
        "question on how your experience carries over use it.",
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    # Chosen or confirmed by the user: until then the dashboard offers the browser's zone.
    time_zone_confirmed = models.BooleanField(default=False, editable=False)
    # Saved the settings page once: the first step of the dashboard's first steps.
    settings_saved = models.BooleanField(default=False, editable=False)
    # The user hid the dashboard's first steps before finishing them.
    first_steps_dismissed = models.BooleanField(default=False, editable=False)
    weekly_goal = models.PositiveSmallIntegerField(
        "weekly goal",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="New conversations to schedule each week. One a week keeps momentum.",
    )
    # The day of the weekly review (0 = Monday, as date.weekday()); the dashboard shows the
    # review on that day until it is done. Friday closes the working week.
    review_weekday = models.PositiveSmallIntegerField(
        "weekly review on",
        choices=Weekday.choices,
        default=Weekday.FRIDAY,
        help_text="The dashboard and the daily email remind you of the week's review that day. "
        "On a Monday or Tuesday the review looks back at the week before.",
    )
    country = models.CharField(
        max_length=3,
        blank=True,
        help_text="Its public holidays do not count as business days for 3B7 follow-ups.",
    )
    digest_hour = models.PositiveSmallIntegerField(
        "daily email at",
        null=True,
        blank=True,
        default=7,
        validators=[MaxValueValidator(23)],
        help_text="Hour of the day (your time zone) for the email of what is due. Empty: no "
        "email. Nothing is sent on a day with nothing due.",
    )
    # The local date of the last digest queued, so that a day never gets two.
    digest_last_on = models.DateField(null=True, blank=True, editable=False)
    # The secret in the private calendar feed's address; empty until the user asks for one.
    calendar_token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # A career center's coach (``coffeechat createuser NAME --coach``): may accept a student's
    # invitation and then read what that student shares (the coaching app). Set by the
    # server's administrator, never by the user, so not on the settings page.
    is_coach = models.BooleanField("coach", default=False, editable=False)

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        # UTC for a zone stored before zones were checked: a page never fails on it.
        return zone_or_utc(self.time_zone)
