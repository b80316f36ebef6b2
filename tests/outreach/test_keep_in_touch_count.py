"""The dashboard's keep-in-touch count is worked out by the database; the keep-in-touch page
works it out in Python, one contact at a time. Both must always agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.accounts.services import user_create
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.outreach.models import KeepInTouch
from coffeechat.outreach.selectors import (
    add_months,
    keep_in_touch_overdue,
    keep_in_touch_overdue_count,
    latest_start_due_by,
)

days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31))


@given(today=days, every=st.integers(min_value=1, max_value=24), offset=st.integers(-800, 60))
def test_latest_start_is_exactly_where_due_stops(today: dt.date, every: int, offset: int) -> None:
    start = latest_start_due_by(today, every)
    day = start + dt.timedelta(days=offset)
    assert (add_months(day, every) <= today) == (day <= start)


def test_month_ends_clip() -> None:
    # 29, 30 and 31 January all land on 28 February 2026.
    assert latest_start_due_by(dt.date(2026, 2, 28), 1) == dt.date(2026, 1, 31)
    assert latest_start_due_by(dt.date(2026, 3, 30), 1) == dt.date(2026, 2, 28)


contact_specs = st.lists(
    st.tuples(
        st.none() | days,  # last interaction
        st.lists(  # conversations: status and the day held
            st.tuples(
                st.sampled_from([Status.HELD, Status.THANKED, Status.FOLLOWING_UP, Status.IDEA]),
                st.none()
                | st.datetimes(
                    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2028, 12, 31)
                ),
            ),
            min_size=1,
            max_size=3,
        ),
        st.none() | st.sampled_from([0, 1, 2, 4, 6, 12]),  # cadence; None is the default
    ),
    max_size=8,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=contact_specs, today=days)
def test_dashboard_count_matches_the_keep_in_touch_page(specs, today: dt.date) -> None:
    User.objects.filter(username="kit").delete()
    user = user_create(username="kit", password="x" * 12)
    for index, (last_interaction, conversations, every) in enumerate(specs):
        contact = Contact.objects.create(
            owner=user, first_name=f"C{index}", last_interaction=last_interaction
        )
        for status, held in conversations:
            Conversation.objects.create(
                owner=user,
                contact=contact,
                status=status,
                held_at=held.replace(tzinfo=dt.UTC) if held else None,
            )
        if every is not None:
            KeepInTouch.objects.create(owner=user, contact=contact, every_months=every)
    expected = len(keep_in_touch_overdue(user=user, today=today))
    assert keep_in_touch_overdue_count(user=user, today=today) == expected
