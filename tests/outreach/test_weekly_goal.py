"""The dashboard's weekly goal: this week, the streak and the 12-week chart; thank-you time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Status
from coffeechat.conversations.services import conversation_create, conversation_transition
from coffeechat.dashboard.selectors import goal_streak, week_history
from coffeechat.outreach.models import DraftKind
from coffeechat.outreach.services import outreach_log

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)


def _scheduled_on(owner, when: dt.datetime, name: str) -> None:  # type: ignore[no-untyped-def]
    contact = Contact.objects.create(owner=owner, first_name=name)
    conversation = conversation_create(owner=owner, contact=contact)
    with time_machine.travel(when, tick=False):
        conversation_transition(
            conversation=conversation, to=Status.SCHEDULED, starts_at=when + dt.timedelta(days=7)
        )


def test_history_streak_and_chart(owner, owner_client) -> None:  # type: ignore[no-untyped-def]
    # Goal 1 a week: met this week, the two weeks before, missed three weeks ago, met before.
    for weeks_ago in (0, 1, 2, 4):
        _scheduled_on(owner, WEDNESDAY - dt.timedelta(weeks=weeks_ago), f"P{weeks_ago}")
    contact = Contact.objects.create(owner=owner, first_name="Req")
    with time_machine.travel(WEDNESDAY, tick=False):
        outreach_log(
            conversation=conversation_create(owner=owner, contact=contact),
            kind=DraftKind.REQUEST_EMAIL,
            channel="email",
            sent_on=WEDNESDAY.date(),
        )
        history = week_history(user=owner, profile=profile_for(owner))
        assert len(history) == 12
        assert history[-1].week_start == dt.date(2026, 11, 23)
        assert [w.scheduled for w in history[-5:]] == [1, 0, 1, 1, 1]
        assert history[-1].requests == 1
        assert goal_streak(history) == 3
        response = owner_client.get(reverse("dashboard:home"))
    html = response.content.decode()
    assert response.context["streak"] == 3
    assert "1 request sent this week" in html
    assert html.count('class="week-bar') == 12
    assert html.count("week-met") == 4
    assert "style=" not in html


def test_streak_is_not_broken_by_a_week_in_progress(owner) -> None:  # type: ignore[no-untyped-def]
    _scheduled_on(owner, WEDNESDAY - dt.timedelta(weeks=1), "A")
    with time_machine.travel(WEDNESDAY, tick=False):
        history = week_history(user=owner, profile=profile_for(owner))
    assert goal_streak(history) == 1


def test_thank_you_owed_shows_the_time_left_then_closes(world, owner_client) -> None:  # type: ignore[no-untyped-def]
    conversation = world.conversation
    conversation_transition(
        conversation=conversation, to=Status.SCHEDULED, starts_at=timezone.now()
    )
    conversation_transition(
        conversation=conversation, to=Status.HELD, at=timezone.now() - dt.timedelta(hours=5)
    )
    html = owner_client.get(reverse("dashboard:home")).content.decode()
    assert "18\xa0hours" in html and "left" in html
    owner_client.post(
        reverse("conversations:transition", args=[conversation.pk]), {"to": "thanked"}
    )
    response = owner_client.get(reverse("dashboard:home"))
    assert list(response.context["thanks"]) == []
