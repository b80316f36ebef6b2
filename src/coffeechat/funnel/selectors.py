"""The funnel: from requests sent to offers, per week or month, per target and per channel.

Which date puts a row in a period (every period runs from local midnight of its first day to
local midnight of the next period's first day, in the user's time zone; weeks start on Monday
as the weekly goal's do, months on the 1st):

- request sent: an ``Outreach`` of a request kind (``REQUEST_KINDS``), by ``sent_on``;
- reply: such a request with a reply, by ``replied_on`` (the day the reply came, not the day
  the request went out; the reply rates below are by the day sent, see ``ChannelRow``);
- conversation held: a conversation with ``held_at`` (held, thanked or following up: marking a
  held conversation scheduled again clears ``held_at``), by ``held_at``;
- referral received: a contact someone introduced (``introduced_by`` set: interview mode's
  quick capture of "who else should I talk to?" makes one, and so does the contact form's
  "introduced by"), by the day the contact was added (``created_at``);
- lead: by ``heard_on``; application: by ``applied_on``; offer: by ``offer_on``;
- formal interview: one round, by the time it takes place (``starts_at``); a round without a
  time yet, by the day it was recorded (``created_at``).

Every count is made by the database (COUNT with GROUP BY, or a range count per period from an
owner-first index); no query brings back the rows themselves, so the page costs the same
number of queries at 50 conversations or 50,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import AFTER_STATUSES, Conversation
from coffeechat.core.queries import counts_between
from coffeechat.leads.models import FormalInterview, Lead
from coffeechat.outreach.models import REQUEST_KINDS, Channel, DraftKind, Outreach
from coffeechat.targets.models import Target

# The seed's figure (K. Hansen, "A Foot in the Door"): about one offer per twelve
# informational interviews, against one per 200 résumés sent.
REFERENCE_CONVERSATIONS_PER_OFFER = 12
REFERENCE_RESUMES_PER_OFFER = 200

WEEK, MONTH = "week", "month"
DEFAULT_PERIODS = {WEEK: 12, MONTH: 6}
MAX_PERIODS = {WEEK: 52, MONTH: 24}

STAGES: tuple[tuple[str, str], ...] = (
    ("requests_sent", "Requests sent"),
    ("replies", "Replies"),
    ("conversations_held", "Conversations held"),
    ("referrals_received", "Referrals received"),
    ("leads", "Leads"),
    ("applications", "Applications"),
    ("formal_interviews", "Formal interviews"),
    ("offers", "Offers"),
)
STAGE_LABEL = dict(STAGES)

# Channels of a request: LinkedIn's invitation note and message are one channel; a request to
# someone another contact introduced is an introduction, whatever the medium.
INTRODUCTION, EMAIL, LINKEDIN, PHONE_OTHER = "introduction", "email", "linkedin", "phone_other"
CHANNELS: tuple[tuple[str, str], ...] = (
    (EMAIL, "Email"),
    (LINKEDIN, "LinkedIn (invitation note or message)"),
    (INTRODUCTION, "Introduction (to someone a contact introduced)"),
    (PHONE_OTHER, "Phone, text or other"),
)


# ---------------------------------------------------------------------------------------------
# The window: N weeks or months, the current one last
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    by: str
    starts: tuple[date, ...]  # first day of each period, oldest first
    end: date  # first day after the last period

    @property
    def periods(self) -> int:
        return len(self.starts)

    @property
    def start(self) -> date:
        return self.starts[0]

    @property
    def days(self) -> list[date]:
        return [*self.starts, self.end]

    def label(self, index: int, *, short: bool = False) -> str:
        day = self.starts[index]
        if self.by == MONTH:
            return f"{day:%b %Y}" if short else f"{day:%B %Y}"
        return f"{day:%b} {day.day}" if short else f"Week of {day:%b} {day.day}, {day.year}"

    @property
    def description(self) -> str:
        unit = "week" if self.by == WEEK else "month"
        plural = "" if self.periods == 1 else "s"
        last = self.end - timedelta(days=1)
        return (
            f"the last {self.periods} {unit}{plural}, {self.start:%b} {self.start.day}, "
            f"{self.start.year} to {last:%b} {last.day}, {last.year}"
        )


def _month_start(day: date, back: int) -> date:
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def window_for(*, by: str, periods: int, today: date) -> Window:
    if by == MONTH:
        starts = tuple(_month_start(today, back) for back in range(periods - 1, -1, -1))
        return Window(by, starts, _month_start(today, -1))
    monday = today - timedelta(days=today.weekday())
    starts = tuple(monday - timedelta(weeks=back) for back in range(periods - 1, -1, -1))
    return Window(by, starts, monday + timedelta(weeks=1))


def window_choice(
    by: str | None, weeks: str | None, months: str | None
) -> tuple[str, int, str]:
    """``?by=`` and ``?weeks=`` or ``?months=`` as typed: the period and how many, or the
    defaults with a sentence saying what was wrong (never an error page)."""
    problems = []
    chosen = (by or WEEK).strip().lower()
    if chosen not in (WEEK, MONTH):
        problems.append("The period must be week or month: showing weeks.")
        chosen = WEEK
    count = DEFAULT_PERIODS[chosen]
    text = ((weeks if chosen == WEEK else months) or "").strip()
    if text:
        limit = MAX_PERIODS[chosen]
        if text.isascii() and text.isdigit() and 1 <= int(text) <= limit:
            count = int(text)
        else:
            problems.append(
                f"The number of {chosen}s must be a whole number from 1 to {limit}: "
                f"showing {count}."
            )
    return chosen, count, " ".join(problems)


# ---------------------------------------------------------------------------------------------
# What the page and the command show
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    name: str
    label: str
    count: int
    per_period: tuple[int, ...]


@dataclass
class TargetRow:
    target_id: int | None
    name: str
    requests_sent: int = 0
    replies: int = 0
    conversations_held: int = 0
    leads: int = 0
    applications: int = 0
    formal_interviews: int = 0
    offers: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "target_id": self.target_id,
            "target": self.name,
            "requests_sent": self.requests_sent,
            "replied": self.replies,
            "conversations_held": self.conversations_held,
            "leads": self.leads,
            "applications": self.applications,
            "formal_interviews": self.formal_interviews,
            "offers": self.offers,
        }


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


@dataclass(frozen=True)
class ChannelRow:
    """Requests sent in the window through one channel, how many of them had a reply (by the
    day sent, whenever the reply came), and the conversations held in the window that one of
    its requests led to."""

    channel: str
    label: str
    requests_sent: int
    replied: int
    conversations_held: int

    @property
    def reply_rate(self) -> float | None:
        return rate(self.replied, self.requests_sent)

    def as_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "label": self.label,
            "requests_sent": self.requests_sent,
            "replied": self.replied,
            "reply_rate": self.reply_rate,
            "conversations_held": self.conversations_held,
        }


@dataclass(frozen=True)
class KindRow:
    """Reply rate of one kind of request (each kind is one built-in template, or the user's
    own wording of it: which of the user's templates filled a message is not recorded)."""

    kind: str
    label: str
    requests_sent: int
    replied: int

    @property
    def reply_rate(self) -> float | None:
        return rate(self.replied, self.requests_sent)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "requests_sent": self.requests_sent,
            "replied": self.replied,
            "reply_rate": self.reply_rate,
        }


@dataclass(frozen=True)
class PerOffer:
    """The user's own conversations per offer, since they started, next to the seed's 12.

    Only offers from leads credited to a conversation or a contact count: the reference is
    about offers that informational interviews led to, not offers from cold applications."""

    conversations_held: int
    offers: int
    offers_credited: int

    @property
    def enough(self) -> bool:
        return (
            self.offers_credited > 0
            and self.conversations_held >= REFERENCE_CONVERSATIONS_PER_OFFER
        )

    @property
    def value(self) -> float | None:
        if not self.enough:
            return None
        return round(self.conversations_held / self.offers_credited, 1)

    @property
    def sentence(self) -> str:
        held = _plural(self.conversations_held, "conversation")
        if self.offers_credited == 0:
            return (
                f"No offer from your conversations yet ({held} held so far), so there is no "
                "figure to compare. Offers often come months after the conversations that led "
                "to them."
            )
        offers = _plural(self.offers_credited, "offer")
        if not self.enough:
            return (
                f"{offers} from {held} so far: too few conversations for a fair figure (fewer "
                f"than {REFERENCE_CONVERSATIONS_PER_OFFER}). Keep going; the comparison "
                "appears once there are more."
            )
        return f"{self.value:g} conversations per offer: {offers} from {held}."

    def as_json(self) -> dict[str, Any]:
        return {
            "conversations_held": self.conversations_held,
            "offers": self.offers,
            "offers_from_conversations_or_contacts": self.offers_credited,
            "value": self.value,
            "sentence": self.sentence,
            "reference": REFERENCE_CONVERSATIONS_PER_OFFER,
            "reference_resumes_per_offer": REFERENCE_RESUMES_PER_OFFER,
        }


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass
class Funnel:
    window: Window
    time_zone: str
    stages: list[Stage]
    by_target: list[TargetRow]
    by_channel: list[ChannelRow]
    by_kind: list[KindRow]
    per_offer: PerOffer
    held_without_request: int
    notes: list[str] = field(default_factory=list)

    @property
    def periods(self) -> list[dict[str, Any]]:
        return [
            {
                "start": start,
                "label": self.window.label(index),
                "short_label": self.window.label(index, short=True),
                "counts": [stage.per_period[index] for stage in self.stages],
            }
            for index, start in enumerate(self.window.starts)
        ]

    def count(self, name: str) -> int:
        return next(stage.count for stage in self.stages if stage.name == name)

    def as_json(self) -> dict[str, Any]:
        return {
            "window": {
                "by": self.window.by,
                "periods": self.window.periods,
                "start": self.window.start.isoformat(),
                "end": self.window.end.isoformat(),
                "time_zone": self.time_zone,
            },
            "stages": [
                {"name": stage.name, "label": stage.label, "count": stage.count}
                for stage in self.stages
            ],
            "conversations_per_offer": self.per_offer.value,
            "conversations_per_offer_detail": self.per_offer.as_json(),
            "by_period": [
                {
                    "start": start.isoformat(),
                    **{stage.name: stage.per_period[index] for stage in self.stages},
                }
                for index, start in enumerate(self.window.starts)
            ],
            "by_target": [row.as_json() for row in self.by_target],
            "by_channel": [row.as_json() for row in self.by_channel],
            "conversations_held_without_request": self.held_without_request,
            "reply_rate_by_kind": [row.as_json() for row in self.by_kind],
        }


# ---------------------------------------------------------------------------------------------
# The counts
# ---------------------------------------------------------------------------------------------


def _instants(days: list[date], tz: Any) -> list[datetime]:
    # Local midnight of each day: the first instant of it, also when a change of clocks skips
    # or repeats midnight (zoneinfo gives the earlier reading).
    return [datetime.combine(day, time.min, tz) for day in days]


def _bucketed(queryset: QuerySet[Any], expression: Any, bounds: list[Any]) -> list[int]:
    """Counts of ``queryset`` rows whose ``expression`` falls in each [bounds[i], bounds[i+1])
    interval: one query, a filtered COUNT per interval over the rows of the whole window.
    For the small tables (leads, rounds) and for conditions a range count cannot say
    (``introduced_by IS NOT NULL``)."""
    rows = queryset.annotate(_on=expression).filter(_on__gte=bounds[0], _on__lt=bounds[-1])
    counts = rows.aggregate(
        **{
            f"p{index}": Count("pk", filter=Q(_on__gte=bounds[index], _on__lt=bounds[index + 1]))
            for index in range(len(bounds) - 1)
        }
    )
    return [counts[f"p{index}"] for index in range(len(bounds) - 1)]


def _lead_periods(user: User, days: list[date]) -> dict[str, list[int]]:
    """Leads, applications and offers per period: one query over the user's leads."""
    steps = {"leads": "heard_on", "applications": "applied_on", "offers": "offer_on"}
    in_window = Q()
    for column in steps.values():
        in_window |= Q(**{f"{column}__gte": days[0], f"{column}__lt": days[-1]})
    aggregates = {
        f"{stage}_{index}": Count(
            "pk", filter=Q(**{f"{column}__gte": days[index], f"{column}__lt": days[index + 1]})
        )
        for stage, column in steps.items()
        for index in range(len(days) - 1)
    }
    counts = Lead.objects.filter(in_window, owner=user).aggregate(**aggregates)
    return {
        stage: [counts[f"{stage}_{index}"] for index in range(len(days) - 1)] for stage in steps
    }


def _round_time() -> Coalesce:
    return Coalesce(F("starts_at"), F("created_at"))


def _channel_of() -> Case:
    return Case(
        When(contact__introduced_by__isnull=False, then=Value(INTRODUCTION)),
        When(channel=Channel.EMAIL, then=Value(EMAIL)),
        When(channel__in=(Channel.LINKEDIN_NOTE, Channel.LINKEDIN_MESSAGE), then=Value(LINKEDIN)),
        default=Value(PHONE_OTHER),
    )


def _requests(user: User) -> QuerySet[Outreach]:
    return Outreach.objects.filter(owner=user, kind__in=REQUEST_KINDS)


def _held(user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(owner=user, status__in=AFTER_STATUSES, held_at__isnull=False)


def stage_periods(*, user: User, window: Window, tz: Any) -> list[Stage]:
    days = window.days
    instants = _instants(days, tz)
    request_where = {"owner": user.pk, "kind": tuple(REQUEST_KINDS)}
    per = {
        "requests_sent": counts_between(
            Outreach, where=request_where, field_name="sent_on", bounds=days
        ),
        "replies": counts_between(
            Outreach, where=request_where, field_name="replied_on", bounds=days
        ),
        "conversations_held": counts_between(
            Conversation,
            where={"owner": user.pk, "status": tuple(AFTER_STATUSES)},
            field_name="held_at",
            bounds=instants,
        ),
        "referrals_received": _bucketed(
            Contact.objects.filter(owner=user, introduced_by__isnull=False),
            F("created_at"),
            instants,
        ),
        **_lead_periods(user, days),
        "formal_interviews": _bucketed(
            FormalInterview.objects.filter(owner=user), _round_time(), instants
        ),
    }
    return [
        Stage(name, label, sum(per[name]), tuple(per[name]))
        for name, label in STAGES
    ]


def by_target(*, user: User, window: Window, tz: Any) -> list[TargetRow]:
    """The stages that belong to a target, per target: requests and replies through their
    conversation's targets, conversations held through theirs, leads, applications, rounds and
    offers through the lead's target. A conversation with two targets counts for each; the
    rows without a target are one row, "No target". Referrals are not tied to a target."""
    start, end = window.start, window.end
    since, until = _instants([start, end], tz)
    rows: dict[int | None, TargetRow] = {}

    def row(pk: int | None) -> TargetRow:
        if pk not in rows:
            rows[pk] = TargetRow(pk, "")
        return rows[pk]

    sent = (
        _requests(user)
        .filter(sent_on__gte=start, sent_on__lt=end)
        .values("conversation__targets")
        .annotate(n=Count("pk"), replied=Count("pk", filter=Q(replied_on__isnull=False)))
        .order_by()
    )
    for item in sent:
        target = row(item["conversation__targets"])
        target.requests_sent, target.replies = item["n"], item["replied"]
    held = (
        _held(user)
        .filter(held_at__gte=since, held_at__lt=until)
        .values("targets")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item in held:
        row(item["targets"]).conversations_held = item["n"]
    steps = {"leads": "heard_on", "applications": "applied_on", "offers": "offer_on"}
    in_window = Q()
    for column in steps.values():
        in_window |= Q(**{f"{column}__gte": start, f"{column}__lt": end})
    leads = (
        Lead.objects.filter(in_window, owner=user)
        .values("target")
        .annotate(
            **{
                stage: Count("pk", filter=Q(**{f"{column}__gte": start, f"{column}__lt": end}))
                for stage, column in steps.items()
            }
        )
        .order_by()
    )
    for item in leads:
        target = row(item["target"])
        target.leads, target.applications, target.offers = (
            item["leads"],
            item["applications"],
            item["offers"],
        )
    rounds = (
        FormalInterview.objects.filter(owner=user)
        .annotate(_on=_round_time())
        .filter(_on__gte=since, _on__lt=until)
        .values("lead__target")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item in rounds:
        row(item["lead__target"]).formal_interviews = item["n"]
    names = dict(
        Target.objects.filter(owner=user, pk__in=[pk for pk in rows if pk]).values_list(
            "pk", "name"
        )
    )
    for pk, target in rows.items():
        target.name = names.get(pk, "No target") if pk else "No target"
    # Targets first, busiest first; "No target" last.
    return sorted(
        rows.values(),
        key=lambda r: (r.target_id is None, -r.conversations_held, -r.requests_sent, r.name),
    )


def by_channel(*, user: User, window: Window, tz: Any) -> tuple[list[ChannelRow], int]:
    """Per channel: requests sent in the window and how many had a reply, and the conversations
    held in the window that had a request through it (a conversation asked for through two
    channels counts for both). Also the conversations held without any request logged."""
    start, end = window.start, window.end
    since, until = _instants([start, end], tz)
    sent = {
        item["bucket"]: item
        for item in _requests(user)
        .filter(sent_on__gte=start, sent_on__lt=end)
        .annotate(bucket=_channel_of())
        .values("bucket")
        .annotate(n=Count("pk"), replied=Count("pk", filter=Q(replied_on__isnull=False)))
        .order_by()
    }
    held = dict(
        _requests(user)
        .filter(
            conversation__status__in=AFTER_STATUSES,
            conversation__held_at__gte=since,
            conversation__held_at__lt=until,
        )
        .annotate(bucket=_channel_of())
        .values("bucket")
        .annotate(n=Count("conversation", distinct=True))
        .order_by()
        .values_list("bucket", "n")
    )
    rows = [
        ChannelRow(
            channel,
            label,
            sent.get(channel, {}).get("n", 0),
            sent.get(channel, {}).get("replied", 0),
            held.get(channel, 0),
        )
        for channel, label in CHANNELS
    ]
    without = (
        _held(user)
        .filter(held_at__gte=since, held_at__lt=until)
        .exclude(Exists(_requests(user).filter(conversation=OuterRef("pk"))))
        .count()
    )
    return rows, without


def by_kind(*, user: User, window: Window) -> list[KindRow]:
    found = {
        item["kind"]: item
        for item in _requests(user)
        .filter(sent_on__gte=window.start, sent_on__lt=window.end)
        .values("kind")
        .annotate(n=Count("pk"), replied=Count("pk", filter=Q(replied_on__isnull=False)))
        .order_by()
    }
    return [
        KindRow(
            kind,
            DraftKind(kind).label,
            found.get(kind, {}).get("n", 0),
            found.get(kind, {}).get("replied", 0),
        )
        for kind in REQUEST_KINDS
    ]


def per_offer(*, user: User) -> PerOffer:
    """Since the account started: conversations held, offers, and offers credited."""
    held = _held(user).count()
    credited = Q(source_conversation__isnull=False) | Q(source_contact__isnull=False)
    offers = Lead.objects.filter(owner=user, offer_on__isnull=False).aggregate(
        offers=Count("pk"), credited=Count("pk", filter=credited)
    )
    return PerOffer(held, offers["offers"], offers["credited"])


def funnel(
    *,
    user: User,
    profile: Profile,
    by: str = WEEK,
    periods: int | None = None,
    now: datetime | None = None,
) -> Funnel:
    now = now or timezone.now()
    tz = profile.tz
    window = window_for(
        by=by, periods=periods or DEFAULT_PERIODS[by], today=now.astimezone(tz).date()
    )
    channels, held_without_request = by_channel(user=user, window=window, tz=tz)
    return Funnel(
        window=window,
        time_zone=str(tz),
        stages=stage_periods(user=user, window=window, tz=tz),
        by_target=by_target(user=user, window=window, tz=tz),
        by_channel=channels,
        by_kind=by_kind(user=user, window=window),
        per_offer=per_offer(user=user),
        held_without_request=held_without_request,
    )
