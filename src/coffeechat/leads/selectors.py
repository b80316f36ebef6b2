"""Reads of leads and rounds for the pages; every query starts from the owner."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, QuerySet

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.leads.models import OPEN_LEAD_STATUSES, FormalInterview, Lead, LeadStatus

# The list's filters besides one status: what is still being pursued, what is settled.
SHOWS = {"open": "Open", "closed": "Settled", "all": "All"}


def _with_source(queryset: QuerySet[Lead]) -> QuerySet[Lead]:
    return queryset.select_related(
        "organization", "source_contact", "source_conversation__contact", "target"
    )


def lead_list(*, user: User, status: str = "", show: str = "open") -> QuerySet[Lead]:
    """The user's leads, the most recently moved first: one status, or open, settled, all."""
    queryset = Lead.objects.filter(owner=user)
    if status in LeadStatus.values:
        queryset = queryset.filter(status=status)
    elif show == "open":
        queryset = queryset.filter(status__in=OPEN_LEAD_STATUSES)
    elif show == "closed":
        queryset = queryset.exclude(status__in=OPEN_LEAD_STATUSES)
    return _with_source(queryset).order_by("-updated_at", "-id")


def lead_counts(*, user: User) -> dict[str, int]:
    """How many leads per status (one query), with the open, settled and total sums."""
    counts = dict(
        Lead.objects.filter(owner=user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    open_count = sum(counts.get(s, 0) for s in OPEN_LEAD_STATUSES)
    total = sum(counts.values())
    return {**counts, "open": open_count, "closed": total - open_count, "all": total}


def lead_detail_queryset(*, user: User) -> QuerySet[Lead]:
    return _with_source(Lead.objects.filter(owner=user))


def rounds_for_lead(*, lead: Lead) -> QuerySet[FormalInterview]:
    """A lead's rounds in time order (undated last), each with its interviewers."""
    interviewers = Contact.objects.filter(owner_id=lead.owner_id).select_related("organization")
    return (
        FormalInterview.objects.filter(owner_id=lead.owner_id, lead=lead)
        .prefetch_related(Prefetch("interviewers", queryset=interviewers.order_by("last_name")))
        .order_by("starts_at", "id")
    )


def leads_for_conversation(*, conversation: Conversation) -> QuerySet[Lead]:
    return (
        Lead.objects.filter(owner_id=conversation.owner_id, source_conversation=conversation)
        .select_related("organization")
        .order_by("-heard_on", "-id")
    )


def rounds_with_time(*, user: User) -> QuerySet[FormalInterview]:
    """Every round with a start, for the calendar feed."""
    return (
        FormalInterview.objects.filter(owner=user, starts_at__isnull=False)
        .select_related("lead", "lead__organization")
        .prefetch_related("interviewers")
        .order_by("starts_at", "id")
    )
