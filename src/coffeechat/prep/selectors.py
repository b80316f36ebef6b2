"""Reads for prep: the planner's inputs for a conversation, and the prep sheet that the page,
the print view, the PDF, the Markdown and the CLI all show; and a trial plan for a title alone
("Try a plan", `coffeechat plan`), which saves nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import profile_for
from coffeechat.conversations.models import Conversation
from coffeechat.fit.selectors import open_questions_elsewhere, open_questions_for
from coffeechat.prep.models import PrepItem, PrepPlan, QuestionNote, ResearchItem, TargetResearch
from coffeechat.questions.families import taxonomy
from coffeechat.questions.models import Phase, Topic
from coffeechat.questions.plan_parts import explored
from coffeechat.questions.planner import (
    Plan,
    PlannedQuestion,
    PlanRequest,
    QuestionTimes,
    ScriptLine,
    bounds,
    close_script,
    opening_script,
    plan_build,
    script_minutes,
)
from coffeechat.questions.selectors import planner_bank
from coffeechat.targets.models import Target


def _held_elsewhere(conversation: Conversation) -> Q:
    """Other conversations of the user that took place: what was planned there was asked."""
    return Q(owner=conversation.owner_id, held_at__isnull=False) & ~Q(pk=conversation.pk)


@dataclass(frozen=True)
class Speaker:
    """What the opening says about the user, and what they explore with this contact."""

    user_name: str
    stage: str
    background: str
    field: str = ""
    why_field: str = ""


def speaker_for(user: User, targets: list[Target] | None = None) -> Speaker:
    profile = profile_for(user)
    targets = targets or []
    # Role targets say best what the user explores, then industries, then organizations.
    order: dict[str, int] = {
        Target.Kind.ROLE: 0,
        Target.Kind.INDUSTRY: 1,
        Target.Kind.ORGANIZATION: 2,
    }
    ranked = sorted(targets, key=lambda target: order.get(target.kind, 3))
    named = [t for t in ranked if t.kind != Target.Kind.ORGANIZATION]
    return Speaker(
        user_name=profile.display_name or user.get_full_name() or user.username,
        stage=profile.stage,
        background=profile.background,
        field=explored(named[0].name, role=named[0].kind == Target.Kind.ROLE) if named else "",
        why_field=next((t.why for t in ranked if t.why.strip()), ""),
    )


def plan_request(
    *, conversation: Conversation, minutes: int | None = None, targets: list[Target] | None = None
) -> PlanRequest:
    """The planner's inputs for this conversation (``targets``: its targets, when the caller
    has them already)."""
    contact = conversation.contact
    organization = contact.organization
    targets = list(conversation.targets.all()) if targets is None else targets
    earlier = Conversation.objects.filter(_held_elsewhere(conversation))
    with_contact = earlier.filter(contact_id=contact.pk)
    nearby = Q(contact_id=contact.pk)
    if organization:
        nearby |= Q(contact__organization_id=organization.pk)
    asked_contact, asked_here = _asked(earlier.filter(nearby), contact_id=contact.pk)
    # The saved plan's pins (a conversation has one plan at most), in the user's order.
    pinned = tuple(
        PrepItem.objects.filter(plan__conversation=conversation, pinned=True)
        .order_by("position")
        .values_list("question_id", flat=True)
    )
    speaker = speaker_for(conversation.owner, targets)
    return PlanRequest(
        minutes=minutes or conversation.planned_minutes,
        contact_title=contact.title,
        contact_name=contact.first_name,
        # The employer's name only words the reasons; it never says the contact's field.
        organization=organization.name if organization else "",
        industry=organization.industry if organization else "",
        industry_targets=tuple(t.name for t in targets if t.kind == Target.Kind.INDUSTRY),
        role_targets=tuple(t.name for t in targets if t.kind == Target.Kind.ROLE),
        stage=speaker.stage,
        background=speaker.background,
        user_name=speaker.user_name,
        why_field=speaker.why_field,
        met_before=with_contact.exists(),
        asked_with_contact=asked_contact,
        asked_at_organization=asked_here,
        # "Not yet asked here" means something only where earlier plans were asked.
        organization_seen=bool(asked_here),
        pinned=pinned,
        open_questions=open_questions_for(targets=targets),
        carried=_carried(conversation, earlier, asked_contact | asked_here),
        seed=conversation.pk,
    )


def _asked(conversations: Any, *, contact_id: int) -> tuple[frozenset[int], frozenset[int]]:
    """The questions asked in these conversations: in those with this contact, and in the
    others (at the contact's organization). Where interview mode marked the questions, only
    those marked asked were asked; elsewhere everything planned counts as asked, as before
    interview mode existed. Two reads for both sets, split here by whom each was with."""
    marked = (
        QuestionNote.objects.filter(conversation__in=conversations)
        .exclude(state="")
        .values_list("conversation_id", "conversation__contact_id", "question_id", "state")
    )
    planned = PrepItem.objects.filter(plan__conversation__in=conversations).values_list(
        "plan__conversation_id", "plan__conversation__contact_id", "question_id"
    )
    with_contact: set[int] = set()
    elsewhere: set[int] = set()
    marked_conversations = set()
    for conversation_id, person, question_id, state in marked:
        marked_conversations.add(conversation_id)
        if state == QuestionNote.State.ASKED:
            (with_contact if person == contact_id else elsewhere).add(question_id)
    for conversation_id, person, question_id in planned:
        if conversation_id not in marked_conversations:
            (with_contact if person == contact_id else elsewhere).add(question_id)
    return frozenset(with_contact), frozenset(elsewhere)


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
    targets = list(conversation.targets.all())
    request = plan_request(conversation=conversation, minutes=minutes, targets=targets)
    # Open questions of a fit assessment come only into conversations about their target,
    # unless the user pinned one here or it was planned and not reached at this organization.
    elsewhere = open_questions_elsewhere(owner=conversation.owner, targets=targets) - frozenset(
        request.pinned + request.carried
    )
    return plan_build(planner_bank(user=conversation.owner, leave_out=elsewhere), request)


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


def _line_json(line: ScriptLine) -> dict[str, Any]:
    return {
        "kind": line.kind,
        "label": line.label,
        "text": line.text,
        "minutes": line.minutes,
        "why": line.why,
        "question": line.question_id,
    }


@dataclass(kw_only=True)
class PlanSheet(QuestionTimes):
    """A plan as the pages, the files and the commands show it: the opening, the questions in
    TIARA order, the close, and the research to do first."""

    minutes: int
    questions: list[SheetQuestion]
    research: list[SheetResearch]
    opening: tuple[ScriptLine, ...] = ()
    close: tuple[ScriptLine, ...] = ()
    family: str = ""
    tailoring: str = ""
    # For a trial plan, which has no conversation: the title and organization it was for.
    title: str = ""
    organization: str = ""

    @property
    def conversation_id(self) -> int | None:
        return None

    @property
    def bounds(self) -> tuple[int, int]:
        return bounds(self.minutes)

    @property
    def family_label(self) -> str:
        family = taxonomy().families.get(self.family)
        return family.label if family else ""

    @property
    def close_question(self) -> SheetQuestion | None:
        """The question the close's referral ask is: shown in the close, not among the
        closing phase's questions."""
        wanted = self.close[0].question_id if self.close else None
        return next((q for q in self.questions if q.id == wanted), None) if wanted else None

    @property
    def opening_minutes(self) -> int:
        return script_minutes(self.opening)

    @property
    def close_minutes(self) -> int:
        return script_minutes(self.close) + (
            self.close_question.minutes if self.close_question else 0
        )

    @property
    def phases(self) -> list[tuple[str, str, list[SheetQuestion]]]:
        """(phase, label, questions) in plan order, phases without questions left out, the
        close's question left for the close."""
        closer = self.close_question
        groups: list[tuple[str, str, list[SheetQuestion]]] = []
        for question in self.questions:
            if closer is not None and question.id == closer.id:
                continue
            if not groups or groups[-1][0] != question.phase:
                groups.append((question.phase, question.phase_label, []))
            groups[-1][2].append(question)
        return groups

    def as_json(self) -> dict[str, Any]:
        """The shape `coffeechat prep --format json` and `coffeechat plan --format json`
        print: questions in plan order. Keys are only ever added, never renamed."""
        return {
            "conversation": self.conversation_id,
            "minutes": self.minutes,
            "total_minutes": self.total_minutes,
            "must_ask_minutes": self.must_ask_minutes,
            "must_ask_limit": self.must_ask_limit,
            "family": {
                "key": self.family or None,
                "label": self.family_label or None,
                "note": self.tailoring,
            },
            "opening": [_line_json(line) for line in self.opening],
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
            "close": [_line_json(line) for line in self.close],
            "research": [{"text": r.text, "kind": r.kind, "done": r.done} for r in self.research],
        }


@dataclass(kw_only=True)
class PrepSheet(PlanSheet):
    conversation: Conversation
    saved: bool
    edited: bool
    targets: list[SheetTarget] = field(default_factory=list)

    @property
    def conversation_id(self) -> int | None:
        return self.conversation.pk


def research_defaults(
    *, organization: str, industry: str, contact_name: str
) -> list[tuple[str, str]]:
    """What to learn first, worded for this conversation: (kind, text)."""
    org = organization or "their organization"
    industry = industry.strip()
    whose = f"{contact_name}'s" if contact_name else "Your contact's"
    return [
        (
            ResearchItem.Kind.PRODUCTS,
            f"{org[0].upper()}{org[1:]}: its products or services, and its news of the last "
            "six months",
        ),
        (ResearchItem.Kind.COMPETITORS, f"Who {org} competes with, and how it differs from them"),
        (
            ResearchItem.Kind.CONTACT_PATH,
            f"{whose} path: earlier roles, studies, anything they have written or presented",
        ),
        (
            ResearchItem.Kind.TRENDS,
            f"{industry}: two or three changes people in the field are talking about"
            if industry
            else "Two or three changes people in their field are talking about",
        ),
    ]


def default_research(conversation: Conversation) -> list[tuple[str, str]]:
    contact = conversation.contact
    organization = contact.organization
    return research_defaults(
        organization=organization.name if organization else "",
        industry=organization.industry if organization else "",
        contact_name=contact.full_name,
    )


def _targets(conversation: Conversation) -> list[SheetTarget]:
    targets = list(conversation.targets.all())
    notes = dict(
        TargetResearch.objects.filter(target__in=targets).values_list("target_id", "notes")
    )
    return [
        SheetTarget(target.pk, target.name, target.get_kind_display(), notes.get(target.pk, ""))
        for target in targets
    ]


def _last_referral(questions: list[SheetQuestion]) -> SheetQuestion | None:
    """The referral question that closes the plan, as the planner chose it: the last one of
    the closing phase."""
    for question in reversed(questions):
        if question.phase == Phase.CLOSING and question.topic == Topic.REFERRALS:
            return question
    return None


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
        questions = [
            SheetQuestion(
                id=item.question_id,
                text=item.asked_text,
                phase=item.question.phase,
                topic=item.question.topic,
                minutes=item.question.minutes,
                must_ask=item.must_ask,
                reason=item.reason,
                pinned=item.pinned,
                item_id=item.pk,
            )
            for item in items
        ]
        targets = list(conversation.targets.all())
        speaker = speaker_for(conversation.owner, targets)
        tailoring = plan.tailoring
        if not tailoring:
            # A plan saved before plans said how they were tailored: say it now.
            tailoring = taxonomy().note(plan_request_classification(conversation, targets))
        return PrepSheet(
            conversation=conversation,
            minutes=plan.minutes,
            saved=True,
            edited=plan.edited,
            questions=questions,
            research=saved_research,
            targets=_targets(conversation),
            opening=_opening(conversation, plan.minutes, speaker),
            close=close_script(
                contact_name=conversation.contact.first_name, referral=_last_referral(questions)
            ),
            family=plan.family,
            tailoring=tailoring,
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
        questions=_sheet_questions(fresh),
        research=research,
        targets=_targets(conversation),
        opening=fresh.opening,
        close=fresh.close,
        family=fresh.family or "",
        tailoring=fresh.tailoring,
    )


def _sheet_questions(plan: Plan) -> list[SheetQuestion]:
    return [
        SheetQuestion(q.id, q.text, q.phase, q.topic, q.minutes, q.must_ask, q.reason, q.pinned)
        for q in plan.questions
    ]


def plan_request_classification(conversation: Conversation, targets: list[Target]) -> Any:
    organization = conversation.contact.organization
    industry = " ".join(
        filter(
            None,
            [
                organization.industry if organization else "",
                *(t.name for t in targets if t.kind == Target.Kind.INDUSTRY),
            ],
        )
    )
    roles = [t.name for t in targets if t.kind == Target.Kind.ROLE]
    return taxonomy().classify(conversation.contact.title, industry, roles)


def saved_script(
    *, conversation: Conversation
) -> tuple[tuple[ScriptLine, ...], tuple[ScriptLine, ...]] | None:
    """The opening and the close of the conversation's saved plan (None without one): for
    interview mode, which lists the saved questions itself."""
    plan = PrepPlan.objects.filter(conversation=conversation).first()
    if plan is None:
        return None
    targets = list(conversation.targets.all())
    # The plan's few dozen items, tested here: a filter on the question's phase in SQL let
    # PostgreSQL start from every user's closing questions instead of from this plan.
    referral = next(
        (
            item
            for item in plan.items.select_related("question").order_by("-position", "-id")
            if item.question.phase == Phase.CLOSING and item.question.topic == Topic.REFERRALS
        ),
        None,
    )
    closer = None
    if referral is not None:
        question = referral.question
        closer = PlannedQuestion(
            referral.question_id,
            referral.asked_text,
            question.phase,
            question.topic,
            question.minutes,
            referral.must_ask,
            referral.reason,
            referral.pinned,
        )
    return (
        _opening(conversation, plan.minutes, speaker_for(conversation.owner, targets)),
        close_script(contact_name=conversation.contact.first_name, referral=closer),
    )


def _opening(conversation: Conversation, minutes: int, speaker: Speaker) -> tuple[ScriptLine, ...]:
    """The opening of a saved plan, from the profile as it is now (a background added after
    generating shows at once)."""
    result = plan_request_classification(conversation, list(conversation.targets.all()))
    family = taxonomy().families.get(result.family or "")
    return opening_script(
        minutes=minutes,
        contact_name=conversation.contact.first_name,
        user_name=speaker.user_name,
        stage=speaker.stage,
        background=speaker.background,
        field=speaker.field or (family.field if family else "this field"),
        why_field=speaker.why_field,
    )


# --- A trial plan: a title, nothing saved ------------------------------------------------------

STAGE_CHOICES = Profile.Stage.choices


def plan_try(
    *,
    user: User | None,
    title: str,
    organization: str = "",
    industry: str = "",
    stage: str = "",
    minutes: int = 30,
) -> PlanSheet:
    """A plan for a contact known only by a title (and, if given, an organization and an
    industry), from the user's bank and profile. Reads only: nothing is saved, and no open
    question of a fit assessment comes in (they belong to their target's conversations)."""
    speaker = speaker_for(user) if user is not None else Speaker("", "other", "")
    request = PlanRequest(
        minutes=minutes,
        contact_title=title,
        organization=organization,
        industry=industry,
        stage=stage or speaker.stage,
        background=speaker.background,
        user_name=speaker.user_name,
    )
    elsewhere = (
        open_questions_elsewhere(owner=user, targets=[]) if user is not None else frozenset()
    )
    plan = plan_build(planner_bank(user=user, leave_out=elsewhere), request)
    research = [
        SheetResearch(text, kind, False)
        for kind, text in research_defaults(
            organization=organization, industry=industry, contact_name=""
        )
    ] + [SheetResearch(r.text, ResearchItem.Kind.SEARCH, False) for r in plan.research]
    return PlanSheet(
        minutes=plan.minutes,
        questions=_sheet_questions(plan),
        research=research,
        opening=plan.opening,
        close=plan.close,
        family=plan.family or "",
        tailoring=plan.tailoring,
        title=title,
        organization=organization,
    )
