"""The demo account beyond its people and conversations: every capability of the loop filled in,
so that a newcomer's first click on any section shows it working."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from coffeechat.contacts.models import JobHistory
from coffeechat.conversations.models import AFTER_STATUSES, Conversation, Status
from coffeechat.dashboard import selectors as dashboard_selectors
from coffeechat.demo import loop
from coffeechat.demo.services import DemoSummary, demo_build
from coffeechat.fit import selectors as fit_selectors
from coffeechat.fit.models import DIMENSIONS, FitLine, OpenQuestion
from coffeechat.followups.models import FollowUp
from coffeechat.interview import selectors as interview_selectors
from coffeechat.interview.models import InterviewSession, QuestionNote, Referral, Shadowing
from coffeechat.network import selectors as network_selectors
from coffeechat.network.models import Knows
from coffeechat.organizations.models import Organization
from coffeechat.outreach import checker
from coffeechat.outreach import selectors as outreach_selectors
from coffeechat.outreach.models import REQUEST_KINDS, KeepInTouch, MessageTemplate, Outreach
from coffeechat.prep.models import PrepItem, PrepPlan, ResearchItem, TargetResearch
from coffeechat.questions.models import QuestionMark
from coffeechat.targets.models import Target
from tests.demo_account import INDUSTRIES, NOON, TODAY, local, maya_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def maya() -> User:
    return maya_account()


@pytest.fixture
def built(maya: User) -> DemoSummary:
    return demo_build(user=maya, today=TODAY)


def test_every_upcoming_conversation_has_a_saved_plan(maya: User, built: DemoSummary) -> None:
    upcoming = Conversation.objects.filter(owner=maya, status=Status.SCHEDULED)
    assert upcoming.count() >= 3
    for conversation in upcoming:
        plan = PrepPlan.objects.get(conversation=conversation)
        # Built by the planner for this slot: more questions than the time allows.
        assert sum(item.question.minutes for item in plan.items.all()) > plan.minutes
        assert plan.generated_at <= NOON and plan.generated_at > conversation.scheduled_at
        research = list(conversation.research_items.all())
        done = [item for item in research if item.done]
        assert done and len(done) < len(research), conversation.contact.full_name
    # One plan carries Maya's own edit, and research notes sit on the targets of the calls.
    assert PrepPlan.objects.filter(owner=maya, edited=True).exists()
    assert TargetResearch.objects.filter(owner=maya, target__conversations__in=upcoming).exists()
    assert ResearchItem.objects.filter(owner=maya, kind=ResearchItem.Kind.OTHER).exists()


def test_held_conversations_have_interview_notes_for_the_summary(
    maya: User, built: DemoSummary
) -> None:
    held = Conversation.objects.filter(owner=maya, status__in=AFTER_STATUSES)
    assert held.count() >= 8
    skipped = 0
    for conversation in held:
        session = InterviewSession.objects.get(conversation=conversation)
        assert conversation.starts_at < session.started_at < session.ended_at
        assert session.ended_at == conversation.held_at
        summary = interview_selectors.conversation_summary(conversation=conversation)
        noted = [q for q in summary.asked if q.text]
        assert len(summary.asked) >= 4 and len(noted) >= 2, conversation.contact.full_name
        assert summary.not_reached and summary.learnings_by_kind
        # The closing question is always asked, and every mark belongs to the saved plan.
        assert summary.asked[-1].item.question.phase == "closing"
        assert all(q.item.pk for q in summary.asked + summary.not_reached)
        skipped += len(summary.skipped)
    assert skipped >= 3
    assert (
        len(set(QuestionNote.objects.filter(owner=maya).exclude(note="").values_list("note"))) >= 30
    )


def test_referral_chain_is_three_deep(maya: User, built: DemoSummary) -> None:
    referrals = Referral.objects.filter(owner=maya).select_related("conversation__contact")
    referred_by = {r.contact_id: r.conversation.contact_id for r in referrals}
    for referral in referrals:
        # Each referral is a contact introduced by the person of the conversation, with a
        # follow-up to reach out, as interview mode records it.
        assert referral.contact.introduced_by_id == referral.conversation.contact_id
        assert referral.conversation.status in AFTER_STATUSES
        assert FollowUp.objects.filter(
            conversation=referral.conversation,
            contact=referral.contact,
            what__startswith=f"Reach out to {referral.contact.full_name}",
        ).exists()

    def depth(contact_id: int) -> int:
        return 1 + depth(referred_by[contact_id]) if contact_id in referred_by else 0

    deepest = max(referred_by, key=depth)
    assert depth(deepest) >= 3
    # The last of the chain has not been reached out to yet: that follow-up is still open.
    assert FollowUp.objects.filter(contact_id=deepest, done_at__isnull=True).exists()


def test_fit_assessments_cite_evidence_for_three_targets(maya: User, built: DemoSummary) -> None:
    averages = []
    for name in sorted(INDUSTRIES):
        target = Target.objects.get(owner=maya, name=name)
        assessment = fit_selectors.assessment_for(target=target)
        dimensions = [line for _, _, line in assessment.dimensions]
        assert all(line and line.rating and len(line.text) > 40 for line in dimensions), name
        assert len(assessment.strengths) >= 2 and len(assessment.weaknesses) >= 2
        lines = [line for line in dimensions if line] + assessment.strengths + assessment.weaknesses
        # Every line cites what was heard or written down about this very target.
        allowed = {("learning", item.pk) for item in assessment.learnings} | {
            ("note", note.pk) for note in assessment.notes
        }
        for line in lines:
            cited = {("learning", item.pk) for item in line.learnings.all()} | {
                ("note", note.pk) for note in line.notes.all()
            }
            assert cited and cited <= allowed, line.text
        assert {q.resolved for q in assessment.open_questions} == {True, False}
        averages.append(sum(line.rating for line in dimensions if line) / len(DIMENSIONS))
    # A story, not a template: the three targets do not come out the same.
    assert len(set(averages)) == 3
    # Nothing the data cites was dropped by the service on the way in.
    assert FitLine.objects.filter(owner=maya).count() == sum(
        len(a.dimensions) + len(a.strengths) + len(a.weaknesses) for a in loop.FIT.values()
    )
    cites = sum(
        len(line.learnings) + len(line.notes)
        for a in loop.FIT.values()
        for line in (*a.dimensions.values(), *a.strengths, *a.weaknesses)
    )
    assert cites == sum(line.evidence_count for line in FitLine.objects.filter(owner=maya))


def test_open_questions_reach_the_plan_of_the_next_conversation(
    maya: User, built: DemoSummary
) -> None:
    open_ids = set(
        OpenQuestion.objects.filter(owner=maya, resolved=False).values_list(
            "question_id", flat=True
        )
    )
    planned = set(
        PrepItem.objects.filter(
            plan__conversation__status=Status.SCHEDULED, owner=maya
        ).values_list("question_id", flat=True)
    )
    assert open_ids & planned


def test_shadowing_at_every_stage(maya: User, built: DemoSummary) -> None:
    rows = {row.stage: row for row in Shadowing.objects.filter(owner=maya)}
    assert set(rows) == set(Shadowing.Stage.values)
    done, dated = rows[Shadowing.Stage.DONE], rows[Shadowing.Stage.DATED]
    assert done.on_date and done.on_date < TODAY and len(done.notes) > 200
    assert dated.on_date and dated.on_date > TODAY
    assert interview_selectors.shadowing_soon(user=maya, today=TODAY) == [dated]
    assert all(
        row.conversation and row.conversation.contact == row.contact for row in rows.values()
    )


def test_outreach_log_with_3b7_followups_in_every_state(maya: User, built: DemoSummary) -> None:
    requested = Conversation.objects.filter(owner=maya, requested_at__isnull=False)
    requests = Outreach.objects.filter(owner=maya, kind__in=REQUEST_KINDS)
    assert set(requests.values_list("conversation", flat=True)) == set(
        requested.values_list("pk", flat=True)
    )
    for message in requests.select_related("conversation"):
        assert message.sent_on == local(message.conversation.requested_at).date()
        # Every request the demo sent passes the app's own checker.
        report = checker.check(
            message.body, "linkedin-note" if message.channel == "linkedin_note" else "request"
        )
        assert not report.has_errors and "{" not in message.body, message.body
    assert {"thanks", "keep_in_touch", "nudge"} <= set(
        Outreach.objects.filter(owner=maya).values_list("kind", flat=True)
    )

    three_b_seven = list(FollowUp.objects.filter(owner=maya, kind__in=FollowUp.THREE_B_SEVEN))
    still_open = [f for f in three_b_seven if f.done_at is None]
    assert any(f.due_on < TODAY for f in still_open)  # overdue
    assert any(f.due_on >= TODAY for f in still_open)  # not yet due
    closed = [f for f in three_b_seven if f.done_at]
    scheduled = {c.pk: c.scheduled_at for c in requested if c.scheduled_at}
    assert any(f.done_at == scheduled.get(f.conversation_id) for f in closed)  # by scheduling
    assert any(f.conversation.status == Status.DECLINED for f in closed)  # by a reply
    assert any(
        f.kind == FollowUp.Kind.NUDGE and f.conversation.status == Status.NO_REPLY for f in closed
    )  # by the nudge itself
    assert all(f.source_id for f in three_b_seven)


def test_keep_in_touch_cadences_with_one_note_due(maya: User, built: DemoSummary) -> None:
    cadences = dict(
        KeepInTouch.objects.filter(owner=maya).values_list("contact__first_name", "every_months")
    )
    assert len(cadences) >= 3 and len(set(cadences.values())) >= 3
    due = outreach_selectors.keep_in_touch_overdue(user=maya, today=TODAY)
    assert [row.contact.first_name for row in due] == ["Priya"]
    assert len(outreach_selectors.keep_in_touch_rows(user=maya, today=TODAY)) >= 8


def test_templates_stars_and_who_knows_whom(maya: User, built: DemoSummary) -> None:
    kinds = set(MessageTemplate.objects.filter(owner=maya).values_list("kind", flat=True))
    assert {"request_email", "thanks"} <= kinds
    assert QuestionMark.objects.filter(owner=maya, starred=True).count() >= 3
    assert Knows.objects.filter(owner=maya).count() >= 10
    # A company where Maya knows nobody warm is reachable through someone she does know.
    sorrel = Organization.objects.get(owner=maya, name="Sorrel Peak Therapeutics")
    paths = network_selectors.introduction_paths(user=maya, organization=sorrel)
    assert paths and paths[0].length >= 2 and paths[0].steps[1].link == "knows"
    # And people who used to work somewhere show up under it.
    pulsegate = Organization.objects.get(owner=maya, name="Pulsegate Devices")
    known = network_selectors.who_i_know(user=maya, organizations=[pulsegate])
    assert "Samira Haddad" in {contact.full_name for contact, _ in known.former}
    assert JobHistory.objects.filter(owner=maya).count() >= 3


_EMPTY = re.compile(r'class="[^"]*\bempty\b[^"]*"[^>]*>(.*?)</', re.S)


def _empty_states(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [" ".join(text.split()) for text in _EMPTY.findall(response.content.decode())]


def test_the_demo_has_done_every_first_step(maya: User, built: DemoSummary) -> None:
    maya.profile.refresh_from_db()
    start = dashboard_selectors.account_start(user=maya, profile=maya.profile)
    # Not dismissed: the data itself completes the checklist, so it never shows.
    assert all(start.steps) and not start.dismissed and not start.show


def test_no_navigation_section_of_the_demo_is_empty(maya: User) -> None:
    demo_build(user=maya)  # on the real today: the dashboard reads the real clock
    client = Client()
    client.force_login(maya)
    home = client.get(reverse("dashboard:home")).content.decode()
    nav = home[home.index('class="nav') : home.index("</nav>", home.index('class="nav'))]
    sections = re.findall(r'href="(/[^"]*)"', nav)
    assert len(sections) >= 9
    conversations = Conversation.objects.filter(owner=maya)
    one_click = [
        reverse("outreach:keep_in_touch"),
        reverse("outreach:templates"),
        *(
            reverse("fit:assessment", args=[pk])
            for pk in Target.objects.filter(owner=maya, name__in=INDUSTRIES).values_list(
                "pk", flat=True
            )
        ),
        *(
            reverse("prep:page", args=[pk])
            for pk in conversations.filter(status=Status.SCHEDULED).values_list("pk", flat=True)
        ),
    ]
    for url in [*sections, *one_click]:
        assert _empty_states(client, url) == [], url
    for pk in conversations.filter(status__in=AFTER_STATUSES).values_list("pk", flat=True):
        empty = _empty_states(client, reverse("interview:summary", args=[pk]))
        assert not {"No question marked asked.", "No learnings captured."} & set(empty)
