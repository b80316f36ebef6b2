"""On a 390 px phone: the top bar, the dashboard's thank-you deadlines, interview mode's quick
capture and the draft page read whole and look like what they do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from coffeechat.conversations.models import Status
from coffeechat.conversations.services import conversation_transition
from tests.browser.helpers import log_in
from tests.conftest import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FULLY_INSIDE = """([inner, outer]) => {
  const a = inner.getBoundingClientRect(), b = outer.getBoundingClientRect();
  return a.left >= b.left - 0.5 && a.right <= b.right + 0.5;
}"""


def _hint(page: Page, side: str) -> str:
    """How visible the strip's fade and arrow on one side are, once it stopped fading."""
    page.wait_for_function("() => document.getAnimations().length === 0")
    return page.locator("[data-nav-strip]").evaluate(
        "(strip, side) => getComputedStyle(strip, side).opacity", side
    )


def _inside(page: Page, inner: str, outer: str) -> bool:
    return page.evaluate(
        f"({FULLY_INSIDE})([document.querySelector({inner!r}), document.querySelector({outer!r})])"
    )


def _held(world: World, hours_ago: int) -> None:
    conversation = world.conversation
    start = timezone.now() - dt.timedelta(hours=hours_ago)
    conversation_transition(conversation=conversation, to=Status.REQUESTED)
    conversation_transition(conversation=conversation, to=Status.SCHEDULED, starts_at=start)
    conversation_transition(conversation=conversation, to=Status.HELD, at=start)


def test_the_top_bar_scrolls_on_a_phone_and_shows_where_you_are(
    phone_page: Page, owner: User
) -> None:
    page = phone_page
    log_in(page)
    nav = page.get_by_role("navigation", name="Main")
    # On the first section the strip hints at more on the right, and only there.
    assert _inside(page, "nav a[aria-current=page]", "nav")
    assert _hint(page, "::after") == "1"
    assert _hint(page, "::before") == "0"

    # On the last section that section is in view, and the hint points back left.
    nav.get_by_role("link", name="Search").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url("/search/")
    page.wait_for_load_state()
    assert _inside(page, "nav a[aria-current=page]", "nav")
    assert _hint(page, "::before") == "1"

    # Every section can be reached by keyboard, and shows when it has the focus.
    page.locator(".brand").focus()
    expected = [
        "This week",
        "Targets",
        "Fit",
        "Contacts",
        "Conversations",
        "Leads",
        "Follow-ups",
        "Questions",
        "Organizations",
        "Network",
        "Funnel",
        "Search",
    ]
    names = []
    for _ in expected:
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent.trim()"))
        assert page.evaluate(
            f"({FULLY_INSIDE})([document.activeElement, document.querySelector('nav')])"
        ), names[-1]
    assert names == expected
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_time_left_to_say_thank_you_stays_on_a_phone_screen(
    phone_page: Page, owner: User
) -> None:
    _held(build_world(owner), hours_ago=1)
    log_in(phone_page)
    badge = phone_page.locator(".badge-due", has_text="left")
    expect(badge).to_be_visible()
    box = badge.bounding_box()
    assert box and box["x"] + box["width"] <= 390, box
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_quick_capture_items_look_like_buttons_on_a_phone(phone_page: Page, owner: User) -> None:
    world = build_world(owner)
    conversation_transition(
        conversation=world.conversation,
        to=Status.SCHEDULED,
        starts_at=timezone.now() + dt.timedelta(hours=1),
    )
    log_in(phone_page)
    phone_page.goto(f"/interview/{world.conversation.pk}/")
    items = phone_page.locator("details.capture > summary")
    # A learning, a referral, an action item, an opening they mentioned.
    assert items.count() == 4
    for item in items.all():
        look = item.evaluate(
            """summary => {
              const box = getComputedStyle(summary.parentElement);
              return {
                height: summary.getBoundingClientRect().height,
                border: box.borderTopStyle,
                chevron: getComputedStyle(summary, '::after').content,
              };
            }"""
        )
        assert look["height"] >= 44, look
        assert look["border"] == "solid" and look["chevron"] == '"›"', look
    items.first.click()
    expect(phone_page.get_by_role("button", name="Save learning")).to_be_visible()


def test_the_kind_of_message_on_the_draft_page_reads_whole_on_a_phone(
    phone_page: Page, owner: User
) -> None:
    world = build_world(owner)
    log_in(phone_page)
    phone_page.goto(f"/outreach/conversations/{world.conversation.pk}/draft/")
    kind = phone_page.get_by_label("Kind of message")
    shown = kind.evaluate(
        """select => {
          const style = getComputedStyle(select);
          const measure = document.createElement('canvas').getContext('2d');
          measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const room = select.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight) - 16;
          return {text: select.selectedOptions[0].text,
                  fits: measure.measureText(select.selectedOptions[0].text).width <= room};
        }"""
    )
    assert shown["fits"], shown
