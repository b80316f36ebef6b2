"""What happens during and right after a conversation: the clock, each planned question
marked asked or skipped with its note, the referrals given, and shadowing per contact."""

from __future__ import annotations

from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import validate_date_range

# This app's model, defined with the plan it marks (see its Meta).
from coffeechat.prep.models import QuestionNote as QuestionNote


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

    class SeeYourself(models.TextChoices):
        # Declared, not only allowed by blank=True: the restore's schema (portability) takes
        # a field's declared choices as the only values it accepts.
        UNANSWERED = "", "Not answered yet"
        YES = "yes", "Yes"
        MAYBE = "maybe", "Maybe, with changes"
        NOT_SURE = "not_sure", "Not sure yet"
        NO = "no", "No"

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
    # The reflection afterwards: a few plain questions, answered while the day is fresh, that
    # say more about fit than notes of what happened.
    surprised = models.TextField("what surprised you", blank=True)
    energised = models.TextField("what gave you energy", blank=True)
    drained = models.TextField("what drained you", blank=True)
    see_yourself = models.CharField(
        "could you see yourself doing this work?",
        max_length=10,
        choices=SeeYourself.choices,
        blank=True,
    )
    question_raised = models.TextField("one question it raised", blank=True)

    REFLECTION_FIELDS = ("surprised", "energised", "drained", "see_yourself", "question_raised")

    class Meta:
        ordering = ["on_date", "id"]
        indexes = [models.Index(fields=["owner", "on_date"])]

    def __str__(self) -> str:
        return f"Shadowing {self.contact_id}: {self.stage}"

    @property
    def reflected(self) -> bool:
        return any(getattr(self, name) for name in self.REFLECTION_FIELDS)
