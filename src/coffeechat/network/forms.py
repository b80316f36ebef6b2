from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from coffeechat.contacts.models import Contact
from coffeechat.core.widgets import ContactChoiceField


class KnowsForm(forms.Form):
    how = forms.CharField(
        label="How they know each other",
        max_length=200,
        required=False,
        help_text="A few words: 'worked together at Kestrel Labs'.",
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contacts = Contact.objects.filter(owner=owner)
        self.fields["contact"] = ContactChoiceField(contacts, label="This contact")
        self.fields["other"] = ContactChoiceField(contacts, label="knows")
        self.order_fields(["contact", "other", "how"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact") and data.get("contact") == data.get("other"):
            raise forms.ValidationError("Choose two different people.")
        return data
