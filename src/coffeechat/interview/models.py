"""What happens during and right after a conversation: the clock, each planned question
marked asked or skipped with its note, the referrals given, and shadowing per contact."""

from __future__ import annotations

from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import validate_date_range


class InterviewSession(OwnedModel):
    """When the user started and ended interview mode for a conversation."""

    conversation = models.OneToOneField(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="interview"
    )
    started_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    ended_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    # What interview mode's "Other notes" box writes: a note of the conversation, so that it
    # shows in the conversation's Notes and never touches the plan (Conversation.notes).
    note = models.OneToOneField(
        "notes.Note", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Interview for conversation {self.conversation_id}"


class QuestionNote(OwnedModel):
    """One planned question in the conversation itself: asked, skipped or not reached, and
    what was said. Keyed by question rather than prep item so that regenerating the plan
    afterwards keeps what was heard."""

    class State(models.TextChoices):
        NOT_REACHED = "", "Not reached"
        ASKED = "asked", "Asked"
        SKIPPED = "skipped", "Skipped"

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="question_notes"
    )
    question = models.ForeignKey("questions.Question", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, blank=True, default="")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "question"], name="question_note_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.question_id}"


class Referral(OwnedModel):
    """A person the contact suggested during a conversation; the new contact is the record."""

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="referrals"
    )
    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="referral"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Referral to {self.contact_id}"


class Shadowing(OwnedModel):
    """A day spent watching the contact work: asked, agreed, a date set, done."""

    class Stage(models.TextChoices):
        ASKED = "asked", "Asked"
        AGREED = "agreed", "Agreed"
        DATED = "dated", "Date set"
        DONE = "done", "Done"

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="shadowing"
    )
    # The conversation in which it was offered or asked, if any.
    conversation = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shadowing_offers",
    )
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.ASKED)
    on_date = models.DateField("date", null=True, blank=True, validators=[validate_date_range])
    notes = models.TextField("notes from the day", blank=True)

    class Meta:
        ordering = ["on_date", "id"]
        indexes = [models.Index(fields=["owner", "on_date"])]

    def __str__(self) -> str:
        return f"Shadowing {self.contact_id}: {self.stage}"
