from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import (
    AFTER_STATUSES,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Conversation,
    Status,
)

BOARD_COLUMN_SIZE = 12


@dataclass
class BoardColumn:
    status: Status
    count: int
    conversations: list[Conversation]


def _base(user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(owner=user).select_related(
        "contact", "contact__organization"
    )


def conversation_board(*, user: User) -> list[BoardColumn]:
    """One column per status, each with its count and its most recent conversations.
    Fixed: one count query plus one query per column, however many conversations exist."""
    counts = dict(
        Conversation.objects.filter(owner=user)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    columns = []
    for status in (*OPEN_STATUSES, *AFTER_STATUSES, *CLOSED_STATUSES):
        order = ("starts_at", "id") if status == Status.SCHEDULED else ("-updated_at", "-id")
        rows = list(_base(user).filter(status=status).order_by(*order)[:BOARD_COLUMN_SIZE])
        columns.append(BoardColumn(Status(status), counts.get(status, 0), rows))
    return columns


def conversation_list(*, user: User, status: str) -> QuerySet[Conversation]:
    return _base(user).filter(status=status).order_by("-updated_at", "-id")


def conversation_detail_queryset(*, user: User) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(owner=user)
        .select_related("contact", "contact__organization")
        .prefetch_related("targets")
    )


def conversations_for_contact(*, contact: Contact) -> QuerySet[Conversation]:
    """Every conversation with a contact, newest first, with their targets."""
    return (
        Conversation.objects.filter(owner_id=contact.owner_id, contact=contact)
        .prefetch_related("targets")
        .order_by("-created_at")
    )
