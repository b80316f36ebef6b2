from __future__ import annotations

from django import forms

from coffeechat.fit.models import DIMENSIONS, LineKind

RATINGS = [("", "Not rated")] + [(str(n), str(n)) for n in range(1, 6)]


class DimensionForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, LineKind(k).label) for k in DIMENSIONS])
    rating = forms.TypedChoiceField(choices=RATINGS, coerce=int, empty_value=None, required=False)
    text = forms.CharField(required=False, max_length=5000)


class LineForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(LineKind.STRENGTH, "Strength"), (LineKind.WEAKNESS, "Weakness")]
    )
    text = forms.CharField(max_length=2000, label="What")


class CiteForm(forms.Form):
    learnings = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])
    notes = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])

    def __init__(
        self, *args: object, learning_ids: list[int], note_ids: list[int], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["learnings"].choices = [(i, str(i)) for i in learning_ids]  # type: ignore[attr-defined]
        self.fields["notes"].choices = [(i, str(i)) for i in note_ids]  # type: ignore[attr-defined]


class OpenQuestionForm(forms.Form):
    text = forms.CharField(max_length=400, label="What do you still need to learn?")
