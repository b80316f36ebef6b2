from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from coffeechat.core.access import visible
from coffeechat.questions.models import PHASE_ORDER, Question, QuestionMark
from coffeechat.questions.planner import BankQuestion


def replaced_ids(*, user: User) -> QuerySet:
    """Shipped questions the user has rewritten: their own version stands in for them."""
    return Question.objects.filter(owner=user, based_on__isnull=False).values("based_on_id")


def user_bank(*, user: User) -> QuerySet[Question]:
    """The bank as this user sees it: the shipped questions still in the bank file, minus the
    ones they rewrote, plus their own."""
    return (
        visible(Question, user)
        .filter(Q(owner=user) | Q(retired=False))
        .exclude(pk__in=replaced_ids(user=user))
    )


@dataclass(frozen=True)
class BankFilters:
    phase: str = ""
    topic: str = ""
    audience: str = ""
    tag: str = ""
    search: str = ""
    starred: bool = False
    show_hidden: bool = False
    mine: bool = False


def bank_browse(*, user: User, filters: BankFilters) -> QuerySet[Question]:
    marks = QuestionMark.objects.filter(owner=user, question=OuterRef("pk"))
    queryset = user_bank(user=user).annotate(
        is_starred=Exists(marks.filter(starred=True)),
        is_hidden=Exists(marks.filter(hidden=True)),
    )
    if filters.phase:
        queryset = queryset.filter(phase=filters.phase)
    if filters.topic:
        queryset = queryset.filter(topic=filters.topic)
    if filters.audience:
        queryset = queryset.filter(audience=filters.audience)
    if filters.tag:
        queryset = queryset.filter(tags__contains=f",{filters.tag},")
    for word in filters.search.split()[:8]:
        queryset = queryset.filter(text__icontains=word)
    if filters.starred:
        queryset = queryset.filter(is_starred=True)
    if not filters.show_hidden:
        queryset = queryset.filter(is_hidden=False)
    if filters.mine:
        queryset = queryset.filter(owner=user)
    return in_phase_order(queryset)


def in_phase_order(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """Opening first, closing last, as in a conversation."""
    order = Case(
        *(When(phase=phase, then=Value(index)) for index, phase in enumerate(PHASE_ORDER)),
        output_field=IntegerField(),
    )
    return queryset.annotate(phase_order=order).order_by("phase_order", "id")


def planner_bank(
    *, user: User | None, leave_out: frozenset[int] = frozenset()
) -> list[BankQuestion]:
    """The user's bank as the planner's plain inputs: hidden questions (and ``leave_out``)
    left out, stars and own questions flagged. Two queries, whatever the size of the bank.
    Without a user (an installation with no account yet), the shipped bank alone."""
    marks = (
        dict(
            (question_id, (starred, hidden))
            for question_id, starred, hidden in QuestionMark.objects.filter(owner=user).values_list(
                "question_id", "starred", "hidden"
            )
        )
        if user is not None
        else {}
    )
    questions = (
        user_bank(user=user)
        if user is not None
        else Question.objects.filter(owner__isnull=True, retired=False)
    )
    rows = questions.values_list(
        "id",
        "text",
        "phase",
        "topic",
        "minutes",
        "audience",
        "tags",
        "research_first",
        "core",
        "owner_id",
        "why",
    )
    bank = []
    for qid, text, phase, topic, minutes, audience, tags, research, core, owner_id, why in rows:
        starred, hidden = marks.get(qid, (False, False))
        if hidden or qid in leave_out:
            continue
        bank.append(
            BankQuestion(
                id=qid,
                text=text,
                phase=phase,
                topic=topic,
                minutes=minutes,
                audience=audience,
                families=frozenset(tag for tag in tags.split(",") if tag),
                research_first=research,
                core=core,
                own=owner_id is not None,
                starred=starred,
                why=why,
            )
        )
    bank.sort(key=lambda question: question.id)
    return bank
