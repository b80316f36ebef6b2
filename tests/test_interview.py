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


def test_interview_notes_land_in_the_notes_card_and_leave_the_plan_alone(
    owner_client: Client, world: World
) -> None:
    world.conversation.notes = "Ask about the move from bench science to the field."
    world.conversation.save()
    notes_before = world.conversation.note_set.count()
    owner_client.post(_url(world, "notes/"), {"note": "General impression: warm"})
    owner_client.post(_url(world, "notes/"), {"note": "General impression: warm, generous"})

    world.conversation.refresh_from_db()
    assert world.conversation.notes == "Ask about the move from bench science to the field."
    # Typing updates one note in place: autosave does not make a note per keystroke.
    assert world.conversation.note_set.count() == notes_before + 1
    page = owner_client.get(f"/conversations/{world.conversation.pk}/").content.decode()
    notes_card = page.split('id="notes"', 1)[1]
    assert "General impression: warm, generous" in notes_card
    # Interview mode shows the note back, and the plan as written, separately.
    interview = owner_client.get(_url(world, "")).content.decode()
    assert ">General impression: warm, generous</textarea>" in interview
    assert "Ask about the move from bench science to the field." in interview


def test_emptying_the_interview_notes_removes_the_note(owner_client: Client, world: World) -> None:
    before = world.conversation.note_set.count()
    owner_client.post(_url(world, "notes/"), {"note": "Mentioned a reorg"})
    owner_client.post(_url(world, "notes/"), {"note": "  "})
    assert world.conversation.note_set.count() == before


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


def _scheduled_and_started(owner_client: Client, world: World, *, minutes_ago: int = 30) -> None:
    conversation_transition(
        conversation=world.conversation,
        to=Status.SCHEDULED,
        starts_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )
    owner_client.post(_url(world, "start/"))


def test_ending_a_conversation_asks_first(owner_client: Client, world: World) -> None:
    _scheduled_and_started(owner_client, world)
    html = owner_client.get(_url(world, "")).content.decode()
    # The end button sits behind a disclosure that says what ending does.
    confirm = html.split('<details class="confirm">', 1)[1].split("</details>", 1)[0]
    assert "End conversation…" in confirm
    assert "It is marked held and the 24-hour thank-you clock starts." in confirm
    assert f'action="{_url(world, "end/")}"' in confirm
    assert "End and mark held" in confirm


def test_a_conversation_ended_by_mistake_can_be_reopened(
    owner_client: Client, world: World
) -> None:
    _scheduled_and_started(owner_client, world)
    owner_client.post(_url(world, "end/"))
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.HELD
    summary = owner_client.get(_url(world, "summary/")).content.decode()
    assert "Not over yet? Reopen it" in summary

    response = owner_client.post(_url(world, "reopen/"))
    assert response.status_code == 302
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.SCHEDULED
    assert world.conversation.held_at is None  # no thank-you owed for it any more
    assert InterviewSession.objects.get(conversation=world.conversation).ended_at is None
    dashboard = owner_client.get("/").content.decode()
    assert (
        world.contact.full_name
        not in dashboard.split('id="thanks-heading"', 1)[1].split("</section>", 1)[0]
    )


def test_held_early_moves_when_to_the_time_it_really_started(
    owner_client: Client, world: World
) -> None:
    # Scheduled for tomorrow, but the contact called today: interview mode ran now.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    conversation_transition(
        conversation=world.conversation, to=Status.SCHEDULED, starts_at=tomorrow
    )
    owner_client.post(_url(world, "start/"))
    started = InterviewSession.objects.get(conversation=world.conversation).started_at
    owner_client.post(_url(world, "end/"))
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.HELD
    assert world.conversation.starts_at == started


def test_done_3b7_followups_are_not_action_items(owner_client: Client, world: World) -> None:
    from coffeechat.outreach.services import outreach_log

    outreach_log(
        conversation=world.conversation,
        kind="request_email",
        channel="email",
        sent_on=timezone.localdate(),
    )
    assert FollowUp.objects.filter(conversation=world.conversation, kind="nudge").exists()
    # Scheduling closes the 3B7 follow-ups: they must not come back as things agreed to do.
    _scheduled_and_started(owner_client, world)
    owner_client.post(_url(world, "action/"), {"action-what": "Send her the white paper"})
    for page in (_url(world, ""), _url(world, "summary/")):
        html = owner_client.get(page).content.decode()
        assert "Send her the white paper" in html
        assert "Follow up once" not in html and "second contact" not in html


def test_the_summary_puts_the_24_hour_thank_you_before_the_questions(
    owner_client: Client, world: World
) -> None:
    _scheduled_and_started(owner_client, world)
    owner_client.post(_url(world, "end/"))
    html = owner_client.get(_url(world, "summary/")).content.decode()
    # A phone shows the page in this order: the one thing on a clock comes first.
    assert html.index('id="thanks-heading"') < html.index('id="learned-heading"')
    assert html.index('id="thanks-heading"') < html.index('id="later-heading"')
