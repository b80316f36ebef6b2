from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from coffeechat.organizations.models import Organization


def organization_list(*, user: User, q: str = "") -> QuerySet[Organization]:
    """The user's organizations in name order (the organization_owner_name_idx order), without
    their contact counts: counting every organization's contacts to show fifty made the list
    grow with the account (a join and GROUP BY over all contacts, twice: ids and total).
    ``with_contact_counts`` adds the counts for one page."""
    queryset = Organization.objects.filter(owner=user)
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(industry__icontains=q))
    return queryset.order_by("name", "id")


def with_contact_counts(page: Iterable[Organization]) -> list[Organization]:
    """Sets ``contact_count`` on each of a page of organizations, with one query over their
    contacts only."""
    organizations = list(page)
    counts = dict(
        Organization.objects.filter(pk__in=[o.pk for o in organizations])
        .annotate(n=Count("contacts"))
        .values_list("pk", "n")
    )
    for organization in organizations:
        organization.contact_count = counts.get(organization.pk, 0)  # type: ignore[attr-defined]
    return organizations


def industries(*, user: User) -> list[str]:
    """The industries the user has typed so far, to suggest them again."""
    return list(
        Organization.objects.filter(owner=user)
        .exclude(industry="")
        .values_list("industry", flat=True)
        .distinct()
        .order_by("industry")[:200]
    )
