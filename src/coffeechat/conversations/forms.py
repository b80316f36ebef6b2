from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User

from coffeechat.accounts.models import time_zone_choices
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.core.widgets import ContactChoiceField
from coffeechat.targets.models import Target


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time typed by the user; the form attaches the chosen time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

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
    return naive.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))


class ConversationForm(forms.ModelForm):
    starts_local = LocalDateTimeField(label="Date and time", required=False)
    time_zone = forms.ChoiceField(label="Time zone", choices=time_zone_choices)

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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = data.get("time_zone") or "UTC"
        data["starts_at"] = attach_zone(data.get("starts_local"), zone)
        if (
            self.instance.pk
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
    time_zone = forms.ChoiceField(label="Time zone", choices=time_zone_choices, required=False)


class LearningForm(forms.ModelForm):
    prefix = "learning"

    class Meta:
        model = Learning
        fields = ["kind", "text"]
        labels = {"kind": "Kind", "text": "What you learned"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
