from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db.models import QuerySet

from coffeechat.contacts.models import Contact
from coffeechat.followups.models import FollowUp


def open_followups(*, user: User, due_by: date | None = None) -> QuerySet[FollowUp]:
    queryset = FollowUp.objects.filter(owner=user, done_at__isnull=True)
    if due_by is not None:
        queryset = queryset.filter(due_on__lte=due_by)
    return queryset.select_related("contact", "conversation", "conversation__contact").order_by(
        "due_on", "id"
    )


def done_followups(*, user: User) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(owner=user, done_at__isnull=False)
        .select_related("contact", "conversation", "conversation__contact")
        .order_by("-done_at")
    )


# A contact's follow-ups shown on their page: open ones first, then the latest done.
FOLLOWUPS_SHOWN = 50


def followups_for_contact(*, contact: Contact) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(owner_id=contact.owner_id, contact=contact)
        .select_related("contact", "conversation__contact")
        .order_by("done_at", "due_on")[:FOLLOWUPS_SHOWN]
    )
