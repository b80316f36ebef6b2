"""A POST form is sent once: a second click while the first answer is on its way (a
double-click, an impatient click on a slow connection) does not add the contact twice. The
requests are held in the browser's network layer, as a slow connection would hold them, while
the second click is made; then the last one goes through to the real server."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, Route, expect

from coffeechat.contacts.models import Contact
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add_clicking_twice(page: Page, name: str, *, pause_ms: int) -> list[Route]:
    """Quick add ``name`` from the dashboard, clicking "Add contact" twice ``pause_ms`` apart
    while no request reaches the server; the requests the browser sent, held."""
    log_in(page)
    page.goto("/")
    held: list[Route] = []
    page.route("**/quick-add/", lambda route: held.append(route))
    form = page.locator("form[action='/quick-add/']")
    form.get_by_label("Name").fill(name)
    button = form.get_by_role("button", name="Add contact")
    button.scroll_into_view_if_needed()
    # The mouse itself: a locator's click would wait for the first page load to end.
    box = button.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(pause_ms)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    return held


def _let_through(page: Page, route: Route) -> None:
    route.continue_()
    page.unroute("**/quick-add/")


def test_a_second_click_while_the_first_is_on_its_way_adds_nothing(page: Page, owner: User) -> None:
    held = _add_clicking_twice(page, "Dora Whitfield", pause_ms=300)
    assert len(held) == 1
    _let_through(page, held[0])
    expect(page.get_by_text("Added Dora Whitfield.")).to_be_visible()
    assert Contact.objects.filter(owner=owner, last_name="Whitfield").count() == 1

    # The next page's form is a new one: the next contact is added at once.
    page.locator("form[action='/quick-add/']").get_by_label("Name").fill("Ravi Whitfield")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_text("Added Ravi Whitfield.")).to_be_visible()
    assert Contact.objects.filter(owner=owner, last_name="Whitfield").count() == 2


def test_a_form_can_be_sent_again_after_a_pause(page: Page, owner: User) -> None:
    """A form whose answer never came (or was a download) is not locked for good."""
    held = _add_clicking_twice(page, "Lena Okafor", pause_ms=4500)
    assert len(held) == 2
    _let_through(page, held[-1])
    expect(page.get_by_text("Added Lena Okafor.")).to_be_visible()
