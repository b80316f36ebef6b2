"""The weekly review: the week's learnings, fit changes and leads, whom to ask next week,
marking it done, and its reminder on the dashboard on the review day."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coffeechat.accounts.models import Weekday
from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.conversations.services import conversation_create
from coffeechat.fit.models import Choice, FitLine, Verdict
from coffeechat.leads.models import Lead, LeadStatus
from coffeechat.network.models import Knows
from coffeechat.organizations.models import Organization
from coffeechat.review.models import WeeklyReview
from coffeechat.review.selectors import request_suggestions, reviewed_week
from coffeechat.review.services import review_request_start
from coffeechat.targets.models import Target
from tests.conftest import World
from tests.held import first_held_open

pytestmark = pytest.mark.django_db

# Friday 27 November 2026, 15:00 UTC (10:00 in New York): a review day by default.
FRIDAY = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)
MONDAY = dt.date(2026, 11, 23)
WEEK_URL = "/review/2026-11-23/"


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(FRIDAY, tick=False) as traveller:
        yield traveller


def _zone(user: User, zone: str) -> None:
    profile = profile_for(user)
    profile.time_zone = zone
    profile.save()


def _learning(world: World, text: str, at: dt.datetime) -> Learning:
    learning = Learning.objects.create(
        owner=world.contact.owner, conversation=world.conversation, text=text
    )
    Learning.objects.filter(pk=learning.pk).update(created_at=at, updated_at=at)
    return learning


def test_a_learning_of_the_week_shows_and_one_of_last_week_does_not(
    world: World, owner_client: Client, frozen
) -> None:
    _zone(world.contact.owner, "America/New_York")
    _learning(
        world, "Reps spend Fridays on paperwork.", dt.datetime(2026, 11, 24, 15, tzinfo=dt.UTC)
    )
    _learning(world, "Quotas reset every quarter.", dt.datetime(2026, 11, 19, 15, tzinfo=dt.UTC))
    page = owner_client.get(WEEK_URL).content.decode()
    assert "Reps spend Fridays on paperwork." in page
    assert "conversation with Priya Raman" in page
    assert "Quotas reset every quarter." not in page
    # The current week is the same page.
    assert "Reps spend Fridays on paperwork." in owner_client.get("/review/").content.decode()


def test_the_week_runs_from_monday_midnight_in_the_users_own_far_zone(
    world: World, owner_client: Client, frozen
) -> None:
    # UTC+14: Monday 00:00 there is Sunday 10:00 in UTC.
    _zone(world.contact.owner, "Pacific/Kiritimati")
    _learning(
        world,
        "Just after midnight on Monday there.",
        dt.datetime(2026, 11, 22, 10, 30, tzinfo=dt.UTC),
    )
    _learning(world, "Sunday night there.", dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC))
    page = owner_client.get(WEEK_URL).content.decode()
    assert "Just after midnight on Monday there." in page
    assert "Sunday night there." not in page
    before = owner_client.get("/review/2026-11-16/").content.decode()
    assert "Sunday night there." in before
    assert "Just after midnight on Monday there." not in before


def test_a_verdict_change_and_an_edited_fit_line_show(
    world: World, owner_client: Client, frozen
) -> None:
    owner = world.contact.owner
    Verdict.objects.create(
        owner=owner,
        target=world.target,
        verdict=Choice.KEEP_EXPLORING,
        proposed=Choice.KEEP_EXPLORING,
        decided_on=dt.date(2026, 11, 10),
    )
    Verdict.objects.create(
        owner=owner,
        target=world.target,
        verdict=Choice.PURSUE,
        proposed=Choice.TRY_IT,
        decided_on=dt.date(2026, 11, 25),
    )
    other = Target.objects.create(owner=owner, name="Contract research")
    Verdict.objects.create(
        owner=owner,
        target=other,
        verdict=Choice.SET_ASIDE,
        proposed=Choice.SET_ASIDE,
        decided_on=dt.date(2026, 11, 18),
    )
    FitLine.objects.filter(pk=world.fit_line.pk).update(
        updated_at=dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
    )
    page = owner_client.get(WEEK_URL).content.decode()
    assert re.search(r"Keep exploring → <strong>Pursue</strong>", page)
    assert "overriding the proposal (try it)" in page
    assert "lifestyle (3/5)" in page
    assert "Contract research" not in page  # decided the week before


def test_a_lead_that_moved_shows_with_its_move(world: World, owner_client: Client, frozen) -> None:
    owner = world.contact.owner
    Lead.objects.create(
        owner=owner,
        role="Medical science liaison",
        organization=world.organization,
        source_conversation=world.conversation,
        status=LeadStatus.APPLIED,
        heard_on=dt.date(2026, 11, 2),
        applied_on=dt.date(2026, 11, 24),
    )
    Lead.objects.create(
        owner=owner, role="Field trainer", status=LeadStatus.HEARD, heard_on=dt.date(2026, 11, 1)
    )
    page = owner_client.get(WEEK_URL).content.decode()
    assert "Medical science liaison at Halvorsen Biologics" in page
    assert re.search(r"Heard of → <strong>Applied</strong>", page)
    assert "conversation with Priya Raman" in page
    assert "Field trainer" not in page


def _people(owner: User, organization: Organization, n: int, how: str) -> list[Contact]:
    return [
        Contact.objects.create(
            owner=owner,
            first_name=f"Person{i}",
            last_name=how.capitalize(),
            organization=organization,
            how_connected=how,
        )
        for i in range(n)
    ]


def test_suggestions_meet_the_goal_and_skip_people_already_asked(world: World, frozen) -> None:
    owner = world.contact.owner
    profile = profile_for(owner)
    profile.weekly_goal = 3
    profile.save()
    # The world's conversation with Priya is an idea: she is not asked yet. Ines is asked.
    asked = conversation_create(owner=owner, contact=world.introducer, status=Status.REQUESTED)
    cold = _people(owner, world.organization, 4, Contact.Connection.COLD)
    second = Organization.objects.create(owner=owner, name="Brightwater Devices")
    Target.objects.create(owner=owner, name="Brightwater", organization=second, motivation=2)
    friends = _people(owner, second, 2, Contact.Connection.FRIEND)
    conversation_create(owner=owner, contact=friends[0], status=Status.HELD)
    suggestions = request_suggestions(user=owner, count=3, today=FRIDAY.date())
    people = [s.contact for s in suggestions]
    assert len(people) == 3
    assert asked.contact not in people and friends[0] not in people
    # The warmest at the top target (Priya: alumni, introduced), then the next target's.
    assert people[0] == world.contact
    assert suggestions[0].idea_id == world.conversation.pk
    assert "top target" in suggestions[0].why and "shares your school" in suggestions[0].why
    assert people[1] == friends[1]
    assert people[2] in cold
    # The goal is the count, on the page too.
    profile.weekly_goal = 1
    profile.save()
    assert len(request_suggestions(user=owner, count=1, today=FRIDAY.date())) == 1


@pytest.mark.parametrize("role", ["Field engineer", "QA"])
def test_a_role_target_suggests_people_whose_title_holds_it_not_their_name(
    owner: User, frozen, role: str
) -> None:
    # On SQLite a role of three letters or more is found through the contacts' trigram
    # index, which also holds names and emails: only the title may count. "QA" is too short
    # for a trigram and is tested title by title.
    Target.objects.create(owner=owner, kind=Target.Kind.ROLE, name=role, motivation=5)
    titled = Contact.objects.create(owner=owner, first_name="Ada", title=f"Senior {role.upper()}")
    word = role.split()[0]
    Contact.objects.create(owner=owner, first_name=word, last_name=role, title="Nurse")
    Contact.objects.create(owner=owner, first_name="Bo", email=f"{word}@example.com", title="Chef")
    suggestions = request_suggestions(user=owner, count=5, today=FRIDAY.date())
    at_target = [s.contact for s in suggestions if s.target is not None]
    assert at_target == [titled]


def test_warm_contacts_come_newest_introduction_first_then_alumni_then_affinity(
    owner: User, frozen
) -> None:
    # No target: the suggestions are the warm lists alone, each read in its index's order.
    met = Contact.objects.create(owner=owner, first_name="Dana", last_name="Introducer")
    conversation_create(owner=owner, contact=met, status=Status.HELD)

    def person(name: str, how: str, *, days_ago: int, last: int | None = None) -> Contact:
        contact = Contact.objects.create(
            owner=owner,
            first_name=name,
            how_connected=how,
            introduced_by=met if how == Contact.Connection.REFERRAL else None,
            last_interaction=FRIDAY.date() - dt.timedelta(days=last) if last else None,
        )
        added = FRIDAY - dt.timedelta(days=days_ago)
        Contact.objects.filter(pk=contact.pk).update(created_at=added)
        return contact

    old_intro = person("Old", Contact.Connection.REFERRAL, days_ago=300, last=2)
    new_intro = person("New", Contact.Connection.REFERRAL, days_ago=3)
    asked_intro = person("Asked", Contact.Connection.REFERRAL, days_ago=1)
    conversation_create(owner=owner, contact=asked_intro, status=Status.REQUESTED)
    affinity = person("Affinity", Contact.Connection.AFFINITY, days_ago=5, last=1)
    quiet_alumna = person("Quiet", Contact.Connection.ALUMNI, days_ago=5)
    recent_alumna = person("Recent", Contact.Connection.ALUMNI, days_ago=400, last=10)
    person("Cold", Contact.Connection.COLD, days_ago=1, last=1)
    suggestions = request_suggestions(user=owner, count=6, today=FRIDAY.date())
    # The newest introduction first (an introduction cools as it waits), then the alumni by
    # most recent interaction (never in touch last), then affinity; nobody asked, nobody cold.
    assert [s.contact for s in suggestions] == [
        new_intro,
        old_intro,
        recent_alumna,
        quiet_alumna,
        affinity,
    ]
    assert suggestions[0].why.startswith("Introduced to you")
    assert suggestions[2].why.startswith("An advocate in LAMP's sense")
    # A goal met by the introductions reads no advocate.
    assert [s.contact for s in request_suggestions(user=owner, count=1, today=FRIDAY.date())] == [
        new_intro
    ]


def test_nobody_is_suggested_when_everyone_was_asked(
    world: World, owner_client: Client, frozen
) -> None:
    owner = world.contact.owner
    Conversation.objects.filter(owner=owner).update(status=Status.HELD)
    conversation_create(owner=owner, contact=world.introducer, status=Status.DECLINED)
    page = owner_client.get("/review/").content.decode()
    assert "Nobody left to suggest" in page


def test_drafting_a_suggested_request_makes_one_idea_and_opens_its_draft(
    world: World, owner: User, owner_client: Client, frozen
) -> None:
    person = _people(owner, world.organization, 1, Contact.Connection.ALUMNI)[0]
    body = {"contact": person.pk, "target": world.target.pk}
    first = owner_client.post("/review/draft/", body)
    again = owner_client.post("/review/draft/", body)
    [idea] = Conversation.objects.filter(owner=owner, contact=person)
    assert idea.status == Status.IDEA and list(idea.targets.all()) == [world.target]
    assert (
        first["Location"]
        == again["Location"]
        == f"/outreach/conversations/{idea.pk}/draft/?kind=request_email"
    )
    # A suggested person with an idea already links straight to its draft.
    page = owner_client.get("/review/").content.decode()
    assert f"/outreach/conversations/{world.conversation.pk}/draft/?kind=request_email" in page


def test_mark_done_is_idempotent_and_can_be_undone(
    world: World, owner: User, owner_client: Client, frozen
) -> None:
    done = owner_client.post(f"{WEEK_URL}done/", {"reflection": "Two replies; ask earlier."})
    assert done.status_code == 302 and done["Location"] == WEEK_URL
    [review] = WeeklyReview.objects.filter(owner=owner)
    assert review.week == MONDAY and review.done_at == FRIDAY
    frozen.shift(dt.timedelta(seconds=2))
    owner_client.post(f"{WEEK_URL}done/", {"reflection": "Two replies; ask earlier."})
    [review] = WeeklyReview.objects.filter(owner=owner)
    assert review.done_at == FRIDAY  # the first click's time
    page = owner_client.get(WEEK_URL).content.decode()
    assert "Review done" in page and "Two replies; ask earlier." in page
    owner_client.post(f"{WEEK_URL}undo/")
    owner_client.post(f"{WEEK_URL}undo/")
    [review] = WeeklyReview.objects.filter(owner=owner)
    assert review.done_at is None and review.reflection == "Two replies; ask earlier."
    assert "Mark this review done" in owner_client.get(WEEK_URL).content.decode()


def test_a_day_inside_a_week_goes_to_its_monday_and_a_bad_date_is_not_found(
    owner_client: Client, frozen
) -> None:
    assert owner_client.get("/review/2026-11-26/")["Location"] == WEEK_URL
    for bad in ("2026-02-30", "0001-01-01", "9999-12-31", "2026-13-01"):
        assert owner_client.get(f"/review/{bad}/").status_code == 404, bad
        assert owner_client.post(f"/review/{bad}/done/").status_code == 404, bad
    assert owner_client.get("/review/1900-01-01/").status_code == 200
    assert WeeklyReview.objects.count() == 0


def test_the_dashboard_card_shows_on_the_review_day_until_done(
    world: World, owner: User, owner_client: Client
) -> None:
    _zone(owner, "America/New_York")
    with time_machine.travel(FRIDAY - dt.timedelta(days=1), tick=False):
        assert "Your weekly review" not in owner_client.get("/").content.decode()
    # 06:00 UTC on Friday is 01:00 on Friday in New York: the review day there.
    with time_machine.travel(dt.datetime(2026, 11, 27, 6, tzinfo=dt.UTC), tick=False):
        page = owner_client.get("/").content.decode()
        assert "Your weekly review" in page and WEEK_URL in page
    # 03:00 UTC Friday is still Thursday evening in New York.
    with time_machine.travel(dt.datetime(2026, 11, 27, 3, tzinfo=dt.UTC), tick=False):
        assert "Your weekly review" not in owner_client.get("/").content.decode()
    with time_machine.travel(FRIDAY, tick=False):
        owner_client.post(f"{WEEK_URL}done/", {"reflection": ""})
        assert "Your weekly review" not in owner_client.get("/").content.decode()


def test_a_review_day_early_in_the_week_looks_back_at_the_week_before(
    owner: User, owner_client: Client
) -> None:
    assert reviewed_week(day=dt.date(2026, 11, 30), review_weekday=Weekday.MONDAY) == MONDAY
    assert reviewed_week(day=dt.date(2026, 11, 27), review_weekday=Weekday.FRIDAY) == MONDAY
    assert reviewed_week(day=dt.date(2026, 11, 29), review_weekday=Weekday.SUNDAY) == MONDAY
    profile = profile_for(owner)
    profile.review_weekday = Weekday.MONDAY
    profile.save()
    with time_machine.travel(dt.datetime(2026, 11, 30, 15, tzinfo=dt.UTC), tick=False):
        assert WEEK_URL in owner_client.get("/").content.decode()


def test_the_review_day_is_a_setting(owner: User, owner_client: Client) -> None:
    page = owner_client.get("/settings/").content.decode()
    assert 'name="review_weekday"' in page and "Weekly review on" in page
    profile = profile_for(owner)
    response = owner_client.post(
        "/settings/",
        {
            "display_name": "Olivia",
            "stage": profile.stage,
            "time_zone": "UTC",
            "weekly_goal": 2,
            "review_weekday": Weekday.SUNDAY,
            "digest_hour": 7,
        },
    )
    assert response.status_code == 302
    assert profile_for(owner).review_weekday == Weekday.SUNDAY


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_review_page_runs_the_same_queries_with_more_data(
    world: World, owner: User, owner_client: Client, frozen
) -> None:
    owner_client.get("/")

    def grow(n: int) -> None:
        base = len(Contact.objects.filter(owner=owner))
        for i in range(n):
            org = Organization.objects.create(
                owner=owner, name=f"Org {base + i}", key=f"org {base + i}"
            )
            target = Target.objects.create(owner=owner, name=f"Target {base + i}", organization=org)
            people = _people(owner, org, 3, Contact.Connection.ALUMNI)
            held = conversation_create(owner=owner, contact=people[0], status=Status.HELD)
            Conversation.objects.filter(pk=held.pk).update(held_at=FRIDAY - dt.timedelta(days=2))
            Contact.objects.filter(pk=people[2].pk).update(introduced_by=people[0])
            _learning(world, f"Learning {i}", FRIDAY - dt.timedelta(days=1))
            Verdict.objects.create(
                owner=owner,
                target=target,
                verdict=Choice.PURSUE,
                proposed=Choice.PURSUE,
                decided_on=FRIDAY.date(),
            )
            Lead.objects.create(
                owner=owner, role=f"Role {i}", organization=org, heard_on=FRIDAY.date()
            )

    profile = profile_for(owner)
    profile.weekly_goal = 4
    profile.save()
    # Five targets and more from the start: the suggestions read up to five (LAMP's top five).
    grow(5)
    small = _queries(owner_client, "/review/")
    grow(40)
    assert _queries(owner_client, "/review/") == small
    assert small <= 30, small


def test_the_suggestions_run_the_same_queries_whoever_was_asked(
    world: World, owner: User, frozen
) -> None:
    # A goal no list can meet, so that every list is read: at an organization, an industry
    # and a role target, the introduced, the advocates and the people known by someone met.
    # Growing the people already asked adds rows to skip, never a query.
    industry = Organization.objects.create(owner=owner, name="Ridge Labs", industry="Diagnostics")
    Target.objects.create(owner=owner, kind=Target.Kind.INDUSTRY, name="Diagnostics", motivation=5)
    Target.objects.create(owner=owner, kind=Target.Kind.ROLE, name="Field engineer", motivation=4)
    _people(owner, industry, 2, Contact.Connection.EVENT)
    Contact.objects.create(owner=owner, first_name="Role", title="Senior field engineer")
    held = _people(owner, world.organization, 1, Contact.Connection.COLD)[0]
    conversation_create(owner=owner, contact=held, status=Status.HELD)
    Conversation.objects.filter(contact=held).update(held_at=FRIDAY - dt.timedelta(days=3))
    friend = _people(owner, industry, 1, Contact.Connection.ONLINE)[0]
    Knows.objects.create(owner=owner, contact=held, other=friend)

    def asked(n: int) -> None:
        for person in _people(owner, industry, n, Contact.Connection.ALUMNI):
            conversation_create(owner=owner, contact=person, status=Status.DECLINED)
            Contact.objects.filter(pk=person.pk).update(introduced_by=world.introducer)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            suggestions = request_suggestions(user=owner, count=20, today=FRIDAY.date())
        return len(captured), len(suggestions)

    asked(3)
    small, shown = queries()
    asked(60)
    assert queries() == (small, shown)
    assert shown < 20 and small <= 2 * 5 + 9, small


# The suite's SQLite database lives in memory, shared between connections without a busy
# timeout, so a second writer fails at once instead of waiting; the app's SQLite file queues
# writers (IMMEDIATE transactions). The race this guards against is PostgreSQL's.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once")
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_on_draft_the_request_make_one_idea() -> None:
    owner = User.objects.create_user("clicker", password="a long enough password")
    contact = Contact.objects.create(owner=owner, first_name="Ana", last_name="Ortiz")

    def click() -> int:
        return review_request_start(owner=owner, contact=contact, target=None).pk

    first, second = first_held_open(click, click)
    assert first == second
    assert Conversation.objects.filter(owner=owner, contact=contact).count() == 1
