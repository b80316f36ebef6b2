from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from coffeechat.contacts.models import Contact
from coffeechat.core.forms import date_input
from coffeechat.core.widgets import ContactChoiceField
from coffeechat.followups.models import FollowUp


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["what", "due_on", "contact"]
        labels = {"what": "What to do", "due_on": "Due"}
        widgets = {"due_on": date_input()}

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"] = ContactChoiceField(
            Contact.objects.filter(owner=owner), required=False, label="Contact"
        )
