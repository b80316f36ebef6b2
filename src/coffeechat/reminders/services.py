"""The daily digest: who gets one, when, and sending it.

How the schedule works: ``coffeechat worker`` checks every few minutes (``--interval``) which
users have reached their digest hour in their own time zone today and have not had today's
digest queued; for each it records today's date on the profile (``digest_last_on``) in the
same transaction that enqueues the ``send_digest`` task, so a day is queued at most once, even
with several workers. The task then builds the digest and sends it, or sends nothing when
nothing is due. A worker that was down at the hour catches up when it starts, the same day.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.reminders.tasks import send_digest


def digests_due(*, now: datetime) -> list[tuple[Profile, date]]:
    """Profiles whose digest hour has come today (their time) and whose day is not queued."""
    due = []
    profiles = Profile.objects.filter(digest_hour__isnull=False).exclude(user__email="")
    for profile in profiles.select_related("user"):
        local = timezone.localtime(now, profile.tz)
        assert profile.digest_hour is not None
        if local.hour >= profile.digest_hour and profile.digest_last_on != local.date():
            due.append((profile, local.date()))
    return due


def digests_enqueue_due(*, now: datetime | None = None) -> int:
    """Queues today's digest for every user whose hour has come; returns how many."""
    if not settings.MAIL_CONFIGURED:
        return 0
    queued = 0
    for profile, day in digests_due(now=now or timezone.now()):
        with transaction.atomic():
            # Claim the day first: a second worker running the same check updates no row.
            claimed = (
                Profile.objects.filter(pk=profile.pk)
                .exclude(digest_last_on=day)
                .update(digest_last_on=day)
            )
            if claimed:
                send_digest.enqueue(user_id=profile.user_id, day=day.isoformat())
                queued += 1
    return queued
