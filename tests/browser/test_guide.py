"""The method explained in place, in a real browser: a code opens its explanation with a tap on a
phone and with the keyboard on a desktop, never on hover alone, and leads to its glossary entry;
How it works is one click from the dashboard and reads on a phone without scrolling sideways."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from coffeechat.targets.models import Target
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _target(owner: User) -> None:
    Target.objects.create(
        owner=owner, name="Oncology sales", kind=Target.Kind.ROLE, motivation=3, posting=2
    )


def test_a_lamp_label_opens_its_explanation_with_a_tap_on_a_phone(
    phone_page: Page, owner: User
) -> None:
    page = phone_page
    _target(owner)
    log_in(page)
    page.goto("/targets/")
    label = page.get_by_role("button", name="LAMP: M3 P2 AN")
    explanation = page.locator(".term-pop", has_text="motivation 3 of 3")
    expect(explanation).to_be_hidden()
    label.hover()
    expect(explanation).to_be_hidden()  # a hover alone shows nothing: a phone has none
    label.tap()
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("List at least 40 employers")
    box = explanation.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    explanation.get_by_role("link", name="More in the glossary").tap()
    expect(page).to_have_url(f"{page.url.split('/targets/')[0]}/guide/glossary/#lamp")
    entry = page.locator("#lamp")
    expect(entry).to_be_in_viewport()
    expect(entry).to_contain_text("List, Advocacy, Motivation, Posting")


def test_a_code_opens_with_the_keyboard_and_closes_with_escape(page: Page, owner: User) -> None:
    log_in(page)
    # The dashboard of a new account explains 3B7 where it says how follow-ups get dated.
    code = page.get_by_role("button", name="3B7")
    code.focus()
    page.keyboard.press("Enter")
    explanation = page.locator(".term-pop", has_text="No reply after 3 business days")
    expect(explanation).to_be_visible()
    page.keyboard.press("Escape")
    expect(explanation).to_be_hidden()


def test_how_it_works_is_one_click_from_the_dashboard_and_reads_on_a_phone(
    phone_page: Page, owner: User
) -> None:
    page = phone_page
    log_in(page)
    page.locator(".first-steps").get_by_role("link", name="How it works").tap()
    expect(page.get_by_role("heading", name="How it works", level=1)).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    expect(
        page.get_by_text("About 1 job offer for every 12 informational interviews")
    ).to_be_visible()
    # Each step says where the app does it, and the link goes there.
    page.locator("#targets").get_by_role("link", name="Targets").tap()
    expect(page.get_by_role("heading", name="Targets", level=1)).to_be_visible()
