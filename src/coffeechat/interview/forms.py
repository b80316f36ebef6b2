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
    """Where the shadowing stands, and the reflection after the day."""

    see_yourself = forms.ChoiceField(
        label="Could you see yourself doing this work?",
        choices=[c for c in Shadowing.SeeYourself.choices if c[0]],
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = Shadowing
        fields = ["stage", "on_date", "notes", *Shadowing.REFLECTION_FIELDS]
        labels = {
            "surprised": "What surprised you?",
            "energised": "What gave you energy?",
            "drained": "What drained you?",
            "question_raised": "One question it raised",
        }
        help_texts = {
            "surprised": "Something you did not expect, good or bad.",
            "energised": "Moments you would happily repeat every week.",
            "drained": "Moments you would rather not repeat every week.",
            "question_raised": "Something to ask in your next conversation.",
        }
        widgets = {
            "on_date": date_input(),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "surprised": forms.Textarea(attrs={"rows": 2, "class": "grows"}),
            "energised": forms.Textarea(attrs={"rows": 2, "class": "grows"}),
            "drained": forms.Textarea(attrs={"rows": 2, "class": "grows"}),
            "question_raised": forms.Textarea(attrs={"rows": 2, "class": "grows"}),
        }

    REFLECTION = Shadowing.REFLECTION_FIELDS
