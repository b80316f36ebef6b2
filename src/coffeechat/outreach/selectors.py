from __future__ import annotations

import calendar as stdlib_calendar
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Max, Value
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
CONNECTION_WHY: dict[str, str] = {
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
    return Suggestion(best, connection_why(best))


def connection_why(contact: Contact) -> str:
    """Why this person is a good one to ask, from how the user knows them ("shares your
    school, ..."), and who introduced them; shared by 3B7 and the weekly review, with the
    introducer read (select_related) when there is one."""
    why = CONNECTION_WHY.get(contact.how_connected, "")
    if contact.introduced_by_id is not None and contact.introduced_by is not None:
        why += f"; {contact.introduced_by.full_name} introduced you"
    return why


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
        # The conversations' owner too (the same rows): it lets PostgreSQL read the user's
        # held conversations by an index that leads with the owner, instead of every user's.
        Contact.objects.filter(
            owner=user, conversations__owner=user, conversations__status__in=AFTER_STATUSES
        )
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


# How many people met the keep-in-touch count reads at a time. The dashboard's count usually
# ends with the first batch (most people met long ago are due). Not more: from about 4,000
# PostgreSQL prefers to hash the whole contacts table (300,000 rows: 240 ms) to looking each
# contact up by key (1,000: 2.6 ms).
_KIT_BATCH = 1000


def keep_in_touch_overdue_count(*, user: User, today: date, up_to: int | None = None) -> int:
    """How many contacts are due a keep-in-touch note, for the dashboard: the rule of
    keep_in_touch_rows, counted by the database; at most ``up_to`` when given.

    Each cadence in use gets its threshold from latest_start_due_by, so the database only
    compares dates. The people met are read in contact order, a batch at a time: their
    conversations held grouped from the covering conv_contact_idx (owner, contact, status,
    held_at), each group's contact and cadence then looked up by key. With ``up_to`` the
    reading stops at the batch that reaches it. Grouping every conversation held and joining
    the contacts in one query made PostgreSQL hash every contact of the table (300,000:
    350 ms) and cost SQLite 70 ms for 20,000 people met; a batch costs 1-3 ms on either.
    SQL of its own: the ORM cannot join a grouped subquery."""
    cadences = set(
        KeepInTouch.objects.filter(owner=user).values_list("every_months", flat=True).distinct()
    )
    cadences.add(KeepInTouch.DEFAULT_MONTHS)
    cadences.discard(0)
    if not cadences:
        return 0
    contact_meta, conversation_meta = Contact._meta, Conversation._meta
    held_at = conversation_meta.get_field("held_at")
    last_interaction = contact_meta.get_field("last_interaction")
    due, due_params = [], []
    for every in sorted(cadences):
        start = latest_start_due_by(today, every)
        # held_at is a UTC datetime: "held on or before start" is "before the next midnight".
        next_midnight = datetime.combine(start + timedelta(days=1), time.min, tzinfo=UTC)
        due.append(
            "(COALESCE(met.every, %s) = %s"
            " AND (met.last_interaction IS NOT NULL OR met.last_held IS NOT NULL)"
            " AND (met.last_interaction IS NULL OR met.last_interaction <= %s)"
            " AND (met.last_held IS NULL OR met.last_held < %s))"
        )
        due_params += [
            KeepInTouch.DEFAULT_MONTHS,
            every,
            last_interaction.get_db_prep_value(start, connection),  # type: ignore[union-attr]
            held_at.get_db_prep_value(next_midnight, connection),  # type: ignore[union-attr]
        ]
    statuses = ", ".join(["%s"] * len(AFTER_STATUSES))
    # The batch's groups in contact order with a LIMIT, so that both databases walk the index
    # and stop; each group's contact and cadence by key, in subqueries rather than joins, so
    # that PostgreSQL cannot choose to hash the whole contacts table instead (it did, for a
    # batch of 1,000 among 30,000 contacts: 16 ms).
    sql = (
        f"SELECT COALESCE(SUM(CASE WHEN {' OR '.join(due)} THEN 1 ELSE 0 END), 0),"
        " COUNT(*), MAX(met.contact_id)"
        " FROM (SELECT h.contact_id, MAX(h.held_at) AS last_held,"
        f" (SELECT c.last_interaction FROM {contact_meta.db_table} c"
        " WHERE c.id = h.contact_id) AS last_interaction,"
        f" (SELECT k.every_months FROM {KeepInTouch._meta.db_table} k"
        " WHERE k.contact_id = h.contact_id) AS every"
        f" FROM {conversation_meta.db_table} h"
        f" WHERE h.owner_id = %s AND h.status IN ({statuses}) AND h.contact_id > %s"
        " GROUP BY h.contact_id ORDER BY h.contact_id LIMIT %s) met"
    )
    # Counting to a few: a first batch a few times that, enough when most people met are due.
    batch = _KIT_BATCH if up_to is None else max(1, min(_KIT_BATCH, 4 * up_to))
    count, after = 0, 0
    with connection.cursor() as cursor:
        while up_to is None or count < up_to:
            cursor.execute(sql, [*due_params, user.pk, *AFTER_STATUSES, after, batch])
            found, groups, last = cursor.fetchone()
            count += found
            if groups < batch:
                break
            after, batch = last, _KIT_BATCH
    return count if up_to is None else min(count, up_to)


def keep_in_touch_overdue(*, user: User, today: date) -> list[KeepInTouchRow]:
    return [row for row in keep_in_touch_rows(user=user, today=today) if row.due_on <= today]
