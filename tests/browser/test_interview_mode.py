"""Holding a conversation in interview mode on a phone, and notes that survive a reload."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Status
from coffeechat.conversations.services import conversation_transition
from coffeechat.interview.models import InterviewSession, QuestionNote
from coffeechat.prep.services import prep_plan_generate
from tests.browser.helpers import log_in
from tests.conftest import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scheduled_world(owner: User) -> World:
    world = build_world(owner)
    conversation_transition(
        conversation=world.conversation,
        to=Status.SCHEDULED,
        starts_at=timezone.now() + dt.timedelta(minutes=2),
    )
    prep_plan_generate(conversation=world.conversation, minutes=30, discard_edits=True)
    return world


def test_hold_a_whole_conversation_on_a_phone(phone_page: Page, owner: User, bank) -> None:
    page = phone_page
    world = _scheduled_world(owner)
    log_in(page)
    page.goto(f"/conversations/{world.conversation.pk}/")
    page.get_by_role("link", name="Interview mode").click()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_text("End conversation…")).to_be_visible()
    expect(page.get_by_role("timer")).to_contain_text("/ 30:00")

    questions = page.locator("li.interview-question")
    first, second = questions.nth(0), questions.nth(1)
    first_text = first.locator(".interview-question-text").inner_text().lstrip("★ ").strip()
    second_text = second.locator(".interview-question-text").inner_text().lstrip("★ ").strip()
    first.get_by_role("button", name="Asked:").click()
    expect(first.get_by_role("button", name="Asked:")).to_have_attribute("aria-pressed", "true")
    second.get_by_role("button", name="Skipped:").click()
    expect(second.get_by_role("button", name="Skipped:")).to_have_attribute("aria-pressed", "true")
    first.locator("textarea").fill("Two field days a week; the rest is reading studies.")
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()

    page.get_by_text("A referral").click()
    page.get_by_label("First name", exact=True).fill("Tomas")
    page.get_by_label("Last name", exact=True).fill("Berg")
    page.get_by_label("Organization", exact=True).fill("Nordlys Pharma")
    page.get_by_label("Title", exact=True).fill("Regional medical manager")
    page.get_by_role("button", name="Add referral").click()
    expect(page.locator("#captured")).to_contain_text("Tomas Berg")
    expect(page.get_by_label("First name", exact=True)).to_have_value("")

    page.get_by_text("A learning").click()
    page.get_by_label("Kind", exact=True).select_option("negative")
    page.get_by_label("What you learned").fill("Quarter ends are hectic.")
    page.get_by_role("button", name="Save learning").click()
    expect(page.locator("#captured")).to_contain_text("Quarter ends are hectic.")

    # One tap opens the confirmation; only the second one ends it.
    page.get_by_text("End conversation…").click()
    page.get_by_role("button", name="End and mark held").click()
    expect(
        page.get_by_role("heading", name="After the conversation with Priya Raman")
    ).to_be_visible()
    asked = page.locator("section", has=page.get_by_role("heading", name="Questions asked"))
    expect(asked).to_contain_text(first_text)
    expect(asked).to_contain_text("Two field days a week")
    expect(
        page.locator("section", has=page.get_by_role("heading", name="Not reached"))
    ).to_contain_text(second_text)
    expect(page.get_by_role("heading", name="Negative")).to_be_visible()
    expect(page.get_by_text("Quarter ends are hectic.")).to_be_visible()
    expect(page.get_by_role("link", name="Write the thank-you")).to_be_visible()

    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.HELD
    referred = Contact.objects.get(first_name="Tomas", last_name="Berg")
    assert referred.introduced_by_id == world.contact.pk

    # The new contact appears, linked to its referrer.
    page.get_by_role("link", name="Tomas Berg").click()
    expect(page.get_by_role("heading", name="Tomas Berg")).to_be_visible()
    expect(page.get_by_role("link", name="Priya Raman")).to_be_visible()


def test_text_typed_survives_a_reload_and_a_failed_save(
    phone_page: Page, owner: User, bank
) -> None:
    page = phone_page
    world = _scheduled_world(owner)
    log_in(page)
    page.goto(f"/interview/{world.conversation.pk}/")
    first = page.locator("li.interview-question").first
    question_id = int(first.get_attribute("data-question") or 0)

    # The server is unreachable for notes: the page says so and keeps the text.
    def refuse(route: Route) -> None:
        route.abort()

    page.route("**/note/", refuse)
    first.locator("textarea").fill("Budget decisions sit with the region.")
    expect(page.get_by_role("status").filter(has_text="Not saved")).to_be_visible()
    page.reload()
    first = page.locator("li.interview-question").first
    expect(first.locator("textarea")).to_have_value("Budget decisions sit with the region.")
    expect(page.get_by_role("status").filter(has_text="Not saved")).to_be_visible()
    assert not QuestionNote.objects.filter(question_id=question_id, note__contains="Budget")

    # Back online: the restored draft is saved on the next load.
    page.unroute("**/note/", refuse)
    page.reload()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    assert QuestionNote.objects.get(question_id=question_id).note == (
        "Budget decisions sit with the region."
    )

    # Reloading straight after typing, before the save has even been sent, loses nothing.
    page.get_by_role("textbox", name="Other notes").fill("Warm, offered more time later.")
    page.reload()
    expect(page.get_by_role("textbox", name="Other notes")).to_have_value(
        "Warm, offered more time later."
    )
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    # It went to the conversation's notes, not into its plan.
    assert world.conversation.note_set.filter(text="Warm, offered more time later.").exists()
    world.conversation.refresh_from_db()
    assert world.conversation.notes == ""


def test_the_clock_cues_five_minutes_left_and_time_up(page: Page, owner: User) -> None:
    world = build_world(owner)
    session = InterviewSession.objects.create(
        owner=owner,
        conversation=world.conversation,
        started_at=timezone.now() - dt.timedelta(minutes=26),
    )
    log_in(page)
    page.goto(f"/interview/{world.conversation.pk}/")
    clock = page.locator("#clock")
    expect(clock).to_have_class(re.compile(r"\bclock-warn\b"))
    expect(clock).to_contain_text("5 minutes left")

    session.started_at = timezone.now() - dt.timedelta(minutes=31)
    session.save()
    page.reload()
    expect(clock).to_have_class(re.compile(r"\bclock-over\b"))
    expect(clock).to_contain_text("Time is up")
