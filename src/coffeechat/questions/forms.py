from __future__ import annotations

from django import forms

from coffeechat.questions.models import Question, family_choices


class QuestionForm(forms.ModelForm):
    tags = forms.MultipleChoiceField(
        label="Fields",
        choices=family_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only where the question is written for particular fields: plans for "
        "contacts in other fields leave it out.",
    )

    class Meta:
        model = Question
        fields = ["text", "phase", "topic", "audience", "minutes", "research_first", "tags"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = self.instance.tag_list

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if len(text) < 8:
            raise forms.ValidationError("Write the question as you would ask it.")
        return text
