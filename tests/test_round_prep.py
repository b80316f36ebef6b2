"""The prep sheet for a formal interview (issue 14, item 2): what the user learned about the
organization and the role, the fit assessment's strengths and weaknesses as answer prompts
with their evidence, questions to ask, the interviewers and a checklist per kind of round;
its page, print view, PDF and Markdown."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from dataclasses import dataclass

import pypdf
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.models import Profile
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.conversations.services import conversation_create
from coffeechat.fit.models import FitLine, LineKind, OpenQuestion
from coffeechat.leads.models import FormalInterview, Lead, LeadStatus, RoundKind
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization
from coffeechat.prep.rounds import CHECKLISTS, role_phrase, round_queryset, round_sheet
from coffeechat.questions.models import Question
from coffeechat.targets.models import Target

pytestmark = pytest.mark.django_db

STRENGTH = "Calm around clinical work; the county lab put me next to nurses every week."
EVIDENCE = "Specialists spend most of the day in the procedure room with the physicians."
DOWNSIDE = "One weekend a month on call, and the pager does go off at night."
ROLE_LEARNING = "New specialists shadow for six months before covering a case alone."
ELSEWHERE = "Lab budgets are set every January."


@dataclass
class Story:
    owner: User
    lead: Lead
    round: FormalInterview
    devon: Contact
    samira: Contact
    target: Target


def _held(owner: User, contact: Contact, targets: list[Target], days_ago: int) -> Conversation:
    conversation = conversation_create(owner=owner, contact=contact, targets=targets)
    when = timezone.now() - dt.timedelta(days=days_ago)
    Conversation.objects.filter(pk=conversation.pk).update(status=Status.HELD, held_at=when)
    conversation.refresh_from_db()
    return conversation


def _story(owner: User, kind: str = RoundKind.PANEL) -> Story:
    copperline = Organization.objects.create(
        owner=owner, name="Copperline Medical", industry="Medical devices"
    )
    devices = Target.objects.create(owner=owner, name="Medical devices", kind=Target.Kind.INDUSTRY)
    devon = Contact.objects.create(
        owner=owner,
        first_name="Devon",
        last_name="Achterberg",
        title="Clinical specialist, cardiac rhythm management",
        organization=copperline,
        how_connected=Contact.Connection.ALUMNI,
        connection_detail="Riverside State, Biology '18",
    )
    samira = Contact.objects.create(
        owner=owner,
        first_name="Samira",
        last_name="Haddad",
        title="Territory manager",
        organization=copperline,
    )
    talk = _held(owner, devon, [devices], days_ago=14)
    evidence = Learning.objects.create(
        owner=owner, conversation=talk, kind=Learning.Kind.REALITY, text=EVIDENCE
    )
    Learning.objects.create(
        owner=owner, conversation=talk, kind=Learning.Kind.NEGATIVE, text=DOWNSIDE
    )
    note = Note.objects.create(
        owner=owner, conversation=talk, text="Devon got paged during our coffee and laughed."
    )
    # Someone elsewhere with the same job: a learning about the role, not the organization.
    other = Contact.objects.create(
        owner=owner, first_name="Ruben", last_name="Okafor", title="Senior clinical specialist"
    )
    Learning.objects.create(
        owner=owner,
        conversation=_held(owner, other, [], days_ago=20),
        kind=Learning.Kind.ADVICE,
        text=ROLE_LEARNING,
    )
    # A conversation about neither: stays off the sheet.
    stranger = Contact.objects.create(owner=owner, first_name="Lina", title="Lab manager")
    Learning.objects.create(
        owner=owner, conversation=_held(owner, stranger, [], days_ago=3), text=ELSEWHERE
    )
    strength = FitLine.objects.create(
        owner=owner, target=devices, kind=LineKind.STRENGTH, text=STRENGTH
    )
    strength.learnings.add(evidence)
    weakness = FitLine.objects.create(
        owner=owner, target=devices, kind=LineKind.WEAKNESS, text="No ECG reading yet."
    )
    weakness.notes.add(note)
    OpenQuestion.objects.create(
        owner=owner,
        target=devices,
        question=Question.objects.create(
            owner=owner, text="How long before a new specialist covers cases alone?"
        ),
    )
    lead = Lead.objects.create(
        owner=owner,
        role="Associate clinical specialist, cardiac rhythm management",
        organization=copperline,
        source_conversation=talk,
        target=devices,
        status=LeadStatus.INTERVIEWING,
        heard_on=timezone.localdate() - dt.timedelta(days=14),
        applied_on=timezone.localdate() - dt.timedelta(days=12),
        interviewing_on=timezone.localdate() - dt.timedelta(days=6),
    )
    round_ = FormalInterview.objects.create(
        owner=owner,
        lead=lead,
        kind=kind,
        starts_at=timezone.now() + dt.timedelta(days=5),
        time_zone="America/New_York",
        minutes=90,
        place="Copperline Medical, 40 Harbor Road, 3rd floor",
    )
    round_.interviewers.add(devon, samira)
    return Story(owner, lead, round_, devon, samira, devices)


@pytest.fixture
def story(owner: User) -> Story:
    return _story(owner)


def _url(name: str, story: Story) -> str:
    return reverse(f"prep:{name}", args=[story.round.pk])


def test_the_sheet_shows_a_strength_with_its_evidence_and_a_learning_about_the_organization(
    story: Story, owner_client: Client
) -> None:
    response = owner_client.get(_url("round_sheet", story))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Associate clinical specialist" in page and "Copperline Medical" in page
    # The strength, its prompt and its evidence, with whom it came from.
    assert "Calm around clinical work" in page
    assert "Tell a 60-second story" in page
    assert f"What you heard: {EVIDENCE}" in page
    assert "Devon Achterberg" in page
    # A weakness, to address honestly, with the note behind it.
    assert "No ECG reading yet." in page and "name it plainly" in page
    assert "Devon got paged during our coffee" in page
    # What conversations at Copperline taught; the downside turned into a question.
    assert DOWNSIDE in page
    assert "How does this work on your team?" in page
    # The open question of the target, to ask.
    assert "How long before a new specialist covers cases alone?" in page
    # The role, from a conversation with someone with a similar title elsewhere.
    assert ROLE_LEARNING in page
    assert ELSEWHERE not in page
    # The interviewers: one met, one not yet; the conversation that led to the lead credited.
    assert "talked with you once" in page
    assert "no conversation with them yet" in page
    assert "You heard of it in your conversation with Devon Achterberg" in page


def test_the_role_rule_reads_the_job_words_of_the_title() -> None:
    assert role_phrase("Associate clinical specialist, cardiac rhythm management") == (
        "clinical specialist"
    )
    assert role_phrase("Senior R&D engineer II") == "R&D engineer"
    # Role words alone say no field: no title match, the target alone brings the role.
    assert role_phrase("Senior manager") == ""
    assert role_phrase("") == ""


def test_the_checklist_changes_with_the_round_kind(story: Story, owner_client: Client) -> None:
    checklists = {}
    for kind in RoundKind:
        FormalInterview.objects.filter(pk=story.round.pk).update(kind=kind)
        sheet = round_sheet(round_=round_queryset().get(pk=story.round.pk))
        checklists[kind] = sheet.checklist
        assert len(sheet.asks) >= 2
    assert len({tuple(items) for items in checklists.values()}) == len(RoundKind)
    assert any("quiet room" in item for item in checklists[RoundKind.PHONE_SCREEN])
    assert any("camera" in item for item in checklists[RoundKind.VIDEO])
    assert any("calculator" in item for item in checklists[RoundKind.CASE])
    assert any("salary range" in item for item in checklists[RoundKind.RECRUITER])
    assert any("exclusive" in item for item in checklists[RoundKind.HEADHUNTER])
    assert any("résumé" in item for item in checklists[RoundKind.ON_SITE])
    # A panel names each member with their role.
    panel = " ".join(checklists[RoundKind.PANEL])
    assert "Devon Achterberg (Clinical specialist" in panel
    assert "Samira Haddad (Territory manager)" in panel
    # ... and the page shows the round's own list.
    FormalInterview.objects.filter(pk=story.round.pk).update(kind=RoundKind.HEADHUNTER)
    page = owner_client.get(_url("round_sheet", story)).content.decode()
    assert "Checklist: with a headhunter" in page
    assert CHECKLISTS[RoundKind.HEADHUNTER][0] in page
    assert CHECKLISTS[RoundKind.PANEL][1] not in page


def test_print_view_shows_the_sheet(story: Story, owner_client: Client) -> None:
    response = owner_client.get(_url("round_print", story))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Interview prep: Panel: Associate clinical specialist" in page
    assert STRENGTH in page and EVIDENCE in page and DOWNSIDE in page
    assert reverse("prep:round_pdf", args=[story.round.pk]) in page


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_holds_the_strength_its_evidence_and_the_checklist(
    story: Story, owner_client: Client, paper: str
) -> None:
    response = owner_client.get(_url("round_pdf", story), {"paper": paper})
    assert response["Content-Type"] == "application/pdf"
    assert (
        f"interview-{story.round.pk}-copperline-medical-panel.pdf"
        in (response["Content-Disposition"])
    )
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) <= 3
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Interview prep: Panel: Associate clinical specialist" in text
    assert "Calm around clinical work" in text
    assert "Specialists spend most of the day in the procedure room" in text
    assert "pager does go off at night" in text
    assert "Samira Haddad" in text
    assert "Each member's role" in text


def test_markdown_holds_the_same_sections(story: Story, owner_client: Client) -> None:
    response = owner_client.get(_url("round_markdown", story))
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    assert text.startswith("# Interview prep: Panel: Associate clinical specialist")
    assert f"- **{STRENGTH}**" in text
    assert f"  - What you heard: {EVIDENCE} (Devon Achterberg," in text
    assert "## Questions to ask them" in text
    assert "- [ ] Each member's role" in text


def test_an_outsider_gets_404_on_every_form_of_the_sheet(
    story: Story, outsider_client: Client
) -> None:
    for name in ("round_sheet", "round_print", "round_pdf", "round_markdown"):
        assert outsider_client.get(_url(name, story)).status_code == 404


def test_a_bare_lead_still_has_a_sheet(owner: User, owner_client: Client) -> None:
    """No organization, target, source or interviewer, no date: the checklist and the
    questions for its kind, and sentences where the rest would be."""
    lead = Lead.objects.create(owner=owner, role="Analyst", heard_on=timezone.localdate())
    round_ = FormalInterview.objects.create(owner=owner, lead=lead, kind=RoundKind.RECRUITER)
    page = owner_client.get(reverse("prep:round_sheet", args=[round_.pk])).content.decode()
    assert "Date not set yet" in page
    assert "salary range" in page
    assert "No interviewers linked to this round yet" in page
    assert "This lead has no target" in page
    pdf = owner_client.get(reverse("prep:round_pdf", args=[round_.pk]))
    assert pdf.status_code == 200


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_sheet_runs_a_fixed_number_of_queries(story: Story, owner_client: Client) -> None:
    owner = story.owner
    urls = [_url(name, story) for name in ("round_sheet", "round_print", "round_markdown")]
    owner_client.get(urls[0])  # the session's first page reads a little more, once
    before = [_queries(owner_client, url) for url in urls]
    # Many more interviewers, conversations there and elsewhere, evidence and open questions.
    organization = story.lead.organization
    for index in range(8):
        person = Contact.objects.create(
            owner=owner,
            first_name=f"P{index}",
            title="Clinical specialist",
            organization=organization if index % 2 else None,
        )
        talk = _held(owner, person, [story.target], days_ago=index + 1)
        learning = Learning.objects.create(owner=owner, conversation=talk, text=f"Fact {index}")
        Note.objects.create(owner=owner, contact=person, text=f"Note {index}")
        story.round.interviewers.add(person)
        line = FitLine.objects.create(
            owner=owner, target=story.target, kind=LineKind.STRENGTH, text=f"Strength {index}"
        )
        line.learnings.add(learning)
        OpenQuestion.objects.create(
            owner=owner,
            target=story.target,
            question=Question.objects.create(owner=owner, text=f"Open question {index}?"),
        )
    after = [_queries(owner_client, url) for url in urls]
    assert after == before
    assert max(after) <= 16


def test_days_are_the_users_own(story: Story, owner_client: Client) -> None:
    """A conversation held late in the evening in New York is on that day, not the next one
    (its moment in UTC)."""
    Profile.objects.filter(user=story.owner).update(time_zone="America/New_York")
    late = dt.datetime(2026, 3, 4, 23, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    Conversation.objects.filter(contact=story.devon).update(held_at=late)
    page = owner_client.get(_url("round_sheet", story)).content.decode()
    assert "conversation with Devon Achterberg on Mar 4." in page
    assert "Devon Achterberg, Mar 4)" in page
    assert "Devon Achterberg, Mar 5" not in page
