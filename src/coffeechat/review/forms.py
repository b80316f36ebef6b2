from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from coffeechat.contacts.models import Contact
from coffeechat.core.widgets import ContactChoiceField
from coffeechat.review.models import WeeklyReview
from coffeechat.targets.models import Target


class ReviewDoneForm(forms.ModelForm):
    class Meta:
        model = WeeklyReview
        fields = ["reflection"]
        widgets = {"reflection": forms.Textarea(attrs={"rows": 3})}


class DraftRequestForm(forms.Form):
    """A suggested person becomes a conversation idea (for the target it was suggested for),
    whose request is drafted next."""

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"] = ContactChoiceField(
            Contact.objects.filter(owner=owner), label="Contact"
        )
        self.fields["target"] = forms.ModelChoiceField(
            Target.objects.filter(owner=owner), required=False, label="Target"
        )
