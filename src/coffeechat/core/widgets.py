from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from coffeechat.core.validators import is_id


class ContactPicker(forms.Widget):
    """Picks one contact out of tens of thousands without sending them all to the browser:
    the current choice is a checked radio, and a search box fetches other candidates as
    radios of the same name (htmx). Works by keyboard: type, then Tab to a radio."""

    template_name = "core/widgets/contact_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.queryset: models.QuerySet | None = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        selected = None
        # The form shows again what was posted, whatever it was: only an id is looked up.
        if self.queryset is not None and is_id(value):
            selected = self.queryset.select_related("organization").filter(pk=value).first()
        context["widget"]["selected"] = selected
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class ContactChoiceField(forms.ModelChoiceField):
    widget = ContactPicker

    def to_python(self, value: Any) -> Any:
        # Anything but an id is refused before the database is asked (see RowsChoiceField).
        if value not in self.empty_values and not is_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)

    def __init__(self, queryset: models.QuerySet, **kwargs: Any) -> None:
        super().__init__(queryset, **kwargs)
        self.widget.queryset = queryset  # type: ignore[attr-defined]


class ContactsPicker(forms.Widget):
    """Picks several contacts out of tens of thousands (a panel's interviewers): the chosen
    ones are checked boxes, and the same search as ContactPicker fetches others as boxes of
    the same name; a box checked in the results joins the chosen ones (app.js), so that a
    second search does not lose it."""

    template_name = "core/widgets/contacts_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.queryset: models.QuerySet | None = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = value if isinstance(value, list | tuple) else [] if value is None else [value]
        ids = [str(v.pk) if isinstance(v, models.Model) else str(v) for v in values]
        ids = [pk for pk in ids if is_id(pk)][:50]
        selected: list[Any] = []
        if self.queryset is not None and ids:
            selected = list(
                self.queryset.select_related("organization")
                .filter(pk__in=ids)
                .order_by("last_name", "first_name")
            )
        context["widget"]["selected"] = selected
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)


class ContactsChoiceField(forms.ModelMultipleChoiceField):
    widget = ContactsPicker

    def _check_values(self, value: Any) -> Any:
        # Anything but an id is refused before the database is asked (see RowsChoiceField).
        for pk in value:
            if not is_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:40]},
                )
        return super()._check_values(value)  # type: ignore[misc]

    def __init__(self, queryset: models.QuerySet, **kwargs: Any) -> None:
        super().__init__(queryset, **kwargs)
        self.widget.queryset = queryset  # type: ignore[attr-defined]
