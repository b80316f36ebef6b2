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
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from coffeechat.questions.families import Classification, taxonomy

PHASES: tuple[str, ...] = (
    "opening",
    "trends",
    "insights",
    "advice",
    "resources",
    "assignments",
    "closing",
)
_PHASE_INDEX = {phase: index for index, phase in enumerate(PHASES)}
# Each phase's share of the question time; insights, the realities of the job, get the most.
PHASE_SHARE = {
    "opening": 0.12,
    "trends": 0.14,
    "insights": 0.26,
    "advice": 0.18,
    "resources": 0.10,
    "assignments": 0.10,
    "closing": 0.10,
}
STAGES: tuple[str, ...] = ("student", "recent_graduate", "career_changer", "other")
# The must-ask questions fit in this part of the slot; the opening and the close take the rest.
MUST_ASK_SHARE = 0.75

# Why a question of a topic is worth asking, in plain words, when the question says nothing
# more specific itself (bank.toml's `why`).
TOPIC_WHY = {
    "rapport": "A little small talk first puts you both at ease.",
    "career_path": "Their path shows you the real steps into this work, not the official ones.",
    "day_to_day": "What fills their days is what would fill yours: hear it before you choose.",
    "positives": "What people love about the work is why they stay: see if it would be yours.",
    "challenges": (
        "Every job has a side the postings leave out: hear it from someone who lives it."
    ),
    "culture": "Culture decides whether you would be happy there: ask how it feels inside.",
    "skills": "The skills that matter are the ones to test yourself on before you commit.",
    "industry_trends": (
        "Where the field is heading decides which skills will count when you arrive."
    ),
    "hiring_path": "How people really get in is the part no job posting tells you.",
    "lifestyle": "Hours, travel and pace decide how the job fits the rest of your life.",
    "pay": "Pay norms are hard to find in writing: ask how they work, never about theirs.",
    "organization": "Only someone inside the organization can tell you this.",
    "resources": "A reading list from someone in the field saves you weeks of searching.",
    "shadowing": "A day beside someone doing the work shows it better than any answer.",
    "referrals": "Each name they give you is your next conversation.",
    "follow_up": "Agreeing how to stay in touch turns one conversation into a relationship.",
}
# The same for a question written for the contact's field, where the topic's reason can name
# the people in it.
FAMILY_TOPIC_WHY = {
    "resources": "{people} know which sources are worth the time: a list from one of them "
    "saves you weeks.",
    "skills": "A small task shaped by someone in {field} shows you whether you enjoy the real "
    "work.",
    "referrals": "{people} know who else to hear from: each name is your next conversation.",
    "shadowing": "A few hours beside someone in {field} show the work better than any answer.",
}

# Score weights. Integers, so that ordering never depends on float rounding.
# Own and starred questions outrank the core ones: the user chose them.
_FAMILY, _STAGE, _STAGE_EXACT, _CORE, _OWN, _STARRED, _ORG_TOPIC = 45, 20, 10, 30, 50, 35, 10
_ASKED_AT_ORG = -40
_JITTER = 4096  # a score step; the jitter below it only breaks ties
_BASE = 1000  # keeps every score positive
_TOP = 1 << 40
_INDEX_BITS = 32
_INDEX_MASK = (1 << _INDEX_BITS) - 1

# Bits of BankQuestion.kind: what the planner tests on every question, precomputed once.
_RESEARCH, _FOR_GRADUATE, _FOR_CHANGER, _SHADOWING, _ORGANIZATION = 1, 2, 4, 8, 16
_FOR_STUDENT, _CHALLENGE, _STAGE_CORE = 32, 64, 128
_AUDIENCE_BITS = {
    "student": _FOR_STUDENT,
    "recent_graduate": _FOR_GRADUATE,
    "career_changer": _FOR_CHANGER,
}
_ANY_AUDIENCE = _FOR_STUDENT | _FOR_GRADUATE | _FOR_CHANGER
# Which audiences' questions each stage gets: a student also gets those for anyone starting
# out (the "recent graduate" ones).
_STAGE_AUDIENCES = {
    "student": _FOR_STUDENT | _FOR_GRADUATE,
    "recent_graduate": _FOR_GRADUATE,
    "career_changer": _FOR_CHANGER,
}


@dataclass(frozen=True, slots=True)
class BankQuestion:
    id: int
    text: str
    phase: str
    topic: str
    minutes: int
    audience: str = "anyone"
    # The occupational families the question is written for; empty: any field.
    families: frozenset[str] = frozenset()
    research_first: bool = False
    core: bool = False
    own: bool = False
    starred: bool = False
    why: str = ""
    # Derived in __post_init__ so that planning a 10,000-question bank reads three fields
    # per question instead of ten.
    kind: int = field(init=False, repr=False, compare=False)
    static_score: int = field(init=False, repr=False, compare=False)
    phase_rank: int = field(init=False, repr=False, compare=False)  # -1: not a known phase

    def __post_init__(self) -> None:
        kind = _AUDIENCE_BITS.get(self.audience, 0)
        if self.research_first:
            kind |= _RESEARCH
        if self.topic == "shadowing":
            kind |= _SHADOWING
        if self.topic == "organization":
            kind |= _ORGANIZATION
        if self.topic == "challenges" and self.phase == "insights":
            kind |= _CHALLENGE  # the job's downsides, where the realities are asked
        if self.core and self.audience in _AUDIENCE_BITS:
            kind |= _STAGE_CORE
        score = _BASE + (_STAGE if self.audience in _AUDIENCE_BITS else 0)
        score += (_CORE if self.core else 0) + (_OWN if self.own else 0)
        score += _STARRED if self.starred else 0
        object.__setattr__(self, "phase_rank", _PHASE_INDEX.get(self.phase, -1))
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "static_score", score)


@dataclass(frozen=True)
class PlanRequest:
    minutes: int
    contact_title: str = ""
    # The contact's first name, for the opening and the close.
    contact_name: str = ""
    # The employer's name: for reasons ("about Bluestem") only, never to read the field.
    organization: str = ""
    industry: str = ""
    # Industry targets of the conversation: read like the organization's industry.
    industry_targets: tuple[str, ...] = ()
    # Role targets ("Clinical research associate") describe the job: they stand in for a
    # title that says nothing.
    role_targets: tuple[str, ...] = ()
    stage: str = "other"
    # The user's background in their words ("Seven years teaching middle-school science"):
    # the introduction and the career changer's question use it.
    background: str = ""
    user_name: str = ""
    # Why this field draws the user (a target's "why it interests you").
    why_field: str = ""
    met_before: bool = False
    asked_with_contact: frozenset[int] = frozenset()
    asked_at_organization: frozenset[int] = frozenset()
    # Whether earlier conversations at this organization exist: "not yet asked here" means
    # something only then.
    organization_seen: bool = False
    pinned: tuple[int, ...] = ()
    # Questions the user still needs answered about this conversation's targets (the "open
    # questions" of a fit assessment): always brought, as the user's own.
    open_questions: tuple[int, ...] = ()
    # Questions planned but not reached in an earlier conversation at this organization:
    # brought again, after the pins and the open questions.
    carried: tuple[int, ...] = ()
    # Varies tie-breaks between conversations (use the conversation's id); part of the input,
    # so the same request still gives the same plan.
    seed: int = 0

    @cached_property
    def classification(self) -> Classification:
        industry = " ".join(filter(None, (self.industry, *self.industry_targets)))
        return taxonomy().classify(self.contact_title, industry, self.role_targets)

    @property
    def family(self) -> str | None:
        return self.classification.family

    @property
    def field_name(self) -> str:
        """What the user says they explore, in the introduction."""
        if self.role_targets:
            return self.role_targets[0]
        if self.industry_targets:
            return self.industry_targets[0]
        family = taxonomy().families.get(self.family or "")
        return family.field if family else "this field"


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    id: int
    text: str
    phase: str
    topic: str
    minutes: int
    must_ask: bool
    reason: str
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class ResearchQuestion:
    id: int
    text: str


@dataclass(frozen=True, slots=True)
class ScriptLine:
    """A line of the opening or the close: what to say, and why."""

    kind: str
    # What the line is for, as a heading ("Your 30-second introduction").
    label: str
    text: str
    minutes: int
    why: str
    # The plan's question this line asks (the referral ask of the close), if any.
    question_id: int | None = None


class QuestionTimes:
    """Minutes of a list of questions: the whole plan and its must-ask part. Shared by the
    planner's Plan and the prep page's sheet, which both hold ``questions`` with minutes."""

    questions: Sequence[Any]
    minutes: int

    @property
    def total_minutes(self) -> int:
        return sum(question.minutes for question in self.questions)

    @property
    def must_ask_minutes(self) -> int:
        return sum(question.minutes for question in self.questions if question.must_ask)

    @property
    def must_ask_limit(self) -> int:
        return must_ask_limit(self.minutes)


@dataclass(frozen=True)
class Plan(QuestionTimes):
    minutes: int
    questions: tuple[PlannedQuestion, ...]
    research: tuple[ResearchQuestion, ...] = ()
    opening: tuple[ScriptLine, ...] = ()
    close: tuple[ScriptLine, ...] = ()
    # The contact's occupational family, when confident enough; and how the plan was
    # tailored (or why not) in one sentence.
    family: str | None = None
    confidence: float = 0.0
    tailoring: str = ""


def bounds(minutes: int) -> tuple[int, int]:
    """The plan's total must lie in [1.5x, 2x] the slot: bring more than the time allows."""
    return math.ceil(minutes * 1.5), minutes * 2


def must_ask_limit(minutes: int) -> int:
    """Minutes the must-ask questions may take: 75% of the slot, the rest being the opening
    (thanks, time check, introduction) and the close (who else, may I use your name)."""
    return math.floor(minutes * MUST_ASK_SHARE)


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
        ("pin", request.pinned),
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


# --- Words for this person ---------------------------------------------------------------------


def _clip(text: str, limit: int) -> str:
    """One line of the user's own words, cut at a word boundary, without a final stop."""
    text = " ".join(text.split()).rstrip(" .;,")
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" .;,") + "…"


def personal_text(question: BankQuestion, background: str) -> str:
    """The question as the user will ask it: a career changer's question on how their
    background carries over names that background."""
    if not (question.kind & _STAGE_CORE and question.audience == "career_changer"):
        return question.text
    background = _clip(background, 100)
    if not background:
        return question.text
    text = question.text
    return f"Given my background ({background}), {text[0].lower()}{text[1:]}"


# Words ending in -ing that do not name a kind of work.
_NOT_WORK = frozenset({"during", "including", "nothing", "something", "everything", "morning"})


def _skills_of(background: str) -> str:
    """'your teaching skills' from "Seven years teaching middle-school science"."""
    for word in re.findall(r"[A-Za-z]+", background):
        if len(word) > 5 and word.lower().endswith("ing") and word.lower() not in _NOT_WORK:
            return f"your {word.lower()} skills"
    return "your background" if background.strip() else "your skills"


_STAGE_REASONS = {
    "career_changer": "You are changing careers: this tells you which of {skills} count here, "
    "and which you would have to build.",
    "student": "You are still a student: this tells you which ways into the field people really "
    "use, while you have time to prepare for them.",
    "recent_graduate": "You are starting out: this tells you which first jobs lead somewhere "
    "in this field.",
}


def reason_for(question: BankQuestion, why: str, request: PlanRequest) -> str:
    """In plain words, why this question, for this person: a sentence or two."""
    organization = request.organization
    family = taxonomy().families.get(request.family or "")
    sentences: list[str] = []
    if why == "pin" or question.id in request.pinned:
        sentences.append("You pinned it.")
    if question.id in request.open_questions:
        sentences.append(
            "You listed it as an open question in your fit assessment of this target: this "
            "conversation can answer it."
        )
    if question.id in request.carried:
        where = f" at {organization}" if organization else ""
        sentences.append(f"You planned it last time{where} but did not get to it.")
    if why == "referral":
        sentences.append(
            "Every conversation should lead to the next one: a name to talk to, and permission "
            "to use theirs."
        )
    elif why == "shadowing":
        sentences.append(
            "You have talked before: a day at their side shows the work better than any answer."
        )
    main = ""
    if why in ("referral", "shadowing") or question.id in request.open_questions:
        pass  # said above, in the words of the close or of the fit assessment
    elif why == "stage" and request.stage in _STAGE_REASONS:
        main = _STAGE_REASONS[request.stage].format(skills=_skills_of(request.background))
    elif question.own:
        main = "You wrote this question."
    elif question.why:
        main = question.why
    elif question.families and family and question.topic in FAMILY_TOPIC_WHY:
        main = FAMILY_TOPIC_WHY[question.topic].format(people=family.people, field=family.field)
    elif question.topic == "organization" and organization:
        main = f"Only someone inside {organization} can tell you this."
    else:
        main = TOPIC_WHY.get(question.topic, "A good question for any conversation.")
    if main and main not in sentences:
        sentences.append(main)
    if question.starred:
        sentences.append("You starred it.")
    if question.id in request.asked_at_organization:
        where = f"at {organization}" if organization else "there"
        sentences.append(f"A colleague {where} answered it before: compare their answers.")
    elif request.organization_seen and organization:
        sentences.append(f"No one at {organization} has answered it yet.")
    text = " ".join(sentences)
    return text if len(text) <= 300 else text[:299].rsplit(" ", 1)[0] + "…"


# --- The opening and the close -----------------------------------------------------------------

_STAGE_INTRO = {
    "student": "I'm {name}, and I'm still studying.",
    "recent_graduate": "I'm {name}, and I finished my studies recently.",
    "career_changer": "I'm {name}.",
    "other": "I'm {name}.",
}
_BLANK_BACKGROUND = "[your background in a few words: add it in Settings]"
_BLANK_WHY = "[one sentence on what draws you to it]"


def introduction(*, user_name: str, stage: str, background: str, field: str, why_field: str) -> str:
    """The user's 30-second introduction (about 75 words at most), drafted from their
    profile: name, stage, background, why this field. Brackets mark what to fill in."""
    name = _clip(user_name, 60) or "[your name]"
    background = _clip(background, 120)
    why = _clip(why_field, 160)
    field = _clip(field, 60) or "this field"
    parts = [_STAGE_INTRO.get(stage, "I'm {name}.").format(name=name)]
    parts.append(f"My background: {background or _BLANK_BACKGROUND}.")
    if stage == "career_changer":
        parts.append(f"Now I'm exploring a move into {field}.")
    else:
        parts.append(f"I'm exploring {field}.")
    parts.append(f"What draws me to it: {why or _BLANK_WHY}.")
    parts.append("I'd love to hear how the work looks from where you sit.")
    return " ".join(parts)


def opening_script(
    *,
    minutes: int,
    contact_name: str,
    user_name: str,
    stage: str,
    background: str,
    field: str,
    why_field: str,
) -> tuple[ScriptLine, ...]:
    """Thanks and a time check, then the 30-second introduction."""
    first = _clip(contact_name, 60)
    thanks = f"Thank you for making the time{', ' + first if first else ''}."
    intro = introduction(
        user_name=user_name, stage=stage, background=background, field=field, why_field=why_field
    )
    return (
        ScriptLine(
            kind="thanks",
            label="Thanks and a time check",
            text=f"{thanks} We planned {minutes} minutes: is that still good for you?",
            minutes=1,
            why="Checking the time first shows you respect theirs, and tells you how much of "
            "the plan you can reach.",
        ),
        ScriptLine(
            kind="introduction",
            label="Your 30-second introduction",
            text=intro,
            minutes=1,
            why=INTRODUCTION_WHY + (" Fill in what is in brackets first." if "[" in intro else ""),
        ),
    )


INTRODUCTION_WHY = (
    "Thirty seconds on who you are and why this field lets them fit their answers to you. "
    "Say it in your own words."
)
DEFAULT_REFERRAL = "Who else should I talk to?"


def close_script(*, contact_name: str, referral: PlannedQuestion | None) -> tuple[ScriptLine, ...]:
    """The referral ask (the plan's referral question, asked last), permission to use the
    contact's name, and thanks with the promise of a note."""
    first = _clip(contact_name, 60)
    return (
        ScriptLine(
            kind="referral",
            label="Who else to talk to",
            text=referral.text if referral else DEFAULT_REFERRAL,
            minutes=referral.minutes if referral else 1,
            why="Every conversation should lead to the next one: ask for names before you "
            "say goodbye.",
            question_id=referral.id if referral else None,
        ),
        ScriptLine(
            kind="permission",
            label="Permission to use their name",
            text="May I mention your name when I get in touch with them?",
            minutes=1,
            why="People answer a message that names someone they know: ask before you use "
            "the name.",
        ),
        ScriptLine(
            kind="thanks",
            label="Thanks, and what comes next",
            text=f"Thank you{', ' + first if first else ''}, this was really helpful. I'll send "
            "you a short note tomorrow with what I took away.",
            minutes=1,
            why="Say now that a thank-you is coming, and send it within 24 hours.",
        ),
    )


def script_minutes(lines: Sequence[ScriptLine]) -> int:
    """Minutes of the lines that are not questions of the plan (those count as questions)."""
    return sum(line.minutes for line in lines if line.question_id is None)
