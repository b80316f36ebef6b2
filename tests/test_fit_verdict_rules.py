"""The verdict the fit page proposes, rule by rule: what the user sees proposed, why, and the
next step, for facts written out in full (no database: fit/verdict.py is a pure function)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from coffeechat.fit.models import DIMENSIONS, Choice, LineKind
from coffeechat.fit.verdict import RULES, Day, Dimension, Facts, Person, propose

DANA = Person("Dana Kowalczyk", positives=2)
AISHA = Person("Aisha Bello", positives=1)
TODAY = dt.date(2026, 3, 11)


def dims(*ratings: int | None, evidence: tuple[int, ...] = (2, 2, 2, 2, 2)) -> tuple:
    return tuple(
        Dimension(kind, LineKind(kind).label, rating, count)
        for kind, rating, count in zip(DIMENSIONS, ratings, evidence, strict=True)
    )


# A target the user likes, heard of from two people at two employers, downsides included,
# not seen at work yet: "try it". Each case below changes what it needs.
BASE = Facts(
    target="Pharmaceutical sales",
    is_organization=False,
    dimensions=dims(4, 4, 4, 3, 4),
    positives=3,
    negatives=1,
    realities=2,
    advice=1,
    held=(DANA, AISHA),
    organizations=("Corvane Pharma", "Bluestem Pharmaceuticals"),
    today=TODAY,
)


def facts(**changes: Any) -> Facts:
    return dataclasses.replace(BASE, **changes)


CASES = [
    # (what the user sees, facts, verdict, rule, deciding sentence, next step)
    (
        "no conversation held: keep exploring, find someone",
        facts(held=(), organizations=()),
        Choice.KEEP_EXPLORING,
        "nothing_held",
        "No conversation held yet: ratings without anything heard are guesses.",
        "Find someone who works in Pharmaceutical sales and ask for 20 minutes of their time.",
    ),
    (
        "no conversation held, one scheduled: hold it",
        facts(held=(), organizations=(), upcoming=("Marcus Oyelaran",)),
        Choice.KEEP_EXPLORING,
        "nothing_held",
        "No conversation held yet: ratings without anything heard are guesses.",
        "Hold your conversation with Marcus Oyelaran, then rate what you heard.",
    ),
    (
        "one conversation is not enough to decide",
        facts(held=(DANA,), organizations=("Corvane Pharma",)),
        Choice.KEEP_EXPLORING,
        "one_conversation",
        "One conversation is not enough to decide.",
        "Ask Dana Kowalczyk who else you should talk to, and hold a second conversation "
        "before deciding.",
    ),
    (
        "three dimensions rated: rate the rest first",
        facts(dimensions=dims(4, 4, None, None, 4)),
        Choice.KEEP_EXPLORING,
        "too_few_rated",
        "Only 3 of 5 dimensions rated: a verdict needs at least 4.",
        "Rate interests and lifestyle on this page: what you heard from Dana Kowalczyk and "
        "Aisha Bello is enough to start.",
    ),
    (
        "a dimension rated 1 with evidence: set aside",
        facts(dimensions=dims(4, 4, 4, 1, 4)),
        Choice.SET_ASIDE,
        "dealbreaker",
        "Lifestyle is rated 1 with 2 pieces of evidence: one dimension that poor is reason "
        "enough.",
        "Park Pharmaceutical sales and give its hours to your next target; tell Dana Kowalczyk "
        "what you decided: people like to hear where their advice led.",
    ),
    (
        "low ratings on average: set aside",
        facts(dimensions=dims(2, 3, 2, 3, 2)),
        Choice.SET_ASIDE,
        "weak_average",
        "Your ratings average 2.4, at or below 2.5, after 2 conversations.",
        "Park Pharmaceutical sales and give its hours to your next target; tell Dana Kowalczyk "
        "what you decided: people like to hear where their advice led.",
    ),
    (
        "ratings that cite nothing heard: cite or ask",
        facts(dimensions=dims(4, 4, 4, 3, 4, evidence=(2, 0, 2, 0, 2))),
        Choice.KEEP_EXPLORING,
        "unevidenced",
        "2 ratings cite nothing you heard: skills and lifestyle.",
        "Cite the learnings behind skills and lifestyle, or ask about which skills newcomers "
        "lack in their first months in your next conversation.",
    ),
    (
        "a field heard of at one employer: a second organization first",
        facts(organizations=("Corvane Pharma", "Corvane Pharma")),
        Choice.KEEP_EXPLORING,
        "one_organization",
        "2 conversations held, all at Corvane Pharma: what you heard may be that employer, not "
        "Pharmaceutical sales.",
        "2 conversations held: talk to someone at a second organization before deciding.",
    ),
    (
        "no negative heard: ask about the hardest part",
        facts(negatives=0),
        Choice.KEEP_EXPLORING,
        "no_downside",
        "No negative learning yet: every job has its downsides, and you have not heard this "
        "one's.",
        "Ask about the hardest part of the job in your next conversation about Pharmaceutical "
        "sales.",
    ),
    (
        "strong and shadowed: pursue",
        facts(shadowing=(Day("Dana Kowalczyk", done=True, on=TODAY - dt.timedelta(days=9)),)),
        Choice.PURSUE,
        "strong_and_seen",
        "Your ratings average 3.8 and you have seen the work: you shadowed Dana Kowalczyk.",
        "Look for openings in Pharmaceutical sales through the normal channels, and tell Dana "
        "Kowalczyk where their help led; never ask them for the job.",
    ),
    (
        "strong, nobody shadowed: ask the warmest contact for a day",
        BASE,
        Choice.TRY_IT,
        "strong_unseen",
        "Your ratings average 3.8, but you have not seen the work yet: a day beside someone, or "
        "a small project, tests them.",
        "You have not shadowed anyone in this field: ask Dana Kowalczyk for a day.",
    ),
    (
        "strong, a contact agreed to a day: settle a date",
        facts(shadowing=(Day("Devon Achterberg", offered=True),)),
        Choice.TRY_IT,
        "strong_unseen",
        "Your ratings average 3.8, but you have not seen the work yet: a day beside someone, or "
        "a small project, tests them.",
        "Devon Achterberg agreed to a day of shadowing: settle a date.",
    ),
    (
        "strong, a day set: what to watch on it",
        facts(shadowing=(Day("Elena Marchetti", offered=True, on=dt.date(2026, 3, 20)),)),
        Choice.TRY_IT,
        "strong_unseen",
        "Your ratings average 3.8, but you have not seen the work yet: a day beside someone, or "
        "a small project, tests them.",
        "Your day with Elena Marchetti is on Friday March 20: watch lifestyle, your weakest "
        "dimension, and ask about hours, travel and time on call.",
    ),
    (
        "strong, everyone met already asked: a small project",
        facts(shadowing=(Day("Dana Kowalczyk"), Day("Aisha Bello"))),
        Choice.TRY_IT,
        "strong_unseen",
        "Your ratings average 3.8, but you have not seen the work yet: a day beside someone, or "
        "a small project, tests them.",
        "You asked Dana Kowalczyk for a day: if the answer is slow, try a small project "
        "instead, such as a task someone in Pharmaceutical sales does every week.",
    ),
    (
        "middling after three conversations: try it",
        facts(
            dimensions=dims(3, 3, 3, 3, 3),
            held=(DANA, AISHA, Person("Grace Nakamura")),
            organizations=("Corvane Pharma", "Bluestem Pharmaceuticals", "Lindqvist"),
        ),
        Choice.TRY_IT,
        "unsettled",
        "After 3 conversations your ratings average 3.0: more talk will not settle it, a day of "
        "the work may.",
        "You have not shadowed anyone in this field: ask Dana Kowalczyk for a day.",
    ),
    (
        "middling: ask about the weakest and least evidenced dimension",
        facts(dimensions=dims(3, 3, 4, 2, 3, evidence=(2, 2, 2, 1, 2))),
        Choice.KEEP_EXPLORING,
        "middle",
        "Your ratings average 3.0: neither a clear yes nor a clear no.",
        "Lifestyle is your weakest and least evidenced dimension (2, 1 piece of evidence): ask "
        "about hours, travel and time on call in your next two conversations.",
    ),
    (
        "middling with one dimension not rated: ask about that one",
        facts(dimensions=dims(3, 3, 4, 3, None)),
        Choice.KEEP_EXPLORING,
        "middle",
        "Your ratings average 3.2: neither a clear yes nor a clear no.",
        "Goals is not rated yet: ask about where people go after this job in your next two "
        "conversations.",
    ),
]


@pytest.mark.parametrize(
    ("facts_", "verdict", "rule", "why", "step"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_app_proposes_a_verdict_with_its_reason_and_next_step(
    facts_: Facts, verdict: Choice, rule: str, why: str, step: str
) -> None:
    proposal = propose(facts_)
    assert (proposal.verdict, proposal.rule) == (verdict, rule)
    assert proposal.reasons[0] == why
    assert proposal.next_step == step


def test_every_rule_and_every_verdict_is_in_the_table() -> None:
    assert {propose(case[1]).rule for case in CASES} == set(RULES)
    assert {propose(case[1]).verdict for case in CASES} == set(Choice)


def test_the_reasons_cite_the_figures() -> None:
    reasons = propose(
        facts(dimensions=dims(5, 4, 3, None, 4, evidence=(3, 2, 1, 0, 2)), negatives=0)
    ).reasons
    assert reasons[1:] == (
        "4 of 5 dimensions rated, average 4.0.",
        "Strongest: motivation 5 with 3 pieces of evidence; weakest: interests 3 with 1 piece "
        "of evidence.",
        "2 conversations held, at 2 organizations.",
        "Heard: 3 positives, 2 realities of the job, 1 piece of advice; no negative learning "
        "yet.",
        "No shadowing yet.",
    )
    assert propose(facts(open_questions=2)).reasons[-1] == (
        "2 open questions still to answer: your next prep plan brings them."
    )


def test_a_1_with_no_evidence_behind_it_is_no_dealbreaker() -> None:
    proposal = propose(facts(dimensions=dims(4, 4, 4, 1, 4, evidence=(2, 2, 2, 0, 2))))
    assert proposal.verdict != Choice.SET_ASIDE


def test_people_whose_employer_is_unknown_are_not_taken_for_colleagues() -> None:
    assert propose(facts(organizations=("", ""))).rule != "one_organization"
    assert propose(facts(organizations=("Corvane Pharma", ""))).rule != "one_organization"


def test_an_organization_target_needs_no_second_organization() -> None:
    same = ("Corvane Pharma", "Corvane Pharma")
    assert propose(facts(organizations=same)).rule == "one_organization"
    assert propose(facts(organizations=same, is_organization=True)).rule == "strong_unseen"


def test_a_day_gone_by_without_being_marked_done_asks_for_what_was_seen() -> None:
    past = Day("Elena Marchetti", offered=True, on=dt.date(2026, 3, 9))
    assert propose(facts(shadowing=(past,))).next_step == (
        "Your day with Elena Marchetti was set for Monday March 9: mark it done and write down "
        "what you saw, or set a new date."
    )
