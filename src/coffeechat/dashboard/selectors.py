from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.conversations.models import Conversation, Status
from coffeechat.followups.models import FollowUp
from coffeechat.followups.selectors import open_followups

UPCOMING_DAYS = 14
LIST_LIMIT = 10


@dataclass(frozen=True)
class WeekProgress:
    week_start: date
    goal: int
    scheduled: int

    @property
    def met(self) -> bool:
        return self.scheduled >= self.goal

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.scheduled / self.goal)) if self.goal else 100


def week_bounds(*, today: date) -> tuple[date, date]:
    """Monday to the next Monday, the week a weekly goal counts in."""
    start = today - timedelta(days=today.weekday())
    return start, start + timedelta(days=7)


def week_progress(*, user: User, profile: Profile, now: datetime | None = None) -> WeekProgress:
    """How many conversations reached "scheduled" this week, in the user's own time zone."""
    now = now or timezone.now()
    tz = profile.tz
    start, end = week_bounds(today=now.astimezone(tz).date())
    scheduled = Conversation.objects.filter(
        owner=user,
        scheduled_at__gte=datetime.combine(start, time.min, tz),
        scheduled_at__lt=datetime.combine(end, time.min, tz),
    ).count()
    return WeekProgress(week_start=start, goal=profile.weekly_goal, scheduled=scheduled)


def upcoming_conversations(*, user: User, now: datetime | None = None) -> QuerySet[Conversation]:
    now = now or timezone.now()
    return (
        Conversation.objects.filter(
            owner=user,
            status=Status.SCHEDULED,
            starts_at__gte=now - timedelta(hours=2),
            starts_at__lt=now + timedelta(days=UPCOMING_DAYS),
        )
        .select_related("contact", "contact__organization")
        .order_by("starts_at")[:LIST_LIMIT]
    )


def thanks_owed(*, user: User) -> QuerySet[Conversation]:
    """Held conversations with no thank-you yet: the one thing that must happen within 24 h."""
    return (
        Conversation.objects.filter(owner=user, status=Status.HELD, thanked_at__isnull=True)
        .select_related("contact", "contact__organization")
        .order_by("held_at")[:LIST_LIMIT]
    )


def due_followups(*, user: User, today: date) -> QuerySet[FollowUp]:
    return open_followups(user=user, due_by=today + timedelta(days=7))[:LIST_LIMIT]
