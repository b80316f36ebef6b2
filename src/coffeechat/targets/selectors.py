from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from coffeechat.contacts.models import Contact
from coffeechat.targets.models import Target


def target_list(*, user: User, status: str | None = None) -> QuerySet[Target]:
    """The user's targets in LAMP order: motivation, then posting, then advocacy."""
    queryset = Target.objects.filter(owner=user).select_related("organization")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.annotate(
        conversation_count=Count("conversations", distinct=True),
    ).order_by(*Target.LAMP_ORDER)


def target_contacts(*, target: Target, limit: int = 100) -> QuerySet[Contact]:
    """Contacts who can tell the user about this target: people at its organization, people in
    its industry (for an industry target), people whose title names the role (for a role
    target), and anyone already in a conversation linked to it."""
    match = Q(conversations__targets=target)
    if target.organization_id:
        match |= Q(organization_id=target.organization_id)
    if target.kind == Target.Kind.INDUSTRY:
        match |= Q(organization__industry__iexact=target.name)
    if target.kind == Target.Kind.ROLE:
        match |= Q(title__icontains=target.name)
    ids = (
        Contact.objects.filter(owner=target.owner)
        .filter(match)
        .values_list("id", flat=True)
        .distinct()[:limit]
    )
    return (
        Contact.objects.filter(id__in=list(ids))
        .select_related("organization")
        .order_by("last_name", "first_name")
    )
