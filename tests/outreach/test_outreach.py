"""Drafts, the outreach log, 3B7 follow-ups, thank-yous and keep-in-touch."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Learning, Status
from coffeechat.conversations.services import conversation_create, conversation_transition
from coffeechat.followups.models import FollowUp
from coffeechat.notes.services import note_add
from coffeechat.outreach import checker, drafts
from coffeechat.outreach.business_days import add_business_days
from coffeechat.outreach.models import CHECKER_KIND, DraftKind, MessageTemplate, Outreach
from coffeechat.outreach.selectors import keep_in_touch_overdue, second_contact_suggestion
from coffeechat.outreach.services import outreach_log, outreach_reply
from tests.conftest import World

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, the week of US Thanksgiving (Thursday 26 November).
MONDAY = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)


def test_business_days_skip_weekends_and_the_chosen_countrys_holidays() -> None:
    monday = MONDAY.date()
    assert add_business_days(monday, 3) == dt.date(2026, 11, 26)
    assert add_business_days(monday, 7) == dt.date(2026, 12, 2)
    # With the United States chosen, Thanksgiving (Thursday) does not count.
    assert add_business_days(monday, 3, country="US") == dt.date(2026, 11, 27)
    assert add_business_days(monday, 7, country="US") == dt.date(2026, 12, 3)
    friday = dt.date(2026, 11, 27)
    assert add_business_days(friday, 1) == dt.date(2026, 11, 30)


def test_every_builtin_template_fills_and_passes_the_checker(world: World) -> None:
    world.contact.connection_detail = "UNC Biology, class of 2019"
    world.contact.save()
    Learning.objects.create(
        owner=world.contact.owner,
        conversation=world.conversation,
        kind=Learning.Kind.ADVICE,
        text="Shadow a rep for a day before deciding",
    )
    profile = profile_for(world.contact.owner)
    values = drafts.draft_values(conversation=world.conversation, profile=profile)
    for kind, template in drafts.BUILTIN.items():
        body = drafts.fill(template.body, values)
        assert "{" not in body
        findings = checker.check(body, CHECKER_KIND[DraftKind(kind)]).findings
        if kind == DraftKind.KEEP_IN_TOUCH:
            # What the advice led to is the user's to write: it stays visible in brackets.
            assert "[what their advice led to (you fill this in)]" in body
        assert [f for f in findings if f.severity == "error"] == [], (kind, body, findings)
        assert [f.rule for f in findings if f.severity == "warning"] == [], (kind, body)
    thanks = drafts.fill(drafts.BUILTIN[DraftKind.THANKS].body, values)
    assert "Shadow a rep for a day before deciding" in thanks
    note = drafts.fill(drafts.BUILTIN[DraftKind.REQUEST_LINKEDIN_NOTE].body, values)
    assert len(note) <= 300
    assert "We share a school (UNC Biology, class of 2019)." in note or "Ines Alvarez" in note


def test_draft_page_uses_the_users_own_template(world: World, owner_client) -> None:
    url = reverse("outreach:draft", args=[world.conversation.pk])
    response = owner_client.get(url, {"kind": "thanks", "template": world.template.pk})
    assert response.status_code == 200
    assert "Thank you, Priya." in response.content.decode()
    default = owner_client.get(url).content.decode()
    assert "Would you have 30 minutes" in default or "Would you have" in default


def test_check_endpoint_returns_findings_for_htmx(owner_client) -> None:
    response = owner_client.post(
        reverse("outreach:check"),
        {"kind": "request_email", "body": "Hi Dana, are you hiring right now?"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "asks-for-job" in html and "<html" not in html


def _colleague(world: World, first: str, last: str, connection: str) -> Contact:
    """Another contact at the world's organization."""
    return Contact.objects.create(
        owner=world.contact.owner,
        first_name=first,
        last_name=last,
        organization=world.organization,
        how_connected=connection,
    )


def _request_today(world: World, kind: str = DraftKind.REQUEST_EMAIL) -> Outreach:
    return outreach_log(
        conversation=world.conversation, kind=kind, channel="email", sent_on=timezone.localdate()
    )


def test_logging_a_request_moves_the_conversation_and_dates_3b7(world: World) -> None:
    owner = world.contact.owner
    second = _colleague(world, "Sam", "Lee", Contact.Connection.ALUMNI)
    Contact.objects.create(
        owner=owner, first_name="Cold", last_name="Caller", organization=world.organization
    )
    profile = profile_for(owner)
    profile.country = "US"
    profile.save()
    with time_machine.travel(MONDAY, tick=False):
        outreach = outreach_log(
            conversation=world.conversation,
            kind=DraftKind.REQUEST_EMAIL,
            channel="email",
            sent_on=MONDAY.date(),
            body="Hi Priya",
        )
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.REQUESTED
    assert world.conversation.requested_at == MONDAY
    followups = {f.kind: f for f in FollowUp.objects.filter(source=outreach)}
    second_contact = followups[FollowUp.Kind.SECOND_CONTACT]
    nudge = followups[FollowUp.Kind.NUDGE]
    assert second_contact.due_on == dt.date(2026, 11, 27)  # Thanksgiving skipped
    assert nudge.due_on == dt.date(2026, 12, 3)
    assert second_contact.what.startswith("Write to a second contact at Halvorsen Biologics")
    assert "Sam Lee" in second_contact.what and "advocate" in second_contact.what
    assert second_contact.contact == second
    assert nudge.what == "Follow up once with Priya Raman"

    outreach_reply(outreach=outreach, replied_on=dt.date(2026, 11, 24))
    assert not FollowUp.objects.filter(source=outreach, done_at__isnull=True).exists()
    world.contact.refresh_from_db()
    assert world.contact.last_interaction == dt.date(2026, 11, 24)


def test_scheduling_closes_the_3b7_followups(world: World) -> None:
    outreach = _request_today(world, DraftKind.REQUEST_LINKEDIN_NOTE)
    assert FollowUp.objects.filter(source=outreach, done_at__isnull=True).count() == 2
    conversation_transition(
        conversation=world.conversation,
        to=Status.SCHEDULED,
        starts_at=timezone.now() + dt.timedelta(days=3),
    )
    assert FollowUp.objects.filter(source=outreach, done_at__isnull=True).count() == 0


def test_second_contact_suggestion_prefers_advocates_and_skips_people_already_asked(
    world: World,
) -> None:
    owner = world.contact.owner
    online = _colleague(world, "Ola", "Online", Contact.Connection.ONLINE)
    alumna = _colleague(world, "Ada", "Alum", Contact.Connection.ALUMNI)
    suggestion = second_contact_suggestion(conversation=world.conversation)
    assert suggestion is not None and suggestion.contact == alumna
    conversation_create(owner=owner, contact=alumna, status=Status.REQUESTED)
    suggestion = second_contact_suggestion(conversation=world.conversation)
    assert suggestion is not None and suggestion.contact == online


def test_no_organization_means_only_the_nudge(world: World) -> None:
    world.contact.organization = None
    world.contact.save()
    outreach = _request_today(world)
    assert [f.kind for f in FollowUp.objects.filter(source=outreach)] == [FollowUp.Kind.NUDGE]


def test_posting_the_draft_logs_it_and_reports_the_dates(world: World, owner_client) -> None:
    response = owner_client.post(
        reverse("outreach:draft", args=[world.conversation.pk]),
        {
            "kind": "request_email",
            "subject": "Hello",
            "body": "Hi Priya, we share a school. Would you have 20 minutes?",
            "channel": "email",
            "sent_on": "2026-11-23",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Logged the first request by email as sent." in html
    assert "Follow up once with Priya Raman by Wed Dec 2" in html
    outreach = Outreach.objects.get(owner=world.contact.owner, subject="Hello")
    assert outreach.sent_on == dt.date(2026, 11, 23)


def test_reply_view_closes_followups(world: World, owner_client) -> None:
    outreach = _request_today(world)
    owner_client.post(
        reverse("outreach:reply", args=[outreach.pk]),
        {"replied_on": timezone.localdate().isoformat()},
    )
    outreach.refresh_from_db()
    assert outreach.replied_on == timezone.localdate()
    assert not FollowUp.objects.filter(source=outreach, done_at__isnull=True).exists()


def test_logging_a_thank_you_marks_the_conversation_thanked(world: World) -> None:
    conversation = world.conversation
    conversation_transition(
        conversation=conversation, to=Status.SCHEDULED, starts_at=timezone.now()
    )
    conversation_transition(conversation=conversation, to=Status.HELD)
    assert conversation.thanks_due_at == conversation.held_at + dt.timedelta(hours=24)
    outreach_log(
        conversation=conversation,
        kind=DraftKind.THANKS,
        channel="email",
        sent_on=timezone.localdate(),
    )
    conversation.refresh_from_db()
    assert conversation.status == Status.THANKED


def test_keep_in_touch_is_due_four_months_after_and_restarts_on_any_note(
    world: World, owner_client
) -> None:
    owner = world.contact.owner
    held_day = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
    with time_machine.travel(held_day, tick=False):
        conversation_transition(
            conversation=world.conversation, to=Status.SCHEDULED, starts_at=held_day
        )
        conversation_transition(conversation=world.conversation, to=Status.HELD)
    assert keep_in_touch_overdue(user=owner, today=dt.date(2026, 7, 1)) == []
    overdue = keep_in_touch_overdue(user=owner, today=dt.date(2026, 7, 2))
    assert [row.contact for row in overdue] == [world.contact]
    assert overdue[0].due_on == dt.date(2026, 7, 2)
    with time_machine.travel(dt.datetime(2026, 7, 2, 12, tzinfo=dt.UTC), tick=False):
        response = owner_client.get(reverse("outreach:keep_in_touch"))
        assert "Priya Raman" in response.content.decode()
        assert response.context["overdue"][0].contact == world.contact
        note_add(owner=owner, text="Sent her the article.", contact=world.contact)
        assert keep_in_touch_overdue(user=owner, today=dt.date(2026, 7, 3)) == []
        # A different cadence, set from the page.
        owner_client.post(
            reverse("outreach:keep_in_touch_set", args=[world.contact.pk]), {"every_months": 0}
        )
    assert keep_in_touch_overdue(user=owner, today=dt.date(2027, 7, 3)) == []


def test_user_templates_are_created_and_listed(owner_client, owner) -> None:
    response = owner_client.get(reverse("outreach:template_create"), {"kind": "nudge"})
    assert "Inboxes fill up fast" in response.content.decode()
    owner_client.post(
        reverse("outreach:template_create"),
        {"kind": "nudge", "name": "My nudge", "subject": "", "body": "Hi {first_name}, again?"},
    )
    assert MessageTemplate.objects.filter(owner=owner, name="My nudge").exists()
    assert "My nudge" in owner_client.get(reverse("outreach:templates")).content.decode()
