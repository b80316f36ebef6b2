"""The demo's funnel (issue 14, item 5): leads credited to the conversations they came from, one
in formal interviews with a round done and a panel coming, an offer declined, one accepted,
and the dates of every step consistent with the demo's clock, whatever day it is built on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from coffeechat.conversations.models import Status
from coffeechat.demo.services import demo_build
from coffeechat.leads.models import (
    LEAD_TRANSITIONS,
    FormalInterview,
    Lead,
    LeadStatus,
    RoundKind,
    RoundOutcome,
)
from coffeechat.prep.rounds import round_queryset, round_sheet
from tests.demo_account import NOON, NY, TODAY, local, maya_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def maya() -> User:
    return maya_account()


def _path(lead: Lead) -> list[tuple[str, dt.date]]:
    stamps = [(status, lead.stamp_for(status)) for status in LeadStatus]
    return sorted(
        ((status, on) for status, on in stamps if on),
        key=lambda step: (step[1], list(LeadStatus).index(LeadStatus(step[0]))),
    )


def _check_consistent(maya: User, today: dt.date, now: dt.datetime) -> None:
    leads = list(
        Lead.objects.filter(owner=maya).select_related(
            "source_conversation", "source_contact", "target", "organization"
        )
    )
    for lead in leads:
        path = _path(lead)
        # Every step reached has its day, in an order the app allows, ending at the status.
        assert path[0][0] == LeadStatus.HEARD, lead
        assert path[-1][0] == lead.status, lead
        for (before, _), (after, _) in zip(path, path[1:], strict=False):
            assert after in LEAD_TRANSITIONS[before], (lead, before, after)
        assert all(on <= today for _, on in path), lead
        for status, on in path:
            if status not in (LeadStatus.HEARD, LeadStatus.APPLIED):
                assert on.weekday() < 5, (lead, status, on)
        # Credited to a conversation that took place by then, or to a contact.
        conversation = lead.source_conversation
        if conversation is not None:
            assert conversation.held_at is not None, lead
            assert local(conversation.held_at).date() <= lead.heard_on, lead
            assert lead.organization_id == conversation.contact.organization_id, lead
        else:
            assert lead.source_contact is not None, lead
        assert lead.target is not None and lead.created_at <= now
    for round_ in FormalInterview.objects.filter(owner=maya).select_related("lead"):
        assert round_.starts_at is not None and round_.created_at < round_.starts_at, round_
        assert local(round_.starts_at).weekday() < 5, round_
        assert round_.lead.interviewing_on is not None
        assert round_.lead.interviewing_on <= local(round_.created_at).date() + dt.timedelta(1)
        if round_.starts_at < now:
            assert round_.outcome != RoundOutcome.PENDING, round_
        else:
            assert round_.outcome == RoundOutcome.PENDING, round_
            assert round_.updated_at <= now


def test_the_demo_carries_a_believable_funnel(maya: User) -> None:
    summary = demo_build(user=maya, today=TODAY)
    leads = {lead.status: lead for lead in Lead.objects.filter(owner=maya)}
    assert summary.leads == Lead.objects.filter(owner=maya).count() == 6
    assert set(leads) == {
        LeadStatus.HEARD,
        LeadStatus.APPLIED,
        LeadStatus.INTERVIEWING,
        LeadStatus.DECLINED,
        LeadStatus.ACCEPTED,
        LeadStatus.CLOSED,
    }
    # Most leads came from a conversation that was held.
    credited = Lead.objects.filter(
        owner=maya,
        source_conversation__status__in=[Status.HELD, Status.THANKED, Status.FOLLOWING_UP],
    )
    assert credited.count() == 5
    _check_consistent(maya, TODAY, NOON)


def test_the_lead_in_interviews_has_a_round_done_and_a_rich_panel_coming(
    maya: User, client: Client
) -> None:
    demo_build(user=maya, today=TODAY)
    lead = Lead.objects.get(owner=maya, status=LeadStatus.INTERVIEWING)
    done, panel = round_queryset().filter(lead=lead).order_by("starts_at")
    assert (done.kind, done.outcome) == (RoundKind.PHONE_SCREEN, RoundOutcome.NEXT_ROUND)
    assert done.starts_at < NOON < panel.starts_at
    assert panel.kind == RoundKind.PANEL
    assert panel.starts_at.astimezone(NY).date() - TODAY <= dt.timedelta(days=10)
    people = list(panel.interviewers.all())
    assert len(people) == 2
    assert all(person.owner_id == maya.pk for person in people)
    assert all(person.organization_id == lead.organization_id for person in people)
    sheet = round_sheet(round_=panel)
    # Its prep sheet has something in every part.
    assert sheet.strengths and all(prompt.evidence for prompt in sheet.strengths)
    assert sheet.weaknesses
    assert len(sheet.organization_learnings) >= 4
    assert sheet.role_learnings and sheet.notes
    assert [i.met for i in sheet.interviewers].count(0) == 1  # one met already, one not
    assert any(ask.heard for ask in sheet.asks)
    assert "You heard of it in your conversation with Devon" in sheet.credit
    client.force_login(maya, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("prep:round_sheet", args=[panel.pk]))
    assert page.status_code == 200
    assert "Samira Haddad" in page.content.decode()


@pytest.mark.parametrize("weekday", [5, 6, 0])
def test_funnel_dates_hold_whatever_day_the_demo_is_built(maya: User, weekday: int) -> None:
    """Built on a Saturday, a Sunday and a Monday: weekends move an employer's steps and the
    rounds, never out of order nor into the future."""
    today = TODAY + dt.timedelta(days=(weekday - TODAY.weekday()) % 7)
    demo_build(user=maya, today=today)
    _check_consistent(maya, today, dt.datetime.combine(today, dt.time(12, 0), NY))
