"""The rest of the loop on top of the demo's world: the messages Maya sent and their 3B7
follow-ups, prep plans and research, interview mode, referrals, shadowing, fit assessments,
keep-in-touch cadences, who knows whom, and her own templates, stars and contacts' earlier
jobs, as demo/data/*.toml describes them.

Written through the apps' own services wherever one exists (``outreach_log``,
``prep_plan_generate``, ``shadowing_save``, ``fit_dimension_save``, ``knows_create``, ...), in
the order things happened, so that the rows are what the app itself would have written: 3B7
dates in business days, plans drawn by the planner from what was asked before, evidence
limited to what the fit page offers. The few rows written directly say why where they are.
Services stamp rows with the real now; ``Stamps`` moves each row to its moment in the story,
one update per table at the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.db.models import OuterRef, Subquery

from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact, JobHistory
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.conversations.services import conversation_transition
from coffeechat.demo.clock import Clock, roll_to_weekday
from coffeechat.demo.dataset import (
    FIT,
    HIDDEN,
    INTERVIEWS,
    JOBS,
    KEEP_IN_TOUCH,
    KEEP_IN_TOUCH_NOTES,
    KNOWS,
    OFFERED,
    PREP,
    REFERRALS,
    REQUESTS,
    SHADOWING,
    STARRED,
    TARGET_RESEARCH,
    TEMPLATES,
    THANKS,
    VERDICTS,
    Line,
)
from coffeechat.demo.world import REPLAYED, World
from coffeechat.fit import selectors as fit_selectors
from coffeechat.fit import services as fit
from coffeechat.fit.models import FitLine, LineKind
from coffeechat.fit.verdict import propose
from coffeechat.followups.models import FollowUp
from coffeechat.followups.services import followups_close_3b7
from coffeechat.interview import services as interview
from coffeechat.interview.models import InterviewSession, QuestionNote, Referral, Shadowing
from coffeechat.interview.selectors import shadowing_for_target
from coffeechat.interview.services import REFERRAL_REACH_OUT_DAYS
from coffeechat.network.services import knows_create
from coffeechat.notes.models import Note
from coffeechat.outreach import drafts
from coffeechat.outreach.models import Channel, DraftKind, MessageTemplate, Outreach
from coffeechat.outreach.services import keep_in_touch_set, outreach_log, outreach_reply
from coffeechat.prep import services as prep
from coffeechat.prep.models import PrepItem, PrepPlan, ResearchItem
from coffeechat.questions.models import Question
from coffeechat.questions.services import question_mark

# ---------------------------------------------------------------------------------------------
# The build.
# ---------------------------------------------------------------------------------------------


class Stamps:
    """When each row written through a service happened in the story. Services stamp rows with
    the real now; this moves them, one update per table and set of fields, at the end."""

    def __init__(self) -> None:
        self._rows: dict[
            tuple[type[models.Model], tuple[str, ...]], dict[int, dict[str, datetime | None]]
        ] = defaultdict(dict)

    def add(
        self,
        obj: models.Model,
        created: datetime,
        updated: datetime | None = None,
        **moments: datetime | None,
    ) -> None:
        values = {"created_at": created, "updated_at": updated or created, **moments}
        self._rows[(type(obj), tuple(sorted(values)))][obj.pk] = values

    def ids(self, model: type[models.Model]) -> set[int]:
        return {pk for (kind, _), rows in self._rows.items() if kind is model for pk in rows}

    def flush(self) -> None:
        for (model, names), rows in self._rows.items():
            objects = []
            for pk, values in rows.items():
                obj = model(pk=pk)
                for name, value in values.items():
                    setattr(obj, name, value)
                objects.append(obj)
            model._default_manager.bulk_update(objects, list(names))


@dataclass(frozen=True)
class LoopSummary:
    prep_plans: int
    fit_assessments: int
    messages: int


@dataclass
class _Loop:
    user: User
    world: World
    clock: Clock
    stamps: Stamps = field(default_factory=Stamps)
    generated: dict[int, datetime] = field(default_factory=dict)  # plan id -> when
    messages: int = 0

    def __post_init__(self) -> None:
        self.profile = profile_for(self.user)

    def conversation(self, handle: str) -> Conversation:
        return self.world.conversations[handle]

    def stamp(self, handle: str, status: str) -> datetime:
        return self.world.plans[handle].stamps[status]

    def local(self, moment: datetime) -> date:
        return moment.astimezone(self.clock.tz).date()

    def past(self, moment: datetime) -> datetime:
        """Never after now: on the real today, what is planned for later has not happened."""
        return min(moment, self.clock.now - timedelta(minutes=1))


def loop_build(*, user: User, world: World, clock: Clock) -> LoopSummary:
    """Writes the rest of the loop on top of ``world``, in the order it happened."""
    loop = _Loop(user, world, clock)
    _marks(loop)
    templates = _templates(loop)
    _jobs(loop)
    _knows(loop)
    _messages(loop, templates)
    _held(loop)
    _referrals(loop)
    _shadowing(loop)
    assessed = _fit(loop)
    _verdicts(loop)
    _upcoming(loop, after=assessed)
    _keep_in_touch(loop)
    loop.stamps.flush()
    _prep_rows(loop)
    return LoopSummary(
        prep_plans=len(loop.generated), fit_assessments=len(FIT), messages=loop.messages
    )


def _marks(loop: _Loop) -> None:
    when = loop.clock.evening(-85)
    for question in Question.objects.filter(owner=None, key__in=STARRED + HIDDEN):
        mark = question_mark(
            user=loop.user,
            question=question,
            starred=question.key in STARRED,
            hidden=question.key in HIDDEN,
        )
        loop.stamps.add(mark, when)


def _templates(loop: _Loop) -> dict[str, MessageTemplate]:
    rows = {
        key: MessageTemplate(
            owner=loop.user, kind=item.kind, name=item.name, subject=item.subject, body=item.body
        )
        for key, item in TEMPLATES.items()
    }
    MessageTemplate.objects.bulk_create(rows.values())
    for key, row in rows.items():
        loop.stamps.add(row, loop.clock.evening(TEMPLATES[key].days))
    return rows


def _jobs(loop: _Loop) -> None:
    rows = [
        JobHistory(
            owner=loop.user,
            contact=loop.world.contacts[handle],
            organization=loop.world.organizations[organization] if organization else None,
            title=title,
            started_on=loop.clock.today + timedelta(days=started),
            ended_on=loop.clock.today + timedelta(days=ended),
            source=JobHistory.Source.MANUAL,
        )
        for handle, organization, title, started, ended in JOBS
    ]
    for row in JobHistory.objects.bulk_create(rows):
        loop.stamps.add(row, loop.clock.evening(-40))


def _knows(loop: _Loop) -> None:
    for handle, other, how, days in KNOWS:
        if other.startswith("@"):
            # Someone Maya has no way into yet at that organization: the link makes a path.
            person = (
                Contact.objects.filter(
                    owner=loop.user,
                    organization=loop.world.organizations[other[1:]],
                    how_connected=Contact.Connection.COLD,
                )
                .order_by("last_name", "first_name")
                .first()
            )
            assert person is not None, other
        else:
            person = loop.world.contacts[other]
        link = knows_create(
            owner=loop.user, contact=loop.world.contacts[handle], other=person, how=how
        )
        loop.stamps.add(link, loop.clock.evening(days))


# --- Messages -----------------------------------------------------------------------------------


def _request_text(
    loop: _Loop, handle: str, templates: dict[str, MessageTemplate]
) -> tuple[str, str, str, str]:
    message = REQUESTS[handle]
    if not message.template:
        return message.kind, message.channel, message.subject, message.body
    template = templates[message.template]
    values = drafts.draft_values(conversation=loop.conversation(handle), profile=loop.profile)
    subject, body = drafts.fill(template.subject, values), drafts.fill(template.body, values)
    return template.kind, message.channel, subject, body


def _messages(loop: _Loop, templates: dict[str, MessageTemplate]) -> None:
    """Every message in the order it went out, and what each answer did to the 3B7 routine."""
    events = sorted(
        (at, order, handle, status)
        for order, (handle, plan) in enumerate(loop.world.plans.items())
        for status, at in plan.stamps.items()
    )
    requests: dict[str, Outreach] = {}
    sent: dict[int, datetime] = {}
    replied: dict[int, datetime] = {}

    def log(
        handle: str, kind: str, channel: str, at: datetime, subject: str, body: str
    ) -> Outreach:
        outreach = outreach_log(
            conversation=loop.conversation(handle),
            kind=kind,
            channel=channel,
            sent_on=loop.local(at),
            subject=subject,
            body=body,
        )
        sent[outreach.pk] = at
        loop.messages += 1
        return outreach

    for at, _, handle, status in events:
        conversation = loop.conversation(handle)
        if status == Status.REQUESTED:
            kind, channel, subject, body = _request_text(loop, handle, templates)
            requests[handle] = log(handle, kind, channel, at, subject, body)
        elif status in (Status.SCHEDULED, Status.DECLINED) and handle in requests:
            if status == Status.SCHEDULED:
                # What conversation_transition does on scheduling: the world wrote the status.
                followups_close_3b7(conversation_id=conversation.pk, at=at)
            outreach_reply(outreach=requests[handle], replied_on=loop.local(at))
            replied[requests[handle].pk] = at
        elif status in REPLAYED:
            request = requests[handle]
            nudge = request.followups.get(kind=FollowUp.Kind.NUDGE)
            values = drafts.draft_values(conversation=conversation, profile=loop.profile)
            nudge_at = datetime.combine(nudge.due_on, datetime.min.time(), loop.clock.tz)
            log(
                handle,
                DraftKind.NUDGE,
                request.channel,
                nudge_at + timedelta(hours=8, minutes=20),
                f"Re: {request.subject}",
                drafts.fill(drafts.BUILTIN[DraftKind.NUDGE].body, values),
            )
            # Maya set Graystone aside rather than write to a second contact there: closing
            # the conversation ends its 3B7 routine, as a reply would. (Ticking the follow-up
            # done would count as talking to the person it suggests, which she never did.)
            conversation_transition(conversation=conversation, to=status, at=at)
            followups_close_3b7(conversation_id=conversation.pk, at=at)
            loop.stamps.add(conversation, loop.world.plans[handle].first, at)
        elif status == Status.THANKED and handle in THANKS:
            log(handle, DraftKind.THANKS, Channel.EMAIL, at, *THANKS[handle])
        elif status == Status.FOLLOWING_UP and handle in KEEP_IN_TOUCH_NOTES:
            log(handle, DraftKind.KEEP_IN_TOUCH, Channel.EMAIL, at, *KEEP_IN_TOUCH_NOTES[handle])
    for pk, at in sent.items():
        loop.stamps.add(Outreach(pk=pk), at, replied.get(pk, at))
    for followup in FollowUp.objects.filter(owner=loop.user, source__isnull=False):
        created = sent[followup.source_id]  # type: ignore[index]
        loop.stamps.add(followup, created, followup.done_at or created)


# --- Conversations held: their plans, interview mode, referrals, shadowing -----------------------


def _plan(loop: _Loop, handle: str, generated: datetime) -> PrepPlan:
    """The plan as the prep page's Generate button makes it."""
    plan = prep.prep_plan_generate(conversation=loop.conversation(handle))
    loop.generated[plan.pk] = generated
    loop.stamps.add(plan, generated, generated, generated_at=generated)
    return plan


def _held(loop: _Loop) -> None:
    """Oldest first, so that each plan knows what earlier conversations asked and left."""
    held = sorted(
        (handle for handle in INTERVIEWS if Status.HELD in loop.world.plans[handle].stamps),
        key=lambda handle: loop.stamp(handle, Status.HELD),
    )
    for handle in held:
        generated = loop.stamp(handle, Status.SCHEDULED) + timedelta(minutes=30)
        _interview(loop, handle, _plan(loop, handle, generated))


def _interview(loop: _Loop, handle: str, plan: PrepPlan) -> None:
    """Questions in plan order until the minutes ran out, the closing one always; a note under
    the first question asked of each topic that has one.

    The marks go in with one insert: ``question_mark`` and ``question_note_save`` write these
    same two fields one tap at a time (a note marks its question asked), and calling them
    for every question cost about 500 queries."""
    spec = INTERVIEWS[handle]
    conversation = loop.conversation(handle)
    assert conversation.starts_at is not None
    begun = conversation.starts_at + timedelta(minutes=1)
    session = interview.interview_start(conversation=conversation, at=begun)
    notes, skipped = dict(spec.notes), dict(spec.skipped)
    items = list(plan.items.select_related("question"))
    marks = []
    used = 0
    for index, item in enumerate(items):
        question = item.question
        if question.topic in skipped:
            state, note = QuestionNote.State.SKIPPED, skipped.pop(question.topic)
        elif used + question.minutes <= spec.minutes or index == len(items) - 1:
            used += question.minutes
            state, note = QuestionNote.State.ASKED, notes.pop(question.topic, "")
        else:
            used = spec.minutes  # the clock ran out: straight to the closing question
            continue
        marks.append(
            QuestionNote(
                owner=loop.user,
                conversation=conversation,
                question=question,
                state=state,
                note=note,
            )
        )
    QuestionNote.objects.bulk_create(marks)
    interview.interview_end(conversation=conversation, at=loop.stamp(handle, Status.HELD))
    loop.stamps.add(session, begun, loop.stamp(handle, Status.HELD))


def _referrals(loop: _Loop) -> None:
    """Recorded in the conversation, each with the follow-up interview mode writes
    (``referral_add``, whose new contact is already in the world here)."""
    referrals, followups, moments = [], [], []
    for referrer, handle in REFERRALS:
        conversation = loop.conversation(referrer)
        contact = loop.world.contacts[handle]
        held = loop.stamp(referrer, Status.HELD)
        reached = loop.world.plans[handle].stamps.get(Status.REQUESTED)
        referrals.append(Referral(owner=loop.user, conversation=conversation, contact=contact))
        followups.append(
            FollowUp(
                owner=loop.user,
                contact=contact,
                conversation=conversation,
                due_on=loop.local(held) + timedelta(days=REFERRAL_REACH_OUT_DAYS),
                what=f"Reach out to {contact.full_name} "
                f"(suggested by {conversation.contact.full_name})",
                done_at=reached,
            )
        )
        moments.append((held - timedelta(minutes=2), reached))
    Referral.objects.bulk_create(referrals)
    FollowUp.objects.bulk_create(followups)
    for referral, followup, (at, reached) in zip(referrals, followups, moments, strict=True):
        loop.stamps.add(referral, at)
        loop.stamps.add(followup, at, reached)


def _shadowing(loop: _Loop) -> None:
    for handle, spec in SHADOWING.items():
        conversation = loop.conversation(handle)
        since = loop.past(loop.stamp(handle, spec.since) + timedelta(minutes=15))
        if spec.stage == OFFERED:
            row = interview.shadowing_offered(conversation=conversation)
        else:
            day = None
            if spec.day is not None:
                day = roll_to_weekday(
                    loop.clock.today + timedelta(days=spec.day), forward=spec.day > 0
                )
            row = interview.shadowing_save(
                shadowing=Shadowing(
                    owner=loop.user,
                    contact=conversation.contact,
                    conversation=conversation,
                    stage=spec.stage,
                    on_date=day,
                    notes=spec.notes,
                    surprised=spec.surprised,
                    energised=spec.energised,
                    drained=spec.drained,
                    see_yourself=spec.see_yourself,
                    question_raised=spec.question_raised,
                )
            )
        updated = loop.clock.evening(spec.updated) if spec.updated is not None else since
        loop.stamps.add(row, since, max(since, updated))


# --- Fit ----------------------------------------------------------------------------------------


class _Evidence:
    """The learnings and notes a fit line can cite, by the handles the data uses."""

    def __init__(self, world: World) -> None:
        handle_of = {c.pk: handle for handle, c in world.conversations.items()}
        handle_of_contact = {c.pk: handle for handle, c in world.contacts.items()}
        self.learnings: dict[str, Learning] = {
            f"{handle_of[item.conversation_id]}/{Learning.Kind(item.kind).name.lower()}": item
            for item in world.learnings
        }
        self.notes: list[tuple[str, Note]] = [
            (
                handle_of[note.conversation_id]
                if note.conversation_id
                else handle_of_contact[note.contact_id],  # type: ignore[index]
                note,
            )
            for note in world.notes
        ]
        self.learning_rows: list[Any] = []  # rows of the generated through tables
        self.note_rows: list[Any] = []

    def note(self, reference: str) -> Note:
        handle, start = reference.split(": ", 1)
        found = [n for h, n in self.notes if h == handle and n.text.startswith(start)]
        assert len(found) == 1, reference
        return found[0]

    def cite(self, row: FitLine, line: Line, allowed: tuple[set[int], set[int]]) -> None:
        """What ``fit_line_cite`` does, checked once per target rather than once per line
        (its evidence query was a third of the build); and loudly: the service leaves out
        evidence it does not allow, here that is a mistake in the data."""
        learnings = [self.learnings[key].pk for key in line.learnings]
        notes = [self.note(reference).pk for reference in line.notes]
        assert set(learnings) <= allowed[0] and set(notes) <= allowed[1], line.text
        self.learning_rows += [
            FitLine.learnings.through(fitline_id=row.pk, learning_id=pk) for pk in learnings
        ]
        self.note_rows += [FitLine.notes.through(fitline_id=row.pk, note_id=pk) for pk in notes]

    def save(self) -> None:
        FitLine.learnings.through.objects.bulk_create(self.learning_rows)
        FitLine.notes.through.objects.bulk_create(self.note_rows)


def _fit(loop: _Loop) -> datetime:
    """The three industries assessed; returns when the last of them was worked on."""
    evidence = _Evidence(loop.world)
    latest = loop.clock.at(-100, 0)
    for name, assessment in FIT.items():
        target = loop.world.targets[name]
        learnings, notes = fit_selectors.evidence_candidates(target=target)
        allowed = ({item.pk for item in learnings}, {note.pk for note in notes})
        when = loop.past(loop.clock.evening(assessment.days))
        latest = max(latest, when)
        rows: list[FitLine] = []
        for kind, line in assessment.dimensions.items():
            row = fit.fit_dimension_save(
                owner=loop.user, target=target, kind=kind, rating=line.rating, text=line.text
            )
            evidence.cite(row, line, allowed)
            rows.append(row)
        for kind, lines in (
            (LineKind.STRENGTH, assessment.strengths),
            (LineKind.WEAKNESS, assessment.weaknesses),
        ):
            for line in lines:
                row = fit.fit_line_add(owner=loop.user, target=target, kind=kind, text=line.text)
                evidence.cite(row, line, allowed)
                rows.append(row)
        for index, row in enumerate(rows):
            loop.stamps.add(row, when - timedelta(minutes=2 * (len(rows) - index)))
        for text, resolved in assessment.open_questions:
            question = fit.open_question_add(owner=loop.user, target=target, text=text)
            if resolved:
                question = fit.open_question_toggle(open_question=question)
            loop.stamps.add(question, when)
            loop.stamps.add(question.question, when)
    evidence.save()
    return latest


def _verdicts(loop: _Loop) -> None:
    """Maya's decisions, each answering the proposal the fit page shows (unless the data says
    what an earlier page proposed), through the service the page's form calls."""
    for decision in VERDICTS:
        target = loop.world.targets[decision.target]
        assessment = fit_selectors.assessment_for(target=target)
        facts = fit_selectors.verdict_facts(
            assessment=assessment,
            shadowing=shadowing_for_target(target=target),
            today=loop.clock.today,
        )
        row = fit.verdict_record(
            owner=loop.user,
            target=target,
            verdict=decision.verdict,
            proposed=decision.proposed or propose(facts).verdict,
            note=decision.note,
            on=loop.clock.today + timedelta(days=decision.days),
        )
        loop.stamps.add(row, loop.past(loop.clock.evening(decision.days)))


# --- Coming up: plans, research, notes per target -----------------------------------------------


def _upcoming(loop: _Loop, *, after: datetime) -> None:
    """Plans made after the fit pages were last updated, so that their open questions come in."""
    for handle, spec in PREP.items():
        conversation = loop.conversation(handle)
        scheduled = loop.stamp(handle, Status.SCHEDULED)
        generated = loop.past(max(scheduled + timedelta(minutes=30), after + timedelta(minutes=15)))
        plan = _plan(loop, handle, generated)
        worked = loop.past(generated + timedelta(minutes=40))
        for item in conversation.research_items.all():
            if item.kind in spec.done:
                prep.research_item_toggle(item=item)
                loop.stamps.add(item, generated, worked)
        for text, done in spec.own:
            item = prep.research_item_add(conversation=conversation, text=text)
            if done:
                prep.research_item_toggle(item=item)
            loop.stamps.add(item, worked)
        if spec.move_up:
            phase = plan.items.filter(question__phase=spec.move_up).select_related("question")
            prep.prep_item_move(item=list(phase)[-1], offset=-1)
            loop.stamps.add(plan, generated, worked, generated_at=generated)
    for name, notes in TARGET_RESEARCH.items():
        research = prep.target_research_save(
            owner=loop.user, target=loop.world.targets[name], notes=notes
        )
        loop.stamps.add(research, loop.past(after + timedelta(minutes=5)))


def _keep_in_touch(loop: _Loop) -> None:
    for handle, months in KEEP_IN_TOUCH.items():
        row = keep_in_touch_set(
            owner=loop.user, contact=loop.world.contacts[handle], every_months=months
        )
        loop.stamps.add(row, loop.stamp(handle, Status.THANKED) + timedelta(minutes=5))


def _prep_rows(loop: _Loop) -> None:
    """Plan items and research the planner wrote date from their plan, and the questions
    marked in interview mode from the end of the conversation (one update each, in the
    database); rows stamped on their own (research checked off or added) keep theirs."""
    ended = InterviewSession.objects.filter(conversation_id=OuterRef("conversation_id")).values(
        "ended_at"
    )[:1]
    QuestionNote.objects.filter(owner=loop.user).update(
        created_at=Subquery(ended), updated_at=Subquery(ended)
    )
    generated = PrepPlan.objects.filter(pk=OuterRef("plan_id")).values("generated_at")[:1]
    PrepItem.objects.filter(owner=loop.user).update(
        created_at=Subquery(generated), updated_at=Subquery(generated)
    )
    generated = PrepPlan.objects.filter(conversation_id=OuterRef("conversation_id")).values(
        "generated_at"
    )[:1]
    ResearchItem.objects.filter(owner=loop.user).exclude(
        pk__in=loop.stamps.ids(ResearchItem)
    ).update(created_at=Subquery(generated), updated_at=Subquery(generated))
