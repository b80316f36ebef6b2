"""Reads of the coaching app: the coach's list of students, one student's progress, and the
student's own coaching page (invitations, shares, comments, who looked at what)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.coaching.access import coach_shares
from coffeechat.coaching.models import AccessLog, Comment, Share
from coffeechat.conversations.models import Conversation, Status
from coffeechat.dashboard.selectors import (
    WeekProgress,
    goal_streak,
    thanks_overdue,
    week_bounds,
    week_history,
    week_progress,
)
from coffeechat.fit.models import Verdict
from coffeechat.fit.selectors import latest_verdicts
from coffeechat.funnel.results import DEFAULT_PERIODS, WEEK, Stage, window_for
from coffeechat.funnel.selectors import stage_periods
from coffeechat.notes.models import Note
from coffeechat.outreach.models import REQUEST_KINDS, Outreach
from coffeechat.prep.models import PrepPlan

# A student who has sent no request for this long gets a nudge on the coach's list.
QUIET_DAYS = 14
CONVERSATIONS_SHOWN = 25
LOG_SHOWN = 50
COMMENTS_SHOWN = 50


# ---------------------------------------------------------------------------------------------
# The coach's list
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudentRow:
    share: Share
    name: str
    goal: int
    scheduled_this_week: int
    last_request_on: date | None
    thanks_overdue: int
    today: date

    @property
    def quiet(self) -> bool:
        """No request sent in QUIET_DAYS days (or ever)."""
        return (
            self.last_request_on is None or (self.today - self.last_request_on).days >= QUIET_DAYS
        )

    @property
    def needs_nudge(self) -> bool:
        return self.quiet or self.thanks_overdue > 0


def _count_of(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("owner").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def display_name(user: User, profile: Profile | None) -> str:
    return (profile.display_name if profile else "") or user.get_full_name() or user.username


def coach_students(*, coach: User, now: datetime | None = None) -> list[StudentRow]:
    """The coach's students, those who need a nudge first: two queries whatever their number
    (the shares with each student's last request and overdue thank-yous as subqueries read
    from owner-first indexes; then the conversations scheduled around this week)."""
    now = now or timezone.now()
    student = OuterRef("owner")
    shares = list(
        coach_shares(coach)
        .select_related("owner", "owner__profile")
        .annotate(
            last_request_on=Subquery(
                Outreach.objects.filter(owner=student, kind__in=REQUEST_KINDS)
                .order_by()
                .values("owner")
                .annotate(last=Max("sent_on"))
                .values("last")
            ),
            overdue=_count_of(Conversation.objects.filter(thanks_overdue(now=now), owner=student)),
        )
        .order_by("accepted_at", "pk")
    )
    # Each student's week runs in their own time zone: the conversations scheduled within a
    # week either side of now, bucketed here by each one's Monday to Monday.
    scheduled: dict[int, list[datetime]] = {}
    if shares:
        for owner_id, at in Conversation.objects.filter(
            owner__in=[share.owner_id for share in shares],
            scheduled_at__gte=now - timedelta(days=8),
            scheduled_at__lt=now + timedelta(days=8),
        ).values_list("owner", "scheduled_at"):
            if at is not None:  # the range above excludes NULL; this tells the type checker
                scheduled.setdefault(owner_id, []).append(at)
    rows = []
    for share in shares:
        profile = getattr(share.owner, "profile", None)
        tz = profile.tz if profile else timezone.get_default_timezone()
        today = now.astimezone(tz).date()
        start, end = week_bounds(today=today)
        low, high = datetime.combine(start, time.min, tz), datetime.combine(end, time.min, tz)
        rows.append(
            StudentRow(
                share=share,
                name=display_name(share.owner, profile),
                goal=profile.weekly_goal if profile else 1,
                scheduled_this_week=sum(
                    low <= at < high for at in scheduled.get(share.owner_id, [])
                ),
                last_request_on=share.last_request_on,  # type: ignore[attr-defined]
                thanks_overdue=share.overdue,  # type: ignore[attr-defined]
                today=today,
            )
        )
    rows.sort(key=lambda row: (not row.needs_nudge, row.name.lower()))
    return rows


# ---------------------------------------------------------------------------------------------
# One student, as the coach sees them
# ---------------------------------------------------------------------------------------------


@dataclass
class Progress:
    name: str
    progress: WeekProgress
    streak: int
    stages: list[Stage]
    weeks: int
    status_counts: list[tuple[str, int]]
    conversations: list[Conversation]
    conversations_total: int
    verdicts: list[Verdict]
    notes: list[Note] = field(default_factory=list)
    prep_plans: list[PrepPlan] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def student_progress(*, share: Share, now: datetime | None = None) -> Progress:
    """What the share shows: the weekly goal, the streak, the funnel's stages over the
    funnel's default weeks, the conversations and their statuses, the verdicts; and, if the
    student chose them, their shared notes and prep plans. A fixed number of queries."""
    now = now or timezone.now()
    student = share.owner
    profile: Profile = student.profile
    history = week_history(user=student, profile=profile, now=now)
    window = window_for(
        by=WEEK, periods=DEFAULT_PERIODS[WEEK], today=now.astimezone(profile.tz).date()
    )
    statuses = dict(
        Conversation.objects.filter(owner=student)
        .order_by()
        .values("status")
        .annotate(n=Count("*"))
        .values_list("status", "n")
    )
    conversations = list(
        Conversation.objects.filter(owner=student)
        .select_related("contact", "contact__organization")
        .order_by("-updated_at", "-id")[:CONVERSATIONS_SHOWN]
    )
    verdicts = sorted(latest_verdicts(user=student).values(), key=lambda v: v.target.name.lower())
    result = Progress(
        name=display_name(student, profile),
        progress=week_progress(user=student, profile=profile, now=now),
        streak=goal_streak(history),
        stages=stage_periods(user=student, window=window, tz=profile.tz),
        weeks=DEFAULT_PERIODS[WEEK],
        status_counts=[(s.label, statuses[s.value]) for s in Status if statuses.get(s.value)],
        conversations=conversations,
        conversations_total=sum(statuses.values()),
        verdicts=verdicts,
        comments=list(share.comments.filter(note__isnull=True)[:COMMENTS_SHOWN]),
    )
    if share.with_notes:
        result.notes = list(
            share.notes.filter(owner_id=student.pk).select_related(
                "contact", "conversation__contact"
            )
        )
        result.prep_plans = list(
            share.prep_plans.filter(owner_id=student.pk).select_related(
                "conversation__contact", "conversation__contact__organization"
            )
        )
    return result


# ---------------------------------------------------------------------------------------------
# The student's own coaching page
# ---------------------------------------------------------------------------------------------


@dataclass
class CoachingPage:
    shares: Sequence[Share]
    comments: list[Comment]
    unread: int
    log: list[AccessLog]
    now: datetime


def student_coaching(*, owner: User, now: datetime | None = None) -> CoachingPage:
    now = now or timezone.now()
    shares = list(
        Share.objects.filter(owner=owner)
        .select_related("coach", "coach__profile")
        .annotate(notes_count=Count("notes", distinct=True))
        .annotate(plans_count=Count("prep_plans", distinct=True))
    )
    comments = list(
        Comment.objects.filter(owner=owner).select_related(
            "share__coach", "share__coach__profile", "note"
        )[:COMMENTS_SHOWN]
    )
    log = list(
        AccessLog.objects.filter(owner=owner).select_related(
            "share__coach", "share__coach__profile"
        )[:LOG_SHOWN]
    )
    unread = Comment.objects.filter(owner=owner, read_at__isnull=True).count()
    return CoachingPage(shares=shares, comments=comments, unread=unread, log=log, now=now)
