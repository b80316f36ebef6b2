"""Questions not reached in interview mode come back at the next conversation there."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Status
from coffeechat.conversations.services import conversation_create, conversation_transition
from coffeechat.interview.services import interview_end, question_mark
from coffeechat.prep.models import PrepItem
from coffeechat.prep.selectors import plan_request
from coffeechat.prep.services import prep_plan_generate
from tests.conftest import World


def _hold_with_one_question_asked(world: World) -> tuple[int, list[int]]:
    conversation = world.conversation
    conversation_transition(
        conversation=conversation,
        to=Status.SCHEDULED,
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )
    plan = prep_plan_generate(conversation=conversation, minutes=30, discard_edits=True)
    items = list(plan.items.order_by("-must_ask", "position", "id"))
    question_mark(conversation=conversation, question=items[0].question, state="asked")
    question_mark(conversation=conversation, question=items[1].question, state="skipped")
    interview_end(conversation=conversation)
    return items[0].question_id, [item.question_id for item in items[1:]]


def test_questions_not_reached_are_carried_to_the_next_conversation_at_the_organization(
    owner: User, world: World, bank
) -> None:
    asked, not_reached = _hold_with_one_question_asked(world)
    colleague = Contact.objects.create(
        owner=owner, first_name="Lena", organization=world.organization
    )
    following = conversation_create(owner=owner, contact=colleague)

    request = plan_request(conversation=following)
    assert request.carried == tuple(not_reached[:5])
    assert asked not in request.carried and asked in request.asked_at_organization

    plan = prep_plan_generate(conversation=following)
    carried = PrepItem.objects.filter(plan=plan, question_id__in=request.carried)
    assert carried.count() == len(request.carried)
    assert all("You planned it last time at Halvorsen Biologics" in item.reason for item in carried)


def test_nothing_is_carried_to_another_organization(owner: User, world: World, bank) -> None:
    _hold_with_one_question_asked(world)
    stranger = Contact.objects.create(owner=owner, first_name="Aki")
    assert (
        plan_request(conversation=conversation_create(owner=owner, contact=stranger)).carried == ()
    )
