from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from coffeechat.fit.models import DIMENSIONS, Choice, FitLine, LineKind

RATINGS = [("", "Not rated")] + [(str(n), str(n)) for n in range(1, 6)]
# The fields of every dimension sit in that dimension's card, next to its evidence (whose cite
# forms cannot nest in another form); the form attribute ties them to this one form.
DIMENSIONS_FORM_ID = "fit-dimensions"


@dataclass
class DimensionFields:
    kind: str
    label: str
    line: FitLine | None
    rating: forms.BoundField
    text: forms.BoundField


def _rating(kind: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=f"{LineKind(kind).label} rating",
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"form": DIMENSIONS_FORM_ID}),
    )


def _why(kind: str) -> forms.CharField:
    return forms.CharField(
        label=f"{LineKind(kind).label}: why",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"form": DIMENSIONS_FORM_ID, "rows": 3, "class": "grows"}),
    )


class DimensionsForm(forms.Form):
    """The rating and the "why" of every dimension (fields named <dimension>_rating and
    <dimension>_text), saved together: typing in several cards and saving any keeps them all."""

    at = forms.ChoiceField(choices=[(kind, kind) for kind in DIMENSIONS], required=False)
    motivation_rating = _rating(LineKind.MOTIVATION)
    motivation_text = _why(LineKind.MOTIVATION)
    skills_rating = _rating(LineKind.SKILLS)
    skills_text = _why(LineKind.SKILLS)
    interests_rating = _rating(LineKind.INTERESTS)
    interests_text = _why(LineKind.INTERESTS)
    lifestyle_rating = _rating(LineKind.LIFESTYLE)
    lifestyle_text = _why(LineKind.LIFESTYLE)
    goals_rating = _rating(LineKind.GOALS)
    goals_text = _why(LineKind.GOALS)

    def __init__(
        self, *args: Any, lines: Mapping[str, FitLine | None] | None = None, **kwargs: Any
    ) -> None:
        """``lines``: the target's saved line of each dimension, shown as the starting values."""
        lines = lines or {}
        kwargs.setdefault(
            "initial",
            {
                **{f"{kind}_rating": line.rating for kind, line in lines.items() if line},
                **{f"{kind}_text": line.text for kind, line in lines.items() if line},
            },
        )
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.lines = dict(lines)

    def cards(self) -> Iterator[DimensionFields]:
        for kind in DIMENSIONS:
            yield DimensionFields(
                kind=kind,
                label=LineKind(kind).label,
                line=self.lines.get(kind),
                rating=self[f"{kind}_rating"],
                text=self[f"{kind}_text"],
            )

    def dimensions(self) -> dict[str, tuple[int | None, str]]:
        data = self.cleaned_data
        return {kind: (data[f"{kind}_rating"], data[f"{kind}_text"]) for kind in DIMENSIONS}


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


class VerdictForm(forms.Form):
    """The user's verdict on a target: the app's proposal confirmed, or another chosen.
    ``proposed`` is the proposal the page showed, recorded with the decision."""

    verdict = forms.ChoiceField(
        choices=Choice.choices, widget=forms.RadioSelect, label="Your verdict"
    )
    proposed = forms.ChoiceField(choices=Choice.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        required=False,
        max_length=2000,
        label="Note (optional)",
        widget=forms.Textarea(attrs={"rows": 2, "class": "grows"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the fit page holds other forms with a "text" or "note" field.
        kwargs.setdefault("auto_id", "verdict_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
