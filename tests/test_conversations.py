from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coffeechat.conversations.models import TRANSITIONS, Conversation, Status
from coffeechat.conversations.services import InvalidTransition, conversation_transition

pytestmark = pytest.mark.django_db


def test_the_main_path_stamps_each_step(world) -> None:
    conversation = world.conversation
    start = timezone.now() - dt.timedelta(hours=1)
    conversation_transition(conversation=conversation, to=Status.REQUESTED)
    conversation_transition(conversation=conversation, to=Status.SCHEDULED, starts_at=start)
    conversation_transition(conversation=conversation, to=Status.HELD)
    conversation_transition(conversation=conversation, to=Status.THANKED)
    conversation_transition(conversation=conversation, to=Status.FOLLOWING_UP)
    conversation.refresh_from_db()
    assert conversation.status == Status.FOLLOWING_UP
    stamps = [
        conversation.stamp_for(s)
        for s in ("idea", "requested", "scheduled", "held", "thanked", "following_up")
    ]
    assert all(stamps) and stamps == sorted(stamps)
    assert conversation.starts_at == start
    world.contact.refresh_from_db()
    assert world.contact.last_interaction == timezone.localdate()


def test_an_invalid_transition_says_why_and_changes_nothing(world) -> None:
    before = Conversation.objects.get(pk=world.conversation.pk)
    with pytest.raises(InvalidTransition) as error:
        conversation_transition(conversation=world.conversation, to=Status.THANKED)
    assert "cannot move to thanked" in error.value.message
    after = Conversation.objects.get(pk=world.conversation.pk)
    assert (after.status, after.thanked_at, after.updated_at) == (
        before.status,
        None,
        before.updated_at,
    )


def test_scheduling_needs_a_start_time(world) -> None:
    with pytest.raises(InvalidTransition, match="date and time"):
        conversation_transition(conversation=world.conversation, to=Status.SCHEDULED)
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.IDEA


def test_every_status_is_reachable_from_idea() -> None:
    seen, frontier = {Status.IDEA.value}, [Status.IDEA.value]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(Status.values)


def test_transition_view_schedules_in_the_chosen_time_zone(world, owner_client: Client) -> None:
    url = reverse("conversations:transition", args=[world.conversation.pk])
    owner_client.post(url, {"to": "requested"})
    response = owner_client.post(
        url, {"to": "scheduled", "starts_local": "2026-12-03T14:30", "time_zone": "America/Chicago"}
    )
    assert response.status_code == 302
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.SCHEDULED
    expected = dt.datetime(2026, 12, 3, 14, 30, tzinfo=zoneinfo.ZoneInfo("America/Chicago"))
    assert world.conversation.starts_at == expected
    assert world.conversation.time_zone == "America/Chicago"


def test_transition_view_reports_an_invalid_move(world, owner_client: Client) -> None:
    url = reverse("conversations:transition", args=[world.conversation.pk])
    response = owner_client.post(url, {"to": "held"}, follow=True)
    assert "cannot move to held" in response.content.decode()
    assert "Nothing changed." in response.content.decode()
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.IDEA


def test_create_conversation_from_the_form(world, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("conversations:create"),
        {
            "contact": world.introducer.pk,
            "targets": [world.target.pk],
            "starts_local": "",
            "time_zone": "UTC",
            "planned_minutes": 30,
            "medium": "video",
            "place": "",
            "notes": "",
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get(contact=world.introducer)
    assert conversation.status == Status.IDEA and conversation.idea_at
    assert list(conversation.targets.all()) == [world.target]


@pytest.mark.parametrize("minutes", [10, 61, "abc"])
def test_planned_minutes_must_lie_between_20_and_60(world, owner_client: Client, minutes) -> None:
    response = owner_client.post(
        reverse("conversations:create"),
        {
            "contact": world.introducer.pk,
            "time_zone": "UTC",
            "planned_minutes": minutes,
            "medium": "video",
        },
    )
    assert response.status_code == 200
    assert not Conversation.objects.filter(contact=world.introducer).exists()


def test_a_form_cannot_use_someone_elses_contact(world, outsider, owner_client: Client) -> None:
    from tests.conftest import build_world

    theirs = build_world(outsider)
    response = owner_client.post(
        reverse("conversations:create"),
        {
            "contact": theirs.contact.pk,
            "time_zone": "UTC",
            "planned_minutes": 30,
            "medium": "video",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Conversation.objects.filter(owner=world.contact.owner).count() == 1


def test_learning_added_with_htmx_returns_the_fragment(world, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("conversations:learning_add", args=[world.conversation.pk]),
        {"learning-kind": "negative", "learning-text": "Quota resets every quarter."},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quota resets every quarter." in html and "<html" not in html
    assert world.conversation.learnings.filter(kind="negative").count() == 1


def test_delete_asks_first_then_deletes_with_notes(world, owner_client: Client) -> None:
    url = reverse("conversations:delete", args=[world.conversation.pk])
    page = owner_client.get(url)
    assert "1 learning will be deleted with it." in page.content.decode()
    assert Conversation.objects.filter(pk=world.conversation.pk).exists()
    owner_client.post(url)
    assert not Conversation.objects.filter(pk=world.conversation.pk).exists()
    assert not world.conversation.learnings.exists()


@pytest.mark.parametrize("value", ["²", "12abc", "-3", "", "٣"])
def test_odd_ids_in_the_query_string_are_ignored_not_errors(owner_client, value: str) -> None:
    # "²".isdigit() is true, yet int("²") raises: every ?contact= goes through query_int.
    for url in (
        reverse("conversations:create"),
        reverse("followups:create"),
        reverse("contacts:list"),
        reverse("network:home"),
    ):
        for name in ("contact", "target", "tag", "organization", "introduced_by"):
            assert owner_client.get(url, {name: value}).status_code == 200, (url, name)
