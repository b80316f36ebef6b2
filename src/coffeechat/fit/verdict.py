"""The verdict the app proposes for a target, from what the user rated and heard: a pure function
of plain facts, its rules read top to bottom, the first that applies decides.

1. Nothing held yet, or one conversation only: keep exploring (one person is an anecdote).
2. Fewer than four dimensions rated: keep exploring (rate what you heard first).
3. Ratings low on average, or one dimension rated 1 with evidence: set it aside.
4. Ratings that cite nothing heard: keep exploring (they are guesses).
5. A field (not one employer) heard of at one organization only: keep exploring.
6. No negative heard yet: keep exploring (every job has one; find it before deciding).
7. Ratings high: pursue once you have seen the work (shadowed), try it before that.
8. Ratings in the middle after several conversations: try it (a day settles what talk cannot);
   otherwise keep exploring, on the weakest and least evidenced dimension.

Each proposal carries its reasons, sentences that cite the figures, and one next step the user
can take this week. Nothing here reads the database: the selectors gather the facts (and the
interview app the shadowing, which lives above fit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from coffeechat.core.text import plural
from coffeechat.fit.models import Choice

# --- Thresholds --------------------------------------------------------------------------------

# Conversations held before anything but "keep exploring": one person's day is an anecdote.
MIN_HELD = 2
# Dimensions rated (of five) before a verdict: one left out is allowed, two leave a blind spot.
MIN_RATED = 4
# Organizations heard from before a verdict on a field (an industry or a role): with one, the
# employer's culture passes for the field's. An organization target needs only itself.
MIN_ORGANIZATIONS = 2
# Ratings that cite no evidence tolerated: more, and the ratings are guesses, not findings.
MAX_UNEVIDENCED = 1
# Averages on the 1-5 scale: half a point above the middle (3) is a fit, half below is not.
STRONG_AVERAGE = 3.5
WEAK_AVERAGE = 2.5
# A dimension rated this low, with evidence behind it, is reason enough to stop.
DEALBREAKER = 1
# Held conversations after which middling ratings call for a day of the work, not more talk.
UNSETTLED_AFTER = 3

# Every rule by name, in the order propose() tries them (each Proposal says which decided).
RULES = (
    "nothing_held",
    "one_conversation",
    "too_few_rated",
    "dealbreaker",
    "weak_average",
    "unevidenced",
    "one_organization",
    "no_downside",
    "strong_and_seen",
    "strong_unseen",
    "unsettled",
    "middle",
)

# What to ask about to learn more of each dimension, for the next step's sentence.
ASK_ABOUT: dict[str, str] = {
    "motivation": "what keeps people in the job after their first year",
    "skills": "which skills newcomers lack in their first months",
    "interests": "how a typical week is really spent",
    "lifestyle": "hours, travel and time on call",
    "goals": "where people go after this job",
}


# --- Facts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    kind: str  # one of fit.models.DIMENSIONS
    label: str
    rating: int | None
    evidence: int  # learnings and notes cited


@dataclass(frozen=True)
class Person:
    """Someone the user held a conversation with about the target."""

    name: str
    positives: int = 0  # positive learnings from their conversation(s)


@dataclass(frozen=True)
class Day:
    """Shadowing of one of the target's people (interview.Shadowing, read above fit)."""

    name: str
    done: bool = False
    on: date | None = None  # the date set, if any
    offered: bool = False  # the contact agreed or offered (stage past "asked")
    # For the page only (a link to the contact's shadowing, its stage in words).
    contact_id: int | None = None
    stage: str = ""


@dataclass(frozen=True)
class Facts:
    target: str
    is_organization: bool
    dimensions: tuple[Dimension, ...]
    positives: int = 0
    negatives: int = 0
    realities: int = 0
    advice: int = 0
    held: tuple[Person, ...] = ()  # latest first
    organizations: tuple[str, ...] = ()  # of the people met; "" for someone's unknown employer
    upcoming: tuple[str, ...] = ()  # people of conversations requested or scheduled
    shadowing: tuple[Day, ...] = ()
    open_questions: int = 0  # not answered yet
    today: date | None = None

    @property
    def rated(self) -> list[Dimension]:
        return [d for d in self.dimensions if d.rating is not None]

    @property
    def average(self) -> float | None:
        ratings = [d.rating for d in self.rated if d.rating is not None]
        return round(sum(ratings) / len(ratings), 1) if ratings else None

    @property
    def distinct_organizations(self) -> int:
        """Organizations heard from; someone whose employer is unknown counts as one of their
        own, so an unknown never makes two people look like colleagues."""
        known = {name for name in self.organizations if name}
        return len(known) + sum(1 for name in self.organizations if not name)


@dataclass(frozen=True)
class Proposal:
    verdict: Choice
    rule: str  # which rule decided, for tests and for the page's "why"
    reasons: tuple[str, ...]  # the deciding sentence first, then the figures
    next_step: str

    @property
    def label(self) -> str:
        return self.verdict.label


# --- Sentences ---------------------------------------------------------------------------------


def _evidence(count: int) -> str:
    return plural(count, "piece of evidence", "pieces of evidence") if count else "no evidence"


def _day(day: date | None) -> str:
    """ "Friday March 13": strftime's day without its zero differs by platform."""
    return f"{day:%A %B} {day.day}" if day else ""


def _names(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _strongest_weakest(facts: Facts) -> str | None:
    rated = facts.rated
    if not rated:
        return None
    # Ties go to the better evidenced for "strongest", the worse evidenced for "weakest".
    strong = max(rated, key=lambda d: (d.rating or 0, d.evidence))
    weak = min(rated, key=lambda d: (d.rating or 0, d.evidence))
    if strong == weak:
        return f"{strong.label} {strong.rating} with {_evidence(strong.evidence)}."
    return (
        f"Strongest: {strong.label.lower()} {strong.rating} with {_evidence(strong.evidence)}; "
        f"weakest: {weak.label.lower()} {weak.rating} with {_evidence(weak.evidence)}."
    )


def _heard(facts: Facts) -> str:
    parts = [
        plural(facts.positives, "positive"),
        plural(facts.negatives, "negative"),
        plural(facts.realities, "reality of the job", "realities of the job"),
        plural(facts.advice, "piece of advice", "pieces of advice"),
    ]
    counts = (facts.positives, facts.negatives, facts.realities, facts.advice)
    counted = [part for part, count in zip(parts, counts, strict=True) if count]
    sentence = f"Heard: {', '.join(counted)}." if counted else "No learning recorded yet."
    if counted and not facts.negatives:
        sentence = sentence[:-1] + "; no negative learning yet."
    return sentence


def _held_sentence(facts: Facts) -> str:
    held = len(facts.held)
    if not held:
        return "No conversation held yet."
    orgs = facts.distinct_organizations
    where = f", at {plural(orgs, 'organization')}" if held > 1 else ""
    return f"{plural(held, 'conversation')} held{where}."


def _shadowing_sentence(facts: Facts) -> str:
    done = [day for day in facts.shadowing if day.done]
    if done:
        return f"You shadowed {_names([day.name for day in done])}."
    dated = [day for day in facts.shadowing if day.on]
    if dated:
        return f"A day with {dated[0].name} is set for {_day(dated[0].on)}."
    offered = [day for day in facts.shadowing if day.offered]
    if offered:
        return f"{offered[0].name} agreed to a day of shadowing; no date yet."
    if facts.shadowing:
        return f"You asked {facts.shadowing[0].name} for a day of shadowing."
    return "No shadowing yet."


def _figures(facts: Facts) -> list[str]:
    rated = len(facts.rated)
    sentences = [
        f"{rated} of {len(facts.dimensions)} dimensions rated, average {facts.average}."
        if rated
        else "No dimension rated yet."
    ]
    if strong_weak := _strongest_weakest(facts):
        sentences.append(strong_weak)
    sentences += [_held_sentence(facts), _heard(facts), _shadowing_sentence(facts)]
    if facts.open_questions:
        sentences.append(
            f"{plural(facts.open_questions, 'open question')} still to answer: your next prep "
            "plan brings them."
        )
    return sentences


def _focus(facts: Facts) -> str:
    """The next step on the dimension that most needs it: one not rated, else the weakest,
    ties to the least evidenced."""
    unrated = [d for d in facts.dimensions if d.rating is None]
    if unrated:
        dimension = unrated[0]
        return (
            f"{dimension.label} is not rated yet: ask about {ASK_ABOUT[dimension.kind]} in your "
            "next two conversations."
        )
    weak = min(facts.rated, key=lambda d: (d.rating or 0, d.evidence))
    least = min(d.evidence for d in facts.rated)
    what = "weakest and least evidenced" if weak.evidence == least else "weakest"
    return (
        f"{weak.label} is your {what} dimension ({weak.rating}, {_evidence(weak.evidence)}): "
        f"ask about {ASK_ABOUT[weak.kind]} in your next two conversations."
    )


def _who_to_ask(facts: Facts) -> str | None:
    """Whom to ask for a day: someone met and not asked yet, the most positive first."""
    asked = {day.name for day in facts.shadowing}
    candidates = [person for person in facts.held if person.name not in asked]
    if not candidates:
        return None
    return max(candidates, key=lambda p: p.positives).name  # max keeps the latest on a tie


def _try_step(facts: Facts) -> str:
    """The next step of "try it": the day of shadowing in whatever state it is."""
    today = facts.today
    coming = sorted(
        (
            day
            for day in facts.shadowing
            if day.on and not day.done and (today is None or day.on >= today)
        ),
        key=lambda day: day.on or date.max,
    )
    if coming:
        day = coming[0]
        weak = min(facts.rated, key=lambda d: (d.rating or 0, d.evidence))
        return (
            f"Your day with {day.name} is on {_day(day.on)}: watch {weak.label.lower()}, your "
            f"weakest dimension, and ask about {ASK_ABOUT[weak.kind]}."
        )
    passed = [day for day in facts.shadowing if day.on and not day.done]
    if passed:
        return (
            f"Your day with {passed[0].name} was set for {_day(passed[0].on)}: mark it done "
            "and write down what you saw, or set a new date."
        )
    offered = [day for day in facts.shadowing if day.offered and not day.done]
    if offered:
        return f"{offered[0].name} agreed to a day of shadowing: settle a date."
    if (name := _who_to_ask(facts)) is not None:
        return f"You have not shadowed anyone in this field: ask {name} for a day."
    if facts.shadowing:
        return (
            f"You asked {facts.shadowing[0].name} for a day: if the answer is slow, try a small "
            f"project instead, such as a task someone in {facts.target} does every week."
        )
    return (
        f"Try a small project: a task someone in {facts.target} does every week, done on your own."
    )


# --- The rules ---------------------------------------------------------------------------------


def propose(facts: Facts) -> Proposal:
    """The verdict for ``facts``: the first rule below that applies."""
    figures = _figures(facts)
    held = len(facts.held)
    average = facts.average
    last_met = facts.held[0].name if facts.held else None

    def make(verdict: Choice, rule: str, why: str, step: str) -> Proposal:
        return Proposal(verdict, rule, (why, *figures), step)

    # 1. Too few conversations to say anything.
    if held == 0:
        step = (
            f"Hold your conversation with {facts.upcoming[0]}, then rate what you heard."
            if facts.upcoming
            else f"Find someone who works in {facts.target} and ask for 20 minutes of their time."
        )
        return make(
            Choice.KEEP_EXPLORING,
            "nothing_held",
            "No conversation held yet: ratings without anything heard are guesses.",
            step,
        )
    if held < MIN_HELD:
        step = (
            f"Hold your conversation with {facts.upcoming[0]} before deciding."
            if facts.upcoming
            else f"Ask {last_met} who else you should talk to, and hold a second conversation "
            "before deciding."
        )
        return make(
            Choice.KEEP_EXPLORING,
            "one_conversation",
            "One conversation is not enough to decide.",
            step,
        )

    # 2. Rate before deciding.
    rated = facts.rated
    if len(rated) < MIN_RATED:
        missing = [d.label.lower() for d in facts.dimensions if d.rating is None]
        return make(
            Choice.KEEP_EXPLORING,
            "too_few_rated",
            f"Only {len(rated)} of {len(facts.dimensions)} dimensions rated: a verdict needs "
            f"at least {MIN_RATED}.",
            f"Rate {_names(missing)} on this page: what you heard from "
            f"{_names([p.name for p in facts.held[:2]])} is enough to start.",
        )
    assert average is not None

    # 3. A clear no.
    breakers = [d for d in rated if d.rating is not None and d.rating <= DEALBREAKER and d.evidence]
    if average <= WEAK_AVERAGE or breakers:
        why = (
            f"{breakers[0].label} is rated {breakers[0].rating} with "
            f"{_evidence(breakers[0].evidence)}: one dimension that poor is reason enough."
            if breakers
            else f"Your ratings average {average}, at or below {WEAK_AVERAGE}, after "
            f"{plural(held, 'conversation')}."
        )
        return make(
            Choice.SET_ASIDE,
            "dealbreaker" if breakers else "weak_average",
            why,
            f"Park {facts.target} and give its hours to your next target; tell {last_met} "
            "what you decided: people like to hear where their advice led.",
        )

    # 4. Ratings that rest on nothing heard.
    unevidenced = [d for d in rated if not d.evidence]
    if len(unevidenced) > MAX_UNEVIDENCED:
        labels = [d.label.lower() for d in unevidenced]
        return make(
            Choice.KEEP_EXPLORING,
            "unevidenced",
            f"{plural(len(unevidenced), 'rating')} cite nothing you heard: {_names(labels)}.",
            f"Cite the learnings behind {_names(labels)}, or ask about "
            f"{ASK_ABOUT[unevidenced[0].kind]} in your next conversation.",
        )

    # 5. A field seen through one employer.
    if not facts.is_organization and facts.distinct_organizations < MIN_ORGANIZATIONS:
        employer = next((name for name in facts.organizations if name), "one organization")
        return make(
            Choice.KEEP_EXPLORING,
            "one_organization",
            f"{plural(held, 'conversation')} held, all at {employer}: what you heard may be "
            f"that employer, not {facts.target}.",
            f"{plural(held, 'conversation').capitalize()} held: talk to someone at a second "
            "organization before deciding.",
        )

    # 6. No downside heard.
    if not facts.negatives:
        return make(
            Choice.KEEP_EXPLORING,
            "no_downside",
            "No negative learning yet: every job has its downsides, and you have not heard "
            "this one's.",
            f"Ask about the hardest part of the job in your next conversation about "
            f"{facts.target}.",
        )

    shadowed = [day for day in facts.shadowing if day.done]

    # 7. A fit: see the work, then go for it.
    if average >= STRONG_AVERAGE:
        if shadowed:
            return make(
                Choice.PURSUE,
                "strong_and_seen",
                f"Your ratings average {average} and you have seen the work: you shadowed "
                f"{shadowed[0].name}.",
                f"Look for openings in {facts.target} through the normal channels, and tell "
                f"{shadowed[0].name} where their help led; never ask them for the job.",
            )
        return make(
            Choice.TRY_IT,
            "strong_unseen",
            f"Your ratings average {average}, but you have not seen the work yet: a day beside "
            "someone, or a small project, tests them.",
            _try_step(facts),
        )

    # 8. In the middle.
    if held >= UNSETTLED_AFTER and not shadowed:
        return make(
            Choice.TRY_IT,
            "unsettled",
            f"After {plural(held, 'conversation')} your ratings average {average}: more talk "
            "will not settle it, a day of the work may.",
            _try_step(facts),
        )
    why = f"Your ratings average {average}: neither a clear yes nor a clear no."
    if shadowed:
        why = (
            f"Your ratings average {average}, even after a day with {shadowed[0].name}: still "
            "neither a clear yes nor a clear no."
        )
    return make(Choice.KEEP_EXPLORING, "middle", why, _focus(facts))
