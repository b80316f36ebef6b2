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

from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import AFTER_STATUSES, Conversation
from coffeechat.core.queries import counts_between
from coffeechat.funnel.results import (
    CHANNELS,
    DEFAULT_PERIODS,
    EMAIL,
    INTRODUCTION,
    LINKEDIN,
    PHONE_OTHER,
    STAGES,
    WEEK,
    ChannelRow,
    Funnel,
    KindRow,
    PerOffer,
    Stage,
    TargetRow,
    Window,
    window_for,
)
from coffeechat.leads.models import FormalInterview, Lead
from coffeechat.outreach.models import REQUEST_KINDS, Channel, DraftKind, Outreach
from coffeechat.targets.models import Target

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
    return [Stage(name, label, sum(per[name]), tuple(per[name])) for name, label in STAGES]


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
    for held_item in held:
        row(held_item["targets"]).conversations_held = held_item["n"]
    steps = {"leads": "heard_on", "applications": "applied_on", "offers": "offer_on"}
    in_window = Q()
    for column in steps.values():
        in_window |= Q(**{f"{column}__gte": start, f"{column}__lt": end})
    leads = (
        Lead.objects.filter(in_window, owner=user)
        .values("target")
        .annotate(
            heard=Count("pk", filter=Q(heard_on__gte=start, heard_on__lt=end)),
            applied=Count("pk", filter=Q(applied_on__gte=start, applied_on__lt=end)),
            offered=Count("pk", filter=Q(offer_on__gte=start, offer_on__lt=end)),
        )
        .order_by()
    )
    for pk, heard, applied, offered in leads.values_list("target", "heard", "applied", "offered"):
        target = row(pk)
        target.leads, target.applications, target.offers = heard, applied, offered
    rounds = (
        FormalInterview.objects.filter(owner=user)
        .annotate(_on=_round_time())
        .filter(_on__gte=since, _on__lt=until)
        .values("lead__target")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for round_item in rounds:
        row(round_item["lead__target"]).formal_interviews = round_item["n"]
    names = dict(
        Target.objects.filter(owner=user, pk__in=[key for key in rows if key]).values_list(
            "pk", "name"
        )
    )
    for key, target in rows.items():
        target.name = names.get(key, "No target") if key else "No target"
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
    sent: dict[str, tuple[int, int]] = {
        bucket: (n, replied)
        for bucket, n, replied in _requests(user)
        .filter(sent_on__gte=start, sent_on__lt=end)
        .annotate(bucket=_channel_of())
        .values("bucket")
        .annotate(n=Count("pk"), replied=Count("pk", filter=Q(replied_on__isnull=False)))
        .order_by()
        .values_list("bucket", "n", "replied")
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
            *sent.get(channel, (0, 0)),
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
    found: dict[str, tuple[int, int]] = {
        kind: (n, replied)
        for kind, n, replied in _requests(user)
        .filter(sent_on__gte=window.start, sent_on__lt=window.end)
        .values("kind")
        .annotate(n=Count("pk"), replied=Count("pk", filter=Q(replied_on__isnull=False)))
        .order_by()
        .values_list("kind", "n", "replied")
    }
    return [
        KindRow(kind, DraftKind(kind).label, *found.get(kind, (0, 0))) for kind in REQUEST_KINDS
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
