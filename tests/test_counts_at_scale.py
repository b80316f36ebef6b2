"""Counts that would grow with the account are bounded: a list's pager counts its rows only so
far ("Page 2 of many"), the dashboard's keep-in-touch card counts overdue contacts only to what
it says in figures, and the 12-week chart is counted by the database week by week, in the
user's own time zone, exactly as the weeks were bucketed one row at a time before."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.core import views as core_views
from coffeechat.dashboard import selectors as dashboard_selectors
from coffeechat.dashboard.selectors import week_bounds, week_history
from coffeechat.outreach import selectors as outreach_selectors
from coffeechat.outreach.models import DraftKind, KeepInTouch, Outreach
from coffeechat.outreach.selectors import keep_in_touch_overdue, keep_in_touch_overdue_count

pytestmark = pytest.mark.django_db

PAGER = re.compile(r'<span class="subtle">(Page [^<]*)</span>')


def _pager(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    found = PAGER.search(response.content.decode())
    assert found, url
    return found.group(1).replace("\xa0", " ")


def test_a_long_list_counts_only_so_far_and_still_steps_through(
    owner: User, owner_client: Client, monkeypatch
) -> None:
    monkeypatch.setattr(core_views, "COUNT_UP_TO", 100)
    Contact.objects.bulk_create(
        Contact(owner=owner, first_name="Ada", last_name=f"Row {n:03}") for n in range(160)
    )
    with CaptureQueriesContext(connection) as queries:
        assert _pager(owner_client, "/contacts/") == "Page 1 of many · more than 100 in all"
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert counts and all("LIMIT 101" in sql for sql in counts), counts
    assert _pager(owner_client, "/contacts/?page=2") == "Page 2 of many · more than 100 in all"
    # Past the bound the offset reads that far anyway: the total is counted.
    assert _pager(owner_client, "/contacts/?page=3") == "Page 3 of 4 · 160 in all"
    assert _pager(owner_client, "/contacts/?page=999") == "Page 4 of 4 · 160 in all"
    assert _pager(owner_client, "/contacts/?page=x") == "Page 1 of many · more than 100 in all"
    # "Next →" from page 2 leads to page 3: the pager never runs out before the rows do.
    html = owner_client.get("/contacts/?page=2").content.decode()
    assert 'href="?page=3" rel="next"' in html


def test_a_list_within_the_bound_says_its_exact_total(
    owner: User, owner_client: Client, monkeypatch
) -> None:
    monkeypatch.setattr(core_views, "COUNT_UP_TO", 100)
    Contact.objects.bulk_create(
        Contact(owner=owner, first_name="Ada", last_name=f"Row {n:03}") for n in range(100)
    )
    assert _pager(owner_client, "/contacts/") == "Page 1 of 2 · 100 in all"
    assert _pager(owner_client, "/contacts/?page=2") == "Page 2 of 2 · 100 in all"


def _met(owner: User, count: int, held: dt.datetime) -> None:
    contacts = Contact.objects.bulk_create(
        Contact(owner=owner, first_name=f"Met{n}") for n in range(count)
    )
    Conversation.objects.bulk_create(
        Conversation(owner=owner, contact=contact, status=Status.THANKED, held_at=held)
        for contact in contacts
    )


def test_the_keep_in_touch_card_counts_to_what_it_says(
    owner: User, owner_client: Client, monkeypatch
) -> None:
    monkeypatch.setattr(dashboard_selectors, "KEEP_IN_TOUCH_SHOWN", 3)
    today = dt.date(2026, 11, 25)
    _met(owner, 5, dt.datetime(2026, 1, 5, 15, tzinfo=dt.UTC))
    assert keep_in_touch_overdue_count(user=owner, today=today) == 5
    assert keep_in_touch_overdue_count(user=owner, today=today, up_to=4) == 4
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False):
        html = owner_client.get("/").content.decode()
    assert "More than 3 contacts overdue" in html
    monkeypatch.setattr(dashboard_selectors, "KEEP_IN_TOUCH_SHOWN", 5)
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False):
        html = owner_client.get("/").content.decode()
    assert "5 contacts overdue" in html and "More than" not in html


def test_the_keep_in_touch_count_reads_the_people_met_in_batches(owner: User, monkeypatch) -> None:
    """Batches of two: the count over many batches, with every cadence and with the people
    due anywhere among them, is the keep-in-touch page's, and stops where it is told."""
    monkeypatch.setattr(outreach_selectors, "_KIT_BATCH", 2)
    today = dt.date(2026, 11, 25)
    for index in range(11):
        contact = Contact.objects.create(
            owner=owner,
            first_name=f"Met{index}",
            last_interaction=dt.date(2026, 11, 1) if index % 4 == 0 else None,
        )
        for months_ago in (index % 3 * 5, 14):  # some held lately, some long ago
            Conversation.objects.create(
                owner=owner,
                contact=contact,
                status=Status.HELD if months_ago else Status.FOLLOWING_UP,
                held_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
                - dt.timedelta(days=30 * months_ago),
            )
        if index % 5 == 1:
            KeepInTouch.objects.create(owner=owner, contact=contact, every_months=index % 3 * 6)
    expected = len(keep_in_touch_overdue(user=owner, today=today))
    assert 2 < expected < 11
    assert keep_in_touch_overdue_count(user=owner, today=today) == expected
    for up_to in (1, 2, 3, expected, expected + 1):
        with CaptureQueriesContext(connection) as queries:
            counted = keep_in_touch_overdue_count(user=owner, today=today, up_to=up_to)
        assert counted == min(up_to, expected)
        assert len(queries) <= 1 + 6  # the cadences, then at most every batch of two


def _bucketed_one_by_one(
    user: User, profile: Profile, now: dt.datetime, weeks: int
) -> list[tuple[dt.date, int, int]]:
    """The chart as week_history worked it out before: every row brought back and put in the
    week of its local date."""
    tz = profile.tz
    this_week, _ = week_bounds(today=now.astimezone(tz).date())
    first = this_week - dt.timedelta(weeks=weeks - 1)
    scheduled = {first + dt.timedelta(weeks=i): 0 for i in range(weeks)}
    requests = dict(scheduled)
    for stamp in Conversation.objects.filter(owner=user).values_list("scheduled_at", flat=True):
        if stamp is not None:
            start, _ = week_bounds(today=stamp.astimezone(tz).date())
            if start in scheduled:
                scheduled[start] += 1
    for day in Outreach.objects.filter(owner=user, kind=DraftKind.REQUEST_EMAIL).values_list(
        "sent_on", flat=True
    ):
        start, _ = week_bounds(today=day)
        if start in requests:
            requests[start] += 1
    return [(start, scheduled[start], requests[start]) for start in scheduled]


# Zones whose clocks change at midnight (Santiago, Beirut, Havana: never on a Monday, so far),
# by half an hour (Lord Howe), far across the date line (Apia, Kiritimati), and two others.
ZONES = [
    "America/Santiago",
    "Asia/Beirut",
    "America/Havana",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "Pacific/Kiritimati",
    "Europe/London",
    "UTC",
]
NOW = dt.datetime(2026, 4, 5, 3, 30, tzinfo=dt.UTC)  # the night Santiago's clocks went back
moments = st.datetimes(
    min_value=dt.datetime(2025, 12, 20),
    max_value=dt.datetime(2026, 4, 20),
    timezones=st.just(dt.UTC),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=st.sampled_from(ZONES),
    now=st.datetimes(
        min_value=dt.datetime(2026, 3, 1),
        max_value=dt.datetime(2026, 4, 12),
        timezones=st.just(dt.UTC),
    )
    | st.just(NOW),
    stamps=st.lists(moments, max_size=12),
    sent=st.lists(st.dates(dt.date(2025, 12, 20), dt.date(2026, 4, 20)), max_size=6),
)
def test_the_chart_counts_each_week_as_the_rows_bucketed_one_by_one(
    owner: User, zone: str, now: dt.datetime, stamps: list[dt.datetime], sent: list[dt.date]
) -> None:
    Conversation.objects.filter(owner=owner).delete()
    Outreach.objects.filter(owner=owner).delete()
    Contact.objects.filter(owner=owner).delete()
    Profile.objects.filter(user=owner).update(time_zone=zone)
    profile = profile_for(owner)
    assert profile.tz == zoneinfo.ZoneInfo(zone)
    contact = Contact.objects.create(owner=owner, first_name="Ada")
    Conversation.objects.bulk_create(
        Conversation(owner=owner, contact=contact, status=Status.SCHEDULED, scheduled_at=stamp)
        for stamp in stamps
    )
    asked = Conversation.objects.create(owner=owner, contact=contact, status=Status.REQUESTED)
    Outreach.objects.bulk_create(
        Outreach(
            owner=owner,
            contact=contact,
            conversation=asked,
            kind=DraftKind.REQUEST_EMAIL,
            sent_on=day,
        )
        for day in sent
    )
    history = week_history(user=owner, profile=profile, now=now, weeks=12)
    assert [(w.week_start, w.scheduled, w.requests) for w in history] == _bucketed_one_by_one(
        owner, profile, now, 12
    )
