"""Ask and follow through in a real browser: a flagged draft fixed, logged as sent, the 3B7
follow-ups on their dates (frozen time, shared with the live server's thread), then the
conversation scheduled and its .ics downloaded and parsed."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from icalendar import Calendar
from playwright.sync_api import Page, expect

from coffeechat.accounts.services import user_create
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.conversations.services import conversation_create
from coffeechat.followups.models import FollowUp
from coffeechat.organizations.models import Organization
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Monday 30 November 2026, 9:00 in New York.
MONDAY_MORNING = dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC)
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

ASKING = (
    "Hi Priya, we share a school (UNC Biology). I'm graduating soon. Could you keep me in "
    "mind for any openings on your team?"
)
FIXED = (
    "Hi Priya, we share a school (UNC Biology). I'm exploring pharmaceutical sales. Would you "
    "have 20 minutes next week to tell me how you got into your work?"
)


def test_draft_flagged_fixed_logged_followed_up_scheduled_and_downloaded(page: Page) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=True):
        user = user_create(
            username="maya",
            password="a long enough secret",
            display_name="Maya Chen",
            time_zone="America/New_York",
        )
        organization = Organization.objects.create(owner=user, name="Halvorsen Biologics")
        priya = Contact.objects.create(
            owner=user,
            first_name="Priya",
            last_name="Raman",
            organization=organization,
            how_connected=Contact.Connection.ALUMNI,
        )
        Contact.objects.create(
            owner=user,
            first_name="Sam",
            last_name="Lee",
            organization=organization,
            how_connected=Contact.Connection.ALUMNI,
        )
        conversation = conversation_create(owner=user, contact=priya, time_zone="America/New_York")

        log_in(page, "maya", "a long enough secret")

        page.goto(f"/conversations/{conversation.pk}/")
        page.get_by_role("link", name="Draft a message").click()
        expect(page.get_by_role("heading", name="Draft for Priya Raman")).to_be_visible()
        body = page.get_by_role("textbox", name="Message")
        checker = page.locator("#checker")

        # The checker flags a job ask as it is typed (htmx, debounced)...
        body.fill(ASKING)
        expect(checker).to_contain_text("asks-for-job")
        expect(checker).to_contain_text("any openings")
        # ...and clears once the ask is for 20 minutes of advice.
        body.fill(FIXED)
        expect(checker).not_to_contain_text("asks-for-job")
        expect(checker).to_contain_text("No findings")

        page.get_by_role("button", name="Log as sent").click()
        expect(page.get_by_text("Logged the first request by email as sent.")).to_be_visible()
        expect(page.get_by_text("Requested", exact=True)).to_be_visible()
        # 3B7: three business days after Monday is Thursday; seven is the next Wednesday.
        followups = page.locator("section", has=page.get_by_role("heading", name="Follow-ups"))
        expect(followups).to_contain_text(
            "Write to a second contact at Halvorsen Biologics: Sam Lee"
        )
        expect(followups).to_contain_text("Dec 3")
        expect(followups).to_contain_text("Follow up once with Priya Raman")
        expect(followups).to_contain_text("Dec 9")
        dates = dict(
            FollowUp.objects.filter(conversation=conversation).values_list("kind", "due_on")
        )
        assert dates == {
            FollowUp.Kind.SECOND_CONTACT: dt.date(2026, 12, 3),
            FollowUp.Kind.NUDGE: dt.date(2026, 12, 9),
        }

        # She answered: schedule it; the 3B7 follow-ups close.
        schedule = page.get_by_role("form", name="Schedule")
        schedule.get_by_label("Date and time").fill("2026-12-08T10:30")
        schedule.get_by_role("button", name="Mark scheduled").click()
        expect(page.get_by_text("Marked scheduled.")).to_be_visible()
        assert not FollowUp.objects.filter(conversation=conversation, done_at=None).exists()

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Calendar file (.ics)").click()
        path = download_info.value.path()
        calendar = Calendar.from_ical(path.read_bytes())
        [event] = calendar.walk("VEVENT")
        assert event.decoded("DTSTART") == dt.datetime(2026, 12, 8, 10, 30, tzinfo=NEW_YORK)
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert calendar.walk("VTIMEZONE")
        assert Conversation.objects.get(pk=conversation.pk).status == Status.SCHEDULED
