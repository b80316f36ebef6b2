"""A student invites a coach, shares one note and not another; the coach accepts in another
browser, reads; the student revokes and reads the log of the coach's visits."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from coffeechat.notes.models import Note
from tests.browser.conftest import DESKTOP, PHONE, open_page
from tests.browser.helpers import log_in
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_student_shares_a_note_with_a_coach_then_revokes(
    browser: Browser, live_server, owner: User, coach: User
) -> None:
    world = build_world(owner)
    private = Note.objects.create(owner=owner, contact=world.contact, text="Salary worries.")
    shared_url = f"/coach/students/{{share}}/notes/{world.note.pk}/"
    private_url = f"/coach/students/{{share}}/notes/{private.pk}/"

    with (
        open_page(browser, live_server.url, **DESKTOP) as (student, student_errors),
        open_page(browser, live_server.url, **PHONE) as (coach_page, coach_errors),
    ):
        # The student makes the invitation and ticks one note of two.
        log_in(student)
        student.get_by_role("link", name="Coaching", exact=True).click()
        student.get_by_label("Progress and chosen notes and prep plans").check()
        student.get_by_role("button", name="Make an invitation").click()
        expect(student.get_by_role("heading", name="Send this to your coach")).to_be_visible()
        link = student.get_by_label("Link", exact=True).input_value()
        assert re.match(rf"{re.escape(live_server.url)}/coach/join/[\w-]{{40,}}/$", link)
        student.get_by_label(re.compile("Prefers mornings")).check()
        expect(student.get_by_label(re.compile("Salary worries"))).not_to_be_checked()
        student.get_by_role("button", name="Save what this coach sees").click()
        expect(student.get_by_text("this coach sees 1 chosen item")).to_be_visible()

        # The coach, on a phone, accepts through the link and reads.
        log_in(coach_page, "coach")
        coach_page.goto(link)
        expect(coach_page.get_by_role("heading", name="Olivia Owner invites you")).to_be_visible()
        coach_page.get_by_role("button", name="Accept").click()
        expect(coach_page.get_by_role("heading", name="Olivia Owner")).to_be_visible()
        share = coach_page.url.rstrip("/").rsplit("/", 1)[1]
        expect(coach_page.get_by_text("new conversation scheduled")).to_be_visible()
        expect(coach_page.get_by_role("rowheader", name="Requests sent")).to_be_visible()
        expect(coach_page.get_by_text("Salary worries")).to_have_count(0)
        coach_page.get_by_role("link", name=re.compile("Note of")).click()
        expect(coach_page.get_by_text("Prefers mornings.")).to_be_visible()
        assert coach_page.url.endswith(shared_url.format(share=share))
        assert coach_page.goto(private_url.format(share=share)).status == 404

        # The student stops sharing (asked first); the coach's page is gone.
        student.goto("/coaching/")
        student.get_by_role("link", name="Stop sharing").click()
        expect(student.get_by_role("heading", name="Stop sharing with Cora Coach?")).to_be_visible()
        student.get_by_role("button", name="Stop sharing").click()
        expect(student.get_by_text("The coach can no longer see anything")).to_be_visible()
        assert coach_page.goto(f"/coach/students/{share}/").status == 404
        assert coach_page.goto(shared_url.format(share=share)).status == 404

        # The log shows each page the coach opened while sharing lasted.
        log = student.get_by_role("region", name="Who looked at what")
        expect(log.get_by_text("Cora Coach viewed your progress")).to_have_count(1)
        expect(log.get_by_text("Cora Coach viewed a shared note")).to_have_count(1)

    assert not student_errors, student_errors
    # The only errors on the coach's side are the three 404s asked for (each also logged on
    # the console as a resource that failed to load).
    assert [e for e in coach_errors if e.startswith("404 ")] == [
        f"404 {live_server.url}{url.format(share=share)}"
        for url in (private_url, "/coach/students/{share}/", shared_url)
    ]
    assert all("404" in e for e in coach_errors), coach_errors
