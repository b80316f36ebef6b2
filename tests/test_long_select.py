"""The long selects (time zones, countries) are written by core.forms.LongSelect in one pass;
their HTML is Django's Select's, for every form that has one and every kind of value."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from coffeechat.core.forms import LongSelect
from tests.discovery import form_classes

VALUES = [None, "", "UTC", "America/New_York", "Asia/Kolkata", "US", "FR", "Nowhere/Else", '"<&>']


def _long_selects() -> list[tuple[str, forms.Field]]:
    return [
        (f"{cls.__name__}.{name}", field)
        for cls in form_classes()
        for name, field in cls.base_fields.items()  # type: ignore[attr-defined]
        if isinstance(field.widget, LongSelect)
    ]


LONG_SELECTS = _long_selects()


def _djangos(widget: forms.Select, choices: object, *args: object) -> str:
    return forms.Select(attrs=widget.attrs, choices=choices).render(*args)  # type: ignore[arg-type]


def test_every_time_zone_and_country_select_is_found() -> None:
    names = {name for name, _ in LONG_SELECTS}
    assert {"ProfileForm.time_zone", "ProfileForm.country", "AccountCreateForm.time_zone"} <= names
    assert len(names) >= 6


@pytest.mark.parametrize(("name", "field"), LONG_SELECTS, ids=[n for n, _ in LONG_SELECTS])
@pytest.mark.parametrize("value", VALUES)
def test_the_same_html_as_djangos(name: str, field: forms.Field, value: str | None) -> None:
    attrs = {"id": "id_x", "required": field.required, "aria-describedby": "id_x_helptext"}
    ours = field.widget.render("x", value, attrs)
    theirs = _djangos(field.widget, field.choices, "x", value, attrs)  # type: ignore[attr-defined]
    assert parse_html(ours) == parse_html(theirs)
    assert ours.count(" selected") == theirs.count(" selected") <= 1


def test_option_groups_are_left_to_django() -> None:
    choices = [("Europe", [("Europe/Paris", "Paris"), ("Europe/Rome", "Rome")]), ("UTC", "UTC")]
    ours = LongSelect(choices=choices).render("x", "Europe/Rome")
    assert parse_html(ours) == parse_html(_djangos(LongSelect(), choices, "x", "Europe/Rome"))
    assert "<optgroup" in ours
