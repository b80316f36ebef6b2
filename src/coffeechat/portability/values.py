"""The check of one value of a restore file against its model field: the type, the length, the
choices, null, the field's own validators, and what the models cannot declare themselves (a
country, an import's summary, an importer's email address). Compiled once per field into small
functions (and, where a whole column can be judged at once, a fast column check), because a
300,000-contact file runs them millions of times.

Split from schema.py, which assembles these checks into each model's schema.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations

from coffeechat.contacts.identity import address_ok
from coffeechat.core.validators import YEAR_MAX, YEAR_MIN


class Refusal(Exception):
    """A value the schema does not accept; the message completes "field x: ..."."""


Check = Callable[[Any], Any]
# ---------------------------------------------------------------------------------------------
# Value checks
# ---------------------------------------------------------------------------------------------


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        # PostgreSQL cannot store NUL in text; refused everywhere so that a file restores the
        # same way on either database.
        return "holds a NUL character, which cannot be stored"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "holds a character that is not valid Unicode text (a lone surrogate)"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _validators(field: models.Field, skip: tuple[type, ...]) -> list[Callable[[Any], None]]:
    return [v for v in field.validators if not isinstance(v, skip)]


def _run(validators: list[Callable[[Any], None]], value: Any) -> None:
    for validator in validators:
        try:
            validator(value)
        except ValidationError as error:
            raise Refusal(" ".join(error.messages).rstrip(".")) from None


def _address_ok(value: str) -> bool:
    """The importer keeps internationalized addresses (josé@example.com) that Django's email
    validator refuses; what the importer keeps, a restore takes back."""
    return address_ok(value)


# Addresses of the usual shape (https://www.linkedin.com/in/...), which the URL validator is
# sure to accept (a subset of its pattern, short enough for its host length rule): checked with
# one match instead of the validator's 9 µs, 2.6 s for a 300,000-contact restore.
_PLAIN_URL = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?:[/?#]\S*)?\Z",
    re.IGNORECASE,
)


def _text_check(field: models.Field, extra: Check | None) -> Check:
    max_length = field.max_length
    choices: frozenset[str] | None = None
    if field.choices:
        # An empty value is a choice only where the field may be blank (full_clean's rule).
        choices = frozenset(str(v) for v, _ in field.flatchoices if field.blank or v != "")
        shown = ", ".join(sorted(repr(c) for c in choices))
    validators = _validators(field, (MaxLengthValidator, ProhibitNullCharactersValidator))
    null = field.null
    url = isinstance(field, models.URLField)
    email = isinstance(field, models.EmailField)

    def check(value: Any) -> Any:
        if value is None and null:
            return None
        if type(value) is not str:
            raise Refusal(f"not text ({_short(value)})")
        if max_length is not None and len(value) > max_length:
            raise Refusal(f"longer than {max_length} characters ({len(value):,})")
        if problem := _text_problem(value):
            raise Refusal(problem)
        if choices is not None and value not in choices:
            raise Refusal(f"{_short(value)} is not one of {shown}")
        if value and validators:
            if url and "://" not in value:
                # What coffeechat's own forms do with an address typed without its scheme,
                # and what an older import stored ("www.linkedin.com/in/..."): https.
                fixed = f"https://{value}"
                if max_length is None or len(fixed) <= max_length:
                    value = fixed
            plain = url and len(value) <= 253 and _PLAIN_URL.match(value)
            if not plain and not (email and _address_ok(value)):
                _run(validators, value)
        if extra is not None:
            extra(value)
        return value

    return check


def _int_bounds(field: models.Field) -> tuple[int, int, list[Callable[[Any], None]]]:
    """The column's range (the database's, narrowed by the field's min and max validators) and
    the field's other validators."""
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    others = []
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if isinstance(validator, MinValueValidator) and isinstance(limit, int):
            low = max(low, limit)
        elif isinstance(validator, MaxValueValidator) and isinstance(limit, int):
            high = min(high, limit)
        else:
            others.append(validator)
    return low, high, others


def _int_check(field: models.Field, extra: Check | None) -> Check:
    low, high, others = _int_bounds(field)
    null = field.null

    def check(value: Any) -> Any:
        if value is None and null:
            return None
        if type(value) is not int:
            raise Refusal(f"not a whole number ({_short(value)})")
        if not low <= value <= high:
            raise Refusal(f"{value} is outside {low} to {high}")
        _run(others, value)
        if extra is not None:
            extra(value)
        return value

    return check


def _bool_check(field: models.Field) -> Check:
    null = field.null

    def check(value: Any) -> Any:
        if value is None and null:
            return None
        if type(value) is not bool:
            raise Refusal(f"not true or false ({_short(value)})")
        return value

    return check


def _in_range(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Refusal(f"the year {year} is outside {YEAR_MIN} to {YEAR_MAX}")


def _sqlite() -> bool:
    """SQLite stores dates and times as text, in UTC (Django's adapters, without their cost
    per value: 1.1 s of a 300,000-contact restore); PostgreSQL takes the objects."""
    if connection.vendor != "sqlite":
        return False
    assert settings.USE_TZ and connection.timezone == dt.UTC
    return True


def _date_check(field: models.Field) -> Check:
    null = field.null
    adapt: Callable[[dt.date], Any] = str if _sqlite() else (lambda day: day)

    def check(value: Any) -> Any:
        if value is None and null:
            return None
        if type(value) is not str:
            raise Refusal(f"not a date ({_short(value)})")
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise Refusal(f"not a date in the form 2026-03-11 ({_short(value)})") from None
        _in_range(day.year)
        return adapt(day)

    return check


def _datetime_check(field: models.Field) -> Check:
    null = field.null
    adapt: Callable[[dt.datetime], Any] = (
        (lambda moment: str(moment.replace(tzinfo=None))) if _sqlite() else (lambda m: m)
    )

    # An import stamps all its rows with one time, so a file repeats a few values many times.
    seen: dict[str, Any] = {}

    def check(value: Any) -> Any:
        if value is None and null:
            return None
        if type(value) is not str:
            raise Refusal(f"not a date and time ({_short(value)})")
        if value in seen:
            return seen[value]
        if len(seen) > 10_000:
            seen.clear()
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise Refusal(
                f"not a date and time in the form 2026-03-11T14:00:00+00:00 ({_short(value)})"
            ) from None
        # Checked before the conversion to UTC, which overflows at the ends of the calendar.
        _in_range(moment.year)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)  # an export writes UTC
        moment = moment.astimezone(dt.UTC)
        _in_range(moment.year)
        adapted = seen[value] = adapt(moment)
        return adapted

    return check


def _binary_check(field: models.Field) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not str:
            raise Refusal(f"not base64 text ({_short(value)})")
        if len(value) > settings.IMPORT_MAX_BYTES * 4 // 3 + 4:
            raise Refusal(f"larger than {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise Refusal("not base64 text") from None

    return check


def _json_check(field: models.Field, extra: Check | None) -> Check:
    if extra is None:
        # Any JSON could be stored here and shown by some page: each JSON field says what it
        # holds, below, before a restore accepts it.
        raise ImproperlyDeclared(f"{field.model._meta.label}.{field.name} has no declared check")
    adapt = field.get_db_prep_value

    def check(value: Any) -> Any:
        extra(value)
        return adapt(value, connection)

    return check


class ImproperlyDeclared(Exception):
    """A field the schema does not know how to check: a model changed, the restore must too."""


# ---------------------------------------------------------------------------------------------
# Declarations the models cannot make themselves
# ---------------------------------------------------------------------------------------------


def _country(value: str) -> None:
    from coffeechat.accounts.models import country_choices

    if value not in {code for code, _ in country_choices()}:
        raise Refusal(f"{_short(value)} is not a country code coffeechat knows")


def _import_summary(value: Any) -> None:
    from coffeechat.imports.models import summary_problem

    if problem := summary_problem(value):
        raise Refusal(problem)


def _organization_key(name: str) -> str:
    from coffeechat.organizations.models import organization_key

    return organization_key(name)


# Time zones, dates and links are checked by the models' own validators (core.validators).
EXTRA_CHECKS: dict[str, Check] = {
    "accounts.profile.country": _country,
    "imports.importbatch.summary": _import_summary,
}

# Computed from the row, as the model's save() would: a key taken from the file could disagree
# with the name and slip past the uniqueness it exists for.
DERIVED: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "organizations.organization.key": ("name", _organization_key),
}


# An address the importer keeps (contacts.identity.address_ok), as one pattern for a whole column.
_PLAIN_ADDRESS = re.compile(r"[^\s<>,;:\x00]*@[^\s<>,;:\x00@]*\.[^\s<>,;:\x00@]*\Z")
_NONE = type(None)


def _kinds_ok(values: list[Any], kind: type, null: bool) -> list[Any] | None:
    """The values without their Nones, when all are of ``kind`` (or None where allowed)."""
    kinds = set(map(type, values))
    if kinds <= {kind}:
        return values
    if null and kinds <= {kind, _NONE}:
        return [value for value in values if value is not None]
    return None


def _extra_ok(extra: Check | None, values: list[Any]) -> bool:
    if extra is None:
        return True
    try:
        for value in set(values):
            extra(value)
    except Refusal:
        return False
    return True


def _fast_text(field: models.Field, extra: Check | None) -> Callable[[list[Any]], bool] | None:
    max_length = field.max_length
    choices = (
        frozenset(str(v) for v, _ in field.flatchoices if field.blank or v != "")
        if field.choices
        else None
    )
    validators = _validators(field, (MaxLengthValidator, ProhibitNullCharactersValidator))
    url = isinstance(field, models.URLField)
    email = isinstance(field, models.EmailField)
    pattern, longest = (_PLAIN_URL, 253) if url else (_PLAIN_ADDRESS, max_length or 254)
    null = field.null

    def fast(values: list[Any]) -> bool:
        texts = _kinds_ok(values, str, null)
        if texts is None or not texts:
            return texts is not None
        if max_length is not None and max(map(len, texts)) > max_length:
            return False
        joined = "".join(texts)
        if "\x00" in joined:
            return False
        if not joined.isascii():
            try:
                joined.encode("utf-8")
            except UnicodeEncodeError:
                return False
        if choices is not None and not choices.issuperset(texts):
            return False
        filled = [text for text in texts if text] if validators else []
        if filled and (url or email):
            # The usual address in one pattern for the column, not a validator per value.
            return (
                max(map(len, filled)) <= longest
                and all(map(pattern.match, filled))
                and _extra_ok(extra, texts)
            )
        if filled:
            try:
                for value in set(filled):  # a time zone column holds a few names many times
                    _run(validators, value)
            except Refusal:
                return False
        return _extra_ok(extra, texts)

    return fast


def _fast_int(field: models.Field, extra: Check | None) -> Callable[[list[Any]], bool] | None:
    low, high, others = _int_bounds(field)
    if others:  # a validator of its own: value by value
        return None
    null = field.null

    def fast(values: list[Any]) -> bool:
        numbers = _kinds_ok(values, int, null)
        if numbers is None or not numbers:
            return numbers is not None
        return low <= min(numbers) and max(numbers) <= high and _extra_ok(extra, numbers)

    return fast


def fast_check(field: models.Field, label: str) -> Callable[[list[Any]], bool] | None:
    """The column-at-once form of value_check, where a value passes unchanged."""
    extra = EXTRA_CHECKS.get(f"{label}.{field.name}")
    if isinstance(field, models.BooleanField):
        null = field.null
        return lambda values: _kinds_ok(values, bool, null) is not None
    if isinstance(field, models.IntegerField):
        return _fast_int(field, extra)
    if isinstance(field, models.CharField | models.TextField):
        return _fast_text(field, extra)
    return None  # dates and times are converted; JSON and bytes are rare


def value_check(field: models.Field, label: str) -> Check:
    extra = EXTRA_CHECKS.get(f"{label}.{field.name}")
    if isinstance(field, models.JSONField):
        return _json_check(field, extra)
    if isinstance(field, models.BooleanField):
        return _bool_check(field)
    if isinstance(field, models.DateTimeField):
        return _datetime_check(field)
    if isinstance(field, models.DateField):
        return _date_check(field)
    if isinstance(field, models.IntegerField):
        return _int_check(field, extra)
    if isinstance(field, models.CharField | models.TextField):
        return _text_check(field, extra)
    if isinstance(field, models.BinaryField):
        return _binary_check(field)
    raise ImproperlyDeclared(
        f"{label}.{field.name}: a restore does not know how to check a {type(field).__name__}"
    )
