from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.accounts.models import Profile
from coffeechat.questions.models import Phase


class GenerateForm(forms.Form):
    minutes = forms.IntegerField(
        label="Minutes",
        min_value=20,
        max_value=60,
        help_text="The slot, 20 to 60. The plan brings 1.5 to 2 times as much.",
        widget=forms.NumberInput(attrs={"step": 5}),
    )


class OwnQuestionForm(forms.Form):
    text = forms.CharField(label="Your question", max_length=400, min_length=8)
    phase = forms.ChoiceField(label="Phase", choices=Phase.choices, initial=Phase.INSIGHTS)
    minutes = forms.IntegerField(label="Minutes to ask it", min_value=1, max_value=5, initial=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the prep page also holds the slot's "minutes" and research's "text".
        kwargs.setdefault("auto_id", "own_%s")
        super().__init__(*args, **kwargs)


class ResearchItemForm(forms.Form):
    text = forms.CharField(label="Something else to look up", max_length=400)


class TargetResearchForm(forms.Form):
    notes = forms.CharField(
        label="Research notes",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TryPlanForm(forms.Form):
    """A title (and what else is known) for a trial plan: nothing is saved."""

    title = forms.CharField(
        label="Their job title",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Sr. UX designer, CRC, VP of Product"}),
    )
    industry = forms.CharField(
        label="Industry (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Hospitals, Software"}),
    )
    stage = forms.ChoiceField(label="Where you are", choices=Profile.Stage.choices, required=False)
    minutes = forms.IntegerField(
        label="Minutes", min_value=20, max_value=60, initial=30, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the page may one day sit beside other forms with "title" or "minutes".
        kwargs.setdefault("auto_id", "try_%s")
        super().__init__(*args, **kwargs)
