from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.followups.models import FollowUp


@transaction.atomic
def followup_toggle(*, followup: FollowUp) -> FollowUp:
    """Marks a follow-up done (or not done again). Doing one counts as an interaction with
    its contact."""
    if followup.done_at:
        followup.done_at = None
    else:
        followup.done_at = timezone.now()
        contact_id = followup.contact_id or (
            followup.conversation.contact_id if followup.conversation else None
        )
        if contact_id:
            Contact.objects.filter(pk=contact_id).update(
                last_interaction=timezone.localdate(), updated_at=timezone.now()
            )
    followup.save(update_fields=["done_at", "updated_at"])
    return followup


def followups_close_3b7(*, conversation_id: int, at: datetime) -> int:
    """A reply or a scheduled time ends the 3B7 routine for that conversation: its open
    second-contact and nudge follow-ups are marked done. Returns how many closed."""
    return FollowUp.objects.filter(
        conversation_id=conversation_id,
        kind__in=FollowUp.THREE_B_SEVEN,
        done_at__isnull=True,
    ).update(done_at=at, updated_at=timezone.now())  # now: a sync reads what changed since


@transaction.atomic
def followup_save(*, followup: FollowUp) -> FollowUp:
    followup.full_clean()
    followup.save()
    return followup
