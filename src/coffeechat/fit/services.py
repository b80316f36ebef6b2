from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coffeechat.conversations.models import Learning
from coffeechat.fit.models import DIMENSIONS, FitLine, LineKind, OpenQuestion, Verdict
from coffeechat.fit.selectors import evidence_candidates
from coffeechat.notes.models import Note
from coffeechat.questions.models import Phase, Topic
from coffeechat.questions.services import question_create
from coffeechat.targets.models import Target


@transaction.atomic
def fit_dimensions_save(
    *, owner: User, target: Target, dimensions: Mapping[str, tuple[int | None, str]]
) -> list[FitLine]:
    """The fit page's dimensions, each (rating, why), written together: one transaction, so a
    save never leaves some dimensions written and others not. One line per dimension and
    target; a dimension neither rated nor explained gets none, and one that has a line keeps it
    (and its evidence) even when emptied. An unchanged line is not written."""
    if not set(dimensions) <= set(DIMENSIONS):
        raise ValidationError("Not a fit dimension.")
    existing = {
        line.kind: line
        for line in FitLine.objects.select_for_update().filter(
            owner=owner, target=target, kind__in=list(dimensions)
        )
    }
    saved = []
    for kind, (rating, text) in dimensions.items():
        line = existing.get(kind)
        text = text.strip()
        if line is None and rating is None and not text:
            continue
        if line is not None and (line.rating, line.text) == (rating, text):
            saved.append(line)
            continue
        line = line or FitLine(owner=owner, target=target, kind=kind)
        line.rating = rating
        line.text = text
        line.full_clean()
        line.save()
        saved.append(line)
    return saved


@transaction.atomic
def fit_dimension_save(
    *, owner: User, target: Target, kind: str, rating: int | None, text: str
) -> FitLine:
    """One dimension alone (demo data, scripts); the fit page saves them all together."""
    if kind not in DIMENSIONS:
        raise ValidationError("Not a fit dimension.")
    line = FitLine.objects.filter(owner=owner, target=target, kind=kind).first() or FitLine(
        owner=owner, target=target, kind=kind
    )
    line.rating = rating
    line.text = text.strip()
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def fit_line_add(*, owner: User, target: Target, kind: str, text: str) -> FitLine:
    if kind not in (LineKind.STRENGTH, LineKind.WEAKNESS):
        raise ValidationError("Add a strength or a weakness.")
    line = FitLine(owner=owner, target=target, kind=kind, text=text.strip())
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def fit_line_cite(
    *, line: FitLine, learning_ids: Iterable[int], note_ids: Iterable[int]
) -> FitLine:
    """Sets the evidence of a line; only learnings and notes about its target can be cited."""
    learnings, notes = evidence_candidates(target=line.target)
    allowed_learnings = {learning.pk for learning in learnings}
    allowed_notes = {note.pk for note in notes}
    line.learnings.set(
        Learning.objects.filter(pk__in=set(learning_ids) & allowed_learnings, owner=line.owner)
    )
    line.notes.set(Note.objects.filter(pk__in=set(note_ids) & allowed_notes, owner=line.owner))
    return line


@transaction.atomic
def open_question_add(*, owner: User, target: Target, text: str) -> OpenQuestion:
    """The question goes into the user's own bank, so that the planner can bring it to the
    next conversation about this target."""
    question = question_create(
        owner=owner, text=text.strip(), phase=Phase.INSIGHTS, topic=Topic.DAY_TO_DAY, minutes=3
    )
    return OpenQuestion.objects.create(owner=owner, target=target, question=question)


@transaction.atomic
def open_question_toggle(*, open_question: OpenQuestion) -> OpenQuestion:
    open_question.resolved = not open_question.resolved
    open_question.save(update_fields=["resolved", "updated_at"])
    return open_question


@transaction.atomic
def fit_line_delete(*, line: FitLine) -> None:
    line.delete()


@transaction.atomic
def verdict_record(
    *,
    owner: User,
    target: Target,
    verdict: str,
    proposed: str,
    note: str = "",
    on: date | None = None,
) -> Verdict:
    """The user's decision on a target, with the proposal it answered: a new row each time, so
    the earlier decisions stay as its history. A decision that repeats the standing one on the
    same day (a second tap on Save) updates its note instead of adding a row."""
    on = on or timezone.localdate()
    latest = Verdict.objects.filter(owner=owner, target=target).first()
    if latest is not None and (latest.verdict, latest.proposed, latest.decided_on) == (
        verdict,
        proposed,
        on,
    ):
        latest.note = note.strip()
        latest.full_clean()
        latest.save(update_fields=["note", "updated_at"])
        return latest
    row = Verdict(
        owner=owner,
        target=target,
        verdict=verdict,
        proposed=proposed,
        note=note.strip(),
        decided_on=on,
    )
    row.full_clean()
    row.save()
    return row
