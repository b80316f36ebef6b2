from __future__ import annotations

from django.db import models

from coffeechat.core.models import OwnedModel
from coffeechat.core.validators import validate_date_range


class FollowUp(OwnedModel):
    """Something to do by a date: a thank-you, a nudge, a keep-in-touch note."""

    class Kind(models.TextChoices):
        MANUAL = "manual", "Added by you"
        SECOND_CONTACT = "second_contact", "3B7: second contact"
        NUDGE = "nudge", "3B7: follow up once"

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
    due_on = models.DateField("due", validators=[validate_date_range])
    what = models.CharField(max_length=300)
    done_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_range])
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MANUAL)
    # The request whose silence created this follow-up (3B7), if any.
    source = models.ForeignKey(
        "outreach.Outreach",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "done_at", "due_on"]),
            # The open ones in the order every list shows them: PostgreSQL cannot take
            # "done_at IS NULL" for an equality, so the index above made it sort all of a
            # busy user's open follow-ups for the dashboard's ten (13,000: 7 ms -> 0.04 ms).
            models.Index(
                fields=["owner", "due_on", "id"],
                condition=models.Q(done_at__isnull=True),
                name="followup_open_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.what

    # The follow-ups that the 3B7 routine creates when a request is logged.
    THREE_B_SEVEN = (Kind.SECOND_CONTACT, Kind.NUDGE)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
