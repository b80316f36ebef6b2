from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Q

from coffeechat.conversations.models import Learning
from coffeechat.fit.models import DIMENSIONS, FitLine, LineKind, OpenQuestion
from coffeechat.notes.models import Note
from coffeechat.targets.models import Target


def open_questions_for(*, targets: Iterable[Target]) -> tuple[int, ...]:
    """The unresolved open questions of these targets, oldest first, as question ids."""
    ids = [target.pk for target in targets]
    if not ids:
        return ()
    rows = OpenQuestion.objects.filter(target_id__in=ids, resolved=False).order_by("id")
    return tuple(dict.fromkeys(rows.values_list("question_id", flat=True)))


def evidence_candidates(*, target: Target) -> tuple[list[Learning], list[Note]]:
    """What can back a line about this target: the learnings of its conversations, and the
    notes on those conversations or their contacts."""
    conversations = target.conversations.all()
    learnings = list(
        Learning.objects.filter(owner=target.owner, conversation__in=conversations)
        .select_related("conversation__contact")
        .order_by("conversation__created_at", "id")
    )
    notes = list(
        Note.objects.filter(owner=target.owner)
        .filter(Q(conversation__in=conversations) | Q(contact__in=conversations.values("contact")))
        .select_related("contact", "conversation__contact")
        .order_by("created_at", "id")
    )
    return learnings, notes


@dataclass
class Assessment:
    target: Target
    dimensions: list[tuple[str, str, FitLine | None]]
    strengths: list[FitLine]
    weaknesses: list[FitLine]
    open_questions: list[OpenQuestion]
    learnings: list[Learning]
    notes: list[Note]

    @property
    def evidence_count(self) -> int:
        lines = [line for _, _, line in self.dimensions if line] + self.strengths + self.weaknesses
        return sum(line.evidence_count for line in lines)


def _lines(target: Target) -> list[FitLine]:
    return list(
        FitLine.objects.filter(target=target).prefetch_related(
            "learnings__conversation__contact", "notes__contact", "notes__conversation__contact"
        )
    )


def assessment_for(*, target: Target) -> Assessment:
    lines = _lines(target)
    by_kind = {line.kind: line for line in lines if line.is_dimension}
    learnings, notes = evidence_candidates(target=target)
    return Assessment(
        target=target,
        dimensions=[(kind, LineKind(kind).label, by_kind.get(kind)) for kind in DIMENSIONS],
        strengths=[line for line in lines if line.kind == LineKind.STRENGTH],
        weaknesses=[line for line in lines if line.kind == LineKind.WEAKNESS],
        open_questions=list(OpenQuestion.objects.filter(target=target).select_related("question")),
        learnings=learnings,
        notes=notes,
    )


# --- Compare -------------------------------------------------------------------------------------


@dataclass
class CompareRow:
    target: Target
    ratings: list[int | None]
    held: int
    evidence: int
    # The conversations whose learnings or notes back a line: (conversation id, contact name).
    sources: list[tuple[int, str]]

    @property
    def fit_average(self) -> float | None:
        rated = [r for r in self.ratings if r is not None]
        return round(sum(rated) / len(rated), 1) if rated else None

    @property
    def labelled_ratings(self) -> list[tuple[int | None, str]]:
        """(rating, dimension label): on a phone each value carries its own label."""
        return list(zip(self.ratings, (LineKind(k).label for k in DIMENSIONS), strict=True))


@dataclass
class CompareMatrix:
    rows: list[CompareRow]
    dimensions: list[tuple[str, str]]
    sort: str

    @property
    def sort_choices(self) -> list[tuple[str, str]]:
        """Every way to sort, for the phone layout where the column headers are hidden."""
        return [
            ("lamp", "LAMP"),
            ("name", "Target"),
            ("fit", "Fit"),
            *self.dimensions,
            ("held", "Held"),
            ("evidence", "Evidence"),
        ]


SORTS = ("lamp", "name", "fit", "held", "evidence", *DIMENSIONS)


def _sort_key(sort: str) -> Callable[[CompareRow], tuple]:
    def missing_last(value: float | None) -> tuple[int, float]:
        return (1, 0.0) if value is None else (0, -value)

    if sort == "name":
        return lambda row: (row.target.name.lower(),)
    if sort == "fit":
        return lambda row: (*missing_last(row.fit_average), row.target.name.lower())
    if sort == "held":
        return lambda row: (-row.held, row.target.name.lower())
    if sort == "evidence":
        return lambda row: (-row.evidence, row.target.name.lower())
    if sort in DIMENSIONS:
        index = DIMENSIONS.index(sort)
        return lambda row: (*missing_last(row.ratings[index]), row.target.name.lower())
    return lambda row: (
        -row.target.motivation,
        -row.target.posting,
        not row.target.advocacy,
        row.target.name.lower(),
    )


def compare_matrix(*, user: User, sort: str = "") -> CompareMatrix:
    """The active targets side by side; a handful of queries whatever their number."""
    sort = sort if sort in SORTS else "lamp"
    targets = Target.objects.filter(owner=user, status=Target.Status.ACTIVE).annotate(
        held_count=Count(
            "conversations", filter=Q(conversations__held_at__isnull=False), distinct=True
        )
    )
    lines_of: dict[int, list[FitLine]] = defaultdict(list)
    for line in FitLine.objects.filter(
        owner=user, target__status=Target.Status.ACTIVE
    ).prefetch_related("learnings__conversation__contact", "notes__conversation__contact"):
        lines_of[line.target_id].append(line)
    rows = []
    for target in targets:
        lines = lines_of[target.pk]
        by_kind = {line.kind: line for line in lines if line.is_dimension}
        sources: dict[int, str] = {}
        for line in lines:
            for learning in line.learnings.all():
                sources[learning.conversation_id] = learning.conversation.contact.full_name
            for note in line.notes.all():
                if note.conversation_id and note.conversation:
                    sources[note.conversation_id] = note.conversation.contact.full_name
        rows.append(
            CompareRow(
                target=target,
                ratings=[by_kind[k].rating if k in by_kind else None for k in DIMENSIONS],
                held=target.held_count,  # type: ignore[attr-defined]
                evidence=sum(line.evidence_count for line in lines),
                sources=sorted(sources.items()),
            )
        )
    rows.sort(key=_sort_key(sort))
    return CompareMatrix(
        rows=rows, dimensions=[(k, LineKind(k).label) for k in DIMENSIONS], sort=sort
    )
