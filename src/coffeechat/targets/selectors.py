from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet

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
    target), and anyone already in a conversation linked to it.

    One indexed read per reason, merged by UNION, rather than one query with an OR across the
    contact, its conversations and their targets: the OR joined every conversation of every
    contact of the user before it could test the target, and left no index to start from."""
    mine = Contact.objects.filter(owner_id=target.owner_id)
    reads = [
        mine.filter(
            pk__in=target.conversations.filter(owner_id=target.owner_id).values("contact_id")
        )
    ]
    if target.organization_id:
        reads.append(mine.filter(organization_id=target.organization_id))
    if target.kind == Target.Kind.INDUSTRY:
        reads.append(mine.filter(organization__industry__iexact=target.name))
    if target.kind == Target.Kind.ROLE:
        reads.append(mine.filter(title__icontains=target.name))
    columns = ("id", "last_name", "first_name")
    # Each read unordered: the union is ordered once (SQLite refuses an ORDER BY inside it).
    first, *others = (read.order_by().values_list(*columns) for read in reads)
    ids = [row[0] for row in first.union(*others).order_by("last_name", "first_name", "id")[:limit]]
    return (
        Contact.objects.filter(id__in=ids)
        .select_related("organization")
        .order_by("last_name", "first_name")
    )
