"""The whole loop in a real browser, from an empty installation to a held conversation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_job_seeker_runs_a_conversation_from_first_visit_to_dashboard(page: Page) -> None:
    # First visit: no user yet, so the owner account is created.
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome to coffeechat")).to_be_visible()
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Your name").fill("Maya Chen")
    page.get_by_label("Password", exact=True).fill("a long enough secret")
    page.get_by_label("Password again").fill("a long enough secret")
    page.get_by_label("Where you are").select_option("recent_graduate")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="This week")).to_be_visible()

    # A target.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Targets").click()
    page.get_by_role("link", name="New target").click()
    page.get_by_label("Name", exact=True).fill("Pharmaceutical sales")
    page.get_by_label("Kind").select_option("industry")
    page.get_by_label("Motivation").select_option("3")
    page.get_by_label("Why it interests you").fill("Science plus people, every day.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Pharmaceutical sales")).to_be_visible()

    # An organization.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").click()
    page.get_by_role("link", name="New organization").click()
    page.get_by_label("Name", exact=True).fill("Halvorsen Biologics")
    page.get_by_label("Industry").fill("Pharmaceuticals")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Halvorsen Biologics")).to_be_visible()

    # A contact at that organization (typed with another spelling: one organization).
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contacts").click()
    page.get_by_role("link", name="New contact").click()
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Raman")
    page.get_by_label("Title", exact=True).fill("Pharmaceutical sales representative")
    page.get_by_label("Organization", exact=True).fill("HALVORSEN BIOLOGICS INC")
    page.get_by_label("How you're connected").select_option("alumni")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Priya Raman")).to_be_visible()
    expect(page.get_by_role("link", name="Halvorsen Biologics")).to_be_visible()

    # A conversation, picking the contact by search (htmx) and the target.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Conversations").click()
    page.get_by_role("link", name="Plan a conversation").click()
    page.get_by_role("searchbox", name="Search contacts").fill("pri")
    page.get_by_label(
        "Priya Raman · Pharmaceutical sales representative · Halvorsen Biologics"
    ).check()
    page.get_by_label("Pharmaceutical sales", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Idea", exact=True)).to_be_visible()

    # Requested, then scheduled with a date, then held.
    page.get_by_role("button", name="Mark requested").click()
    expect(page.get_by_text("Marked requested.")).to_be_visible()
    schedule = page.get_by_role("form", name="Schedule")
    schedule.get_by_label("Date and time").fill("2030-03-04T10:30")
    schedule.get_by_role("button", name="Mark scheduled").click()
    expect(page.get_by_text("Marked scheduled.")).to_be_visible()
    expect(page.get_by_text("Mon Mar 4, 2030 10:30 AM (America/New_York)")).to_be_visible()
    page.get_by_role("button", name="Mark held").click()
    expect(page.get_by_text("Marked held.")).to_be_visible()

    # A learning and a note, added in place (htmx) without a page load.
    page.get_by_label("Kind").select_option("negative")
    page.get_by_label("What you learned").fill("Quotas reset every quarter.")
    page.get_by_role("button", name="Add learning").click()
    expect(page.locator("#learnings").get_by_text("Quotas reset every quarter.")).to_be_visible()
    page.get_by_label("New note").fill("Offered to introduce me to her manager.")
    page.get_by_role("button", name="Add note").click()
    expect(
        page.locator("#notes").get_by_text("Offered to introduce me to her manager.")
    ).to_be_visible()

    # The dashboard shows the thank-you now owed.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="This week").click()
    thanks = page.locator("section", has=page.get_by_role("heading", name="Thank-yous owed"))
    expect(thanks.get_by_role("link", name="Priya Raman")).to_be_visible()

    conversation = Conversation.objects.get()
    assert conversation.status == "held"
    assert conversation.learnings.get().text == "Quotas reset every quarter."
    assert conversation.note_set.get().text == "Offered to introduce me to her manager."
    assert Contact.objects.get().organization.name == "Halvorsen Biologics"


def test_pages_fit_a_phone_and_work_by_keyboard(phone_page: Page, live_server) -> None:
    from coffeechat.accounts.services import user_create

    user_create(username="kim", password="a long enough secret")
    phone_page.goto("/login/")
    phone_page.keyboard.press("Tab")  # skip link
    phone_page.get_by_label("Username").focus()
    phone_page.keyboard.type("kim")
    phone_page.keyboard.press("Tab")
    phone_page.keyboard.type("a long enough secret")
    phone_page.keyboard.press("Enter")
    expect(phone_page.get_by_role("heading", name="This week")).to_be_visible()
    for path in (
        "/",
        "/contacts/",
        "/conversations/",
        "/targets/",
        "/contacts/new/",
        "/conversations/new/",
    ):
        phone_page.goto(path)
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        # Every visible form field has a label.
        unlabelled = phone_page.evaluate(
            """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                 .filter(el => el.offsetParent !== null)
                 .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                 .map(el => el.name || el.id)"""
        )
        assert unlabelled == [], f"{path}: fields without a label: {unlabelled}"
