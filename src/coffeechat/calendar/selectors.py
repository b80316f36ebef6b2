from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from coffeechat.conversations.models import AFTER_STATUSES, Conversation, Status
from coffeechat.followups.models import FollowUp
from coffeechat.leads.models import FormalInterview
from coffeechat.leads.selectors import rounds_with_time


def feed_conversations(*, user: User) -> QuerySet[Conversation]:
    """Every conversation with a time that is or was on: scheduled, and those held since."""
    return (
        Conversation.objects.filter(
            owner=user,
            starts_at__isnull=False,
            status__in=(Status.SCHEDULED, *AFTER_STATUSES),
        )
        .select_related("contact", "contact__organization")
        .order_by("starts_at")
    )


def feed_followups(*, user: User) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(owner=user, done_at__isnull=True).order_by("due_on", "id")


def feed_rounds(*, user: User) -> QuerySet[FormalInterview]:
    """Every formal interview round with a time, whatever its lead's status."""
    return rounds_with_time(user=user)
