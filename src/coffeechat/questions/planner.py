"""The prep planner: a pure, deterministic function from a bank and a request to a plan.

No database, no clock, no randomness: the same bank and request always give the same plan,
which keeps it easy to property-test and to benchmark. ``coffeechat.prep`` builds the inputs
from the database and saves the output.

A plan sounds like a real conversation: an opening script (thanks and a time check, then a
30-second introduction drafted from the user's profile), questions in TIARA order, and a close
(the referral ask, permission to use the contact's name, thanks). How the questions are chosen
(the method: bring more questions than the slot allows, chosen for this person):

1. The contact's occupational family is read from their title, the conversation's role
   targets and the organization's industry (``questions.families``; never the employer's
   name). Questions written for another family never come in; below the confidence threshold
   no family does, and the plan says so.
2. Questions a search would answer become research to do, not questions to ask. Questions
   already asked of this contact are dropped, and so are questions for another stage.
3. Each remaining question gets a score: written for this family, suited to the user's stage,
   starred or written by the user, not yet asked at this organization.
4. Some questions always come in: the referral ask that closes the conversation; the stage's
   own question (how a career changer's background carries over, a student's or graduate's
   way in); one on the job's downsides or hardest parts; the pins, the open questions of a fit
   assessment about this target, what was not reached last time; a shadowing ask when the two
   have met before.
5. Each phase gets its share of about 1.75 times the slot, best first; the best of the rest
   fill up to that figure. The total lands between 1.5 and 2 times the slot whenever the bank
   has that many minutes to offer.
6. "Must ask" marks, in this order, the referral, the stage's question, the downside one, the
   user's pins and open questions, then the best of each phase, while they fit in 75% of the
   slot: the rest is for the opening and the close.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

from coffeechat.questions.families import taxonomy

# The parts and the words live in their own modules; what other apps use is named here too,
# so ``questions.planner`` stays the one place to import the planner from.
from coffeechat.questions.plan_parts import (
    _ANY_AUDIENCE,
    _ASKED_AT_ORG,
    _AUDIENCE_BITS,
    _CHALLENGE,
    _FAMILY,
    _INDEX_BITS,
    _INDEX_MASK,
    _JITTER,
    _ORG_TOPIC,
    _ORGANIZATION,
    _PHASE_INDEX,
    _RESEARCH,
    _SHADOWING,
    _STAGE_AUDIENCES,
    _STAGE_CORE,
    _STAGE_EXACT,
    _TOP,
    PHASE_SHARE,
    PHASES,
    STAGES,
    BankQuestion,
    Plan,
    PlannedQuestion,
    PlanRequest,
    QuestionTimes,
    ResearchQuestion,
    ScriptLine,
    bounds,
    must_ask_limit,
)
from coffeechat.questions.wording import (
    close_script,
    opening_script,
    personal_text,
    reason_for,
    script_minutes,
)

__all__ = [
    "PHASES",
    "STAGES",
    "BankQuestion",
    "Plan",
    "PlanRequest",
    "PlannedQuestion",
    "QuestionTimes",
    "ScriptLine",
    "bounds",
    "close_script",
    "must_ask_limit",
    "opening_script",
    "plan_build",
    "script_minutes",
]


RESEARCH_LIMIT = 5
# Field-specific questions may take at most this part of a phase's share, so that the core
# questions every conversation needs keep their place.
TAGGED_SHARE = 0.6
_SHARE_SLACK = 1  # a phase may pass its share by a minute rather than skip a long question
_SCAN_AFTER_FULL = 25  # how many more candidates to try once a phase's share is nearly used


def plan_build(bank: Sequence[BankQuestion], request: PlanRequest) -> Plan:
    """The plan for one conversation. Question ids are expected to be unique in ``bank``."""
    classification = request.classification
    family = classification.family
    forced = frozenset(request.pinned) | frozenset(request.open_questions)
    forced |= frozenset(request.carried)
    asked_contact = request.asked_with_contact
    asked_org = request.asked_at_organization
    org_bonus = _ORG_TOPIC if request.organization else 0
    seed = request.seed * 7919
    high = bounds(request.minutes)[1]
    aim = math.ceil(request.minutes * 1.75)
    audiences = _STAGE_AUDIENCES.get(request.stage, 0)
    exact = _AUDIENCE_BITS.get(request.stage, 0)
    # Kinds of question left out of this plan unless pinned: research to do instead, another
    # stage's questions, and a shadowing ask before the two have ever met.
    skip = _RESEARCH | (_ANY_AUDIENCE & ~audiences)
    if not request.met_before:
        skip |= _SHADOWING

    # Candidates per phase as single integers, best first when sorted ascending: the rank in
    # the high bits, the position in ``bank`` in the low ones. Sorting plain ints is several
    # times faster than sorting tuples, which matters at 10,000 questions.
    lists: list[list[int]] = [[] for _ in PHASES]
    research: list[tuple[int, int]] = []
    forced_keys: dict[int, int] = {}
    stage_keys: list[int] = []
    downside_keys: list[int] = []
    for index, question in enumerate(bank):
        phase = question.phase_rank
        if phase < 0:
            continue
        qid = question.id
        kind = question.kind
        families = question.families
        if forced and qid in forced:
            pass  # brought whatever it is: the user asked for it
        elif families and family not in families:
            # Written for another field: never in this plan (low confidence: no field).
            continue
        elif kind & skip:
            if kind & _RESEARCH:
                research.append((1 if families else 2, index))
            continue
        elif asked_contact and qid in asked_contact:
            continue
        score = question.static_score
        if families:
            score += _FAMILY
        if kind & exact:
            score += _STAGE_EXACT
        if kind & _ORGANIZATION:
            score += org_bonus
        if asked_org and qid in asked_org:
            score += _ASKED_AT_ORG
        # Ties broken by a hash of the id and the seed: deterministic, but not always the
        # same handful of questions for every contact.
        ranked = score * _JITTER + ((qid * 2654435761 + seed) & 0xFFF)
        key = ((_TOP - ranked) << _INDEX_BITS) | index
        lists[phase].append(key)
        if forced and qid in forced:
            forced_keys[qid] = key
        if kind & _STAGE_CORE:
            stage_keys.append(key)
        if kind & _CHALLENGE:
            downside_keys.append(key)

    for candidates in lists:
        candidates.sort()

    chosen: dict[int, tuple[int, str]] = {}  # index in bank -> (rank, why it was chosen)
    chosen_ids: set[int] = set()
    total = 0

    def take(key: int, why: str) -> bool:
        nonlocal total
        index = key & _INDEX_MASK
        question = bank[index]
        if question.id in chosen_ids or total + question.minutes > high:
            return False
        chosen[index] = (_TOP - (key >> _INDEX_BITS), why)
        chosen_ids.add(question.id)
        total += question.minutes
        return True

    def best_closing(topic: str) -> int | None:
        closing = lists[_PHASE_INDEX["closing"]]
        for key in closing:
            if bank[key & _INDEX_MASK].topic == topic:
                return key
        if topic != "referrals":
            return None
        # Ask "who else?" again (or in another stage's words) rather than leave the plan
        # without its close: the first referral question of the bank for this field, ranked
        # last.
        for index, question in enumerate(bank):
            if (
                question.phase == "closing"
                and question.topic == topic
                and (not question.families or family in question.families)
            ):
                return (_TOP << _INDEX_BITS) | index
        return None

    referral = best_closing("referrals")
    if referral is not None:
        take(referral, "referral")
    if request.met_before:
        shadowing = best_closing("shadowing")
        if shadowing is not None:
            take(shadowing, "shadowing")
    # The user's pins before any question the planner picks for them: a pin is a decision,
    # the stage and downside questions below are only the planner's advice.
    for qid in request.pinned:
        if qid in forced_keys:
            take(forced_keys[qid], "pin")
    # The stage's own question: the exact stage's first (a student's before a graduate's).
    if stage_keys:
        take(min(stage_keys, key=lambda k: (not bank[k & _INDEX_MASK].kind & exact, k)), "stage")
    # A question on the job's downsides: the family's own first, it is the sharper one.
    if downside_keys:
        take(
            min(downside_keys, key=lambda k: (not bank[k & _INDEX_MASK].families, k)),
            "downside",
        )
    for why, ids in (
        ("open", request.open_questions),
        ("carried", request.carried),
    ):
        for qid in ids:
            if qid in forced_keys:
                take(forced_keys[qid], why)

    # Each phase gets its share of the aim, best first; what would overflow the share is
    # skipped, and field-specific questions leave room for the core ones.
    for phase_name, candidates in zip(PHASES, lists, strict=True):
        share = max(1, round(aim * PHASE_SHARE[phase_name]))
        tagged_cap = max(5, share * TAGGED_SHARE)
        in_phase = [bank[index] for index in chosen if bank[index].phase == phase_name]
        used = sum(q.minutes for q in in_phase)
        tagged = sum(q.minutes for q in in_phase if q.families)
        misses = 0
        for key in candidates:
            if used >= share or misses > _SCAN_AFTER_FULL:
                break
            question = bank[key & _INDEX_MASK]
            minutes = question.minutes
            if used + minutes > share + _SHARE_SLACK or (
                question.families and tagged + minutes > tagged_cap
            ):
                misses += 1
                continue
            if take(key, "rank"):
                used += minutes
                if question.families:
                    tagged += minutes

    # Then the best of the rest, whatever their phase, up to the aim.
    if total < aim:
        for key in heapq.merge(*lists):
            if total >= aim:
                break
            take(key, "rank")

    questions = _order_and_mark(bank, chosen, request)
    referral_question = next(
        (q for q in reversed(questions) if q.topic == "referrals" and q.phase == "closing"),
        None,
    )
    return Plan(
        minutes=request.minutes,
        questions=questions,
        research=tuple(
            ResearchQuestion(bank[index].id, bank[index].text) for _, index in sorted(research)
        )[:RESEARCH_LIMIT],
        opening=opening_script(
            minutes=request.minutes,
            contact_name=request.contact_name,
            user_name=request.user_name,
            stage=request.stage,
            background=request.background,
            field=request.field_name,
            why_field=request.why_field,
        ),
        close=close_script(contact_name=request.contact_name, referral=referral_question),
        family=family,
        confidence=classification.confidence,
        tailoring=taxonomy().note(classification),
    )


def _order_and_mark(
    bank: Sequence[BankQuestion], chosen: dict[int, tuple[int, str]], request: PlanRequest
) -> tuple[PlannedQuestion, ...]:
    # Must-ask, in this order: the referral, the stage's question, the downside one, pins in
    # the user's order and open questions, what was carried over and the shadowing ask, the
    # best question of each phase, then the rest by rank; while they fit in 75% of the slot.
    firsts = {
        "referral": 0,
        "stage": 1,
        "downside": 2,
        "pin": 3,
        "open": 3,
        "carried": 4,
        "shadowing": 4,
    }
    pins = {qid: order for order, qid in enumerate(request.pinned)}
    lead: dict[str, int] = {}
    for index in sorted(chosen, key=lambda i: -chosen[i][0]):
        lead.setdefault(bank[index].phase, index)
    phase_leads = set(lead.values())

    def priority(index: int) -> tuple[int, int, int, int]:
        rank, why = chosen[index]
        kind = firsts.get(why, 5 if index in phase_leads else 6)
        return (
            kind,
            pins.get(bank[index].id, 0),
            _PHASE_INDEX[bank[index].phase] if kind == 5 else 0,
            -rank,
        )

    limit = must_ask_limit(request.minutes)
    must: set[int] = set()
    used = 0
    for index in sorted(chosen, key=priority):
        minutes = bank[index].minutes
        if used + minutes <= limit:
            must.add(index)
            used += minutes

    # Order: phases in TIARA order; inside a phase, must-ask first, best first. The closing
    # phase ends with the shadowing ask, then the referral question, last of all.
    closing_tail = {"shadowing": 1, "referral": 2}

    def position(index: int) -> tuple[int, int, int, int, int]:
        rank, why = chosen[index]
        return (
            _PHASE_INDEX[bank[index].phase],
            closing_tail.get(why, 0),
            0 if index in must else 1,
            -rank,
            bank[index].id,
        )

    planned = []
    for index in sorted(chosen, key=position):
        question = bank[index]
        planned.append(
            PlannedQuestion(
                id=question.id,
                text=personal_text(question, request.background),
                phase=question.phase,
                topic=question.topic,
                minutes=question.minutes,
                must_ask=index in must,
                reason=reason_for(question, chosen[index][1], request),
                pinned=question.id in pins,
            )
        )
    return tuple(planned)
