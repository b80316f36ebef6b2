"""Comparing targets in a real browser: a table on a desktop, cards on a phone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from coffeechat.fit.models import FitLine, LineKind
from coffeechat.targets.models import Target
from tests.browser.helpers import log_in
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _two_targets(owner: User) -> None:
    world = build_world(owner)  # its target is rated 3 on lifestyle
    other = Target.objects.create(
        owner=owner, kind=Target.Kind.ORGANIZATION, name="Corvane Pharma", motivation=1
    )
    FitLine.objects.create(
        owner=owner, target=other, kind=LineKind.SKILLS, rating=5, text="Assays every day."
    )
    assert world.target.status == Target.Status.ACTIVE


def test_compare_is_a_table_on_a_desktop(page: Page, owner: User) -> None:
    _two_targets(owner)
    log_in(page)
    page.goto("/fit/")
    expect(page.get_by_role("columnheader", name="Skills")).to_be_visible()
    expect(page.get_by_role("navigation", name="Sort targets")).to_be_hidden()
    page.get_by_role("link", name="Skills").click()
    expect(page).to_have_url("/fit/?sort=skills")
    first = page.locator("table.compare tbody tr").first
    expect(first.get_by_role("rowheader")).to_have_text("Corvane Pharma")


def test_compare_reads_as_cards_on_a_phone(phone_page: Page, owner: User) -> None:
    _two_targets(owner)
    log_in(phone_page)
    phone_page.goto("/fit/")
    scroll = phone_page.evaluate(
        "(() => { const box = document.querySelector('.table-scroll');"
        " return box.scrollWidth - box.clientWidth; })()"
    )
    assert scroll <= 0, f"the compare cards scroll sideways by {scroll}px"
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # Each value carries its label, since the column headers are not shown.
    expect(phone_page.get_by_role("columnheader", name="Skills")).to_be_hidden()
    card = phone_page.locator("table.compare tbody tr", has_text="Corvane Pharma")
    skills = card.locator("td[data-label='Skills']")
    expect(skills).to_have_text("5")
    assert (
        phone_page.evaluate(
            "getComputedStyle(document.querySelector(\"td[data-label='Skills']\"), '::before')"
            ".content"
        )
        == '"Skills"'
    )
    sort = phone_page.get_by_role("navigation", name="Sort targets")
    sort.get_by_role("link", name="Skills").click()
    expect(phone_page).to_have_url("/fit/?sort=skills")
    expect(sort.locator("strong")).to_have_text("Skills")
    first = phone_page.locator("table.compare tbody tr").first
    expect(first.locator("th")).to_have_text("Corvane Pharma")


def test_saving_the_fit_page_keeps_every_dimension_typed(page: Page, owner: User) -> None:
    world = build_world(owner)  # lifestyle rated 3, citing one learning
    log_in(page)
    page.goto(f"/fit/targets/{world.target.pk}/")
    page.get_by_label("Motivation rating").select_option("4")
    page.get_by_label("Motivation: why").fill("Science with people, every day.")
    page.get_by_label("Skills: why").fill("Four years of bench work.")
    page.get_by_label("Goals rating").select_option("2")
    # Saved from the last card: every dimension typed above goes with it.
    page.locator("#goals").get_by_role("button", name="Save all five").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_label("Motivation: why")).to_have_value("Science with people, every day.")
    expect(page.get_by_label("Skills: why")).to_have_value("Four years of bench work.")
    lines = {line.kind: line for line in FitLine.objects.filter(target=world.target)}
    assert (lines["motivation"].rating, lines["skills"].text, lines["goals"].rating) == (
        4,
        "Four years of bench work.",
        2,
    )
    assert lines["lifestyle"].rating == 3 and lines["lifestyle"].learnings.count() == 1

    # Citing evidence and adding an open question update their own section: what is typed in
    # the dimensions stays, unsaved, until "Save all five".
    page.get_by_label("Interests: why").fill("I read trial results for fun.")
    lifestyle = page.locator("#lifestyle")
    lifestyle.get_by_text("Cite evidence").click()
    lifestyle.get_by_label(world.learning.text, exact=False).uncheck()
    lifestyle.get_by_role("button", name="Save evidence").click()
    expect(lifestyle.get_by_text("Evidence saved.")).to_be_visible()
    page.get_by_label("What do you still need to learn?").fill("How is a territory assigned?")
    page.get_by_role("button", name="Add open question").click()
    expect(
        page.locator("#open-questions").get_by_text("How is a territory assigned?")
    ).to_be_visible()
    expect(page.get_by_label("Interests: why")).to_have_value("I read trial results for fun.")
    assert not FitLine.objects.get(pk=lines["lifestyle"].pk).learnings.exists()
    page.locator("#interests").get_by_role("button", name="Save all five").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert FitLine.objects.get(target=world.target, kind="interests").text == (
        "I read trial results for fun."
    )


def test_the_fit_verdict_is_proposed_and_overridden_in_a_browser(page: Page, owner: User) -> None:
    from tests.test_fit_verdict import build_field

    field = build_field(owner)
    log_in(page)
    page.goto(f"/fit/targets/{field.target.pk}/")
    verdict = page.get_by_role("region", name="Verdict")
    expect(verdict.get_by_text("The app proposes Try it")).to_be_visible()
    expect(verdict.get_by_role("img", name="Fit ratings of Pharmaceutical sales")).to_be_visible()
    expect(verdict.get_by_role("radio", name="Try it (proposed)")).to_be_checked()
    verdict.get_by_role("radio", name="Set aside").check()
    verdict.get_by_label("Note (optional)").fill("Quota pressure is not for me.")
    verdict.get_by_role("button", name="Save my verdict").click()
    expect(page.get_by_text("Verdict saved.")).to_be_visible()
    expect(verdict.get_by_text("your own call over the proposal “try it”")).to_be_visible()
    expect(verdict.get_by_role("radio", name="Set aside")).to_be_checked()
