"""Form fields that every capability shares, so that a date or a time zone is checked the same
way on every page (the rules themselves live in core.validators)."""

from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.core.validators import (
    YEAR_MAX,
    YEAR_MIN,
    is_id,
    time_zone_choices,
    validate_date_range,
    validate_time_zone,
)


class DateField(forms.DateField):
    """A calendar date between the years YEAR_MIN and YEAR_MAX, typed in the browser's picker."""

    default_validators = [validate_date_range]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", date_input())
        super().__init__(**kwargs)


def date_input() -> forms.DateInput:
    """The browser's date picker, bounded like the server's check."""
    return forms.DateInput(
        attrs={"type": "date", "min": f"{YEAR_MIN}-01-01", "max": f"{YEAR_MAX}-12-31"},
        format="%Y-%m-%d",
    )


class TimeZoneField(forms.ChoiceField):
    """One of the zones this server can load, by its IANA name."""

    default_validators = [validate_time_zone]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("choices", time_zone_choices)
        super().__init__(**kwargs)


class RowsChoiceField(forms.ModelMultipleChoiceField):
    """Several of the user's rows by id. A value that cannot be an id is refused before the
    database is asked: SQLite cannot even compare with a number beyond 64 bits."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not is_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:40]},
                )
        return super()._check_values(value)  # type: ignore[misc]
