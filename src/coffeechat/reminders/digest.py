"""What goes into the daily email: what is due today for one user, in their time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.urls import reverse

from coffeechat.accounts.services import profile_for
from coffeechat.conversations.models import Conversation, Status
from coffeechat.followups.models import FollowUp
from coffeechat.followups.selectors import open_followups
from coffeechat.review.selectors import review_due


@dataclass(frozen=True)
class Digest:
    user: User
    day: date
    conversations: list[Conversation]
    thanks: list[Conversation]
    followups: list[FollowUp]
    # On the user's review day, the Monday of the week to review, until the review is done.
    review_week: date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.conversations or self.thanks or self.followups or self.review_week)

    @property
    def count(self) -> int:
        review = 1 if self.review_week else 0
        return len(self.conversations) + len(self.thanks) + len(self.followups) + review

    @property
    def subject(self) -> str:
        things = f"{self.count} thing{'s' if self.count != 1 else ''}"
        return f"coffeechat: {things} for {self.day:%A %b %-d}"

    def text(self, *, site_url: str = "") -> str:
        lines = [f"Due on {self.day:%A, %B %-d, %Y}:", ""]
        if self.conversations:
            lines.append("Conversations today")
            for c in self.conversations:
                assert c.starts_at is not None
                local = c.starts_at.astimezone(c.tz)
                place = f", {c.place}" if c.place else ""
                lines.append(
                    f"- {local:%H:%M} ({c.time_zone}) {c.contact.full_name}, "
                    f"{c.planned_minutes} min, {c.get_medium_display().lower()}{place}"
                )
            lines.append("")
        if self.thanks:
            lines.append("Thank-yous owed (within 24 hours of the conversation)")
            for c in self.thanks:
                lines.append(f"- {c.contact.full_name}")
            lines.append("")
        if self.followups:
            lines.append("Follow-ups due")
            for f in self.followups:
                late = " (overdue)" if f.due_on < self.day else ""
                lines.append(f"- {f.what}{late}")
            lines.append("")
        if self.review_week:
            lines.append("Your weekly review")
            path = reverse("review:week", kwargs={"week": self.review_week})
            lines.append(f"- The week of {self.review_week:%B %-d}: {site_url}{path}")
            lines.append("")
        if site_url:
            lines.append(f"Open coffeechat: {site_url}")
        lines.append("You get this email on days when something is due. Change the hour or turn")
        lines.append("it off on the settings page.")
        return "\n".join(lines)


def digest_for(*, user: User, day: date) -> Digest:
    profile = profile_for(user)
    tz = profile.tz
    start = datetime.combine(day, time.min, tz)
    conversations = list(
        Conversation.objects.filter(
            owner=user,
            status=Status.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=1),
        )
        .select_related("contact")
        .order_by("starts_at")
    )
    thanks = list(
        Conversation.objects.filter(owner=user, status=Status.HELD, thanked_at__isnull=True)
        .select_related("contact")
        .order_by("held_at")
    )
    followups = list(open_followups(user=user, due_by=day))
    review_week = review_due(user=user, profile=profile, today=day)
    return Digest(user, day, conversations, thanks, followups, review_week)
