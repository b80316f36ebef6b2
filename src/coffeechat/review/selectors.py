"""What the weekly review shows: the week's learnings, fit assessments and leads that moved,
and whom to ask next week. Every section is a few owner-first queries with a limit, so the
page costs the same at 300 contacts or 30,000; every date is the user's own (a week runs from
Monday 00:00 to the next Monday 00:00 in their time zone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat, Trim

from coffeechat.accounts.models import Profile, Weekday
from coffeechat.contacts import trigrams
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import AFTER_STATUSES, Conversation, Learning, Status
from coffeechat.fit.models import FitLine, Verdict
from coffeechat.leads.models import Lead, LeadStatus
from coffeechat.network.models import Knows
from coffeechat.network.selectors import organizations_for_target
from coffeechat.outreach.selectors import CONNECTION_RANK, connection_why
from coffeechat.review.models import WeeklyReview
from coffeechat.targets.models import Target

# Each list shows this many rows and says how many more there are.
SHOWN = 30


def _name(contact: str) -> Trim:
    """A contact's full name as the database writes it (``Contact.full_name``), for a page that
    shows the name alone: an annotation instead of a whole contact row, which cost more to
    turn into an object than the query took."""
    return Trim(Concat(F(f"{contact}__first_name"), Value(" "), F(f"{contact}__last_name")))


# LAMP: "start with the top 5" targets; suggestions come from these first.
TOP_TARGETS = 5
# "Known by someone you met": the conversations held in this many recent days. An old
# conversation is a weak reason to ask for an introduction, and the bound keeps the read small.
MET_RECENTLY_DAYS = 120


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def reviewed_week(*, day: date, review_weekday: int) -> date:
    """The Monday of the week that the review held on ``day`` looks back at: the week it is
    in, except for a review day early in the week (Monday, Tuesday), which looks back at the
    week before (reviewing a week that has barely started would show nothing)."""
    start = week_start(day)
    return start - timedelta(weeks=1) if review_weekday <= Weekday.TUESDAY else start


def review_due(*, user: User, profile: Profile, today: date) -> date | None:
    """The week whose review is due today (the user's review day) and not done yet, or None:
    what the dashboard's card and the daily email remind of. One query on a review day, none on
    other days."""
    if today.weekday() != profile.review_weekday:
        return None
    week = reviewed_week(day=today, review_weekday=profile.review_weekday)
    done = WeeklyReview.objects.filter(owner=user, week=week, done_at__isnull=False).exists()
    return None if done else week


# ---------------------------------------------------------------------------------------------
# The sections
# ---------------------------------------------------------------------------------------------


@dataclass
class Shown[T]:
    """The first SHOWN rows of a list, and whether there are more."""

    rows: list[T]
    more: bool = False


def _first[T](rows: list[T]) -> Shown[T]:
    return Shown(rows[:SHOWN], len(rows) > SHOWN)


def week_learnings(*, user: User, since: datetime, until: datetime) -> Shown[Learning]:
    """Learnings written in the week, with their conversation and contact, oldest first."""
    rows: list[Learning] = list(
        Learning.objects.filter(owner=user, created_at__gte=since, created_at__lt=until)
        # The page shows the text, the kind, the day, and whom it came from.
        .only("text", "kind", "created_at", "conversation_id")
        .annotate(
            contact_name=_name("conversation__contact"),
            organization_name=F("conversation__contact__organization__name"),
        )
        .order_by("created_at", "id")[: SHOWN + 1]
    )
    return _first(rows)


@dataclass
class VerdictChange:
    verdict: Verdict
    # The verdict it replaced on the same target; None for a first verdict.
    before: Verdict | None


@dataclass
class TargetChanges:
    """What changed in one target's fit assessment during the week."""

    target: Target
    verdicts: list[VerdictChange] = field(default_factory=list)
    lines: list[FitLine] = field(default_factory=list)

    @property
    def lines_summary(self) -> str:
        """ "motivation (4/5), skills (3/5), strengths (2)": each rated dimension with its
        rating, the listed kinds (strengths, weaknesses) counted."""
        parts: list[str] = []
        counts: dict[str, int] = {}
        for line in self.lines:
            if line.is_dimension:
                rating = f" ({line.rating}/5)" if line.rating else ""
                parts.append(f"{line.get_kind_display().lower()}{rating}")
            else:
                counts[line.get_kind_display().lower()] = (
                    counts.get(line.get_kind_display().lower(), 0) + 1
                )
        plural = {kind: kind + ("es" if kind.endswith("s") else "s") for kind in counts}
        parts += [f"{plural[kind]} ({n})" if n > 1 else kind for kind, n in counts.items()]
        return ", ".join(parts)


def fit_changes(
    *, user: User, first_day: date, since: datetime, until: datetime
) -> Shown[TargetChanges]:
    """Verdicts decided in the week (with the one each replaced) and fit lines edited in the
    week, grouped by target in name order. Three queries: the week's verdicts, the earlier
    verdicts of those targets only, and the week's lines."""
    last_day = first_day + timedelta(days=6)
    verdicts = list(
        Verdict.objects.filter(owner=user, decided_on__gte=first_day, decided_on__lte=last_day)
        .select_related("target")
        .order_by("decided_on", "id")[: SHOWN + 1]
    )
    lines = list(
        FitLine.objects.filter(owner=user, updated_at__gte=since, updated_at__lt=until)
        .select_related("target")
        .order_by("target__name", "target_id", "id")[: SHOWN + 1]
    )
    # Each target's earlier verdicts, newest first: a target holds a handful, so reading them
    # all for the (at most SHOWN + 1) targets judged this week stays small.
    history: dict[int, list[Verdict]] = {}
    judged = {v.target_id for v in verdicts}
    if judged:
        earlier = Verdict.objects.filter(owner=user, target_id__in=judged).order_by(
            "target_id", "-decided_on", "-id"
        )
        for v in earlier:
            history.setdefault(v.target_id, []).append(v)
    by_target: dict[int, TargetChanges] = {}
    for verdict in verdicts:
        older = [
            v
            for v in history.get(verdict.target_id, [])
            if (v.decided_on, v.id) < (verdict.decided_on, verdict.id)
        ]
        changes = by_target.setdefault(verdict.target_id, TargetChanges(verdict.target))
        changes.verdicts.append(VerdictChange(verdict, older[0] if older else None))
    for line in lines[:SHOWN]:
        by_target.setdefault(line.target_id, TargetChanges(line.target)).lines.append(line)
    ordered = sorted(by_target.values(), key=lambda c: (c.target.name.casefold(), c.target.pk))
    shown = _first(ordered)
    shown.more = shown.more or len(verdicts) > SHOWN or len(lines) > SHOWN
    return shown


@dataclass
class LeadMove:
    lead: Lead
    # The steps reached in the week, in order: (label, day).
    steps: list[tuple[str, date]]
    # The step before the week's first, if any: "Applied" in "Applied → Interviewing".
    before: str | None


def leads_moved(*, user: User, first_day: date) -> Shown[LeadMove]:
    """Leads with any step dated in the week (heard of, applied, interviewing, offer...),
    each with the steps it reached in the week."""
    last_day = first_day + timedelta(days=6)
    in_week = Q()
    for status in LeadStatus:
        in_week |= Q(**{f"{status}_on__gte": first_day, f"{status}_on__lte": last_day})
    leads = list(
        Lead.objects.filter(owner=user)
        .filter(in_week)
        .only(
            "role",
            "status",
            "updated_at",
            "source_conversation_id",
            "source_contact_id",
            *(f"{status}_on" for status in LeadStatus),
        )
        .annotate(
            organization_name=F("organization__name"),
            conversation_contact_name=_name("source_conversation__contact"),
            source_contact_name=_name("source_contact"),
        )
        .order_by("-updated_at", "-id")[: SHOWN + 1]
    )
    moves = []
    for lead in leads:
        timeline = lead.timeline
        steps = [(label, on) for label, on in timeline if first_day <= on <= last_day]
        earlier = [label for label, on in timeline if on < first_day]
        moves.append(LeadMove(lead, steps, earlier[-1] if earlier else None))
    return _first(moves)


# ---------------------------------------------------------------------------------------------
# Next week's requests
# ---------------------------------------------------------------------------------------------


@dataclass
class RequestSuggestion:
    contact: Contact
    why: str
    target: Target | None = None
    # The contact's conversation idea, where the request can be drafted at once.
    idea_id: int | None = None


def _not_asked(user: User) -> Combinable:
    """Not asked yet (nor talked to, nor set aside): no conversation past the idea. A NOT
    EXISTS probes the (owner, contact, status) index once per person read, so a query that
    reads people in an index's order stops at its limit; a NOT IN built the set of every
    asked contact (about 5,000 at 30,000 contacts) again in each query."""
    return ~Exists(
        Conversation.objects.filter(owner=user, contact=OuterRef("pk")).exclude(status=Status.IDEA)
    )


def _askable(user: User) -> QuerySet[Contact]:
    """The user's contacts not yet asked, with what their reason and row show."""
    return (
        Contact.objects.filter(owner=user)
        .filter(_not_asked(user))
        .select_related("organization", "introduced_by")
    )


def _warmest_first(people: QuerySet[Contact]) -> QuerySet[Contact]:
    """Warmest connection first (alumni and affinity first, as LAMP's advocates), introduced
    people before others, then the most recent interaction. No index gives this order: it is
    for the few people at a target, read whole and sorted."""
    rank = Case(
        *(When(how_connected=how, then=Value(i)) for i, how in enumerate(CONNECTION_RANK)),
        default=Value(len(CONNECTION_RANK)),
        output_field=IntegerField(),
    )
    return people.order_by(
        rank,
        F("introduced_by").asc(nulls_last=True),
        F("last_interaction").desc(nulls_last=True),
        "last_name",
        "first_name",
        "id",
    )


# A role target matches titles by substring, which no index answers: its ids are read from
# the narrow covering name index (owner, names, email, title, organization), at most this many.
ROLE_READ = 2000


def _titled(user: User, roles: list[Target]) -> dict[int, list[int]]:
    """The ids of the people whose title names each role target, at most ROLE_READ each, in
    one query for all the roles; each title is then matched to its roles here. On SQLite the
    contacts' trigram index finds the people whose name, email or title holds a role's name
    (contacts/trigrams.py): the query costs what its matches cost. Elsewhere, or for a role
    name shorter than a trigram, a walk through the narrow covering name index tests every
    title of the user's (5 ms at 30,000 contacts on SQLite); PostgreSQL's trigram index of
    the titles answers the test itself."""
    if not roles:
        return {}
    people = Contact.objects.filter(owner=user)
    names = [role.name for role in roles]
    if connection.vendor == "sqlite" and all(len(n) >= trigrams.SHORTEST for n in names):
        table, where, params = trigrams.join(user.pk, *names)
        people = people.extra(tables=[table], where=[where], params=params)
    else:
        test = Q()
        for name in names:
            test |= Q(title__icontains=name)
        people = people.filter(test)
    rows = people.order_by().values_list("id", "title")[: ROLE_READ * len(roles)]
    found: dict[int, list[int]] = {role.pk: [] for role in roles}
    for pk, title in rows:
        title = title.casefold()
        for role in roles:
            if role.name.casefold() in title and len(found[role.pk]) < ROLE_READ:
                found[role.pk].append(pk)
    return found


def _at_target(
    askable: QuerySet[Contact], target: Target, titled: dict[int, list[int]]
) -> QuerySet[Contact] | None:
    """The askable people who can tell the user about ``target``, warmest first: at its
    organization, at the organizations of its industry, or holding the role (the reasons of
    targets.selectors.target_contacts). Each read starts from an owner-first index: the
    industry's organizations first (network.selectors.organizations_for_target), then their
    people; a role's ids come from ``titled``; a join on the industry or a title test over
    whole rows read every contact."""
    if target.kind == Target.Kind.ROLE and not target.organization_id:
        ids = titled.get(target.pk)
        return _warmest_first(askable.filter(pk__in=ids)) if ids else None
    organizations = organizations_for_target(target=target)
    if not organizations:
        return None
    return _warmest_first(askable.filter(organization_id__in=[o.pk for o in organizations]))


def request_suggestions(*, user: User, count: int, today: date) -> list[RequestSuggestion]:
    """``count`` people to ask next week (the weekly goal), nobody already asked: first the
    warmest person at each of the top active targets in LAMP order (one per target, so the
    week spreads over them), then warm contacts: people introduced to the user (the newest
    introductions first: an introduction cools as it waits), alumni then affinity contacts
    (each by most recent interaction), then the next people at the top targets, and last
    people known by someone the user met recently. Each list is read only when the ones
    before it left the goal short, and the warm lists are read in an index's order up to the
    goal, so a goal met at the targets costs a few small queries. At most
    2 × TOP_TARGETS + 9 queries (an industry target takes two), each with a limit."""
    askable = _askable(user)
    targets = list(
        Target.objects.filter(owner=user, status=Target.Status.ACTIVE)
        .select_related("organization")
        .order_by(*Target.LAMP_ORDER)[:TOP_TARGETS]
    )
    chosen: dict[int, RequestSuggestion] = {}

    def full() -> bool:
        return len(chosen) >= count

    def add(contact: Contact, why: str, target: Target | None = None) -> None:
        if contact.pk not in chosen and not full():
            reason = connection_why(contact)
            chosen[contact.pk] = RequestSuggestion(
                contact, f"{why}; {reason}" if reason else why, target
            )

    # Only the targets the first round reaches: a goal of one reads one target's people. Up
    # to ``count`` people per target, read once; taken one per target per round.
    reached = targets[:count]
    titled = _titled(
        user, [t for t in reached if t.kind == Target.Kind.ROLE and not t.organization_id]
    )
    at_targets: list[tuple[Target, list[Contact]]] = []
    for target in reached:
        there = _at_target(askable, target, titled)
        if there is not None:
            at_targets.append((target, list(there[:count])))

    def round_of_targets(index: int) -> None:
        for target, people in at_targets:
            if index < len(people):
                add(people[index], f"{target.name} is a top target ({target.lamp_label})", target)

    # The first round: the warmest person at each top target.
    round_of_targets(0)
    # Warm contacts, each list in the order of an index (contact_introduced_recent_idx,
    # contact_owner_how_recent_idx): ordering them by warmth read and sorted every one.
    warm: list[tuple[QuerySet[Contact], str]] = [
        (
            askable.filter(introduced_by__isnull=False).order_by("-created_at", "-id"),
            "Introduced to you",
        ),
        *(
            (
                askable.filter(how_connected=how).order_by(
                    F("last_interaction").desc(nulls_last=True), "-id"
                ),
                "An advocate in LAMP's sense",
            )
            for how in (Contact.Connection.ALUMNI, Contact.Connection.AFFINITY)
        ),
    ]
    for contacts, why in warm:
        if full():
            break
        for contact in contacts[:count]:
            add(contact, why)
    # Then the next people at the top targets, round after round, before weaker ties.
    for index in range(1, count):
        if full():
            break
        round_of_targets(index)
    if not full():
        for contact, met in _known_by_met(user, askable, today=today, limit=count):
            if full():
                break
            if contact.pk not in chosen:
                chosen[contact.pk] = RequestSuggestion(
                    contact,
                    f"Knows {met.full_name}, whom you met: they could introduce you",
                )
    suggestions = list(chosen.values())
    if suggestions:
        ideas = dict(
            Conversation.objects.filter(
                owner=user, status=Status.IDEA, contact_id__in=[s.contact.pk for s in suggestions]
            )
            # The newest idea last, so that it is the one the dict keeps.
            .order_by("contact_id", "updated_at", "id")
            .values_list("contact_id", "id")
        )
        for suggestion in suggestions:
            suggestion.idea_id = ideas.get(suggestion.contact.pk)
    return suggestions


def _known_by_met(
    user: User, askable: QuerySet[Contact], *, today: date, limit: int
) -> list[tuple[Contact, Contact]]:
    """Askable people who know someone the user held a conversation with recently, each with
    that person; "knows" links go both ways. Four queries."""
    since = datetime.combine(today - timedelta(days=MET_RECENTLY_DAYS), time.min, UTC)
    met = dict(
        Conversation.objects.filter(owner=user, status__in=AFTER_STATUSES, held_at__gte=since)
        .order_by("-held_at")
        .values_list("contact_id", "id")[:200]
    )
    if not met:
        return []
    links = Knows.objects.filter(owner=user).filter(
        Q(contact_id__in=list(met)) | Q(other_id__in=list(met))
    )
    pairs: dict[int, int] = {}
    for a, b in links.values_list("contact_id", "other_id")[:500]:
        if a in met and b not in met:
            pairs.setdefault(b, a)
        elif b in met and a not in met:
            pairs.setdefault(a, b)
    people = list(_warmest_first(askable.filter(pk__in=list(pairs)))[:limit])
    met_people = Contact.objects.filter(owner=user).in_bulk({pairs[p.pk] for p in people})
    return [(p, met_people[pairs[p.pk]]) for p in people if pairs[p.pk] in met_people]


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


@dataclass
class WeekReview:
    week: date
    today: date
    review: WeeklyReview | None
    learnings: Shown[Learning]
    fit: Shown[TargetChanges]
    leads: Shown[LeadMove]
    scheduled: int
    goal: int
    # None for a week long past: suggestions are for the week ahead of now.
    suggestions: list[RequestSuggestion] | None

    @property
    def last_day(self) -> date:
        return self.week + timedelta(days=6)

    @property
    def next_week(self) -> date:
        return self.week + timedelta(weeks=1)

    @property
    def previous_week(self) -> date:
        return self.week - timedelta(weeks=1)

    @property
    def is_current(self) -> bool:
        return self.week == week_start(self.today)

    @property
    def is_future(self) -> bool:
        return self.week > week_start(self.today)

    @property
    def is_done(self) -> bool:
        return self.review is not None and self.review.is_done


def week_review(*, user: User, profile: Profile, week: date, today: date) -> WeekReview:
    tz = profile.tz
    since = datetime.combine(week, time.min, tz)
    until = datetime.combine(week + timedelta(weeks=1), time.min, tz)
    # Suggestions for the week after this one, as long as that week has not passed.
    ahead = week + timedelta(weeks=1) >= week_start(today)
    return WeekReview(
        week=week,
        today=today,
        review=WeeklyReview.objects.filter(owner=user, week=week).first(),
        learnings=week_learnings(user=user, since=since, until=until),
        fit=fit_changes(user=user, first_day=week, since=since, until=until),
        leads=leads_moved(user=user, first_day=week),
        scheduled=Conversation.objects.filter(
            owner=user, scheduled_at__gte=since, scheduled_at__lt=until
        ).count(),
        goal=profile.weekly_goal,
        suggestions=request_suggestions(user=user, count=profile.weekly_goal, today=today)
        if ahead
        else None,
    )
