"""The planner, a pure function: properties over random banks and requests, and tailoring."""

from __future__ import annotations

import dataclasses
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.questions.bank import planner_questions
from coffeechat.questions.planner import (
    PHASES,
    BankQuestion,
    Plan,
    PlanRequest,
    bounds,
    plan_build,
)

TOPICS = ("career_path", "day_to_day", "skills", "organization", "referrals", "shadowing")
TAGS = ("sales", "research", "engineering", "healthcare", "finance")
AUDIENCES = ("anyone", "anyone", "anyone", "recent_graduate", "career_changer")
STAGES = ("recent_graduate", "career_changer", "other")
TITLES = (
    "Pharmaceutical sales representative",
    "Clinical research associate",
    "Quality engineer",
    "Financial analyst",
    "Teacher",
    "",
)


@st.composite
def banks(draw: st.DrawFn) -> list[BankQuestion]:
    size = draw(st.integers(min_value=0, max_value=90))
    ids = draw(st.lists(st.integers(1, 10**6), min_size=size, max_size=size, unique=True))
    return [
        BankQuestion(
            id=qid,
            text=f"Question {qid}?",
            phase=draw(st.sampled_from(PHASES)),
            topic=draw(st.sampled_from(TOPICS)),
            minutes=draw(st.integers(1, 5)),
            audience=draw(st.sampled_from(AUDIENCES)),
            tags=frozenset(draw(st.lists(st.sampled_from(TAGS), max_size=2))),
            research_first=draw(st.booleans()) and draw(st.booleans()),
            core=draw(st.booleans()),
            own=draw(st.booleans()) and draw(st.booleans()),
            starred=draw(st.booleans()) and draw(st.booleans()),
        )
        for qid in ids
    ]


@st.composite
def requests(draw: st.DrawFn, bank: list[BankQuestion]) -> PlanRequest:
    ids = [q.id for q in bank]
    some = st.lists(st.sampled_from(ids), max_size=12) if ids else st.just([])
    return PlanRequest(
        minutes=draw(st.integers(20, 60)),
        contact_title=draw(st.sampled_from(TITLES)),
        organization=draw(st.sampled_from(["", "Bluestem Pharmaceuticals"])),
        industry=draw(st.sampled_from(["", "Pharmaceuticals", "Banking"])),
        stage=draw(st.sampled_from(STAGES)),
        met_before=draw(st.booleans()),
        asked_with_contact=frozenset(draw(some)),
        asked_at_organization=frozenset(draw(some)),
        pinned=tuple(dict.fromkeys(draw(some))),
        seed=draw(st.integers(0, 10**6)),
    )


def eligible_minutes(bank: list[BankQuestion], request: PlanRequest) -> int:
    """Minutes the bank can offer this request: what the plan may draw on."""
    pinned = set(request.pinned)
    total = 0
    for q in bank:
        if q.id in pinned:
            total += q.minutes
            continue
        if q.research_first or q.id in request.asked_with_contact:
            continue
        if q.audience not in ("anyone", request.stage):
            continue
        if q.topic == "shadowing" and not request.met_before:
            continue
        total += q.minutes
    return total


def check_plan_properties(plan: Plan, minutes: int, *, enough: bool, referral: bool) -> None:
    """The properties every plan holds; shared with the demo-account acceptance test."""
    phases = [PHASES.index(q.phase) for q in plan.questions]
    assert phases == sorted(phases), "phases out of TIARA order"
    ids = [q.id for q in plan.questions]
    assert len(ids) == len(set(ids)), "a question twice"
    low, high = bounds(minutes)
    assert plan.total_minutes <= high
    if enough:
        assert low <= plan.total_minutes <= high, (plan.total_minutes, low, high)
    assert sum(q.minutes for q in plan.questions if q.must_ask) <= minutes
    assert all(q.reason for q in plan.questions)
    if referral:
        assert plan.questions[-1].topic == "referrals"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_plans_hold_their_properties_over_random_banks(data: st.DataObject) -> None:
    bank = data.draw(banks())
    request = data.draw(requests(bank))
    plan = plan_build(bank, request)

    has_referral = any(q.phase == "closing" and q.topic == "referrals" for q in bank)
    enough = eligible_minutes(bank, request) >= math.ceil(request.minutes * 1.5)
    check_plan_properties(plan, request.minutes, enough=enough, referral=has_referral)
    # Deterministic: the same inputs give the same plan (a fresh copy of each, to be sure
    # nothing is cached between calls).
    assert plan_build(list(bank), dataclasses.replace(request)) == plan
    # Nothing asked of this contact before comes back, unless pinned or needed to close.
    for q in plan.questions:
        if q.id in request.asked_with_contact and q.id not in request.pinned:
            assert q.topic == "referrals"
    # A shadowing ask only where the two have met.
    if not request.met_before:
        assert not {q.id for q in plan.questions if q.topic == "shadowing"} - set(request.pinned)
    # Research-first questions are research to do, not questions to ask (unless pinned).
    research_first = {q.id for q in bank if q.research_first} - set(request.pinned)
    assert not research_first & {q.id for q in plan.questions if q.topic != "referrals"}
    assert {r.id for r in plan.research} <= {q.id for q in bank if q.research_first}


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_pinned_questions_are_kept_and_marked_must_ask_while_they_fit(
    data: st.DataObject,
) -> None:
    bank = data.draw(banks())
    request = data.draw(requests(bank))
    plan = plan_build(bank, request)
    by_id = {q.id: q for q in plan.questions}
    low, high = bounds(request.minutes)
    pinned_minutes = 0
    for qid in request.pinned:
        pinned_minutes += next(q.minutes for q in bank if q.id == qid)
        # Pins come in as long as they fit in twice the slot, with the closing questions.
        if pinned_minutes + 10 <= high:
            assert qid in by_id and by_id[qid].pinned
            assert "pinned by you" in by_id[qid].reason


BANK = planner_questions()


def _plan(**fields: object) -> Plan:
    defaults: dict[str, object] = {
        "minutes": 30,
        "organization": "Bluestem Pharmaceuticals",
        "industry": "Pharmaceuticals",
        "stage": "recent_graduate",
        "seed": 7,
    }
    return plan_build(BANK, PlanRequest(**(defaults | fields)))  # type: ignore[arg-type]


def test_the_shipped_bank_fills_every_slot_from_20_to_60_minutes() -> None:
    for minutes in range(20, 61, 5):
        for title in TITLES:
            for stage in STAGES:
                plan = _plan(minutes=minutes, contact_title=title, stage=stage)
                check_plan_properties(plan, minutes, enough=True, referral=True)
                assert {q.phase for q in plan.questions} == set(PHASES)
                assert plan.must_ask_minutes >= minutes - 5


def test_contacts_in_different_roles_get_visibly_different_plans() -> None:
    sales = _plan(contact_title="Pharmaceutical sales representative")
    research = _plan(contact_title="Clinical research associate")
    sales_ids = {q.id for q in sales.questions}
    research_ids = {q.id for q in research.questions}
    # Well over a third of each plan differs.
    assert len(sales_ids ^ research_ids) >= (len(sales_ids) + len(research_ids)) // 3
    assert any("matches role: sales" in q.reason for q in sales.questions)
    assert not any("sales" in q.reason for q in research.questions)
    assert any("matches role: healthcare, research" in q.reason for q in research.questions)
    must_sales = [q.text for q in sales.questions if q.must_ask]
    assert any("rep" in text or "sales" in text or "customer" in text for text in must_sales)


def test_the_users_stage_chooses_between_graduate_and_career_changer_questions() -> None:
    changer = _plan(stage="career_changer", contact_title="Quality engineer")
    graduate = _plan(stage="recent_graduate", contact_title="Quality engineer")
    by_id = {q.id: q for q in BANK}
    assert {by_id[q.id].audience for q in changer.questions} <= {"anyone", "career_changer"}
    assert {by_id[q.id].audience for q in graduate.questions} <= {"anyone", "recent_graduate"}
    assert any(
        q.reason.endswith("career changer") or "career changer" in q.reason
        for q in changer.questions
    )
    assert any("recent graduate" in q.reason for q in graduate.questions)


def test_a_contact_met_before_gets_a_shadowing_ask_just_before_the_referral() -> None:
    first = _plan(contact_title="Territory manager")
    again = _plan(contact_title="Territory manager", met_before=True)
    assert not [q for q in first.questions if q.topic == "shadowing"]
    assert [q.topic for q in again.questions[-2:]] == ["shadowing", "referrals"]
    assert "you have met before: ask to shadow" in again.questions[-2].reason
    assert again.questions[-1].must_ask and again.questions[-2].must_ask


def test_questions_asked_before_are_skipped_with_the_contact_and_noted_at_the_organization() -> (
    None
):
    first = _plan(contact_title="Territory manager")
    asked = frozenset(q.id for q in first.questions if q.topic != "referrals")
    again = _plan(contact_title="Territory manager", asked_with_contact=asked, met_before=True)
    assert not asked & {q.id for q in again.questions}

    colleague = _plan(
        contact_title="Territory manager",
        asked_at_organization=asked,
        organization_seen=True,
    )
    repeated = [q for q in colleague.questions if q.id in asked]
    fresh = [q for q in colleague.questions if q.id not in asked]
    assert len(fresh) > len(repeated)
    assert any("not yet asked at this organization" in q.reason for q in fresh)
    assert all("asked at this organization before" in q.reason for q in repeated)


def test_own_and_starred_questions_are_favoured_and_say_so() -> None:
    own = BankQuestion(
        id=10_001,
        text="How did the merger change your team?",
        phase="insights",
        topic="organization",
        minutes=3,
        own=True,
    )
    # A plain question that no plan would pick otherwise (the last plain one of insights).
    plain = [
        q
        for q in BANK
        if q.phase == "insights"
        and not (q.tags or q.core or q.research_first)
        and q.audience == "anyone"
    ][-1]
    starred = [dataclasses.replace(q, starred=True) if q.id == plain.id else q for q in BANK]
    assert plain.id not in {q.id for q in _plan(organization="Bluestem", seed=1).questions}
    plan = plan_build([*starred, own], PlanRequest(minutes=30, organization="Bluestem", seed=1))
    reasons = {q.id: q.reason for q in plan.questions}
    assert "your own question" in reasons[own.id]
    assert "starred by you" in reasons[plain.id]


def test_research_first_questions_become_research_to_do() -> None:
    plan = _plan(contact_title="Clinical research associate")
    research_first = {q.id for q in BANK if q.research_first}
    assert plan.research and {r.id for r in plan.research} <= research_first
    assert not research_first & {q.id for q in plan.questions}
