"""One check of dates, time zones and links for every way a value gets in.

Forms, the CLI, a restore and an import all call these, and the models carry them as field
validators so that ``full_clean`` refuses the same values. Why the bounds:

- Years 1900-2200: wide enough for any conversation, follow-up or job date a person types,
  and far from Python's and the databases' edges. A conversation at 9999-12-31 23:59 in
  Etc/GMT+12 is year 10000 in UTC: PostgreSQL stores it, Python can no longer read it back,
  and every page that lists the conversation fails. A date in 9999 also overflows any
  "three business days later".
- Time zones from ``zoneinfo.available_timezones()``: the names this server can load. Any
  other name fails at the first page that shows a time.
- Links: only http(s) ones. An imported ``javascript:`` address must never become a link.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible

YEAR_MIN = 1900
YEAR_MAX = 2200
# The same bounds as instants: the first and last moment of those years in UTC.
EARLIEST = dt.datetime(YEAR_MIN, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(YEAR_MAX, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
DEFAULT_ZONE = "UTC"


def date_in_range(value: dt.date | dt.datetime) -> bool:
    """True for a date (or a moment, in UTC when it is aware) within the years allowed."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        try:
            value = value.astimezone(dt.UTC)
        except OverflowError:  # its UTC instant is beyond year 9999 (or before year 1)
            return False
    return YEAR_MIN <= value.year <= YEAR_MAX


@deconstructible
class DateRangeValidator:
    """Refuses dates and moments outside the years YEAR_MIN to YEAR_MAX. A class (not a
    function) so that a model field's migration names it by path."""

    message = f"Enter a date between the years {YEAR_MIN} and {YEAR_MAX}."

    def __call__(self, value: Any) -> None:
        if isinstance(value, dt.date) and not date_in_range(value):
            raise ValidationError(self.message, code="date_out_of_range")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRangeValidator)

    def __hash__(self) -> int:
        return hash(DateRangeValidator)


validate_date_range = DateRangeValidator()


@functools.cache
def time_zone_names() -> frozenset[str]:
    # Cached: listing the zones scans the zoneinfo folders on disk (about 14 ms).
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


def is_time_zone(name: object) -> bool:
    return isinstance(name, str) and name in time_zone_names()


def validate_time_zone(value: Any) -> None:
    if not is_time_zone(value):
        raise ValidationError(
            "%(value)s is not a time zone this server knows; pick one from the list, such as "
            "America/New_York or Europe/Paris.",
            code="unknown_time_zone",
            params={"value": repr(value)[:80]},
        )


def zone_or_utc(name: object) -> zoneinfo.ZoneInfo:
    """The zone of that name, or UTC for a name stored before it was checked: a page that
    shows a time never fails on it."""
    if is_time_zone(name):
        try:
            return zoneinfo.ZoneInfo(str(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # removed from disk since
            pass
    return zoneinfo.ZoneInfo(DEFAULT_ZONE)


# The largest id a row can have (a 64-bit signed key): a larger number names no row, and
# SQLite refuses to even compare with it.
MAX_ID = 2**63 - 1


def is_id(value: object) -> bool:
    """True for a row id as a form or a query string gives it: digits, 1 to MAX_ID."""
    text = str(value) if isinstance(value, int) else value
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        return False
    return len(text) <= len(str(MAX_ID)) and 0 < int(text) <= MAX_ID


WEB_SCHEMES = ("http", "https")
validate_web_url = URLValidator(
    schemes=list(WEB_SCHEMES), message="Enter a web address that starts with http:// or https://."
)


def is_web_url(value: object) -> bool:
    """True for an http(s) address only: the one kind of stored address a page may link."""
    if not isinstance(value, str) or not value:
        return False
    try:
        validate_web_url(value.strip())
    except ValidationError:
        return False
    return True
