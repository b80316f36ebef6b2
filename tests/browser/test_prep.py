"""Preparing a conversation in a real browser: generate, pin, reorder, print."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from coffeechat.prep.models import PrepItem
from tests.browser.helpers import log_in
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generate_pin_reorder_and_see_it_in_the_print_view(page: Page, owner: User, bank) -> None:
    world = build_world(owner)
    log_in(page)

    page.goto(f"/conversations/{world.conversation.pk}/")
    page.get_by_role("link", name="Prepare").click()
    expect(page.get_by_role("heading", name="Research first")).to_be_visible()
    # The world comes with a one-question plan; start over with a generated one.
    page.locator(".generate-form").get_by_label("Minutes").fill("30")
    page.get_by_role("button", name="Regenerate").click()
    expect(page.get_by_text("Plan ready for 30 minutes.")).to_be_visible()

    plan = page.locator("#plan")
    # The first phase of questions (the opening script comes before it, without controls).
    opening = plan.locator("ol.plan-items:not(.script-lines)").first.locator("li.plan-item")
    first_text = opening.nth(0).locator(".plan-text").inner_text().splitlines()[0]
    second_text = opening.nth(1).locator(".plan-text").inner_text().splitlines()[0]

    # Pin the second opening question (htmx swaps the plan in place), then move it up.
    plan.get_by_role("button", name=f"Pin: {second_text[:40]}").first.click()
    expect(plan.get_by_text("pinned", exact=False).first).to_be_visible()
    plan.get_by_role("button", name=f"Move up: {second_text[:40]}").first.click()
    expect(opening.nth(0)).to_contain_text(second_text)
    expect(opening.nth(1)).to_contain_text(first_text)
    expect(opening.nth(0)).to_contain_text("pinned")

    pinned = PrepItem.objects.get(plan__conversation=world.conversation, pinned=True)
    assert pinned.question.text == second_text

    # The print view shows the new order, the pinned question first and must-ask.
    page.get_by_role("link", name="Print view").click()
    expect(page.get_by_role("heading", name="Prep sheet: Priya Raman")).to_be_visible()
    printed = page.locator(".questions ol").first.locator("li")
    expect(printed.nth(0)).to_contain_text(second_text)
    expect(printed.nth(0)).to_contain_text("★")
    expect(printed.nth(1)).to_contain_text(first_text)
    # Print CSS hides the tools; the sheet itself fits two A4 pages.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    for paper in ("A4", "Letter"):
        pages = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper))).pages
        assert len(pages) <= 2, paper
