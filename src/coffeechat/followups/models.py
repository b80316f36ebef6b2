from __future__ import annotations

from django.db import models

from coffeechat.core.models import OwnedModel


class FollowUp(OwnedModel):
    """Something to do by a date: a thank-you, a nudge, a keep-in-touch note."""

    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )
    conversation = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )
    due_on = models.DateField("due")
    what = models.CharField(max_length=300)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]

    def __str__(self) -> str:
        return self.what

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
