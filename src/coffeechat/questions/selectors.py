from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from coffeechat.core.access import visible
from coffeechat.questions.models import PHASE_ORDER, BankStamp, Question, QuestionMark
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


@dataclass(frozen=True)
class SharedBank:
    """The shipped questions still in the bank file, by id, as the planner's inputs, and
    where each id stands in ``questions``."""

    stamp: str
    questions: tuple[BankQuestion, ...]
    position: dict[int, int]


# The shipped bank, kept by each process under the stamp it was read with (models.BankStamp):
# ~140 ms to read and build at 10,000 questions, paid once per process and per bank change
# instead of at every plan. Shared by the threads of a process as it is: replaced whole, never
# changed in place.
_shared: SharedBank | None = None

_PLANNER_FIELDS = (
    "id",
    "text",
    "phase",
    "topic",
    "minutes",
    "audience",
    "tags",
    "research_first",
    "core",
    "why",
)


_by_id = attrgetter("id")


def _bank_question(
    row: tuple[Any, ...], *, own: bool = False, starred: bool = False
) -> BankQuestion:
    qid, text, phase, topic, minutes, audience, tags, research, core, why = row
    return BankQuestion(
        id=qid,
        text=text,
        phase=phase,
        topic=topic,
        minutes=minutes,
        audience=audience,
        families=frozenset(tag for tag in tags.split(",") if tag),
        research_first=research,
        core=core,
        own=own,
        starred=starred,
        why=why,
    )


def bank_cache_clear() -> None:
    """Forgets this process's copy of the shipped bank (for tests and bench/): the next plan
    reads it again. Other processes are told by the stamp, never by this."""
    global _shared
    _shared = None


def shared_bank() -> SharedBank:
    """The shipped bank: this process's copy while the bank's stamp is unchanged (one query of
    one row), read again otherwise."""
    global _shared
    # The stamp first, then the rows: a sync committed between the two leaves a copy newer
    # than its stamp, read again at the next plan, never an old copy under the new stamp.
    stamp = BankStamp.objects.filter(pk=1).values_list("stamp", flat=True).first()
    cached = _shared
    if cached is not None and stamp is not None and cached.stamp == stamp:
        return cached
    rows = Question.objects.filter(owner__isnull=True, retired=False).order_by("id")
    questions = tuple(_bank_question(row) for row in rows.values_list(*_PLANNER_FIELDS))
    bank = SharedBank(
        stamp or "",
        questions,
        {question.id: index for index, question in enumerate(questions)},
    )
    if stamp is not None:  # without a stamp row (tables just emptied), nothing to check a copy by
        _shared = bank
    return bank


def planner_bank(
    *, user: User | None, leave_out: frozenset[int] = frozenset()
) -> list[BankQuestion]:
    """The user's bank as the planner's plain inputs, by id: the shipped questions (minus the
    ones the user rewrote) and their own, hidden questions (and ``leave_out``) left out, stars
    and own questions flagged. Without a user (an installation with no account yet), the
    shipped bank alone.

    The shipped part comes from ``shared_bank``; the user's part (own questions, stars and
    hides: a few rows) is read at every call, so their changes show at once. Three small
    queries, none of which reads the shared rows while the bank is unchanged; the user's few
    changes are applied to a copy of the shared list by position, not by a pass over it."""
    shared = shared_bank()
    marks: list[tuple[int, bool, bool]] = []
    own_rows: list[tuple[Any, ...]] = []
    if user is not None:
        marks = list(
            QuestionMark.objects.filter(owner=user).values_list("question_id", "starred", "hidden")
        )
        own_rows = list(
            Question.objects.filter(owner=user).values_list(*_PLANNER_FIELDS, "based_on_id")
        )
    starred = {qid for qid, is_starred, is_hidden in marks if is_starred and not is_hidden}
    # A rewritten shipped question gives way to the user's version of it.
    left_out = {qid for qid, _, is_hidden in marks if is_hidden} | leave_out
    left_out |= {row[-1] for row in own_rows if row[-1] is not None}
    bank = list(shared.questions)
    for qid in starred:
        index = shared.position.get(qid)
        if index is not None:
            bank[index] = replace(bank[index], starred=True)
    # From the end, so that the positions still to remove stay where they were.
    for index in sorted(
        (shared.position[q] for q in left_out if q in shared.position), reverse=True
    ):
        del bank[index]
    for row in own_rows:
        if row[0] not in left_out:
            insort(bank, _bank_question(row[:-1], own=True, starred=row[0] in starred), key=_by_id)
    return bank
