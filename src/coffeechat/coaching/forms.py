from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from coffeechat.coaching.models import Scope
from coffeechat.core.forms import RowsChoiceField
from coffeechat.notes.models import Note
from coffeechat.prep.models import PrepPlan


class InviteForm(forms.Form):
    scope = forms.ChoiceField(
        label="What the coach will see",
        choices=Scope.choices,
        initial=Scope.PROGRESS,
        widget=forms.RadioSelect,
        help_text="Progress is your weekly goal, streak, funnel counts, conversations with "
        "their statuses and your fit verdicts. Notes and prep plans are shown only one by one, "
        "as you tick them after creating the invitation.",
    )


class NoteChoiceField(RowsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        subject = obj.contact or (obj.conversation.contact if obj.conversation_id else None)
        about = f" ({subject.full_name})" if subject else ""
        return f"{obj.created_at:%b %-d, %Y}{about}: {obj.text[:80]}"


class PlanChoiceField(RowsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"Prep plan for {obj.conversation.contact.full_name}"


class ShareItemsForm(forms.Form):
    """Which notes and prep plans this coach sees: exactly the ones ticked, the student's own
    (another user's id is not a choice)."""

    notes = NoteChoiceField(
        Note.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="Notes"
    )
    prep_plans = PlanChoiceField(
        PrepPlan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Prep plans",
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        notes: Any = self.fields["notes"]
        notes.queryset = Note.objects.filter(owner=owner).select_related(
            "contact", "conversation__contact"
        )
        plans: Any = self.fields["prep_plans"]
        plans.queryset = PrepPlan.objects.filter(owner=owner).select_related(
            "conversation__contact"
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Invitation code",
        max_length=20,
        help_text="The eight letters and digits the student gave you, like K7QM-2XPA.",
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The student reads it on their coaching page.",
    )

