from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.utils import timezone

from coffeechat.conversations.models import AFTER_STATUSES, Conversation, Learning, Status
from coffeechat.core.validators import is_id
from coffeechat.fit import radar as radar_module
from coffeechat.fit import verdict as rules
from coffeechat.fit.forms import VerdictForm
from coffeechat.fit.models import DIMENSIONS, FitLine, LineKind, OpenQuestion, Verdict
from coffeechat.notes.models import Note
from coffeechat.targets.models import Target


def open_questions_for(*, targets: Iterable[Target]) -> tuple[int, ...]:
    """The unresolved open questions of these targets, oldest first, as question ids."""
    ids = [target.pk for target in targets]
    if not ids:
        return ()
    rows = OpenQuestion.objects.filter(target_id__in=ids, resolved=False).order_by("id")
    return tuple(dict.fromkeys(rows.values_list("question_id", flat=True)))


def open_questions_elsewhere(*, owner: User, targets: Iterable[Target]) -> frozenset[int]:
    """Open questions of the user's other targets (and resolved ones): they live in the
    user's bank, but they belong in conversations about their own target only (a question
    on medical devices has nothing to do in a plan about pharma)."""
    ids = {target.pk for target in targets}
    # One read of the user's open questions (a few dozen), sorted out here.
    rows = OpenQuestion.objects.filter(owner=owner).values_list(
        "question_id", "target_id", "resolved"
    )
    every, here = set(), set()
    for question_id, target_id, resolved in rows:
        every.add(question_id)
        if target_id in ids and not resolved:
            here.add(question_id)
    return frozenset(every - here)


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

    @property
    def ratings(self) -> list[int | None]:
        return [line.rating if line else None for _, _, line in self.dimensions]


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
    verdict: Verdict | None = None  # the user's latest
    evidence_by_dimension: list[int] = field(default_factory=list)

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
    # The two or three targets on the radar, or why there are none.
    picked: list[CompareRow] = field(default_factory=list)
    pick_error: str = ""
    radar: radar_module.Radar | None = None
    chosen: bool = False  # picked by the user, not by default

    @property
    def radar_title(self) -> str:
        names = [row.target.name for row in self.picked]
        return "Fit ratings compared: " + (
            ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
        )

    @property
    def pick_choices(self) -> list[CompareRow]:
        """Every active target to pick from: the picked first (in view without scrolling the
        list), then the rated, then the rest, each group in the matrix's order."""
        picked = self.picked_ids
        return sorted(
            self.rows,
            key=lambda row: (
                row.target.pk not in picked,
                all(r is None for r in row.ratings),
            ),
        )

    @property
    def picked_ids(self) -> set[int]:
        return {row.target.pk for row in self.picked}

    @property
    def pick_query(self) -> str:
        """The user's picks as query parameters, so that sorting keeps them (the default
        picks follow the data, not the address)."""
        if not self.chosen:
            return ""
        return "".join(f"&target={row.target.pk}" for row in self.picked)

    @property
    def radar_table(self) -> list[RadarRow]:
        """The radar's numbers, one row per dimension, one column per picked target."""
        evidence_of = {row.target.pk: row.evidence_by_dimension for row in self.picked}
        return [
            RadarRow(
                label,
                [row.ratings[index] for row in self.picked],
                [evidence_of[row.target.pk][index] for row in self.picked],
            )
            for index, (_, label) in enumerate(self.dimensions)
        ]

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


def _held_counts(user: User) -> dict[int, int]:
    """Held conversations per target, as the verdict counts them: a conversation that reached
    held and went on from there. Read from the user's held conversations (the owner and status
    index holds their ids), each looking up its targets, not from each target's every
    conversation looked up for its status: at 300,000 contacts (50,000 conversations, 21,000
    of them held) 12 ms instead of 84."""
    links = Conversation.targets.through.objects.filter(
        conversation__owner=user, conversation__status__in=AFTER_STATUSES
    )
    # The link table holds a pair once (unique), so a plain count per target.
    rows = links.order_by().values("target_id").annotate(n=Count("id"))
    return {row["target_id"]: row["n"] for row in rows}


def _evidence(user: User) -> tuple[dict[int, int], dict[int, dict[int, str]]]:
    """Per fit line of the active targets: how many learnings and notes it cites, and the
    conversations they come from with the person's name. Only the ids and names the page
    shows, in one read per kind, not every cited row with its conversation and contact
    built as objects (764 of them for the bench's twelve rated targets)."""
    active = Target.Status.ACTIVE
    counts: dict[int, int] = defaultdict(int)
    sources: dict[int, dict[int, str]] = defaultdict(dict)
    learnings = FitLine.learnings.through.objects.filter(
        fitline__owner=user, fitline__target__status=active
    ).values_list(
        "fitline_id",
        "learning__conversation_id",
        "learning__conversation__contact__first_name",
        "learning__conversation__contact__last_name",
    )
    notes = FitLine.notes.through.objects.filter(
        fitline__owner=user, fitline__target__status=active
    ).values_list(
        "fitline_id",
        "note__conversation_id",
        "note__conversation__contact__first_name",
        "note__conversation__contact__last_name",
    )
    for rows in (learnings, notes):
        for line_id, conversation_id, first, last in rows:
            counts[line_id] += 1
            if conversation_id:  # a note on a contact only: evidence, not a conversation
                sources[line_id][conversation_id] = f"{first} {last}".strip()
    return counts, sources


def latest_verdicts(*, user: User) -> dict[int, Verdict]:
    """The verdict in force on each active target (its latest decision), by target id, with
    the target: one query."""
    verdicts: dict[int, Verdict] = {}
    for verdict in Verdict.objects.filter(
        owner=user, target__status=Target.Status.ACTIVE
    ).select_related("target"):
        verdicts.setdefault(verdict.target_id, verdict)  # newest first: the first is the latest
    return verdicts


def compare_matrix(*, user: User, sort: str = "", picks: list[str] | None = None) -> CompareMatrix:
    """The active targets side by side, and two or three of them on a radar (``picks``: the
    ids asked for, None for the default); a handful of queries whatever their number."""
    sort = sort if sort in SORTS else "lamp"
    targets = Target.objects.filter(owner=user, status=Target.Status.ACTIVE)
    held = _held_counts(user)
    verdicts = latest_verdicts(user=user)
    lines_of: dict[int, list[FitLine]] = defaultdict(list)
    for line in FitLine.objects.filter(owner=user, target__status=Target.Status.ACTIVE):
        lines_of[line.target_id].append(line)
    evidence, sources_of = _evidence(user)
    rows = []
    for target in targets:
        lines = lines_of[target.pk]
        by_kind = {line.kind: line for line in lines if line.is_dimension}
        sources: dict[int, str] = {}
        for line in lines:
            sources.update(sources_of[line.pk])
        rows.append(
            CompareRow(
                target=target,
                ratings=[by_kind[k].rating if k in by_kind else None for k in DIMENSIONS],
                held=held.get(target.pk, 0),
                evidence=sum(evidence[line.pk] for line in lines),
                sources=sorted(sources.items()),
                verdict=verdicts.get(target.pk),
                evidence_by_dimension=[
                    evidence[by_kind[k].pk] if k in by_kind else 0 for k in DIMENSIONS
                ],
            )
        )
    rows.sort(key=_sort_key(sort))
    matrix = CompareMatrix(
        rows=rows, dimensions=[(k, LineKind(k).label) for k in DIMENSIONS], sort=sort
    )
    _pick(matrix, picks)
    return matrix


# How many targets one radar compares: one is no comparison, four outlines are a tangle.
MIN_PICKS = 2
MAX_PICKS = radar_module.MAX_SERIES


def default_picks(rows: list[CompareRow]) -> list[CompareRow]:
    """Without a choice: the rated targets with the most evidence (LAMP order on a tie), the
    ones the user knows best, up to three."""
    rated = [row for row in rows if any(r is not None for r in row.ratings)]
    rated.sort(key=lambda row: (-row.evidence, *_sort_key("lamp")(row)))
    return rated[:MAX_PICKS]


def _pick(matrix: CompareMatrix, picks: list[str] | None) -> None:
    """Puts the picked targets (ids from the query; None: no choice made) on the radar, or a
    sentence that says why not. Ids of targets not among the user's active ones are ignored."""
    if picks is None:
        chosen = default_picks(matrix.rows)
        if len(chosen) < MIN_PICKS:
            matrix.pick_error = (
                "Rate at least two targets on their fit pages to see them on one chart."
            )
            return
    else:
        matrix.chosen = True
        wanted = {int(pick) for pick in picks if is_id(pick)}
        chosen = [row for row in matrix.rows if row.target.pk in wanted]
        if not MIN_PICKS <= len(chosen) <= MAX_PICKS:
            picked = "none" if not chosen else f"{len(chosen)}"
            matrix.picked = chosen
            matrix.pick_error = (
                f"Pick two or three targets to compare on the chart: you picked {picked}."
            )
            return
    matrix.picked = chosen
    matrix.radar = radar_module.radar(
        [label for _, label in matrix.dimensions],
        [(row.target.name, row.ratings) for row in chosen],
    )


# --- Verdict -------------------------------------------------------------------------------------

# Upcoming conversations: asked for or on the calendar, not yet held.
_UPCOMING = (Status.REQUESTED, Status.SCHEDULED)
# What was heard, for and against, in the order the verdict card shows it.
HEARD_KINDS = (
    (Learning.Kind.POSITIVE, "For"),
    (Learning.Kind.NEGATIVE, "Against"),
    (Learning.Kind.REALITY, "Realities of the job"),
    (Learning.Kind.ADVICE, "Advice"),
)


def _conversations(target: Target) -> list[Conversation]:
    """The target's conversations with their people and employers, latest held first."""
    return list(
        Conversation.objects.filter(owner_id=target.owner_id, targets=target)
        .select_related("contact__organization")
        .order_by("-held_at", "-starts_at", "-id")
    )


def verdict_facts(
    *, assessment: Assessment, shadowing: tuple[rules.Day, ...] = (), today: date | None = None
) -> rules.Facts:
    """What the verdict rules weigh, from the assessment and the target's conversations.
    ``shadowing`` comes from the interview app, which holds it (above fit)."""
    target = assessment.target
    conversations = _conversations(target)
    held = [c for c in conversations if c.status in AFTER_STATUSES]
    heard = [item for item in assessment.learnings if item.conversation.status in AFTER_STATUSES]
    counts = {kind: sum(1 for item in heard if item.kind == kind) for kind in Learning.Kind}
    positives_of: dict[int, int] = defaultdict(int)
    for item in heard:
        if item.kind == Learning.Kind.POSITIVE:
            positives_of[item.conversation.contact_id] += 1
    people: dict[int, rules.Person] = {}
    for conversation in held:  # latest first: a person is placed by their latest conversation
        contact = conversation.contact
        people.setdefault(contact.pk, rules.Person(contact.full_name, positives_of[contact.pk]))
    organizations = {
        c.contact_id: c.contact.organization.name if c.contact.organization else "" for c in held
    }
    upcoming = [c.contact.full_name for c in reversed(conversations) if c.status in _UPCOMING]
    return rules.Facts(
        target=target.name,
        is_organization=target.kind == Target.Kind.ORGANIZATION,
        dimensions=tuple(
            rules.Dimension(
                kind, label, line.rating if line else None, line.evidence_count if line else 0
            )
            for kind, label, line in assessment.dimensions
        ),
        positives=counts[Learning.Kind.POSITIVE],
        negatives=counts[Learning.Kind.NEGATIVE],
        realities=counts[Learning.Kind.REALITY],
        advice=counts[Learning.Kind.ADVICE],
        held=tuple(people.values()),
        organizations=tuple(organizations.values()),
        upcoming=tuple(dict.fromkeys(upcoming)),
        shadowing=shadowing,
        open_questions=sum(1 for item in assessment.open_questions if not item.resolved),
        today=today or timezone.localdate(),
    )


@dataclass
class RadarRow:
    """One dimension in the table beside a radar: the same numbers as the chart."""

    label: str
    ratings: list[int | None]
    evidence: list[int]


@dataclass
class VerdictSection:
    target: Target
    proposal: rules.Proposal
    current: Verdict | None
    history: list[Verdict]
    heard: list[tuple[str, str, list[Learning]]]  # (kind, heading, learnings)
    shadowing: tuple[rules.Day, ...]
    radar: radar_module.Radar
    table: list[RadarRow]
    form: VerdictForm

    @property
    def radar_title(self) -> str:
        return f"Fit ratings of {self.target.name}"

    @property
    def proposal_changed(self) -> bool:
        """The app proposes something else than when the user last decided."""
        return self.current is not None and self.current.proposed != self.proposal.verdict


def verdict_section(
    *,
    assessment: Assessment,
    shadowing: tuple[rules.Day, ...] = (),
    form: VerdictForm | None = None,
) -> VerdictSection:
    """The verdict card of the fit page: the proposal with its reasons and next step, the
    user's stored verdict and its history, what was heard for and against, and the radar."""
    target = assessment.target
    proposal = rules.propose(verdict_facts(assessment=assessment, shadowing=shadowing))
    history = list(Verdict.objects.filter(owner_id=target.owner_id, target=target))
    heard = [item for item in assessment.learnings if item.conversation.status in AFTER_STATUSES]
    labels = [label for _, label, _ in assessment.dimensions]
    return VerdictSection(
        target=target,
        proposal=proposal,
        current=history[0] if history else None,
        history=history,
        heard=[
            (kind, heading, [item for item in heard if item.kind == kind])
            for kind, heading in HEARD_KINDS
        ],
        shadowing=shadowing,
        radar=radar_module.radar(labels, [(target.name, assessment.ratings)]),
        table=[
            RadarRow(label, [line.rating if line else None], [line.evidence_count if line else 0])
            for _, label, line in assessment.dimensions
        ],
        # A new decision starts from the one standing, or from the proposal when none stands:
        # saving again never flips an override back by accident.
        form=form
        or VerdictForm(
            initial={
                "verdict": history[0].verdict if history else proposal.verdict,
                "proposed": proposal.verdict,
            }
        ),
    )
