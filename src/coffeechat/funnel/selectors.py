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

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import AFTER_STATUSES, Conversation
from coffeechat.core.queries import CountBatch
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


def _add_period_counts(
    batch: CountBatch,
    numbers: Sequence[int],
    model: type[models.Model],
    *,
    where: str,
    params: Sequence[Any],
    values: Sequence[str],
    bounds: Sequence[date | datetime],
) -> None:
    """For each of ``values`` (SQL over the columns of ``model``), under the matching number
    of ``numbers``: how many rows matching ``where`` have it in each interval [bounds[i],
    bounds[i + 1]). Per value, a pass over the window's rows that counts them by a CASE on
    the bounds, GROUP BY in the database.

    For what a range count per interval (core.queries.counts_between) cannot say or would
    read many times over: a condition such as ``introduced_by_id IS NOT NULL``, a column
    without an index of its own (``replied_on``), an expression (a round's time). Written in
    SQL because the ORM's form of it (a filtered COUNT per interval) cost 15-20 ms of Python
    to build for twelve weeks, more than the database took to answer."""
    edges = _adapted(bounds)
    last = len(bounds) - 2
    for number, value in zip(numbers, values, strict=True):
        bucket, bucket_params = _bisect(value, edges, 0, last)
        batch.add(
            f"SELECT {number:d}, {bucket}, COUNT(*) FROM {_table(model)} "
            f"WHERE {where} AND {value} >= %s AND {value} < %s GROUP BY 2",
            [*bucket_params, *params, edges[0], edges[-1]],
        )


def _bisect(value: str, edges: Sequence[Any], low: int, high: int) -> tuple[str, list[Any]]:
    """SQL giving the index i in [low, high] of the interval [edges[i], edges[i + 1]) that
    holds ``value`` (known to lie in [edges[low], edges[high + 1])), and its parameters: CASEs
    nested by halves, so a row meets five tests for 24 months instead of twelve on average in
    a flat CASE. The indexes are in the SQL itself, as in counts_between: PostgreSQL could
    not infer the type of a parameter there."""
    if low == high:
        return f"{low:d}", []
    middle = (low + high + 1) // 2
    below, below_params = _bisect(value, edges, low, middle - 1)
    above, above_params = _bisect(value, edges, middle, high)
    return (
        f"CASE WHEN {value} < %s THEN {below} ELSE {above} END",
        [edges[middle], *below_params, *above_params],
    )


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column, name
    return connection.ops.quote_name(field.column)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _adapted(values: Sequence[date | datetime]) -> list[Any]:
    ops = connection.ops
    return [
        ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime)
        else ops.adapt_datefield_value(value)
        for value in values
    ]


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _requests_sql(
    user: User, start: date | None = None, end: date | None = None
) -> tuple[str, list[Any]]:
    """The WHERE of the user's requests (aliased ``o``), sent in [start, end) if given: the
    (owner, kind, sent_on) index answers it."""
    where = (
        f"o.{_column(Outreach, 'owner')} = %s AND o.{_column(Outreach, 'kind')} IN "
        f"({', '.join(['%s'] * len(REQUEST_KINDS))})"
    )
    params: list[Any] = [user.pk, *REQUEST_KINDS]
    if start is not None and end is not None:
        sent_on = _column(Outreach, "sent_on")
        where += f" AND o.{sent_on} >= %s AND o.{sent_on} < %s"
        params += _adapted([start, end])
    return where, params


def _held_sql(user: User, since: datetime, until: datetime) -> tuple[str, list[Any]]:
    """The WHERE of the conversations (aliased ``c``) held in [since, until): the (owner,
    status, held_at) index answers it."""
    status, held_at = _column(Conversation, "status"), _column(Conversation, "held_at")
    where = (
        f"c.{_column(Conversation, 'owner')} = %s AND c.{status} IN "
        f"({', '.join(['%s'] * len(AFTER_STATUSES))}) AND c.{held_at} >= %s AND c.{held_at} < %s"
    )
    return where, [user.pk, *AFTER_STATUSES, *_adapted([since, until])]


def _round_time_sql(alias: str) -> str:
    """When a round counts: its time, or without one, when it was recorded."""
    starts_at = _column(FormalInterview, "starts_at")
    created_at = _column(FormalInterview, "created_at")
    return f"COALESCE({alias}.{starts_at}, {alias}.{created_at})"


def _held(user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(owner=user, status__in=AFTER_STATUSES, held_at__isnull=False)


def stage_periods(*, user: User, window: Window, tz: Any) -> list[Stage]:
    """Every stage's count per period, in one statement (core.queries.CountBatch)."""
    days = window.days
    instants = _instants(days, tz)
    number = {name: index for index, (name, _) in enumerate(STAGES)}
    batch = CountBatch()
    batch.add_between(
        number["requests_sent"],
        Outreach,
        where={"owner": user.pk, "kind": tuple(REQUEST_KINDS)},
        field_name="sent_on",
        bounds=days,
    )
    # No index leads with replied_on: one pass over the requests rather than one per week.
    _add_period_counts(
        batch,
        [number["replies"]],
        Outreach,
        where=f"{_column(Outreach, 'owner')} = %s AND {_column(Outreach, 'kind')} IN "
        f"({', '.join(['%s'] * len(REQUEST_KINDS))})",
        params=[user.pk, *REQUEST_KINDS],
        values=[_column(Outreach, "replied_on")],
        bounds=days,
    )
    batch.add_between(
        number["conversations_held"],
        Conversation,
        where={"owner": user.pk, "status": tuple(AFTER_STATUSES)},
        field_name="held_at",
        bounds=instants,
    )
    _add_period_counts(
        batch,
        [number["referrals_received"]],
        Contact,
        where=f"{_column(Contact, 'owner')} = %s AND "
        f"{_column(Contact, 'introduced_by')} IS NOT NULL",
        params=[user.pk],
        values=[_column(Contact, "created_at")],
        bounds=instants,
    )
    # Leads, applications and offers, each by the day of its own step.
    steps = {"leads": "heard_on", "applications": "applied_on", "offers": "offer_on"}
    _add_period_counts(
        batch,
        [number[name] for name in steps],
        Lead,
        where=f"{_column(Lead, 'owner')} = %s",
        params=[user.pk],
        values=[_column(Lead, column) for column in steps.values()],
        bounds=days,
    )
    _add_period_counts(
        batch,
        [number["formal_interviews"]],
        FormalInterview,
        where=f"{_column(FormalInterview, 'owner')} = %s",
        params=[user.pk],
        values=[
            f"COALESCE({_column(FormalInterview, 'starts_at')}, "
            f"{_column(FormalInterview, 'created_at')})"
        ],
        bounds=instants,
    )
    per = batch.run(kinds=len(STAGES), intervals=len(days) - 1)
    return [
        Stage(name, label, sum(per[index]), tuple(per[index]))
        for index, (name, label) in enumerate(STAGES)
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

    # Straight from the requests to their conversations' targets: the ORM would join the
    # (wide) conversation rows on the way, for nothing (24 months: 14 -> 3 ms).
    through = Conversation.targets.through
    requests_where, requests_params = _requests_sql(user, start, end)
    replied_on = _column(Outreach, "replied_on")
    sent = _fetch(
        f"SELECT t.{_column(through, 'target')}, COUNT(*), COUNT(o.{replied_on}) "
        f"FROM {_table(Outreach)} o LEFT JOIN {_table(through)} t "
        f"ON t.{_column(through, 'conversation')} = o.{_column(Outreach, 'conversation')} "
        f"WHERE {requests_where} GROUP BY 1",
        requests_params,
    )
    for pk, n, replied in sent:
        target = row(pk)
        target.requests_sent, target.replies = n, replied
    held_where, held_params = _held_sql(user, since, until)
    for pk, n in _fetch(
        f"SELECT t.{_column(through, 'target')}, COUNT(*) FROM {_table(Conversation)} c "
        f"LEFT JOIN {_table(through)} t ON t.{_column(through, 'conversation')} = "
        f"c.{_column(Conversation, 'id')} WHERE {held_where} GROUP BY 1",
        held_params,
    ):
        row(pk).conversations_held = n
    # Leads, applications and offers through the lead's target, each by its own day.
    lead_window, lead_params, lead_counts = [], [], []
    for column in ("heard_on", "applied_on", "offer_on"):
        on = _column(Lead, column)
        lead_window.append(f"({on} >= %s AND {on} < %s)")
        lead_counts.append(f"COUNT(CASE WHEN {on} >= %s AND {on} < %s THEN 1 END)")
        lead_params += _adapted([start, end])
    for pk, heard, applied, offered in _fetch(
        f"SELECT {_column(Lead, 'target')}, {', '.join(lead_counts)} FROM {_table(Lead)} "
        f"WHERE {_column(Lead, 'owner')} = %s AND ({' OR '.join(lead_window)}) GROUP BY 1",
        [*lead_params, user.pk, *lead_params],
    ):
        target = row(pk)
        target.leads, target.applications, target.offers = heard, applied, offered
    round_on = _round_time_sql("r")
    for pk, n in _fetch(
        f"SELECT l.{_column(Lead, 'target')}, COUNT(*) FROM {_table(FormalInterview)} r "
        f"JOIN {_table(Lead)} l ON l.{_column(Lead, 'id')} = r.{_column(FormalInterview, 'lead')} "
        f"WHERE r.{_column(FormalInterview, 'owner')} = %s AND {round_on} >= %s "
        f"AND {round_on} < %s GROUP BY 1",
        [user.pk, *_adapted([since, until])],
    ):
        row(pk).formal_interviews = n
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


def requests_by_channel_and_kind(
    *, user: User, window: Window, tz: Any
) -> tuple[list[ChannelRow], list[KindRow], int]:
    """Per channel: requests sent in the window and how many had a reply, and the conversations
    held in the window that had a request through it (a conversation asked for through two
    channels counts for both); the same requests per kind; and the conversations held in the
    window without any request logged. Requests are counted once, by channel and kind together.

    Whether a request went to an introduced contact is asked of a small index that holds only
    the introduced contacts' ids (contact_introduced_ids_idx), one probe per request: joining
    each request's wide contact row cost 15 ms for 24 months, and an IN list of every
    introduced id was built again for each query (at 12 weeks: 9.3 -> 1.5 ms for the
    conversations held)."""
    start, end = window.start, window.end
    since, until = _instants([start, end], tz)
    contact = _column(Outreach, "contact")
    channel = _column(Outreach, "channel")
    contact_id = _column(Contact, "id")
    introduced = (
        f"LEFT JOIN {_table(Contact)} i ON i.{contact_id} = o.{contact} AND "
        f"i.{_column(Contact, 'owner')} = %s AND i.{_column(Contact, 'introduced_by')} IS NOT NULL"
    )
    linkedin = f"'{Channel.LINKEDIN_NOTE}', '{Channel.LINKEDIN_MESSAGE}'"
    bucket = (
        f"CASE WHEN i.{contact_id} IS NOT NULL THEN '{INTRODUCTION}' "
        f"WHEN o.{channel} = '{Channel.EMAIL}' THEN '{EMAIL}' "
        f"WHEN o.{channel} IN ({linkedin}) THEN '{LINKEDIN}' ELSE '{PHONE_OTHER}' END"
    )
    requests_where, requests_params = _requests_sql(user, start, end)
    sent: dict[str, list[int]] = {}
    kinds: dict[str, list[int]] = {}
    for kind, bucket_name, n, replied in _fetch(
        f"SELECT o.{_column(Outreach, 'kind')}, {bucket}, COUNT(*), "
        f"COUNT(o.{_column(Outreach, 'replied_on')}) FROM {_table(Outreach)} o {introduced} "
        f"WHERE {requests_where} GROUP BY 1, 2",
        [user.pk, *requests_params],
    ):
        for totals, key in ((sent, bucket_name), (kinds, kind)):
            counted = totals.setdefault(key, [0, 0])
            counted[0] += n
            counted[1] += replied
    conversation = _column(Conversation, "id")
    held_where, held_params = _held_sql(user, since, until)
    owner_kind, owner_kind_params = _requests_sql(user)
    held = dict(
        _fetch(
            f"SELECT {bucket}, COUNT(DISTINCT o.{_column(Outreach, 'conversation')}) "
            f"FROM {_table(Outreach)} o JOIN {_table(Conversation)} c "
            f"ON c.{conversation} = o.{_column(Outreach, 'conversation')} {introduced} "
            f"WHERE {owner_kind} AND {held_where} GROUP BY 1",
            [user.pk, *owner_kind_params, *held_params],
        )
    )
    none = [0, 0]
    channels = [
        ChannelRow(key, label, sent.get(key, none)[0], sent.get(key, none)[1], held.get(key, 0))
        for key, label in CHANNELS
    ]
    by_kind = [
        KindRow(kind, DraftKind(kind).label, kinds.get(kind, none)[0], kinds.get(kind, none)[1])
        for kind in REQUEST_KINDS
    ]
    ((without,),) = _fetch(
        f"SELECT COUNT(*) FROM {_table(Conversation)} c WHERE {held_where} AND NOT EXISTS "
        f"(SELECT 1 FROM {_table(Outreach)} o WHERE {owner_kind} "
        f"AND o.{_column(Outreach, 'conversation')} = c.{conversation})",
        [*held_params, *owner_kind_params],
    )
    return channels, by_kind, without


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
    channels, kinds, held_without_request = requests_by_channel_and_kind(
        user=user, window=window, tz=tz
    )
    return Funnel(
        window=window,
        time_zone=str(tz),
        stages=stage_periods(user=user, window=window, tz=tz),
        by_target=by_target(user=user, window=window, tz=tz),
        by_channel=channels,
        by_kind=kinds,
        per_offer=per_offer(user=user),
        held_without_request=held_without_request,
    )
