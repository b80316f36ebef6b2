"""Interview mode: marks, notes that save as typed, quick capture, end, summary."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Learning, Status
from coffeechat.conversations.services import conversation_transition
from coffeechat.followups.models import FollowUp
from coffeechat.interview.models import InterviewSession, QuestionNote, Shadowing
from tests.conftest import World


def _url(world: World, name: str) -> str:
    return f"/interview/{world.conversation.pk}/{name}"


def test_page_shows_the_plan_the_clock_and_loads_the_script(
    owner_client: Client, world: World
) -> None:
    response = owner_client.get(_url(world, ""))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.question.text in html
    assert 'role="timer"' in html
    assert "coffeechat/interview.js" in html
    assert "<script>" not in html and 'style="' not in html


def test_mark_asked_then_again_clears_it(owner_client: Client, world: World) -> None:
    url = _url(world, f"questions/{world.question.pk}/mark/")
    response = owner_client.post(url, {"state": "asked"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert QuestionNote.objects.get(question=world.question).state == "asked"
    owner_client.post(url, {"state": "asked"})
    assert QuestionNote.objects.get(question=world.question).state == ""


def test_note_saves_as_json_and_marks_the_question_asked(
    owner_client: Client, world: World
) -> None:
    response = owner_client.post(
        _url(world, f"questions/{world.question.pk}/note/"), {"note": "Field days, lots of driving"}
    )
    assert response.json() == {"saved": True, "state": "asked"}
    note = QuestionNote.objects.get(question=world.question)
    assert note.note == "Field days, lots of driving"
    owner_client.post(_url(world, "notes/"), {"note": "General impression: warm"})
    world.conversation.refresh_from_db()
    assert world.conversation.notes == "General impression: warm"


def test_referral_becomes_a_contact_introduced_by_this_one_with_a_followup(
    owner_client: Client, world: World
) -> None:
    response = owner_client.post(
        _url(world, "referral/"),
        {
            "referral-first_name": "Tomas",
            "referral-last_name": "Berg",
            "referral-organization": "Nordlys Pharma",
            "referral-title": "Regional manager",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Tomas Berg" in response.content.decode()
    contact = Contact.objects.get(first_name="Tomas")
    assert contact.introduced_by == world.contact
    assert contact.organization is not None and contact.organization.name == "Nordlys Pharma"
    followup = FollowUp.objects.get(contact=contact)
    assert "Reach out to Tomas Berg" in followup.what
    assert followup.conversation == world.conversation


def test_capture_learning_action_and_shadowing(owner_client: Client, world: World) -> None:
    owner_client.post(
        _url(world, "learning/"), {"learning-kind": "advice", "learning-text": "Take the course"}
    )
    owner_client.post(_url(world, "action/"), {"action-what": "Read the guidelines"})
    owner_client.post(_url(world, "shadowing/"))
    assert Learning.objects.filter(text="Take the course", kind="advice").exists()
    assert FollowUp.objects.filter(conversation=world.conversation, what="Read the guidelines")
    assert Shadowing.objects.get(contact=world.contact).stage == Shadowing.Stage.AGREED


def test_end_marks_a_scheduled_conversation_held_and_the_summary_shows_it_all(
    owner_client: Client, world: World
) -> None:
    conversation_transition(
        conversation=world.conversation,
        to=Status.SCHEDULED,
        starts_at=timezone.now() - dt.timedelta(minutes=30),
    )
    owner_client.post(_url(world, "start/"))
    owner_client.post(_url(world, f"questions/{world.question.pk}/note/"), {"note": "Loves it"})
    response = owner_client.post(_url(world, "end/"))
    assert response.status_code == 302
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.HELD
    assert InterviewSession.objects.get(conversation=world.conversation).ended_at is not None
    html = owner_client.get(_url(world, "summary/")).content.decode()
    assert "Loves it" in html
    assert world.learning.text in html
    assert "Thank you" in html or "thank" in html.lower()


def test_end_leaves_an_unscheduled_conversation_alone(owner_client: Client, world: World) -> None:
    owner_client.post(_url(world, "end/"))
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.IDEA


def test_shadowing_date_moves_the_stage_and_saves_notes(owner_client: Client, world: World) -> None:
    day = timezone.localdate() + dt.timedelta(days=5)
    response = owner_client.post(
        f"/interview/shadowing/{world.contact.pk}/",
        {"stage": "agreed", "on_date": day.isoformat(), "notes": ""},
    )
    assert response.status_code == 302
    shadowing = Shadowing.objects.get(contact=world.contact)
    assert shadowing.stage == Shadowing.Stage.DATED and shadowing.on_date == day


def test_shadowing_shows_on_the_dashboard_when_its_date_is_near(
    owner_client: Client, world: World
) -> None:
    today = timezone.localdate()
    Shadowing.objects.create(
        owner=world.contact.owner,
        contact=world.contact,
        stage=Shadowing.Stage.DATED,
        on_date=today + dt.timedelta(days=10),
    )
    Shadowing.objects.create(
        owner=world.contact.owner,
        contact=world.introducer,
        stage=Shadowing.Stage.DATED,
        on_date=today + dt.timedelta(days=20),
    )
    html = owner_client.get("/").content.decode()
    assert "Shadowing soon" in html
    assert "Priya Raman" in html and "Ines Alvarez" not in html
    contact_page = owner_client.get(f"/contacts/{world.contact.pk}/").content.decode()
    assert "Date set" in contact_page


def test_no_shadowing_card_without_a_near_date(owner_client: Client, world: World) -> None:
    assert "Shadowing soon" not in owner_client.get("/").content.decode()
