"""What the planner is told was asked before: read for the contact and their organization at
once, then split by whom each earlier conversation was with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.organizations.models import Organization
from coffeechat.prep.models import PrepItem, PrepPlan, QuestionNote
from coffeechat.prep.selectors import plan_request
from coffeechat.questions.models import Question

pytestmark = pytest.mark.django_db


def _held(owner: User, contact: Contact, *, held: bool = True) -> Conversation:
    return Conversation.objects.create(
        owner=owner,
        contact=contact,
        status=Status.THANKED if held else Status.SCHEDULED,
        held_at=timezone.now() - dt.timedelta(days=30) if held else None,
    )


def _planned(conversation: Conversation, questions: list[int]) -> None:
    plan = PrepPlan.objects.create(
        owner=conversation.owner, conversation=conversation, minutes=30, generated_at=timezone.now()
    )
    PrepItem.objects.bulk_create(
        PrepItem(owner=conversation.owner, plan=plan, question_id=qid, position=(i + 1) * 10)
        for i, qid in enumerate(questions)
    )


def test_asked_with_the_contact_and_at_their_organization(bank, owner: User) -> None:
    q = list(
        Question.objects.filter(owner__isnull=True).order_by("id").values_list("id", flat=True)
    )
    employer = Organization.objects.create(owner=owner, name="Bluestem", key="bluestem")
    elsewhere = Organization.objects.create(owner=owner, name="Redwood", key="redwood")
    contact = Contact.objects.create(owner=owner, first_name="Priya", organization=employer)
    colleague = Contact.objects.create(owner=owner, first_name="Ana", organization=employer)
    stranger = Contact.objects.create(owner=owner, first_name="Bo", organization=elsewhere)

    # With the contact: a plan never marked (all of it counts), and one where interview mode
    # marked one question asked and one skipped (only the asked one counts).
    _planned(_held(owner, contact), [q[0], q[1]])
    marked = _held(owner, contact)
    _planned(marked, [q[2], q[3], q[4]])
    QuestionNote.objects.create(
        owner=owner, conversation=marked, question_id=q[2], state=QuestionNote.State.ASKED
    )
    QuestionNote.objects.create(
        owner=owner, conversation=marked, question_id=q[3], state=QuestionNote.State.SKIPPED
    )
    # At the organization, with a colleague: planned, and marked.
    _planned(_held(owner, colleague), [q[5]])
    colleague_marked = _held(owner, colleague)
    _planned(colleague_marked, [q[6], q[7]])
    QuestionNote.objects.create(
        owner=owner, conversation=colleague_marked, question_id=q[7], state=QuestionNote.State.ASKED
    )
    # Not counted: someone at another organization, and a conversation not held yet.
    _planned(_held(owner, stranger), [q[8]])
    _planned(_held(owner, colleague, held=False), [q[9]])

    now = Conversation.objects.create(owner=owner, contact=contact, status=Status.IDEA)
    with CaptureQueriesContext(connection) as queries:
        request = plan_request(conversation=now)
    assert request.asked_with_contact == {q[0], q[1], q[2]}
    assert request.asked_at_organization == {q[5], q[7]}
    assert request.met_before and request.organization_seen
    assert len(queries) <= 9  # 13 when each group and the pins took queries of their own

    # Without an organization, only what was asked of the contact.
    Contact.objects.filter(pk=contact.pk).update(organization=None)
    now.refresh_from_db()
    request = plan_request(conversation=Conversation.objects.get(pk=now.pk))
    assert request.asked_with_contact == {q[0], q[1], q[2]}
    assert request.asked_at_organization == frozenset()
