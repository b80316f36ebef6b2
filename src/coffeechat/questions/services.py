from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from coffeechat.questions.bank import SyncResult, sync_rows
from coffeechat.questions.models import Question, QuestionMark, tags_to_column

EDITABLE = ("text", "phase", "topic", "audience", "minutes", "research_first")


@transaction.atomic
def bank_sync() -> SyncResult:
    """Loads the shipped bank file; idempotent, and blind to users' own questions."""
    return sync_rows(Question)


@transaction.atomic
def question_create(
    *, owner: User, tags: list[str] | tuple[str, ...] = (), **fields: Any
) -> Question:
    question = Question(owner=owner, tags=tags_to_column(tags), **fields)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_update(
    *, question: Question, user: User, tags: list[str] | tuple[str, ...] = (), **fields: Any
) -> Question:
    """Saves the user's wording. A shipped question is shared and read-only: editing it makes
    the user's own version, which replaces the shipped one in their bank from then on."""
    if question.owner_id is None:
        copy = Question.objects.filter(owner=user, based_on=question).first()
        if copy is None:
            copy = Question(
                owner=user,
                based_on=question,
                core=question.core,
                **{name: getattr(question, name) for name in EDITABLE},
            )
        question = copy
    elif question.owner_id != user.pk:
        raise PermissionError("Only the owner edits a question.")
    for name, value in fields.items():
        setattr(question, name, value)
    question.tags = tags_to_column(tags)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_mark(
    *, user: User, question: Question, starred: bool | None = None, hidden: bool | None = None
) -> QuestionMark:
    """Stars or hides a question for this user only; shipped rows stay untouched."""
    mark, _ = QuestionMark.objects.get_or_create(owner=user, question=question)
    if starred is not None:
        mark.starred = starred
    if hidden is not None:
        mark.hidden = hidden
    mark.save()
    return mark
