"""What a person typed in one form survives the reload that another form's submit causes
(app.js keeps it in the tab's sessionStorage until that form is saved)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from coffeechat.fit.models import FitLine
from coffeechat.notes.models import Note
from tests.browser.helpers import log_in
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_note_typed_on_a_conversation_survives_scheduling_it(page: Page, owner: User) -> None:
    world = build_world(owner)  # an idea: its page has the Schedule form
    log_in(page)
    page.goto(f"/conversations/{world.conversation.pk}/")
    page.get_by_label("New note").fill("Ask about the launch in March.")
    page.get_by_label("Kind").select_option("advice")
    schedule = page.get_by_role("form", name="Schedule")
    schedule.get_by_label("Date and time").fill("2031-03-04T10:30")
    schedule.get_by_role("button", name="Mark scheduled").click()
    expect(page.get_by_text("Marked scheduled.")).to_be_visible()
    # Back after the reload, marked as not saved yet.
    note = page.get_by_label("New note")
    expect(note).to_have_value("Ask about the launch in March.")
    expect(note).to_have_class("kept")
    expect(page.get_by_label("Kind")).to_have_value("advice")

    # Saved: the form empties and nothing comes back on the next visit.
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#notes").get_by_text("Ask about the launch in March.")).to_be_visible()
    assert Note.objects.get(conversation=world.conversation).text == (
        "Ask about the launch in March."
    )
    page.reload()
    expect(page.get_by_label("New note")).to_have_value("")
    expect(page.get_by_label("Kind")).to_have_value("advice")  # the learning is still unsaved


def test_a_value_saved_since_wins_over_what_was_typed_before(page: Page, owner: User) -> None:
    world = build_world(owner)
    log_in(page)
    page.goto(f"/fit/targets/{world.target.pk}/")
    page.get_by_label("Lifestyle: why").fill("Typed, never saved.")
    page.goto("/")
    # Saved meanwhile (another tab, the API): the page shows what the server has.
    FitLine.objects.filter(pk=world.fit_line.pk).update(text="Saved elsewhere.")
    page.goto(f"/fit/targets/{world.target.pk}/")
    expect(page.get_by_label("Lifestyle: why")).to_have_value("Saved elsewhere.")


def test_logging_out_forgets_what_was_typed(page: Page, owner: User) -> None:
    world = build_world(owner)
    log_in(page)
    page.goto(f"/conversations/{world.conversation.pk}/")
    page.get_by_label("New note").fill("Private thoughts about Priya.")
    page.get_by_role("button", name="Log out").click()
    log_in(page)
    page.goto(f"/conversations/{world.conversation.pk}/")
    expect(page.get_by_label("New note")).to_have_value("")
    kept = page.evaluate("Object.keys(sessionStorage).filter(key => key.startsWith('coffeechat'))")
    assert kept == []


def test_a_form_the_server_refused_comes_back_as_typed(page: Page, owner: User) -> None:
    world = build_world(owner)
    log_in(page)
    page.goto(f"/conversations/{world.conversation.pk}/")
    schedule = page.get_by_role("form", name="Schedule")
    schedule.get_by_label("Time zone").select_option("Europe/Paris")
    # No date: a browser without date validation sends it anyway, and the server says no.
    schedule.get_by_label("Date and time").evaluate("field => field.removeAttribute('required')")
    schedule.get_by_role("button", name="Mark scheduled").click()
    expect(page.locator(".messages .error")).to_be_visible()
    expect(schedule.get_by_label("Time zone")).to_have_value("Europe/Paris")
