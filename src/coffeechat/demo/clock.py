"""The demo's clock: every date in the demo is an offset from "today", in Maya's time zone."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Clock:
    today: date
    tz: zoneinfo.ZoneInfo
    now: datetime  # never later than the real now when today is the real today

    @classmethod
    def for_day(cls, today: date, tz: zoneinfo.ZoneInfo) -> Clock:
        noon = datetime.combine(today, time(12, 0), tz)
        real = timezone.now()
        # On the real today, "now" is the real time (up to noon), so nothing happens in the
        # future; on any other day, noon is a stable anchor and keeps the build deterministic.
        start_of_day = datetime.combine(today, time.min, tz)
        now = real if start_of_day <= real < noon else noon
        return cls(today=today, tz=tz, now=now)

    def at(self, days: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.today + timedelta(days=days), time(hour, minute), self.tz)

    def evening(self, days: int) -> datetime:
        """A past moment on that day: 9 pm, or just before now for today."""
        return min(self.at(days, 21, 0), self.now - timedelta(minutes=5))

    def this_week(self) -> datetime:
        """A past moment inside the current Monday-based week, for the weekly goal."""
        week_start = datetime.combine(
            self.today - timedelta(days=self.today.weekday()), time.min, self.tz
        )
        yesterday = self.at(-1, 16, 40)
        if yesterday >= week_start:
            return yesterday
        return max(week_start, min(self.at(0, 9, 15), self.now - timedelta(minutes=1)))


def roll_to_weekday(day: date, *, forward: bool) -> date:
    step = timedelta(days=1 if forward else -1)
    while day.weekday() >= 5:
        day += step
    return day
