from __future__ import annotations

from django import forms

from coffeechat.core.forms import DateField, date_input
from coffeechat.interview.models import Shadowing


class ReferralForm(forms.Form):
    prefix = "referral"

    first_name = forms.CharField(max_length=100, label="First name")
    last_name = forms.CharField(max_length=100, required=False, label="Last name")
    organization = forms.CharField(max_length=200, required=False, label="Organization")
    title = forms.CharField(max_length=200, required=False, label="Title")


class ActionItemForm(forms.Form):
    prefix = "action"

    what = forms.CharField(max_length=300, label="Action item")
    due_on = DateField(required=False, label="Due")


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=20_000)


class ShadowingForm(forms.ModelForm):
    class Meta:
        model = Shadowing
        fields = ["stage", "on_date", "notes"]
        widgets = {
            "on_date": date_input(),
            "notes": forms.Textarea(attrs={"rows": 6}),
        }
