from __future__ import annotations

import calendar as stdlib_calendar
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db.models import Max, Q, Value
from django.db.models.functions import Coalesce

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import AFTER_STATUSES, Conversation, Status
from coffeechat.outreach.models import KeepInTouch

# The warmth of a connection, strongest first. Alumni and affinity contacts come first because
# LAMP counts them as advocates (the A of LAMP).
CONNECTION_RANK: list[str] = [
    Contact.Connection.ALUMNI,
    Contact.Connection.AFFINITY,
    Contact.Connection.REFERRAL,
    Contact.Connection.COLLEAGUE,
    Contact.Connection.FRIEND,
    Contact.Connection.EVENT,
    Contact.Connection.ONLINE,
    Contact.Connection.COLD,
]
_WHY: dict[str, str] = {
    Contact.Connection.ALUMNI: "shares your school, which LAMP counts as an advocate",
    Contact.Connection.AFFINITY: "shares an affinity group with you, which LAMP counts as an "
    "advocate",
    Contact.Connection.REFERRAL: "was referred to you, so a name opens the message",
    Contact.Connection.COLLEAGUE: "worked with you before",
    Contact.Connection.FRIEND: "knows you through friends or family",
    Contact.Connection.EVENT: "met you at an event",
    Contact.Connection.ONLINE: "is connected with you online",
    Contact.Connection.COLD: "is the only contact you have there, with no connection yet",
}
# Statuses that mean a contact is already being asked or has been talked to.
_BUSY = (Status.REQUESTED, Status.SCHEDULED, *AFTER_STATUSES)


@dataclass(frozen=True)
class Suggestion:
    contact: Contact
    why: str


def second_contact_suggestion(*, conversation: Conversation) -> Suggestion | None:
    """The best next person at the same organization for the 3B7 routine: nobody already
    asked, the warmest connection first (advocates first, as in LAMP), introduced people
    before others. None when the organization has nobody else on file."""
    contact = conversation.contact
    if contact.organization_id is None:
        return None
    busy = Conversation.objects.filter(owner=conversation.owner, status__in=_BUSY).values(
        "contact_id"
    )
    candidates = list(
        Contact.objects.filter(owner=conversation.owner, organization_id=contact.organization_id)
        .exclude(pk=contact.pk)
        .exclude(pk__in=busy)
        .select_related("introduced_by")
    )
    if not candidates:
        return None
    best = min(
        candidates,
        key=lambda c: (
            CONNECTION_RANK.index(c.how_connected) if c.how_connected in CONNECTION_RANK else 99,
            c.introduced_by_id is None,
            c.last_name,
            c.first_name,
        ),
    )
    why = _WHY.get(best.how_connected, "")
    if best.introduced_by is not None:
        why += f"; {best.introduced_by.full_name} introduced you"
    return Suggestion(best, why)


@functools.lru_cache(maxsize=4096)
def add_months(day: date, months: int) -> date:
    # Cached: the dashboard asks it for every contact met, and many share a date.
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # A date at the calendar's edge (an imported 9999-12-31) stays there instead of failing.
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(day.day, stdlib_calendar.monthrange(year, month)[1]))


def _last_touch(last_interaction: date | None, last_held: datetime | None, today: date) -> date:
    """The day the clock of a keep-in-touch cadence starts: the later of the last logged
    interaction and the last conversation held (today when neither has a date)."""
    held_on = last_held.date() if last_held else None
    return max(filter(None, [last_interaction, held_on]), default=today)


def latest_start_due_by(today: date, every: int) -> date:
    """The latest day a cadence of `every` months can start and be due by `today`.

    add_months only grows with its start day, so "due" is "started on or before this day";
    that turns the month arithmetic (which SQLite and PostgreSQL do differently at month
    ends) into one date comparison the database can make."""
    start = add_months(today, -every)
    # Month ends clip (31 January + 1 month = 28 February), so a few later days may be due too.
    while add_months(start + timedelta(days=1), every) <= today:
        start += timedelta(days=1)
    return start


@dataclass(frozen=True)
class KeepInTouchRow:
    contact: Contact
    every_months: int
    last: date
    due_on: date
    conversation_id: int


def keep_in_touch_rows(*, user: User, today: date) -> list[KeepInTouchRow]:
    """Contacts the user has talked with, each with the date they are due a note: the last
    logged interaction (or the conversation) plus their cadence. Sorted by due date.

    Computed in Python because the cadence is in months: the set is the people actually met,
    a few hundred at most, not the whole network."""
    # One query whatever the data: the cadence comes through the one-to-one join.
    contacts = (
        Contact.objects.filter(owner=user, conversations__status__in=AFTER_STATUSES)
        .annotate(
            last_held=Max("conversations__held_at"),
            latest=Max("conversations__id"),
            every=Coalesce(Max("keep_in_touch__every_months"), Value(KeepInTouch.DEFAULT_MONTHS)),
        )
        .select_related("organization")
    )
    rows = []
    for contact in contacts:
        if contact.every == 0:
            continue
        last = _last_touch(contact.last_interaction, contact.last_held, today)
        rows.append(
            KeepInTouchRow(
                contact, contact.every, last, add_months(last, contact.every), contact.latest
            )
        )
    return sorted(rows, key=lambda row: (row.due_on, row.contact.full_name))


def keep_in_touch_overdue_count(*, user: User, today: date, up_to: int | None = None) -> int:
    """How many contacts are due a keep-in-touch note, for the dashboard: the rule of
    keep_in_touch_rows, counted by the database; at most ``up_to`` when given.

    Each cadence in use gets its threshold from latest_start_due_by, so the count is one
    grouped query over the conversations held (read from the covering conv_contact_idx)
    whatever the data, with no rows brought back to Python. The groups come in contact order
    from that index, so with ``up_to`` the database stops at the ``up_to``-th contact due
    instead of grouping every conversation held: 20,000 people met, most of them due, cost
    70 ms to count in full and under 2 ms to count to 100."""
    cadences = set(
        KeepInTouch.objects.filter(owner=user).values_list("every_months", flat=True).distinct()
    )
    cadences.add(KeepInTouch.DEFAULT_MONTHS)
    due = Q()
    for every in cadences - {0}:
        start = latest_start_due_by(today, every)
        # held_at is a UTC datetime: "held on or before start" is "before the next midnight".
        next_midnight = datetime.combine(start + timedelta(days=1), time.min, tzinfo=UTC)
        due |= (
            Q(every=every)
            & (Q(last_interaction__isnull=False) | Q(last_held__isnull=False))
            & (Q(last_interaction__isnull=True) | Q(last_interaction__lte=start))
            & (Q(last_held__isnull=True) | Q(last_held__lt=next_midnight))
        )
    if not due:
        return 0
    groups = (
        Conversation.objects.filter(owner=user, status__in=AFTER_STATUSES)
        .values("contact_id")
        .annotate(
            last_interaction=Max("contact__last_interaction"),
            last_held=Max("held_at"),
            every=Coalesce(
                Max("contact__keep_in_touch__every_months"), Value(KeepInTouch.DEFAULT_MONTHS)
            ),
        )
        .filter(due)
    )
    return (groups[:up_to] if up_to is not None else groups).count()


def keep_in_touch_overdue(*, user: User, today: date) -> list[KeepInTouchRow]:
    return [row for row in keep_in_touch_rows(user=user, today=today) if row.due_on <= today]
