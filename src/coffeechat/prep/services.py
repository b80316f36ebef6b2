from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from coffeechat.conversations.models import Conversation
from coffeechat.core.queries import lock_rows
from coffeechat.prep.models import PrepItem, PrepPlan, ResearchItem, TargetResearch
from coffeechat.prep.selectors import default_research, plan_fresh
from coffeechat.questions.models import PHASE_ORDER, Question, Topic
from coffeechat.questions.services import question_create
from coffeechat.targets.models import Target

# The reasons the page gives to the user's own changes, in the planner's words.
PINNED = "You pinned it."
OWN = "You wrote this question."


class PlanHasEdits(ValidationError):
    """Regenerating would discard the user's edits; the caller must confirm first."""


@transaction.atomic
def prep_plan_generate(
    *, conversation: Conversation, minutes: int | None = None, discard_edits: bool = False
) -> PrepPlan:
    """Builds the plan and saves it on the conversation, replacing the previous one.

    Pinned questions carry over (they are the planner's input). A plan the user has edited
    is only replaced with ``discard_edits=True``: the page asks first.
    """
    minutes = minutes or conversation.planned_minutes
    if not 20 <= minutes <= 60:
        raise ValidationError("A conversation lasts 20 to 60 minutes.")
    plan = PrepPlan.objects.select_for_update().filter(conversation=conversation).first()
    if plan is not None and plan.edited and not discard_edits:
        raise PlanHasEdits("This plan has your edits; regenerating replaces them.")
    fresh = plan_fresh(conversation=conversation, minutes=minutes)
    if plan is None:
        plan = PrepPlan(owner=conversation.owner, conversation=conversation)
    plan.minutes = minutes
    plan.edited = False
    plan.generated_at = timezone.now()
    plan.family = fresh.family or ""
    plan.tailoring = fresh.tailoring[:400]
    plan.save()
    plan.items.all().delete()
    shipped = dict(
        Question.objects.filter(pk__in=[q.id for q in fresh.questions]).values_list("id", "text")
    )
    worded = {q.id for q in fresh.questions if q.text != shipped.get(q.id, q.text)}
    PrepItem.objects.bulk_create(
        [
            PrepItem(
                owner=conversation.owner,
                plan=plan,
                question_id=question.id,
                # Only where the planner worded it for this user (it names their background).
                text=question.text if question.id in worded else "",
                position=(index + 1) * 10,
                must_ask=question.must_ask,
                pinned=question.pinned,
                reason=question.reason,
            )
            for index, question in enumerate(fresh.questions)
        ]
    )
    research_ensure(conversation=conversation)
    # Questions a search would answer become research to do, once each.
    listed = set(
        conversation.research_items.filter(question__isnull=False).values_list(
            "question_id", flat=True
        )
    )
    start = conversation.research_items.count()
    ResearchItem.objects.bulk_create(
        [
            ResearchItem(
                owner=conversation.owner,
                conversation=conversation,
                kind=ResearchItem.Kind.SEARCH,
                text=item.text,
                question_id=item.id,
                position=start + index,
            )
            for index, item in enumerate(r for r in fresh.research if r.id not in listed)
        ]
    )
    return plan


def _edited(plan: PrepPlan) -> None:
    PrepPlan.objects.filter(pk=plan.pk).update(edited=True, updated_at=timezone.now())
    plan.edited = True


@transaction.atomic
def prep_item_move(*, item: PrepItem, offset: int) -> None:
    """Moves a question up (-1) or down (+1) inside its phase; the sheet keeps TIARA order."""
    siblings = list(
        item.plan.items.select_related("question").filter(question__phase=item.question.phase)
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index + offset
    if not 0 <= other < len(siblings):
        return
    neighbour = siblings[other]
    item.position, neighbour.position = neighbour.position, item.position
    if item.position == neighbour.position:  # equal positions: make room
        item.position += offset
    PrepItem.objects.bulk_update([item, neighbour], ["position"])
    _edited(item.plan)


@transaction.atomic
def prep_item_pin(*, item: PrepItem, pinned: bool) -> None:
    """A pinned question stays through regeneration and is a must-ask."""
    item.pinned = pinned
    if pinned:
        item.must_ask = True
        if PINNED not in item.reason:
            item.reason = " ".join(filter(None, [PINNED, item.reason]))[:300]
    item.save(update_fields=["pinned", "must_ask", "reason", "updated_at"])
    _edited(item.plan)


@transaction.atomic
def prep_item_remove(*, item: PrepItem) -> None:
    plan = item.plan
    item.delete()
    _edited(plan)


@transaction.atomic
def prep_item_add_own(
    *, plan: PrepPlan, text: str, phase: str, minutes: int, topic: str = Topic.ORGANIZATION
) -> PrepItem:
    """Writes the user's own question into their bank and onto this plan, at the end of its
    phase."""
    question = question_create(
        owner=plan.owner, text=text, phase=phase, topic=topic, minutes=minutes
    )
    return prep_item_add(plan=plan, question=question, reason=OWN)


@transaction.atomic
def prep_item_add(*, plan: PrepPlan, question: Question, reason: str) -> PrepItem:
    existing = plan.items.filter(question=question).first()
    if existing:
        return existing
    rank = PHASE_ORDER.index(question.phase)
    later = [p for p in PHASE_ORDER[rank + 1 :]]
    following = plan.items.filter(question__phase__in=later).order_by("position").first()
    if following is None:
        position = (plan.items.aggregate(top=Max("position"))["top"] or 0) + 10
    else:
        position = following.position
        # Make room: everything from the next phase on moves down one step.
        plan.items.filter(position__gte=position).update(position=F("position") + 10)
    item = PrepItem.objects.create(
        owner=plan.owner,
        plan=plan,
        question=question,
        position=position,
        must_ask=False,
        reason=reason,
    )
    _edited(plan)
    return item


@transaction.atomic
def research_ensure(*, conversation: Conversation) -> None:
    """The research checklist of a conversation: what to learn first, created once. The
    conversation is locked first: the first two boxes ticked in quick succession reach the
    server at once, and on PostgreSQL each wrote the whole checklist (8 items for 4). The
    second now waits for the first and finds its checklist."""
    lock_rows(Conversation.objects.filter(pk=conversation.pk))
    if conversation.research_items.exists():
        return
    ResearchItem.objects.bulk_create(
        [
            ResearchItem(
                owner=conversation.owner,
                conversation=conversation,
                kind=kind,
                text=text,
                position=index,
            )
            for index, (kind, text) in enumerate(default_research(conversation))
        ]
    )


@transaction.atomic
def research_item_add(*, conversation: Conversation, text: str) -> ResearchItem:
    research_ensure(conversation=conversation)  # the user's own item comes after the defaults
    item = ResearchItem(
        owner=conversation.owner,
        conversation=conversation,
        kind=ResearchItem.Kind.OTHER,
        text=text,
        position=conversation.research_items.count(),
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def research_default_toggle(*, conversation: Conversation, position: int) -> ResearchItem | None:
    """Ticks one of the default checklist items the page shows before anything is saved: the
    checklist is written then, on the first tick, never on merely opening the page."""
    research_ensure(conversation=conversation)
    item = conversation.research_items.filter(position=position).first()
    return research_item_toggle(item=item) if item else None


@transaction.atomic
def research_item_toggle(*, item: ResearchItem) -> ResearchItem:
    item.done = not item.done
    item.save(update_fields=["done", "updated_at"])
    return item


@transaction.atomic
def target_research_save(*, owner: User, target: Target, notes: str) -> TargetResearch:
    research, _ = TargetResearch.objects.update_or_create(
        owner=owner, target=target, defaults={"notes": notes}
    )
    return research
