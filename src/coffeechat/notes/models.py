from __future__ import annotations

from django.db import models

from coffeechat.core.models import OwnedModel


class Note(OwnedModel):
    """Timestamped text on a contact or on a conversation (then also shown on its contact)."""

    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="note_set"
    )
    conversation = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="note_set",
    )
    text = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False) | models.Q(conversation__isnull=False),
                name="note_has_subject",
            )
        ]
        indexes = [
            models.Index(fields=["owner", "contact", "-created_at"]),
            # A contact page's notes written in their conversations (conversation IN ...,
            # contact IS NULL): without it SQLite answered through the contact index, reading
            # every conversation note of every contact (the IS NULL part) to keep a few.
            models.Index(
                fields=["conversation", "contact", "-created_at"],
                name="note_conversation_newest_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]
