"""Business days for the 3B7 routine: weekends never count, and neither do the public
holidays of the user's country when they picked one."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


@cache
def _holidays(country: str, year: int) -> frozenset[date]:
    import holidays  # Imported on first use: it is large, and most commands never need it.

    try:
        return frozenset(holidays.country_holidays(country, years=year).keys())
    except (NotImplementedError, ValueError, OverflowError):
        # NotImplementedError: an unknown code (a country dropped by a later holidays release).
        # The others: a year at the calendar's edges, where some countries' rules overflow.
        # Either way: weekends only.
        return frozenset()


def is_business_day(day: date, *, country: str = "") -> bool:
    if day.weekday() >= 5:
        return False
    return not country or day not in _holidays(country, day.year)


def add_business_days(start: date, days: int, *, country: str = "") -> date:
    """The date ``days`` business days after ``start`` (``start`` itself never counts).

    Never raises: the calendar's last day (9999-12-31) is as far as it goes. Forms keep dates
    within 1900-2200, but a date stored before they did must not break a page."""
    current = start
    remaining = days
    while remaining > 0:
        if current == date.max:
            return current
        current += timedelta(days=1)
        if is_business_day(current, country=country):
            remaining -= 1
    return current
