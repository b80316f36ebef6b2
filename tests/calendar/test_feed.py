"""Calendar files and the private feed, parsed back with the icalendar library."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from coffeechat.accounts.services import calendar_token_regenerate, profile_for
from coffeechat.conversations.models import Status
from coffeechat.conversations.services import conversation_transition, conversation_update
from tests.conftest import World

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _schedule(world: World) -> None:
    conversation_transition(
        conversation=world.conversation,
        to=Status.SCHEDULED,
        starts_at=dt.datetime(2030, 3, 4, 10, 30, tzinfo=NEW_YORK),
        time_zone="America/New_York",
    )


def _event(body: bytes):  # type: ignore[no-untyped-def]
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_conversation_ics_parses_with_local_time_uid_sequence_and_vtimezone(
    world: World, owner_client: Client
) -> None:
    _schedule(world)
    url = reverse("calendar:conversation_ics", args=[world.conversation.pk])
    first = owner_client.get(url)
    assert first["Content-Type"].startswith("text/calendar")
    calendar, event = _event(first.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2030, 3, 4, 10, 30, tzinfo=NEW_YORK)
    assert (start.hour, start.minute) == (10, 30)
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=30)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert "Priya Raman" in str(event["SUMMARY"])

    # A change of place raises SEQUENCE; the UID stays.
    world.conversation.refresh_from_db()
    world.conversation.place = "https://meet.example.org/abc"
    conversation_update(conversation=world.conversation)
    _, changed = _event(owner_client.get(url).content)
    assert str(changed["UID"]) == str(event["UID"])
    assert int(changed["SEQUENCE"]) == int(event["SEQUENCE"]) + 1
    assert str(changed["LOCATION"]) == "https://meet.example.org/abc"
    # Saving without a change leaves it.
    conversation_update(conversation=world.conversation)
    _, same = _event(owner_client.get(url).content)
    assert int(same["SEQUENCE"]) == int(changed["SEQUENCE"])


def test_unscheduled_conversation_has_no_file(world: World, owner_client: Client) -> None:
    response = owner_client.get(reverse("calendar:conversation_ics", args=[world.conversation.pk]))
    assert response["Content-Type"].startswith("text/html")
    assert "Schedule it first" in response.content.decode()


def test_feed_works_without_login_with_the_token_and_404s_otherwise(
    world: World, owner_client: Client
) -> None:
    _schedule(world)
    owner = world.contact.owner
    assert profile_for(owner).calendar_token == ""
    owner_client.post(reverse("calendar:token_regenerate"))
    token = profile_for(owner).calendar_token
    assert len(token) >= 20
    settings_page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert f"webcal://testserver/calendar/feed/{token}.ics" in settings_page

    anonymous = Client()
    response = anonymous.get(reverse("calendar:feed", args=[token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    interview = next(e for s, e in events.items() if s.startswith("Informational interview"))
    assert interview.decoded("DTSTART") == dt.datetime(2030, 3, 4, 10, 30, tzinfo=NEW_YORK)
    followup = events["Follow-up: Send the article"]
    assert followup.decoded("DTSTART") == world.followup.due_on
    assert calendar.walk("VTIMEZONE")

    # Another last character (a token ending in "x" made this test pass by chance before).
    wrong = token[:-1] + ("y" if token.endswith("x") else "x")
    assert anonymous.get(reverse("calendar:feed", args=[wrong])).status_code == 404
    assert anonymous.get(reverse("calendar:feed", args=["short"])).status_code == 404
    calendar_token_regenerate(user=owner)
    assert anonymous.get(reverse("calendar:feed", args=[token])).status_code == 404


def test_ics_command_prints_the_same_file(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _schedule(world)
    out = StringIO()
    call_command("ics", str(world.conversation.pk), "--user", "owner", stdout=out)
    _, event = _event(out.getvalue().encode())
    assert event.decoded("DTSTART") == dt.datetime(2030, 3, 4, 10, 30, tzinfo=NEW_YORK)


def test_ics_command_refuses_another_users_conversation(world: World, outsider) -> None:  # type: ignore[no-untyped-def]

    with pytest.raises(CommandError, match="has no conversation"):
        call_command("ics", str(world.conversation.pk), "--user", "outsider")
    with pytest.raises(CommandError, match="--user"):
        call_command("ics", str(world.conversation.pk))
