"""Issue 14's acceptance, as a person clicks it: a lead heard in interview mode becomes an
application, a panel with two interviewers and its prep sheet, then an offer; the funnel and
the weekly review show it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from coffeechat.conversations.models import Learning
from coffeechat.fit.models import FitLine, LineKind
from coffeechat.leads.models import Lead, LeadStatus
from tests.browser.helpers import log_in
from tests.browser.test_interview_mode import _scheduled_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _stage_count(page: Page, stage: str) -> str:
    row = page.locator("#stages-heading").locator("xpath=..").locator("tr", has_text=stage)
    return row.first.locator("td").first.inner_text().strip()


def test_a_lead_from_interview_mode_to_an_offer(page: Page, owner: User, bank) -> None:
    world = _scheduled_world(owner)
    # The shared world holds a lead of its own; this journey starts without any.
    Lead.objects.filter(owner=owner).delete()
    # What the fit assessment already holds: a strength, with what was heard behind it.
    evidence = Learning.objects.create(
        owner=owner,
        conversation=world.conversation,
        kind=Learning.Kind.POSITIVE,
        text="Liaisons who explain trial data plainly get the hard accounts.",
    )
    strength = FitLine.objects.create(
        owner=owner, target=world.target, kind=LineKind.STRENGTH, text="I explain science plainly"
    )
    strength.learnings.add(evidence)

    log_in(page)
    page.goto(f"/interview/{world.conversation.pk}/")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text("A learning").click()
    page.get_by_label("Kind", exact=True).select_option("reality")
    page.get_by_label("What you learned").fill("Halvorsen hires liaisons from hospital pharmacy.")
    page.get_by_role("button", name="Save learning").click()
    expect(page.locator("#captured")).to_contain_text("hospital pharmacy")

    page.get_by_text("They mentioned an opening").click()
    page.get_by_label("Role of the opening").fill("Medical science liaison, Nordics")
    page.get_by_label("Hiring organization").fill("Halvorsen Biologics")
    page.get_by_role("button", name="Note the lead").click()
    expect(page.locator("#captured")).to_contain_text("Medical science liaison, Nordics")
    page.get_by_text("End conversation…").click()
    page.get_by_role("button", name="End and mark held").click()
    expect(
        page.get_by_role("heading", name="After the conversation with Priya Raman")
    ).to_be_visible()

    lead = Lead.objects.get(owner=owner)
    assert lead.source_conversation_id == world.conversation.pk

    # The lead page credits the conversation; the user applies through the normal channel.
    page.goto("/leads/")
    page.get_by_role("link", name="Medical science liaison, Nordics").first.click()
    expect(page.get_by_text("Heard in your conversation with")).to_be_visible()
    page.get_by_role("button", name="Mark applied").click()
    expect(page.locator(".page-head .badge")).to_have_text("Applied")

    # A panel with two interviewers, each found through the contact search.
    page.get_by_role("link", name="Add a round").click()
    page.get_by_label("Round", exact=True).select_option("panel")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Date and time").fill(f"{yesterday.isoformat()}T10:00")
    search = page.get_by_role("searchbox", name="Search contacts")
    for name in ("Priya", "Ines"):
        search.fill(name)
        box = page.locator(".picker-results").get_by_role("checkbox", name=name)
        box.first.check()
    page.get_by_role("button", name="Save").click()
    round_item = page.locator(".round-list > li").first
    expect(round_item).to_contain_text("Panel")
    expect(round_item).to_contain_text("Priya Raman")
    expect(round_item).to_contain_text("Ines Alvarez")
    expect(page.locator(".page-head .badge")).to_have_text("Interviewing")

    # Its prep sheet reuses what the conversations taught.
    round_item.get_by_role("link", name="Prep sheet").click()
    expect(page.get_by_role("heading", name="Interview prep: Panel")).to_be_visible()
    strengths = page.locator("section.round-prompts")
    expect(strengths).to_contain_text("I explain science plainly")
    expect(strengths).to_contain_text("get the hard accounts")
    learned = page.locator("section.round-learned")
    expect(learned).to_contain_text("hires liaisons from hospital pharmacy")
    expect(page.locator("section.round-people")).to_contain_text("Ines Alvarez")
    page.go_back()

    # The panel went well: an offer.
    round_item = page.locator(".round-list > li").first
    round_item.get_by_role("link", name="Edit").click()
    page.get_by_label("Outcome", exact=True).select_option("offer")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".page-head .badge")).to_have_text("Offer")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.OFFER and lead.offer_on is not None

    page.get_by_role("link", name="Funnel", exact=True).first.click()
    for stage in ("Leads", "Applications", "Formal interviews", "Offers"):
        assert _stage_count(page, stage) == "1", stage
    assert _stage_count(page, "Conversations held") == "1"

    page.goto("/review/")
    moved = page.locator("section", has=page.get_by_role("heading", name="Leads that moved"))
    expect(moved).to_contain_text("Medical science liaison, Nordics")
    expect(moved).to_contain_text("Offer")
