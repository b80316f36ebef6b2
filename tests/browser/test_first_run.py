"""First visit in a real browser whose clock is in Paris: the account starts in UTC, the
dashboard offers the browser's zone, and one key press takes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import user_create
from tests.browser.helpers import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_browser_in_paris_sets_up_and_confirms_its_time_zone(browser, live_server) -> None:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        timezone_id="Europe/Paris",
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto("/")
        expect(page.get_by_role("heading", name="Welcome to coffeechat")).to_be_visible()
        page.get_by_label("Username").fill("maya")
        page.get_by_label("Password", exact=True).fill("a long enough secret")
        page.get_by_label("Password again").fill("a long enough secret")
        # The time zone select is left at UTC, as most people leave it.
        page.get_by_role("button", name="Create my account").click()

        expect(page.get_by_role("heading", name="First steps")).to_be_visible()
        offer = page.get_by_role("region", name="Your time zone")
        expect(offer).to_contain_text("Your time zone looks like Europe/Paris. Use it?")
        use = offer.get_by_role("button", name="Use Europe/Paris")
        expect(offer.get_by_role("button", name="Keep UTC")).to_be_visible()
        # Keyboard only: Tab reaches the button from the top of the page, Enter takes the zone.
        for _ in range(40):
            page.keyboard.press("Tab")
            if use.evaluate("button => button === document.activeElement"):
                break
        expect(use).to_be_focused()
        page.keyboard.press("Enter")

        expect(page.get_by_text("Time zone set to Europe/Paris")).to_be_visible()
        expect(page.get_by_role("region", name="Your time zone")).to_have_count(0)
        profile = Profile.objects.get(user__username="maya")
        assert (profile.time_zone, profile.time_zone_confirmed) == ("Europe/Paris", True)
    finally:
        context.close()
    assert not errors, errors


def test_a_browser_already_in_the_accounts_zone_is_not_asked(browser, live_server) -> None:
    user_create(username="owner", password=PASSWORD)  # UTC, never confirmed
    context = browser.new_context(base_url=live_server.url, timezone_id="UTC")
    page = context.new_page()
    try:
        log_in(page)
        expect(page.get_by_role("heading", name="First steps")).to_be_visible()
        expect(page.locator("[data-tz-suggest]")).to_be_hidden()
    finally:
        context.close()
