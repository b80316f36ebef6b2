"""Form fields that every capability shares, so that a date or a time zone is checked the same
way on every page (the rules themselves live in core.validators)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


@lru_cache(maxsize=8)
def _options_html(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in choices)


class LongSelect(forms.Select):
    """A select of a few hundred fixed options (time zones, countries), written in one pass.
    Django renders each option through its own template: the settings page (600 zones, 150
    countries) took 104 ms of CPU, 14 with this; a conversation's edit page 56, 20. The same
    HTML as Django's (tests/test_long_select.py compares them); option groups go to Django's way."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        pairs = list(self.choices)
        if any(isinstance(label, list | tuple) for _, label in pairs):
            return super().render(name, value, attrs, renderer)
        options = _options_html(tuple((_text(v), _text(label)) for v, label in pairs))
        # Django marks the first option with the value (a single select has one).
        for chosen in self.format_value(value)[:1]:
            plain = f'<option value="{escape(chosen)}">'
            options = options.replace(plain, f"{plain[:-1]} selected>", 1)
        tag_attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        return mark_safe(f"<select{flatatt(tag_attrs)}>{options}</select>")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class TimeZoneField(forms.ChoiceField):
    """One of the zones this server can load, by its IANA name."""

    default_validators = [validate_time_zone]
    widget = LongSelect

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
