from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from coffeechat.contacts.models import Contact
from coffeechat.core.queries import lock_rows
from coffeechat.network.models import Knows


@transaction.atomic
def knows_create(*, owner: User, contact: Contact, other: Contact, how: str = "") -> Knows:
    """Records that two of the user's contacts know each other; once, whichever way round."""
    if contact.pk == other.pk:
        raise ValueError("A contact cannot know themselves.")
    # Both people locked first: the same link recorded twice at once (two tabs, two clicks)
    # would otherwise find none twice, and the second would break the unique constraint with a
    # server error. The second now waits and finds the first's link.
    lock_rows(Contact.objects.filter(owner=owner, pk__in=[contact.pk, other.pk]))
    existing = Knows.objects.filter(owner=owner).filter(
        Q(contact=contact, other=other) | Q(contact=other, other=contact)
    )
    link = existing.first()
    if link is None:
        link = Knows.objects.create(owner=owner, contact=contact, other=other, how=how)
    elif how and how != link.how:
        link.how = how
        link.save(update_fields=["how", "updated_at"])
    return link
