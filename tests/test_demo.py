"""The demo account: what `coffeechat demo` builds, and how the command guards real data."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zoneinfo
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import user_create
from coffeechat.contacts.models import Contact, JobHistory, Tag
from coffeechat.conversations.models import (
    AFTER_STATUSES,
    TRANSITIONS,
    Conversation,
    Learning,
    Status,
)
from coffeechat.dashboard import selectors
from coffeechat.demo import loop
from coffeechat.demo.clock import Clock
from coffeechat.demo.services import SEED, DemoSummary, demo_build, demo_clear
from coffeechat.demo.world import world_build
from coffeechat.fit import selectors as fit_selectors
from coffeechat.fit.models import DIMENSIONS, FitLine, OpenQuestion
from coffeechat.followups.models import FollowUp
from coffeechat.interview import selectors as interview_selectors
from coffeechat.interview.models import InterviewSession, QuestionNote, Referral, Shadowing
from coffeechat.network import selectors as network_selectors
from coffeechat.network.models import Knows
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization, organization_key
from coffeechat.outreach import checker
from coffeechat.outreach import selectors as outreach_selectors
from coffeechat.outreach.models import REQUEST_KINDS, KeepInTouch, MessageTemplate, Outreach
from coffeechat.portability.selectors import owned_models
from coffeechat.prep.models import PrepItem, PrepPlan, ResearchItem, TargetResearch
from coffeechat.questions.models import Question, QuestionMark
from coffeechat.targets.models import Target

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 3, 11)  # a Wednesday, just after the switch to daylight saving time
NOON = dt.datetime.combine(TODAY, dt.time(12, 0), NY)
INDUSTRIES = {"Pharmaceuticals", "Medical devices", "Biotechnology"}
OWNED = (
    Organization,
    Target,
    Tag,
    Contact,
    Conversation,
    Learning,
    Note,
    FollowUp,
    Outreach,
    MessageTemplate,
    KeepInTouch,
    PrepPlan,
    PrepItem,
    ResearchItem,
    TargetResearch,
    InterviewSession,
    QuestionNote,
    Referral,
    Shadowing,
    FitLine,
    OpenQuestion,
    Knows,
    JobHistory,
    QuestionMark,
    Question,
)


def _maya(username: str = "demo") -> User:
    return user_create(
        username=username,
        password="demo",
        display_name="Maya Chen",
        stage=Profile.Stage.RECENT_GRADUATE,
        time_zone="America/New_York",
    )


@pytest.fixture
def maya() -> User:
    return _maya()


@pytest.fixture
def built(maya: User) -> DemoSummary:
    return demo_build(user=maya, today=TODAY)


def _counts(user: User) -> dict[str, int]:
    return {model.__name__: model.objects.filter(owner=user).count() for model in OWNED}


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(NY)


# --- Targets ------------------------------------------------------------------------------------


def test_the_summary_counts_the_rows_written(maya: User, built: DemoSummary) -> None:
    counts = _counts(maya)
    assert built == DemoSummary(
        organizations=counts["Organization"],
        targets=counts["Target"],
        contacts=counts["Contact"],
        conversations=counts["Conversation"],
        notes=counts["Note"],
        learnings=counts["Learning"],
        followups=counts["FollowUp"],
        prep_plans=PrepPlan.objects.filter(owner=maya).count(),
        fit_assessments=len(set(FitLine.objects.filter(owner=maya).values_list("target"))),
        messages=Outreach.objects.filter(owner=maya).count(),
    )
    assert (built.contacts, built.conversations) == (150, 25)


def test_forty_employers_scored_with_varied_lamp(maya: User, built: DemoSummary) -> None:
    targets = Target.objects.filter(owner=maya).select_related("organization")
    kinds = Counter(target.kind for target in targets)
    assert kinds == {Target.Kind.ORGANIZATION: 40, Target.Kind.INDUSTRY: 3, Target.Kind.ROLE: 2}
    assert {t.name for t in targets if t.kind == Target.Kind.INDUSTRY} == INDUSTRIES
    assert {t.name for t in targets if t.kind == Target.Kind.ROLE} == {
        "Pharmaceutical sales representative",
        "Clinical research associate",
    }

    employers = [t for t in targets if t.kind == Target.Kind.ORGANIZATION]
    assert all(t.organization and t.organization.name == t.name for t in employers)
    assert {t.organization.industry for t in employers if t.organization} == INDUSTRIES
    assert {t.motivation for t in employers} == {0, 1, 2, 3}
    assert {t.posting for t in employers} == {1, 2, 3}
    assert {t.advocacy for t in employers} == {True, False}
    statuses = Counter(t.status for t in employers)
    assert statuses[Target.Status.PARKED] >= 3 and 1 <= statuses[Target.Status.DONE] <= 2
    # Every target says why, each in its own words.
    whys = [t.why for t in targets]
    assert all(len(why) > 40 for why in whys) and len(set(whys)) == len(whys)


def test_organizations_are_saved_with_their_comparison_key(maya: User, built: DemoSummary) -> None:
    organizations = list(Organization.objects.filter(owner=maya))
    assert len(organizations) == 40
    assert all(org.key == organization_key(org.name) for org in organizations)
    assert all(org.website.endswith(".example") for org in organizations)


def test_advocacy_is_true_exactly_where_an_alumni_or_affinity_contact_works(
    maya: User, built: DemoSummary
) -> None:
    advocates = set(
        Contact.objects.filter(
            owner=maya,
            organization__isnull=False,
            how_connected__in=[Contact.Connection.ALUMNI, Contact.Connection.AFFINITY],
        ).values_list("organization_id", flat=True)
    )
    for target in Target.objects.filter(owner=maya, kind=Target.Kind.ORGANIZATION):
        assert target.advocacy == (target.organization_id in advocates), target.name


# --- Contacts -----------------------------------------------------------------------------------


def _introduction_depth(contact: Contact, by_id: dict[int, Contact]) -> int:
    depth = 0
    while contact.introduced_by_id:
        contact = by_id[contact.introduced_by_id]
        depth += 1
    return depth


def test_a_network_of_150_with_introductions_and_alumni(maya: User, built: DemoSummary) -> None:
    contacts = list(Contact.objects.filter(owner=maya).prefetch_related("tags"))
    by_id = {contact.pk: contact for contact in contacts}
    assert len(contacts) == 150
    assert len({contact.full_name for contact in contacts}) == 150
    assert 5 <= sum(contact.organization_id is None for contact in contacts) <= 20

    introduced = [contact for contact in contacts if contact.introduced_by_id]
    assert 15 <= len(introduced) <= 25
    assert max(_introduction_depth(contact, by_id) for contact in introduced) >= 3

    connections = Counter(contact.how_connected for contact in contacts)
    assert len(connections) >= 6
    alumni = [c for c in contacts if c.how_connected == Contact.Connection.ALUMNI]
    assert sum("Riverside State" in c.connection_detail for c in alumni) >= 10

    assert Tag.objects.filter(owner=maya).count() >= 5
    assert sum(bool(contact.tags.all()) for contact in contacts) >= 20
    assert all(c.email.endswith(".example") for c in contacts if c.email)
    assert all(c.title for c in contacts)


def test_last_interaction_is_the_latest_step_with_the_contact(
    maya: User, built: DemoSummary
) -> None:
    talked = Conversation.objects.filter(
        owner=maya, status__in=[Status.SCHEDULED, *AFTER_STATUSES]
    ).select_related("contact")
    assert talked.count() >= 10
    for conversation in talked:
        steps = [conversation.stamp_for(s) for s in (Status.SCHEDULED, *AFTER_STATUSES)]
        latest = max(step for step in steps if step)
        assert conversation.contact.last_interaction == _local(latest).date()


# --- Conversations ------------------------------------------------------------------------------


def test_conversations_cover_every_status(maya: User, built: DemoSummary) -> None:
    statuses = Counter(Conversation.objects.filter(owner=maya).values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    assert sum(statuses.values()) == 25
    for status in (Status.IDEA, Status.REQUESTED, Status.SCHEDULED, Status.HELD, Status.THANKED):
        assert statuses[status] >= 3, status


def test_every_conversation_took_a_valid_path_to_its_status(maya: User, built: DemoSummary) -> None:
    for conversation in Conversation.objects.filter(owner=maya):
        steps = sorted(
            ((conversation.stamp_for(s), s) for s in Status.values if conversation.stamp_for(s)),
        )
        path = [status for _, status in steps]
        times = [at for at, _ in steps]
        assert path[0] == Status.IDEA and path[-1] == conversation.status, path
        assert len(set(times)) == len(times), path  # strictly increasing
        for before, after in zip(path, path[1:], strict=False):
            assert after in TRANSITIONS[before], path
        assert conversation.created_at == times[0]
        assert all(at <= NOON for at in times)


def test_meetings_have_believable_times(maya: User, built: DemoSummary) -> None:
    conversations = Conversation.objects.filter(owner=maya)
    for conversation in conversations:
        assert 20 <= conversation.planned_minutes <= 60
        reached_scheduled = conversation.scheduled_at is not None
        assert (conversation.starts_at is not None) == reached_scheduled
        if conversation.starts_at:
            assert conversation.starts_at > conversation.scheduled_at
            assert 8 <= _local(conversation.starts_at).hour < 18
            assert conversation.time_zone == "America/New_York"
        if conversation.status in AFTER_STATUSES:
            assert conversation.starts_at < conversation.held_at < NOON
        if conversation.thanked_at:
            assert conversation.thanked_at - conversation.held_at <= dt.timedelta(hours=24)
        if conversation.medium == Conversation.Medium.VIDEO and conversation.starts_at:
            assert conversation.place.startswith("https://meet.example.org/")
    minutes = Counter(c.planned_minutes for c in conversations)
    assert minutes.most_common(1)[0][0] == 30 and len(minutes) >= 3
    assert len({c.medium for c in conversations}) == 3
    assert all(c.targets.exists() for c in conversations)


def test_upcoming_calls_start_within_ten_days_one_of_them_tomorrow(
    maya: User, built: DemoSummary
) -> None:
    scheduled = Conversation.objects.filter(owner=maya, status=Status.SCHEDULED)
    days = sorted((_local(c.starts_at).date() - TODAY).days for c in scheduled)
    assert len(days) >= 3 and all(0 <= day <= 10 for day in days)
    assert days[0] <= 1


def test_a_conversation_held_yesterday_still_owes_a_thank_you(
    maya: User, built: DemoSummary
) -> None:
    owed = selectors.thanks_owed(user=maya)
    assert TODAY - dt.timedelta(days=1) in {_local(c.held_at).date() for c in owed}
    assert all(c.thanked_at is None for c in owed)


@pytest.mark.parametrize("offset", range(7))
def test_a_conversation_was_scheduled_this_week_whatever_the_weekday(
    maya: User, offset: int
) -> None:
    today = dt.date(2026, 3, 9) + dt.timedelta(days=offset)  # Monday to Sunday
    demo_build(user=maya, today=today)
    now = dt.datetime.combine(today, dt.time(12, 0), NY)
    progress = selectors.week_progress(user=maya, profile=maya.profile, now=now)
    assert progress.scheduled >= 1 and progress.met


def test_built_for_the_real_today_the_dashboard_has_something_in_every_panel(
    maya: User,
) -> None:
    demo_build(user=maya)
    today = dt.datetime.now(NY).date()
    assert selectors.week_progress(user=maya, profile=maya.profile).scheduled >= 1
    assert selectors.upcoming_conversations(user=maya).exists()
    assert selectors.thanks_owed(user=maya).exists()
    assert selectors.due_followups(user=maya, today=today)


# --- Notes, learnings, follow-ups ---------------------------------------------------------------


def test_notes_sit_on_contacts_and_conversations(maya: User, built: DemoSummary) -> None:
    notes = list(Note.objects.filter(owner=maya).select_related("conversation"))
    assert len(notes) >= 35
    assert sum(note.contact_id is not None for note in notes) >= 8
    assert sum(note.conversation_id is not None for note in notes) >= 20
    assert len({note.text for note in notes}) == len(notes)
    for note in notes:
        assert note.created_at <= NOON
        if note.conversation:
            assert note.created_at > note.conversation.idea_at


def test_learnings_come_from_conversations_that_happened(maya: User, built: DemoSummary) -> None:
    learnings = list(Learning.objects.filter(owner=maya).select_related("conversation"))
    assert len(learnings) >= 25
    assert {learning.kind for learning in learnings} == set(Learning.Kind.values)
    for learning in learnings:
        assert learning.conversation.status in AFTER_STATUSES
        assert learning.created_at >= learning.conversation.held_at
    # Several conversations taught something, not one conversation everything.
    assert len({learning.conversation_id for learning in learnings}) >= 6


def test_followups_are_overdue_due_soon_later_and_done(maya: User, built: DemoSummary) -> None:
    followups = list(FollowUp.objects.filter(owner=maya))
    open_ = [f for f in followups if f.done_at is None]
    week = TODAY + dt.timedelta(days=7)
    assert len(followups) >= 12
    assert sum(f.due_on < TODAY for f in open_) >= 2
    assert sum(TODAY <= f.due_on <= week for f in open_) >= 3
    assert sum(f.due_on > week for f in open_) >= 2
    assert sum(f.done_at is not None for f in followups) >= 2
    assert all(f.contact_id or f.conversation_id for f in followups)
    assert all(f.done_at is None or f.done_at <= NOON for f in followups)
    thanks = [f for f in open_ if f.what.startswith("Send thank-you")]
    assert TODAY in {f.due_on for f in thanks}


# --- The rest of the loop -----------------------------------------------------------------------


def _by_name(user: User, name: str) -> Contact:
    first, last = name.split(" ", 1)
    return Contact.objects.get(owner=user, first_name=first, last_name=last)


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
        assert message.sent_on == _local(message.conversation.requested_at).date()
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


# --- Build and clear ----------------------------------------------------------------------------


def test_the_build_is_deterministic(maya: User, built: DemoSummary) -> None:
    twin = _maya("twin")
    demo_build(user=twin, today=TODAY)

    def snapshot(user: User) -> list[list[tuple[object, ...]]]:
        contacts = Contact.objects.filter(owner=user).order_by("last_name", "first_name")
        conversations = Conversation.objects.filter(owner=user).order_by("idea_at")
        # Which bank questions a plan holds is left out: the planner breaks ties with the
        # conversation's id, which differs between the two accounts.
        return [
            [(c.full_name, c.title, c.email, c.connection_detail) for c in contacts],
            [(c.contact.full_name, c.status, c.starts_at, c.place) for c in conversations],
            list(
                Outreach.objects.filter(owner=user)
                .order_by("sent_on", "contact__last_name", "kind")
                .values_list("contact__last_name", "kind", "sent_on", "replied_on", "body")
            ),
            list(
                FollowUp.objects.filter(owner=user)
                .order_by("due_on", "what")
                .values_list("what", "due_on", "done_at", "created_at")
            ),
            list(
                FitLine.objects.filter(owner=user)
                .order_by("target__name", "kind", "text")
                .values_list("target__name", "kind", "rating", "text", "updated_at")
            ),
            list(
                Shadowing.objects.filter(owner=user)
                .order_by("contact__last_name")
                .values_list("contact__last_name", "stage", "on_date", "notes")
            ),
            sorted(Knows.objects.filter(owner=user).values_list("contact__last_name", "how")),
        ]

    assert snapshot(maya) == snapshot(twin)


def test_nothing_in_the_demo_happened_after_now(maya: User, built: DemoSummary) -> None:
    """Every moment in every owned table is the story's, not the real clock's: rows written
    through services (which stamp the real now) were moved to when they happened."""
    for model in owned_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateTimeField) and f.name != "starts_at"
        ]
        for row in model._default_manager.filter(owner=maya).values_list(*fields):
            assert all(at is None or at <= NOON for at in row), (model.__name__, row)
    assert not Contact.objects.filter(owner=maya, last_interaction__gt=TODAY).exists()


def test_the_world_goes_in_bulk(maya: User, django_assert_max_num_queries) -> None:
    # People, conversations, notes: one insert (and at most one backdating update) per table,
    # not one query per row.
    with django_assert_max_num_queries(40):
        world_build(user=maya, clock=Clock.for_day(TODAY, NY), rng=random.Random(SEED))


def test_the_rest_of_the_loop_costs_a_bounded_number_of_queries(
    maya: User, django_assert_max_num_queries
) -> None:
    # The rest goes through the apps' services one conversation, message and fit line at a
    # time (each call in its own savepoint): about 1,400 queries. The bound catches a loop
    # over the 150 contacts slipping in.
    with django_assert_max_num_queries(1500):
        demo_build(user=maya, today=TODAY)


def test_clear_deletes_only_the_users_rows(maya: User, built: DemoSummary) -> None:
    neighbour = _maya("neighbour")
    demo_build(user=neighbour, today=TODAY)
    before = _counts(neighbour)

    demo_clear(user=maya)

    assert set(_counts(maya).values()) == {0}
    assert _counts(neighbour) == before
    maya.refresh_from_db()
    assert Profile.objects.get(user=maya).display_name == "Maya Chen"


# --- The command --------------------------------------------------------------------------------


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_command_creates_the_demo_account() -> None:
    output = _run()
    user = User.objects.get(username="demo")
    assert user.check_password("demo")
    assert (user.profile.display_name, user.profile.time_zone) == ("Maya Chen", "America/New_York")
    assert user.profile.stage == Profile.Stage.RECENT_GRADUATE
    assert "Demo account ready: log in as demo / demo" in output
    assert "150 contacts" in output and "25 conversations" in output
    assert " s." in output  # the elapsed time
    assert _counts(user)["Contact"] == 150


def test_a_second_run_changes_nothing() -> None:
    _run()
    user = User.objects.get(username="demo")
    ids = set(Contact.objects.filter(owner=user).values_list("pk", flat=True))
    counts = _counts(user)

    output = _run()

    assert "already there" in output and "--reset" in output
    assert set(Contact.objects.filter(owner=user).values_list("pk", flat=True)) == ids
    assert _counts(user) == counts


def test_reset_rebuilds_the_data_and_the_password() -> None:
    _run()
    user = User.objects.get(username="demo")
    user.set_password("changed by a visitor")
    user.save()
    Contact.objects.filter(owner=user, last_name__startswith="A").delete()
    stray = Contact.objects.create(owner=user, first_name="Added", last_name="By a visitor")
    old_ids = set(Contact.objects.filter(owner=user).values_list("pk", flat=True))

    output = _run("--reset")

    user.refresh_from_db()
    assert user.check_password("demo")
    assert "Demo account ready" in output
    assert _counts(user)["Contact"] == 150
    assert not Contact.objects.filter(pk=stray.pk).exists()
    assert not old_ids & set(Contact.objects.filter(owner=user).values_list("pk", flat=True))


def test_the_command_refuses_beside_other_users() -> None:
    alex = _maya("alex")
    with pytest.raises(CommandError, match=r"other users \(alex\).*Use --force"):
        _run()
    assert not User.objects.filter(username="demo").exists()

    output = _run("--force")

    assert "Demo account ready" in output
    assert User.objects.filter(username="demo").exists()
    assert set(_counts(alex).values()) == {0}
