"""Shadowing a contact (issue 11 item 7): the request drafted after a good conversation, a guide
for the day, and a short reflection afterwards, stored with the shadowing and shown on the
contact's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coffeechat.conversations.models import Learning, Status
from coffeechat.conversations.services import conversation_transition, learning_add
from coffeechat.followups.models import FollowUp
from coffeechat.interview.models import Shadowing
from coffeechat.outreach.models import DraftKind, Outreach
from tests.conftest import World

pytestmark = pytest.mark.django_db

REFLECTION = {
    "stage": "dated",
    "on_date": "2026-11-20",
    "notes": "Rode along to three clinics.",
    "surprised": "Half the day was in the car.",
    "energised": "Explaining a trial result to a nurse who cared.",
    "drained": "The expense reports at the end of the day.",
    "see_yourself": "maybe",
    "question_raised": "How do reps with children handle the travel?",
}


def _hold(world: World) -> None:
    now = timezone.now()
    conversation_transition(
        conversation=world.conversation, to=Status.SCHEDULED, starts_at=now - dt.timedelta(hours=2)
    )
    conversation_transition(conversation=world.conversation, to=Status.HELD, at=now)
    learning_add(
        conversation=world.conversation,
        kind=Learning.Kind.ADVICE,
        text="See a day with the doctors before you decide",
    )


def _page(client: Client, world: World) -> str:
    return client.get(reverse("interview:shadowing", args=[world.contact.pk])).content.decode()


def test_shadowing_before_any_conversation_says_to_hold_one_first(
    owner_client: Client, world: World
) -> None:
    html = _page(owner_client, world)
    assert "Shadowing comes after a good conversation" in html
    assert "kind=shadowing_request" not in html


def test_the_shadowing_request_is_drafted_from_the_shadowing_page(
    owner_client: Client, world: World
) -> None:
    _hold(world)
    html = _page(owner_client, world)
    draft_url = reverse("outreach:draft", args=[world.conversation.pk]) + "?kind=shadowing_request"
    assert f'href="{draft_url}">Draft the request</a>' in html
    draft = owner_client.get(draft_url).content.decode()
    assert "Could I shadow you for a day?" in draft
    assert "shadowing you for a day, or part of one" in draft
    assert "See a day with the doctors before you decide" in draft
    assert "No findings" in draft
    # As in a thank-you, the user picks what to quote back (never a negative).
    assert "What to mention (never a negative)" in draft


def test_logging_a_shadowing_request_starts_no_3b7_clock_and_the_page_says_it_was_sent(
    owner_client: Client, world: World
) -> None:
    _hold(world)
    before = FollowUp.objects.count()
    response = owner_client.post(
        reverse("outreach:draft", args=[world.conversation.pk]),
        {
            "kind": DraftKind.SHADOWING,
            "subject": "Could I shadow you for a day?",
            "body": "Hi Priya, would you be open to me shadowing you for a day?",
            "channel": "email",
            "sent_on": "2026-11-23",
        },
    )
    assert response.status_code == 302
    assert Outreach.objects.get(kind=DraftKind.SHADOWING).contact == world.contact
    assert FollowUp.objects.count() == before
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.HELD
    html = _page(owner_client, world)
    assert "Request sent Mon Nov 23, 2026 (email)." in html
    assert "Draft another request" in html


def test_the_shadowing_page_gives_a_guide_for_the_day(owner_client: Client, world: World) -> None:
    html = _page(owner_client, world)
    guide = re.search(r'<section class="card day-guide" id="guide".*?</section>', html, re.S)
    assert guide
    headings = re.findall(r"<h3>(.*?)</h3>", guide[0])
    assert headings == ["Before", "What to watch", "What to ask customers", "What not to do"]
    assert "What made you choose to work with Halvorsen Biologics?" in guide[0]
    assert "Do not ask for a job" in guide[0]


def test_the_reflection_after_shadowing_is_saved(owner_client: Client, world: World) -> None:
    response = owner_client.post(
        reverse("interview:shadowing", args=[world.contact.pk]), REFLECTION, follow=True
    )
    shadowing = Shadowing.objects.get(contact=world.contact)
    assert shadowing.surprised == REFLECTION["surprised"]
    assert shadowing.energised == REFLECTION["energised"]
    assert shadowing.drained == REFLECTION["drained"]
    assert shadowing.see_yourself == Shadowing.SeeYourself.MAYBE
    assert shadowing.question_raised == REFLECTION["question_raised"]
    # A reflection is written after the day: the shadowing is done.
    assert shadowing.stage == Shadowing.Stage.DONE
    # It shows with the shadowing on the contact's page, where the save leads.
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("contacts:detail", args=[world.contact.pk])
    assert "Reflection saved" in html
    section = re.search(r'<h2 id="shadowing-heading">.*?</section>', html, re.S)
    assert section
    for text in (
        "Half the day was in the car.",
        "Maybe, with changes",
        "How do reps with children handle the travel?",
    ):
        assert text in section[0]
    assert "Write your reflection" not in section[0]


def test_a_shadowing_without_its_reflection_asks_for_it_on_the_contact_page(
    owner_client: Client, world: World
) -> None:
    Shadowing.objects.create(
        owner=world.contact.owner,
        contact=world.contact,
        stage=Shadowing.Stage.DONE,
        on_date=timezone.localdate(),
    )
    html = owner_client.get(reverse("contacts:detail", args=[world.contact.pk])).content.decode()
    link = reverse("interview:shadowing", args=[world.contact.pk]) + "#reflection"
    assert f'href="{link}">Write your reflection</a>' in html


def test_the_contact_page_explains_shadowing_and_leads_to_asking_for_a_day(
    owner_client: Client, world: World
) -> None:
    html = owner_client.get(reverse("contacts:detail", args=[world.contact.pk])).content.decode()
    section = re.search(r'<h2 id="shadowing-heading">.*?</section>', html, re.S)
    assert section and 'popovertarget="term-shadowing-' in section[0]
    link = reverse("interview:shadowing", args=[world.contact.pk]) + "#ask"
    assert f'href="{link}">Ask for a day</a>' in section[0]


def test_an_outsider_cannot_see_or_write_the_reflection(
    outsider_client: Client, world: World
) -> None:
    url = reverse("interview:shadowing", args=[world.contact.pk])
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, REFLECTION).status_code == 404
    assert not Shadowing.objects.exists()
