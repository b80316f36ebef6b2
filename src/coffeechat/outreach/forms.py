from __future__ import annotations

from django import forms

from coffeechat.core.forms import DateField
from coffeechat.outreach.drafts import PLACEHOLDERS
from coffeechat.outreach.models import Channel, DraftKind, KeepInTouch, MessageTemplate


class DraftForm(forms.Form):
    """A draft being edited; submitting it logs the message as sent."""

    kind = forms.ChoiceField(label="Kind of message", choices=DraftKind.choices)
    subject = forms.CharField(max_length=200, required=False)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 12}))
    channel = forms.ChoiceField(label="Sent by", choices=Channel.choices)
    sent_on = DateField(label="Sent on")
    # Ticked by the user after the checker found an error (such as asking for a job): logging
    # such a draft takes a second, deliberate step.
    send_anyway = forms.BooleanField(
        required=False, label="I sent it as it is, despite the checker's error"
    )


class CheckForm(forms.Form):
    kind = forms.ChoiceField(choices=DraftKind.choices, required=False)
    body = forms.CharField(required=False)


class ReplyForm(forms.Form):
    replied_on = DateField(label="Replied on")


def _placeholder_help() -> str:
    names = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    return f"Placeholders filled for each contact: {names}."


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["kind", "name", "subject", "body"]
        labels = {"kind": "Kind of message", "body": "Message"}
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _placeholder_help()


class KeepInTouchForm(forms.ModelForm):
    every_months = forms.TypedChoiceField(
        label="Keep in touch",
        coerce=int,
        choices=[(0, "never")] + [(n, f"every {n} months") for n in (1, 2, 3, 4, 6, 9, 12)],
    )

    class Meta:
        model = KeepInTouch
        fields = ["every_months"]
