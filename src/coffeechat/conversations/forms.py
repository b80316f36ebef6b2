from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User

from coffeechat.contacts.models import Contact
from coffeechat.conversations import services
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.core.forms import RowsChoiceField, TimeZoneField
from coffeechat.core.validators import date_in_range, validate_date_range, zone_or_utc
from coffeechat.core.widgets import ContactChoiceField
from coffeechat.targets.models import Target


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time typed by the user; the form attaches the chosen time zone."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local", "min": "1900-01-01T00:00", "max": "2200-12-31T23:59"},
        format="%Y-%m-%dT%H:%M",
    )
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    default_validators = [validate_date_range]

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        for fmt in self.input_formats:
            try:
                return datetime.strptime(str(value).strip(), fmt)
            except ValueError:
                continue
        raise forms.ValidationError("Enter a date and time, for example 2026-12-01 14:30.")


def attach_zone(naive: datetime | None, zone_name: str) -> datetime | None:
    if naive is None:
        return None
    return naive.replace(tzinfo=zone_or_utc(zone_name))


def zoned_start(form: forms.BaseForm, data: dict[str, Any]) -> datetime | None:
    """The typed wall-clock time in the chosen zone. A time inside the years allowed can still
    leave them once in UTC (2200-12-31 23:00 in Etc/GMT+12): refused here, never stored."""
    starts_at = attach_zone(data.get("starts_local"), data.get("time_zone") or "UTC")
    if starts_at is not None and not date_in_range(starts_at):
        form.add_error("starts_local", validate_date_range.message)
        return None
    return starts_at


class ConversationForm(forms.ModelForm):
    starts_local = LocalDateTimeField(label="Date and time", required=False)
    time_zone = TimeZoneField()

    class Meta:
        model = Conversation
        fields = [
            "contact",
            "targets",
            "starts_local",
            "time_zone",
            "planned_minutes",
            "medium",
            "place",
            "notes",
        ]
        field_classes = {"targets": RowsChoiceField}
        widgets = {
            "targets": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "planned_minutes": forms.NumberInput(attrs={"min": 20, "max": 60, "step": 5}),
        }

    def __init__(
        self, *args: Any, owner: User, default_time_zone: str = "UTC", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["contact"] = ContactChoiceField(
            Contact.objects.filter(owner=owner), label="Contact"
        )
        targets = cast(forms.ModelMultipleChoiceField, self.fields["targets"])
        targets.queryset = Target.objects.filter(owner=owner).order_by(*Target.LAMP_ORDER)
        targets.required = False
        if self.instance.pk:
            self.fields["time_zone"].initial = self.instance.time_zone
            local = self.instance.local_start
            self.fields["starts_local"].initial = local
        else:
            # The model's default (UTC) would win over the field's initial value.
            self.initial.setdefault("time_zone", default_time_zone)
            if self.initial["time_zone"] == "UTC":
                self.initial["time_zone"] = default_time_zone

    def save_conversation(self) -> Conversation:
        """A valid form's conversation, created or updated through the services: the web page
        and the API save one this one way."""
        data = self.cleaned_data
        if self.instance.pk:
            return services.conversation_update(
                conversation=self.save(commit=False), targets=data["targets"]
            )
        return services.conversation_create(
            owner=self.owner,
            contact=data["contact"],
            targets=data["targets"],
            starts_at=data["starts_at"],
            time_zone=data["time_zone"],
            planned_minutes=data["planned_minutes"],
            medium=data["medium"],
            place=data["place"],
            notes=data["notes"],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["starts_at"] = zoned_start(self, data)
        if (
            "starts_local" not in self.errors
            and self.instance.pk
            and self.instance.status == Status.SCHEDULED
            and data["starts_at"] is None
        ):
            self.add_error("starts_local", "A scheduled conversation needs its date and time.")
        return data

    def save(self, commit: bool = True) -> Conversation:
        conversation = super().save(commit=False)
        conversation.starts_at = self.cleaned_data["starts_at"]
        conversation.time_zone = self.cleaned_data["time_zone"]
        if commit:
            conversation.save()
            self.save_m2m()
        return conversation


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    starts_local = LocalDateTimeField(label="Date and time", required=False)
    time_zone = TimeZoneField(required=False)

    def __init__(self, *args: Any, default_time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The conversation's own zone, for a time posted without one.
        self.default_time_zone = default_time_zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["time_zone"] = data.get("time_zone") or self.default_time_zone
        data["starts_at"] = zoned_start(self, data)
        return data


class LearningForm(forms.ModelForm):
    prefix = "learning"

    class Meta:
        model = Learning
        fields = ["kind", "text"]
        labels = {"kind": "Kind", "text": "What you learned"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
