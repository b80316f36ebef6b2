"""Leads and formal interview rounds: the services' rules, the pages, the calendar file and
feed parsed back, and the account's export, restore and erase."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from coffeechat.accounts.services import account_delete, calendar_token_regenerate, user_create
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Status
from coffeechat.conversations.services import conversation_create, conversation_transition
from coffeechat.leads.models import FormalInterview, Lead, LeadStatus, RoundKind, RoundOutcome
from coffeechat.leads.services import (
    InvalidLeadTransition,
    lead_create,
    lead_transition,
    round_create,
    round_update,
)
from coffeechat.portability.selectors import account_export
from coffeechat.portability.services import RestoreError, account_restore
from tests.conftest import World, build_world

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _lead(world: World, **fields: Any) -> Lead:
    return lead_create(
        owner=world.contact.owner,
        role=fields.pop("role", "Clinical trial associate"),
        source_conversation=world.conversation,
        **fields,
    )


# --- Services ---------------------------------------------------------------------------------


def test_a_lead_from_a_conversation_credits_it_and_takes_its_contact_organization_and_target(
    world: World,
) -> None:
    lead = _lead(world)
    assert lead.status == LeadStatus.HEARD and lead.heard_on is not None
    assert lead.source_contact == world.contact
    assert lead.organization == world.organization
    assert lead.target == world.target


def test_transitions_stamp_the_day_and_refuse_a_skipped_step_with_a_sentence(
    world: World,
) -> None:
    lead = _lead(world)
    lead_transition(lead=lead, to_status=LeadStatus.APPLIED, on=dt.date(2030, 2, 1))
    assert lead.status == LeadStatus.APPLIED and lead.applied_on == dt.date(2030, 2, 1)
    with pytest.raises(InvalidLeadTransition) as error:
        lead_transition(lead=lead, to_status=LeadStatus.ACCEPTED)
    assert error.value.message == (
        "A lead that is applied cannot move to accepted. "
        "It can move to: interviewing, offer, closed."
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.APPLIED and lead.accepted_on is None
    with pytest.raises(InvalidLeadTransition, match="not a lead status"):
        lead_transition(lead=lead, to_status="hired")
    lead_transition(lead=lead, to_status=LeadStatus.CLOSED)
    lead_transition(lead=lead, to_status=LeadStatus.APPLIED)
    # Reopened: no longer counted as closed.
    assert lead.status == LeadStatus.APPLIED and lead.closed_on is None
    assert [label for label, _ in lead.timeline][:2] == ["Heard of", "Applied"]


def test_a_settled_lead_says_it_is_settled(world: World) -> None:
    lead = _lead(world)
    for step in (LeadStatus.APPLIED, LeadStatus.OFFER, LeadStatus.DECLINED):
        lead_transition(lead=lead, to_status=step)
    with pytest.raises(InvalidLeadTransition, match="It is settled"):
        lead_transition(lead=lead, to_status=LeadStatus.ACCEPTED)


def test_the_first_round_moves_the_lead_to_interviewing_and_an_offer_outcome_to_offer(
    world: World,
) -> None:
    lead = _lead(world)
    first = round_create(lead=lead, kind=RoundKind.PHONE_SCREEN)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.INTERVIEWING and lead.interviewing_on is not None
    second = round_create(
        lead=lead, kind=RoundKind.PANEL, interviewers=[world.contact, world.introducer]
    )
    assert set(second.interviewers.all()) == {world.contact, world.introducer}
    first.outcome = RoundOutcome.NEXT_ROUND
    round_update(fi=first)
    second.outcome = RoundOutcome.OFFER
    round_update(fi=second)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.OFFER and lead.offer_on is not None


def test_interviewers_of_another_user_are_refused_and_nothing_is_written(
    world: World, outsider: User
) -> None:
    stranger = build_world(outsider).contact
    lead = _lead(world)
    with pytest.raises(ValidationError, match="your own contacts"):
        round_create(lead=lead, kind=RoundKind.PANEL, interviewers=[world.contact, stranger])
    assert not FormalInterview.objects.filter(lead=lead).exists()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HEARD  # the round's move was rolled back with it
    with pytest.raises(ValidationError, match="your own"):
        lead_create(owner=world.contact.owner, role="Analyst", source_contact=stranger)


def test_a_round_raises_its_sequence_only_when_the_calendar_would_show_a_change(
    world: World,
) -> None:
    fi = world.formal_interview
    start = fi.sequence
    fi.notes = "Bring the poster."
    round_update(fi=fi)
    assert fi.sequence == start
    fi.starts_at = fi.starts_at + dt.timedelta(hours=1)
    round_update(fi=fi)
    assert FormalInterview.objects.get(pk=fi.pk).sequence == start + 1


# --- Pages --------------------------------------------------------------------------------------


def test_a_lead_recorded_on_the_conversation_page_credits_the_conversation(
    world: World, owner_client: Client
) -> None:
    page = owner_client.get(reverse("conversations:detail", args=[world.conversation.pk]))
    html = page.content.decode()
    assert "Record an opening you heard of" in html
    assert "normal channel" in html
    assert 'value="Halvorsen Biologics"' in html  # the organization, pre-filled
    response = owner_client.post(
        reverse("leads:create"),
        {
            "role": "Field medical advisor",
            "organization_name": "Halvorsen Biologics",
            "source_conversation": world.conversation.pk,
        },
    )
    lead = Lead.objects.get(role="Field medical advisor")
    assert response.status_code == 302 and response.url == reverse("leads:detail", args=[lead.pk])
    assert lead.source_conversation == world.conversation and lead.source_contact == world.contact
    detail = owner_client.get(response.url).content.decode()
    assert "Heard in your conversation with" in detail and "Priya Raman" in detail
    assert "Mark applied" in detail and "Mark closed" in detail
    # The conversation's card lists it.
    again = owner_client.get(reverse("conversations:detail", args=[world.conversation.pk]))
    assert "Field medical advisor" in again.content.decode()


def test_the_full_form_is_pre_filled_from_the_conversation(
    world: World, owner_client: Client
) -> None:
    url = reverse("leads:create") + f"?conversation={world.conversation.pk}"
    html = owner_client.get(url).content.decode()
    assert "Heard in your conversation with" in html
    assert f'name="source_conversation" value="{world.conversation.pk}"' in html
    assert 'value="Halvorsen Biologics"' in html
    assert "never asked for the job" in html


def test_interview_mode_captures_a_lead_credited_to_the_conversation(
    world: World, owner_client: Client
) -> None:
    page = owner_client.get(reverse("interview:page", args=[world.conversation.pk]))
    assert "They mentioned an opening" in page.content.decode()
    url = reverse("interview:lead", args=[world.conversation.pk])
    response = owner_client.post(
        url, {"lead-role": "Regional account manager", "lead-organization": "Norrland Pharma"}
    )
    assert response.status_code == 302
    lead = Lead.objects.get(role="Regional account manager")
    assert lead.source_conversation == world.conversation
    assert lead.organization is not None and lead.organization.name == "Norrland Pharma"
    # The htmx answer lists it among what was captured; an empty role is refused in words.
    fragment = owner_client.post(url, {"lead-role": ""}, headers={"HX-Request": "true"})
    assert "Write the role of the opening first." in fragment.content.decode()
    assert "Regional account manager" in fragment.content.decode()
    assert Lead.objects.filter(owner=world.contact.owner).count() == 2


def test_editing_a_lead_keeps_its_status_and_credit(world: World, owner_client: Client) -> None:
    lead = Lead.objects.get(pk=world.formal_interview.lead_id)
    response = owner_client.post(
        reverse("leads:edit", args=[lead.pk]),
        {
            "role": "Senior medical science liaison",
            "organization_name": "Halvorsen Biologics",
            "source_contact": world.contact.pk,
            "source_conversation": world.conversation.pk,
            "target": world.target.pk,
            "link": "https://example.com/jobs/42",
            "heard_on": "2029-12-01",
            "notes": "Posted on their careers page.",
            # A crafted status in the body is ignored: status moves by its buttons only.
            "status": "accepted",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.role == "Senior medical science liaison"
    assert lead.status == LeadStatus.INTERVIEWING
    assert lead.heard_on == dt.date(2029, 12, 1)
    assert lead.source_conversation == world.conversation


def test_two_rounds_with_interviewers_show_on_the_lead_page(
    world: World, owner_client: Client
) -> None:
    lead = Lead.objects.get(pk=world.formal_interview.lead_id)
    response = owner_client.post(
        reverse("leads:round_create", args=[lead.pk]),
        {
            "kind": RoundKind.ON_SITE,
            "starts_local": "2030-01-20T13:00",
            "time_zone": "Europe/Paris",
            "minutes": 180,
            "place": "Halvorsen campus",
            "interviewers": [world.introducer.pk],
            "outcome": RoundOutcome.PENDING,
            "notes": "",
        },
    )
    assert response.status_code == 302
    rounds = list(FormalInterview.objects.filter(lead=lead).order_by("starts_at"))
    assert [r.kind for r in rounds] == [RoundKind.PANEL, RoundKind.ON_SITE]
    assert rounds[1].starts_at == dt.datetime(2030, 1, 20, 13, 0, tzinfo=PARIS)
    html = owner_client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert html.count("Ines Alvarez") == 2 and "Priya Raman" in html
    assert "On-site" in html and "Panel" in html
    assert html.count(".ics") >= 2
    # The edit form shows the chosen interviewers as ticked boxes.
    edit = owner_client.get(reverse("leads:round_edit", args=[rounds[0].pk])).content.decode()
    assert f'name="interviewers" value="{world.contact.pk}" checked' in edit


def test_the_round_form_refuses_a_time_outside_the_years_and_writes_nothing(
    world: World, owner_client: Client
) -> None:
    lead_id = world.formal_interview.lead_id
    response = owner_client.post(
        reverse("leads:round_create", args=[lead_id]),
        {"kind": "panel", "starts_local": "2200-12-31T23:30", "time_zone": "Etc/GMT+12"}
        | {"minutes": 45, "outcome": "pending"},
    )
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()
    assert FormalInterview.objects.filter(lead_id=lead_id).count() == 1


def test_status_buttons_move_the_lead_and_a_refused_move_says_why(
    world: World, owner_client: Client
) -> None:
    lead = Lead.objects.get(pk=world.formal_interview.lead_id)
    url = reverse("leads:transition", args=[lead.pk])
    refused = owner_client.post(url, {"to": "accepted"}, follow=True).content.decode()
    assert "cannot move to accepted" in refused and "Nothing changed." in refused
    owner_client.post(url, {"to": "offer"})
    lead.refresh_from_db()
    assert lead.status == LeadStatus.OFFER


def test_the_list_filters_and_pages_with_a_working_next(world: World, owner_client: Client) -> None:
    owner = world.contact.owner
    for n in range(60):
        lead_create(owner=owner, role=f"Opening {n:02d}")
    closed = lead_create(owner=owner, role="Filled already")
    lead_transition(lead=closed, to_status=LeadStatus.CLOSED)
    first = owner_client.get(reverse("leads:list")).content.decode()
    assert "Page 1 of 2" in first and "Filled already" not in first
    assert 'href="?page=2"' in first
    second = owner_client.get(reverse("leads:list") + "?page=2").content.decode()
    assert "Opening 00" in second or "Medical science liaison" in second
    settled = owner_client.get(reverse("leads:list") + "?show=closed").content.decode()
    assert "Filled already" in settled and "Opening 01" not in settled
    one = owner_client.get(reverse("leads:list") + "?status=interviewing").content.decode()
    assert "Medical science liaison" in one and "Opening 01" not in one
    assert owner_client.get(reverse("leads:list") + "?status=nonsense&show=x").status_code == 200


def test_deleting_a_lead_says_what_goes_and_keeps_the_conversation(
    world: World, owner_client: Client
) -> None:
    lead_id = world.formal_interview.lead_id
    url = reverse("leads:delete", args=[lead_id])
    confirm = owner_client.get(url).content.decode()
    assert "1 formal interview round will be deleted with it." in confirm
    assert "The conversation and the contacts it credits stay." in confirm
    owner_client.post(url)
    assert not Lead.objects.filter(pk=lead_id).exists()
    assert not FormalInterview.objects.filter(lead_id=lead_id).exists()
    assert Contact.objects.filter(pk=world.introducer.pk).exists()
    world.conversation.refresh_from_db()


def test_deleting_a_round_keeps_the_lead_and_deleting_a_contact_names_its_rounds(
    world: World, owner_client: Client
) -> None:
    confirm = owner_client.get(reverse("contacts:delete", args=[world.introducer.pk]))
    assert "1 formal interview round stays, without them among the interviewers." in (
        confirm.content.decode()
    )
    fi = world.formal_interview
    owner_client.post(reverse("leads:round_delete", args=[fi.pk]))
    assert not FormalInterview.objects.filter(pk=fi.pk).exists()
    assert Lead.objects.get(pk=fi.lead_id).status == LeadStatus.INTERVIEWING


def test_the_leads_nav_link_is_current_on_lead_pages(world: World, owner_client: Client) -> None:
    html = owner_client.get(reverse("leads:detail", args=[world.formal_interview.lead_id]))
    assert f'href="{reverse("leads:list")}" aria-current="page">Leads</a>' in html.content.decode()


# --- Calendar -----------------------------------------------------------------------------------


def test_a_round_download_parses_back_with_its_time_zone_uid_and_sequence(
    world: World, owner_client: Client
) -> None:
    fi = world.formal_interview
    response = owner_client.get(reverse("calendar:round_ics", args=[fi.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == dt.datetime(2030, 1, 8, 10, 30, tzinfo=PARIS)
    assert str(start.tzinfo) == "Europe/Paris" or start.tzinfo.key == "Europe/Paris"  # type: ignore[union-attr]
    assert event.decoded("dtend") - start == dt.timedelta(minutes=45)
    assert str(event["uid"]) == f"formal-interview-{fi.pk}-{fi.owner_id}@coffeechat.invalid"
    assert str(event["summary"]) == "Panel: Medical science liaison at Halvorsen Biologics"
    assert "Priya Raman (Medical science liaison)" in str(event["description"])
    assert str(event["location"]) == "Building 4, room 210"
    assert int(event["sequence"]) == 0
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    # A change of time: the same UID, a higher SEQUENCE.
    fi.starts_at = dt.datetime(2030, 1, 9, 8, 0, tzinfo=dt.UTC)
    round_update(fi=fi)
    again = Calendar.from_ical(
        owner_client.get(reverse("calendar:round_ics", args=[fi.pk])).content
    )
    (moved,) = again.walk("VEVENT")
    assert str(moved["uid"]) == str(event["uid"]) and int(moved["sequence"]) == 1


def test_a_round_without_a_time_has_no_file_but_a_sentence(
    world: World, owner_client: Client
) -> None:
    fi = round_create(lead=world.formal_interview.lead, kind=RoundKind.RECRUITER)
    response = owner_client.get(reverse("calendar:round_ics", args=[fi.pk]))
    assert response.status_code == 200 and "no date and time yet" in response.content.decode()


def test_the_feed_carries_dated_rounds_beside_conversations(world: World) -> None:
    owner = world.contact.owner
    conversation_transition(
        conversation=world.conversation,
        to=Status.SCHEDULED,
        starts_at=dt.datetime(2030, 1, 3, 15, 0, tzinfo=dt.UTC),
        time_zone="UTC",
    )
    round_create(lead=world.formal_interview.lead, kind=RoundKind.CASE)  # undated: left out
    token = calendar_token_regenerate(user=owner).calendar_token
    body = Client().get(reverse("calendar:feed", args=[token])).content
    uids = [str(event["uid"]) for event in Calendar.from_ical(body).walk("VEVENT")]
    assert f"formal-interview-{world.formal_interview.pk}-{owner.pk}@coffeechat.invalid" in uids
    assert f"conversation-{world.conversation.pk}-{owner.pk}@coffeechat.invalid" in uids
    assert sum(uid.startswith("formal-interview-") for uid in uids) == 1


# --- Export, restore, erase ---------------------------------------------------------------------


def test_a_lead_with_rounds_and_interviewers_survives_export_then_restore(
    world: World,
) -> None:
    owner = world.contact.owner
    round_create(
        lead=world.formal_interview.lead,
        kind=RoundKind.ON_SITE,
        outcome=RoundOutcome.OFFER,
        interviewers=[world.introducer],
    )
    data = json.loads(json.dumps(account_export(user=owner)))
    copy = user_create(username="copy", password="x" * 12)
    account_restore(user=copy, data=data)
    lead = Lead.objects.get(owner=copy)
    assert (lead.role, lead.status) == ("Medical science liaison", LeadStatus.OFFER)
    assert lead.source_conversation is not None and lead.source_conversation.owner == copy
    assert lead.source_contact is not None and lead.source_contact.full_name == "Priya Raman"
    assert lead.organization is not None and lead.organization.owner == copy
    assert lead.offer_on is not None and lead.interviewing_on is not None
    rounds = list(FormalInterview.objects.filter(owner=copy).order_by("id"))
    assert [r.kind for r in rounds] == [RoundKind.PANEL, RoundKind.ON_SITE]
    assert sorted(c.full_name for c in rounds[0].interviewers.all()) == [
        "Ines Alvarez",
        "Priya Raman",
    ]
    assert all(c.owner == copy for r in rounds for c in r.interviewers.all())
    assert rounds[0].starts_at == world.formal_interview.starts_at
    assert rounds[0].time_zone == "Europe/Paris"


@pytest.mark.parametrize(
    ("model", "field", "value", "says"),
    [
        ("leads.lead", "status", "hired", "status"),
        ("leads.lead", "heard_on", "2300-01-01", "heard_on"),
        ("leads.lead", "link", "javascript:alert(1)", "link"),
        ("leads.formalinterview", "outcome", "maybe", "outcome"),
        ("leads.formalinterview", "minutes", 100_000, "minutes"),
        ("leads.formalinterview", "time_zone", "Mars/Olympus_Mons", "time_zone"),
        ("leads.formalinterview", "starts_at", "0001-01-01T00:00:00+00:00", "starts_at"),
    ],
)
def test_the_restore_refuses_a_bad_lead_or_round_value_and_writes_nothing(
    world: World, model: str, field: str, value: object, says: str
) -> None:
    data = json.loads(json.dumps(account_export(user=world.contact.owner)))
    data["models"][model][0][field] = value
    copy = user_create(username="copy", password="x" * 12)
    with pytest.raises(RestoreError) as error:
        account_restore(user=copy, data=data)
    assert says in str(error.value)
    assert not Lead.objects.filter(owner=copy).exists()
    assert not Contact.objects.filter(owner=copy).exists()


def test_erasing_the_account_removes_its_leads_rounds_and_interviewer_links(
    owner: User, outsider: User
) -> None:
    mine, theirs = build_world(owner), build_world(outsider)
    account_delete(user=owner)
    assert not Lead.objects.filter(owner_id=mine.contact.owner_id).exists()
    assert not FormalInterview.objects.filter(pk=mine.formal_interview.pk).exists()
    through = FormalInterview.interviewers.through
    assert not through.objects.filter(formalinterview_id=mine.formal_interview.pk).exists()
    assert through.objects.filter(formalinterview_id=theirs.formal_interview.pk).count() == 2


def test_a_conversation_without_a_contact_organization_still_gives_a_lead(owner: User) -> None:
    contact = Contact.objects.create(owner=owner, first_name="Sam")
    conversation = conversation_create(owner=owner, contact=contact)
    lead = lead_create(owner=owner, role="Lab technician", source_conversation=conversation)
    assert lead.organization is None and lead.target is None and str(lead) == "Lab technician"


def test_a_past_round_recorded_late_never_dates_interviewing_before_the_lead_was_heard(
    world: World,
) -> None:
    lead = _lead(world, heard_on=dt.date(2030, 5, 10))
    round_create(
        lead=lead, kind=RoundKind.PHONE_SCREEN, starts_at=dt.datetime(2030, 5, 1, 9, tzinfo=dt.UTC)
    )
    lead.refresh_from_db()
    assert lead.interviewing_on == dt.date(2030, 5, 10)
    assert [label for label, _ in lead.timeline] == ["Heard of", "Interviewing"]
