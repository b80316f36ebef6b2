"""Reads for prep: the planner's inputs for a conversation, and the prep sheet that the page,
the print view, the PDF, the Markdown and the CLI all show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from coffeechat.accounts.services import profile_for
from coffeechat.conversations.models import Conversation
from coffeechat.fit.selectors import open_questions_for
from coffeechat.interview.models import QuestionNote
from coffeechat.prep.models import PrepItem, PrepPlan, ResearchItem, TargetResearch
from coffeechat.questions.models import Phase, Topic
from coffeechat.questions.planner import (
    Plan,
    PlannedQuestion,
    PlanRequest,
    QuestionTimes,
    bounds,
    plan_build,
)
from coffeechat.questions.selectors import planner_bank
from coffeechat.targets.models import Target


def _held_elsewhere(conversation: Conversation) -> Q:
    """Other conversations of the user that took place: what was planned there was asked."""
    return Q(owner=conversation.owner_id, held_at__isnull=False) & ~Q(pk=conversation.pk)


def plan_request(*, conversation: Conversation, minutes: int | None = None) -> PlanRequest:
    contact = conversation.contact
    organization = contact.organization
    targets = list(conversation.targets.all())
    earlier = Conversation.objects.filter(_held_elsewhere(conversation))
    with_contact = earlier.filter(contact_id=contact.pk)
    at_organization = (
        earlier.filter(contact__organization_id=organization.pk).exclude(contact_id=contact.pk)
        if organization
        else earlier.none()
    )

    def asked(conversations: Any) -> frozenset[int]:
        # Where interview mode marked the questions, only those marked asked were asked;
        # elsewhere everything planned counts as asked, as before interview mode existed.
        marked = QuestionNote.objects.filter(conversation__in=conversations).exclude(state="")
        return frozenset(
            PrepItem.objects.filter(plan__conversation__in=conversations)
            .exclude(plan__conversation__in=marked.values("conversation"))
            .values_list("question_id", flat=True)
        ) | frozenset(
            marked.filter(state=QuestionNote.State.ASKED).values_list("question_id", flat=True)
        )

    asked_here = asked(at_organization)
    plan = PrepPlan.objects.filter(conversation=conversation).first()
    pinned: tuple[int, ...] = ()
    if plan is not None:
        pinned = tuple(
            plan.items.filter(pinned=True)
            .order_by("position")
            .values_list("question_id", flat=True)
        )
    return PlanRequest(
        minutes=minutes or conversation.planned_minutes,
        contact_title=contact.title,
        organization=organization.name if organization else "",
        industry=organization.industry if organization else "",
        targets=tuple(t.name for t in targets if t.kind != Target.Kind.ROLE),
        role_targets=tuple(t.name for t in targets if t.kind == Target.Kind.ROLE),
        stage=profile_for(conversation.owner).stage,
        met_before=with_contact.exists(),
        asked_with_contact=asked(with_contact),
        asked_at_organization=asked_here,
        # "Not yet asked here" means something only where earlier plans were asked.
        organization_seen=bool(asked_here),
        pinned=pinned,
        open_questions=open_questions_for(targets=targets),
        carried=_carried(conversation, earlier, asked(with_contact) | asked_here),
        seed=conversation.pk,
    )


CARRY_LIMIT = 5


def _carried(
    conversation: Conversation, earlier: Any, asked_since: frozenset[int]
) -> tuple[int, ...]:
    """Questions planned but not reached in the latest interview-mode conversation at this
    organization (or with this contact when it has none): the next plan brings them back."""
    organization_id = conversation.contact.organization_id
    scope = Q(contact_id=conversation.contact_id)
    if organization_id:
        scope |= Q(contact__organization_id=organization_id)
    latest = (
        earlier.filter(scope, question_notes__isnull=False)
        .exclude(question_notes__state="")
        .order_by("-held_at", "-pk")
        .first()
    )
    if latest is None:
        return ()
    reached = set(
        QuestionNote.objects.filter(
            conversation=latest, state=QuestionNote.State.ASKED
        ).values_list("question_id", flat=True)
    )
    # Must-ask ones first; a few at most, so that the new plan still has room for its own.
    planned = PrepItem.objects.filter(plan__conversation=latest).order_by(
        "-must_ask", "position", "id"
    )
    left = [
        qid
        for qid in planned.values_list("question_id", flat=True)
        if qid not in reached and qid not in asked_since
    ]
    return tuple(left[:CARRY_LIMIT])


def plan_fresh(*, conversation: Conversation, minutes: int | None = None) -> Plan:
    """What the planner proposes now for this conversation, without saving anything."""
    request = plan_request(conversation=conversation, minutes=minutes)
    return plan_build(planner_bank(user=conversation.owner), request)


# --- The prep sheet -----------------------------------------------------------------------------

PHASE_LABELS = dict(Phase.choices)
TOPIC_LABELS = dict(Topic.choices)


@dataclass(frozen=True)
class SheetQuestion(PlannedQuestion):
    """A planned question as the sheet shows it: with its saved item, once there is one."""

    item_id: int | None = None

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS.get(self.phase, self.phase)

    @property
    def topic_label(self) -> str:
        return TOPIC_LABELS.get(self.topic, self.topic)


@dataclass(frozen=True)
class SheetResearch:
    text: str
    kind: str
    done: bool
    item_id: int | None = None


@dataclass(frozen=True)
class SheetTarget:
    id: int
    name: str
    kind: str
    notes: str


@dataclass
class PrepSheet(QuestionTimes):
    conversation: Conversation
    minutes: int
    saved: bool
    edited: bool
    questions: list[SheetQuestion]
    research: list[SheetResearch]
    targets: list[SheetTarget] = field(default_factory=list)

    @property
    def bounds(self) -> tuple[int, int]:
        return bounds(self.minutes)

    @property
    def phases(self) -> list[tuple[str, str, list[SheetQuestion]]]:
        """(phase, label, questions) in plan order, phases without questions left out."""
        groups: list[tuple[str, str, list[SheetQuestion]]] = []
        for question in self.questions:
            if not groups or groups[-1][0] != question.phase:
                groups.append((question.phase, question.phase_label, []))
            groups[-1][2].append(question)
        return groups

    def as_json(self) -> dict[str, Any]:
        """The shape `coffeechat prep --format json` prints, questions in plan order."""
        return {
            "conversation": self.conversation.pk,
            "minutes": self.minutes,
            "total_minutes": self.total_minutes,
            "questions": [
                {
                    "id": q.id,
                    "text": q.text,
                    "phase": q.phase,
                    "topic": q.topic,
                    "minutes": q.minutes,
                    "must_ask": q.must_ask,
                    "reason": q.reason,
                }
                for q in self.questions
            ],
            "research": [{"text": r.text, "kind": r.kind, "done": r.done} for r in self.research],
        }


def default_research(conversation: Conversation) -> list[tuple[str, str]]:
    """What to learn first, worded for this conversation: (kind, text)."""
    contact = conversation.contact
    organization = contact.organization
    org = organization.name if organization else "their organization"
    industry = organization.industry.strip() if organization else ""
    return [
        (
            ResearchItem.Kind.PRODUCTS,
            f"{org}: its products or services, and its news of the last six months",
        ),
        (ResearchItem.Kind.COMPETITORS, f"Who {org} competes with, and how it differs from them"),
        (
            ResearchItem.Kind.CONTACT_PATH,
            f"{contact.full_name}'s path: earlier roles, studies, "
            "anything they have written or presented",
        ),
        (
            ResearchItem.Kind.TRENDS,
            f"{industry}: two or three changes people in the field are talking about"
            if industry
            else "Two or three changes people in their field are talking about",
        ),
    ]


def _targets(conversation: Conversation) -> list[SheetTarget]:
    targets = list(conversation.targets.all())
    notes = dict(
        TargetResearch.objects.filter(target__in=targets).values_list("target_id", "notes")
    )
    return [
        SheetTarget(target.pk, target.name, target.get_kind_display(), notes.get(target.pk, ""))
        for target in targets
    ]


def prep_sheet(*, conversation: Conversation, minutes: int | None = None) -> PrepSheet:
    """The saved plan with the user's edits; a fresh, unsaved one when there is none yet or
    when another length is asked for."""
    plan = PrepPlan.objects.filter(conversation=conversation).first()
    saved_research = [
        SheetResearch(item.text, item.kind, item.done, item.pk)
        for item in conversation.research_items.all()
    ]
    if plan is not None and minutes in (None, plan.minutes):
        items = plan.items.select_related("question")
        return PrepSheet(
            conversation=conversation,
            minutes=plan.minutes,
            saved=True,
            edited=plan.edited,
            questions=[
                SheetQuestion(
                    id=item.question_id,
                    text=item.question.text,
                    phase=item.question.phase,
                    topic=item.question.topic,
                    minutes=item.question.minutes,
                    must_ask=item.must_ask,
                    reason=item.reason,
                    pinned=item.pinned,
                    item_id=item.pk,
                )
                for item in items
            ],
            research=saved_research,
            targets=_targets(conversation),
        )
    fresh = plan_fresh(conversation=conversation, minutes=minutes)
    research = saved_research or [
        SheetResearch(text, kind, False) for kind, text in default_research(conversation)
    ]
    known = {r.text for r in research}
    research += [
        SheetResearch(r.text, ResearchItem.Kind.SEARCH, False)
        for r in fresh.research
        if r.text not in known
    ]
    return PrepSheet(
        conversation=conversation,
        minutes=fresh.minutes,
        saved=False,
        edited=False,
        questions=[
            SheetQuestion(q.id, q.text, q.phase, q.topic, q.minutes, q.must_ask, q.reason, q.pinned)
            for q in fresh.questions
        ],
        research=research,
        targets=_targets(conversation),
    )
