from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from coffeechat.organizations.models import Organization


def organization_list(*, user: User, q: str = "") -> QuerySet[Organization]:
    queryset = Organization.objects.filter(owner=user)
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(industry__icontains=q))
    return queryset.annotate(contact_count=Count("contacts")).order_by("name")


def industries(*, user: User) -> list[str]:
    """The industries the user has typed so far, to suggest them again."""
    return list(
        Organization.objects.filter(owner=user)
        .exclude(industry="")
        .values_list("industry", flat=True)
        .distinct()
        .order_by("industry")[:200]
    )
