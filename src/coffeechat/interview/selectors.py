"""Reads for interview mode and the summary after it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import AFTER_STATUSES, Conversation, Learning
from coffeechat.fit.insights import Said
from coffeechat.fit.verdict import Day
from coffeechat.followups.models import FollowUp
from coffeechat.interview.models import InterviewSession, QuestionNote, Referral, Shadowing
from coffeechat.outreach.models import DraftKind, Outreach
from coffeechat.prep.models import PrepItem
from coffeechat.targets.models import Target


@dataclass(frozen=True)
class InterviewQuestion:
    item: PrepItem
    note: QuestionNote | None

    @property
    def state(self) -> str:
        return self.note.state if self.note else ""

    @property
    def text(self) -> str:
        return self.note.note if self.note else ""


def interview_questions(*, conversation: Conversation) -> list[InterviewQuestion]:
    """The saved plan in its order, each question with what was marked and noted. Questions
    noted but since removed from the plan come last, so that nothing heard disappears."""
    items = list(
        PrepItem.objects.filter(plan__conversation=conversation).select_related("question")
    )
    notes = {n.question_id: n for n in conversation.question_notes.select_related("question")}
    rows = [InterviewQuestion(item, notes.pop(item.question_id, None)) for item in items]
    for note in notes.values():
        ghost = PrepItem(question=note.question, position=0, reason="no longer in the plan")
        rows.append(InterviewQuestion(ghost, note))
    return rows


def session_for(conversation: Conversation) -> InterviewSession | None:
    return InterviewSession.objects.filter(conversation=conversation).select_related("note").first()


def elapsed_seconds(session: InterviewSession | None, now: dt.datetime | None = None) -> int:
    if session is None or session.started_at is None:
        return 0
    end = session.ended_at or now or timezone.now()
    return max(0, int((end - session.started_at).total_seconds()))


@dataclass
class Summary:
    conversation: Conversation
    asked: list[InterviewQuestion]
    not_reached: list[InterviewQuestion]
    learnings_by_kind: list[tuple[str, list[Learning]]]
    referrals: list[Referral]
    action_items: list[FollowUp]
    shadowing: Shadowing | None
    session: InterviewSession | None
    skipped: list[InterviewQuestion] = field(default_factory=list)


def action_items(*, conversation: Conversation) -> list[FollowUp]:
    """What the user agreed to do in this conversation: the follow-ups added by hand, not the
    3B7 ones its request created (closed once it was scheduled) nor the reach-outs that
    referrals create (they show under the referral)."""
    return list(
        conversation.followups.filter(kind=FollowUp.Kind.MANUAL)
        .exclude(contact__in=conversation.referrals.values("contact"))
        .order_by("due_on", "id")
    )


def conversation_summary(*, conversation: Conversation) -> Summary:
    questions = interview_questions(conversation=conversation)
    learnings = list(conversation.learnings.all())
    by_kind = [
        (label, [item for item in learnings if item.kind == kind])
        for kind, label in Learning.Kind.choices
    ]
    referral_contacts = conversation.referrals.select_related("contact__organization")
    return Summary(
        conversation=conversation,
        asked=[q for q in questions if q.state == QuestionNote.State.ASKED],
        skipped=[q for q in questions if q.state == QuestionNote.State.SKIPPED],
        not_reached=[q for q in questions if q.state != QuestionNote.State.ASKED],
        learnings_by_kind=[(label, items) for label, items in by_kind if items],
        referrals=list(referral_contacts),
        action_items=action_items(conversation=conversation),
        shadowing=Shadowing.objects.filter(contact_id=conversation.contact_id).first(),
        session=session_for(conversation),
    )


# How far ahead a shadowing day shows on the dashboard.
SHADOWING_SOON_DAYS = 14


def shadowing_soon(*, user: User, today: dt.date) -> list[Shadowing]:
    return list(
        Shadowing.objects.filter(
            owner=user,
            on_date__gte=today,
            on_date__lte=today + dt.timedelta(days=SHADOWING_SOON_DAYS),
        )
        .exclude(stage=Shadowing.Stage.DONE)
        .select_related("contact__organization")
        .order_by("on_date", "id")
    )


def shadowing_for_target(*, target: Target) -> tuple[Day, ...]:
    """Shadowing of the target's people (those of its conversations, and anyone at its
    organization), as the fit verdict weighs it: done days first, then the soonest."""
    people = Conversation.objects.filter(owner_id=target.owner_id, targets=target).values(
        "contact_id"
    )
    where = Q(contact_id__in=people)
    if target.organization_id:
        where |= Q(contact__organization_id=target.organization_id)
    rows = (
        Shadowing.objects.filter(owner_id=target.owner_id)
        .filter(where)
        .select_related("contact")
        .order_by("on_date", "id")
    )
    days = [
        Day(
            name=row.contact.full_name,
            done=row.stage == Shadowing.Stage.DONE,
            on=row.on_date,
            offered=row.stage != Shadowing.Stage.ASKED,
            contact_id=row.contact_id,
            stage=row.get_stage_display(),
        )
        for row in rows
    ]
    return tuple(sorted(days, key=lambda day: not day.done))


def question_notes_said(conversations: list[Conversation]) -> list[Said]:
    """What interview mode noted under each question of these conversations, for fit's
    themes, each with the summary page where it is read."""
    names = {c.pk: c.contact.full_name for c in conversations}
    rows = QuestionNote.objects.filter(conversation_id__in=list(names)).exclude(note="")
    return [
        Said(
            row.conversation_id,
            names[row.conversation_id],
            row.note,
            reverse("interview:summary", kwargs={"conversation_id": row.conversation_id}),
        )
        for row in rows.order_by("id")
    ]


@dataclass(frozen=True)
class ShadowingAsk:
    """What asking to shadow a contact rests on: the conversation the request is drafted from
    (the one it was offered or asked in, else the latest held one; none before a conversation
    was held) and the requests already logged as sent."""

    conversation: Conversation | None
    sent: list[Outreach]


def shadowing_ask(*, contact: Contact, shadowing: Shadowing | None) -> ShadowingAsk:
    conversation = shadowing.conversation if shadowing and shadowing.conversation_id else None
    if conversation is None:
        conversation = (
            Conversation.objects.filter(contact=contact, status__in=AFTER_STATUSES)
            .order_by("-held_at", "-id")
            .first()
        )
    sent = list(
        Outreach.objects.filter(contact=contact, kind=DraftKind.SHADOWING).order_by("sent_on")
    )
    return ShadowingAsk(conversation=conversation, sent=sent)
