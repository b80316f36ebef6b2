"""The prep planner: a pure, deterministic function from a bank and a request to a plan.

No database, no clock, no randomness: the same bank and request always give the same plan,
which keeps it easy to property-test and to benchmark. ``coffeechat.prep`` builds the inputs
from the database and saves the output.

How a plan is built (the method: bring more questions than the slot allows, chosen for this
person, in TIARA order):

1. Questions a search would answer become research to do, not questions to ask.
2. Questions already asked of this contact are dropped; questions for another audience (a
   career changer's question for a recent graduate) are dropped; questions specific to other
   roles or industries are kept only as a last resort.
3. Each remaining question gets a score: its role or industry matches the contact, it suits
   the user's stage, the user starred or wrote it, it was not yet asked at this organization.
4. A referral question always closes the plan, preceded by a shadowing ask when the contact
   was met before; pinned questions always come in.
5. Each phase gets its share of about 1.75 times the slot, best scores first; then the best
   of the rest fill up to that figure. The total lands between 1.5 and 2 times the slot
   whenever the bank has that many minutes to offer.
6. The questions that matter most are marked "must ask" as long as they fit in the slot.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

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
# Why a question is in its phase, when nothing more specific applies.
PHASE_REASON = {
    "opening": "opens with their story",
    "trends": "TIARA trends: where the field is heading",
    "insights": "TIARA insights: the realities of the job",
    "advice": "TIARA advice: what to do next",
    "resources": "TIARA resources: what to read and join",
    "assignments": "TIARA assignments: a way to test your interest",
    "closing": "next steps",
}
TAG_LABELS = {
    "sales": "sales",
    "marketing": "marketing",
    "engineering": "engineering",
    "research": "research",
    "consulting": "consulting",
    "healthcare": "healthcare",
    "finance": "finance",
    "public_sector": "public sector",
    "nonprofit": "nonprofit",
    "education": "education",
    "product": "product",
    "regulatory": "regulatory and quality",
    "data": "data",
}
STAGE_LABELS = {"recent_graduate": "recent graduate", "career_changer": "career changer"}

# Words in a title, an industry or a target that say which tags apply. Prefixes, matched at
# the start of a word: "engineer" also finds "engineering".
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "sales": (
        "sales",
        "territory",
        "account manager",
        "account executive",
        "key account",
        "business development",
    ),
    "marketing": ("marketing", "brand", "communications", "market access"),
    "engineering": ("engineer", "developer", "software", "r&d"),
    "research": (
        "research",
        "scientist",
        "science",
        "lab",
        "postdoc",
        "clinical trial",
        "pharmacovigilance",
        "genomic",
        "biolog",
    ),
    "consulting": ("consult", "advisory"),
    "healthcare": (
        "health",
        "hospital",
        "clinic",
        "medical",
        "pharma",
        "nurse",
        "physician",
        "patient",
        "biotech",
        "device",
        "diagnostic",
        "therapeut",
        "life science",
    ),
    "finance": ("finance", "financial", "bank", "invest", "accounting", "audit", "actuar"),
    "public_sector": (
        "government",
        "public sector",
        "agency",
        "municipal",
        "federal",
        "ministry",
        "policy",
    ),
    "nonprofit": ("nonprofit", "non-profit", "foundation", "charity", "ngo"),
    "education": ("teacher", "professor", "school", "universit", "education", "lecturer"),
    "product": ("product manager", "product owner", "product management"),
    "regulatory": ("regulatory", "quality", "compliance"),
    "data": ("data", "analytics", "statistic"),
}
_PATTERNS = {
    tag: re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + ")")
    for tag, words in _KEYWORDS.items()
}

# Score weights. Integers, so that ordering never depends on float rounding.
# Own and starred questions outrank the core ones: the user chose them.
_ROLE, _INDUSTRY, _STAGE, _CORE, _OWN, _STARRED, _ORG_TOPIC = 40, 25, 20, 30, 50, 35, 10
_ASKED_AT_ORG, _OFF_ROLE = -40, -100
_JITTER = 4096  # a score step; the jitter below it only breaks ties
_BASE = 1000  # keeps every score positive
_TOP = 1 << 40
_INDEX_BITS = 32
_INDEX_MASK = (1 << _INDEX_BITS) - 1


def tags_for(text: str) -> frozenset[str]:
    """The role or industry tags that a title, industry or target name points to."""
    lowered = f" {text.lower()} "
    return frozenset(tag for tag, pattern in _PATTERNS.items() if pattern.search(lowered))


# Bits of BankQuestion.kind: what the planner tests on every question, precomputed once.
_RESEARCH, _FOR_GRADUATE, _FOR_CHANGER, _SHADOWING, _ORGANIZATION = 1, 2, 4, 8, 16
_AUDIENCE_BITS = {"recent_graduate": _FOR_GRADUATE, "career_changer": _FOR_CHANGER}


@dataclass(frozen=True, slots=True)
class BankQuestion:
    id: int
    text: str
    phase: str
    topic: str
    minutes: int
    audience: str = "anyone"
    tags: frozenset[str] = frozenset()
    research_first: bool = False
    core: bool = False
    own: bool = False
    starred: bool = False
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
    organization: str = ""
    industry: str = ""
    targets: tuple[str, ...] = ()
    # Role targets ("Clinical research associate") describe the job, like the title does.
    role_targets: tuple[str, ...] = ()
    stage: str = "other"
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
    def role_tags(self) -> frozenset[str]:
        return tags_for(" ".join((self.contact_title, *self.role_targets)))

    @cached_property
    def industry_tags(self) -> frozenset[str]:
        return tags_for(" ".join((self.industry, self.organization, *self.targets)))


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


class QuestionTimes:
    """Minutes of a list of questions: the whole plan and its must-ask part. Shared by the
    planner's Plan and the prep page's sheet, which both hold ``questions`` with minutes."""

    questions: Sequence[Any]

    @property
    def total_minutes(self) -> int:
        return sum(question.minutes for question in self.questions)

    @property
    def must_ask_minutes(self) -> int:
        return sum(question.minutes for question in self.questions if question.must_ask)


@dataclass(frozen=True)
class Plan(QuestionTimes):
    minutes: int
    questions: tuple[PlannedQuestion, ...]
    research: tuple[ResearchQuestion, ...] = ()
    role_tags: frozenset[str] = field(default_factory=frozenset)
    industry_tags: frozenset[str] = field(default_factory=frozenset)


def bounds(minutes: int) -> tuple[int, int]:
    """The plan's total must lie in [1.5x, 2x] the slot: bring more than the time allows."""
    return math.ceil(minutes * 1.5), minutes * 2


RESEARCH_LIMIT = 5
# Role-specific questions may take at most this part of a phase's share, so that the core
# questions every conversation needs keep their place.
TAGGED_SHARE = 0.6
_SHARE_SLACK = 1  # a phase may pass its share by a minute rather than skip a long question
_SCAN_AFTER_FULL = 25  # how many more candidates to try once a phase's share is nearly used


def plan_build(bank: Sequence[BankQuestion], request: PlanRequest) -> Plan:
    """The plan for one conversation. Question ids are expected to be unique in ``bank``."""
    role, industry = request.role_tags, request.industry_tags
    matched = role | industry
    pinned = frozenset(request.pinned)
    forced = pinned | frozenset(request.open_questions) | frozenset(request.carried)
    asked_contact = request.asked_with_contact
    asked_org = request.asked_at_organization
    org_bonus = _ORG_TOPIC if request.organization else 0
    seed = request.seed * 7919
    high = bounds(request.minutes)[1]
    aim = math.ceil(request.minutes * 1.75)
    # Kinds of question left out of this plan unless pinned: research to do instead, another
    # audience's questions, and a shadowing ask before the two have ever met.
    skip = _RESEARCH | (_FOR_GRADUATE | _FOR_CHANGER) & ~_AUDIENCE_BITS.get(request.stage, 0)
    if not request.met_before:
        skip |= _SHADOWING

    # Candidates per phase as single integers, best first when sorted ascending: the rank in
    # the high bits, the position in ``bank`` in the low ones. Sorting plain ints is several
    # times faster than sorting tuples, which matters at 10,000 questions.
    lists: list[list[int]] = [[] for _ in PHASES]
    phase_index = _PHASE_INDEX
    research: list[tuple[int, int]] = []
    pinned_at: dict[int, int] = {}
    for index, question in enumerate(bank):
        phase = question.phase_rank
        if phase < 0:
            continue
        qid = question.id
        kind = question.kind
        tags = question.tags
        if forced and qid in forced:
            pinned_at[qid] = index
        elif kind & skip:
            if kind & _RESEARCH and (not tags or tags <= matched):
                research.append((1 if tags else 2, index))
            continue
        elif asked_contact and qid in asked_contact:
            continue
        score = question.static_score
        if tags:
            if not tags <= matched:
                score += _OFF_ROLE
            elif tags.isdisjoint(role):
                score += _INDUSTRY
            else:
                score += _ROLE
        if kind & _ORGANIZATION:
            score += org_bonus
        if asked_org and qid in asked_org:
            score += _ASKED_AT_ORG
        # Ties broken by a hash of the id and the seed: deterministic, but not always the
        # same handful of questions for every contact.
        ranked = score * _JITTER + ((qid * 2654435761 + seed) & 0xFFF)
        lists[phase].append(((_TOP - ranked) << _INDEX_BITS) | index)

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

    def best(topic: str) -> int | None:
        closing = lists[_PHASE_INDEX["closing"]]
        for key in closing:
            if bank[key & _INDEX_MASK].topic == topic:
                return key
        if topic != "referrals":
            return None
        # Ask "who else?" again rather than leave the plan without its close: the first
        # referral question of the bank, ranked last.
        for index, question in enumerate(bank):
            if question.phase == "closing" and question.topic == topic:
                return (_TOP << _INDEX_BITS) | index
        return None

    referral = best("referrals")
    if referral is not None:
        take(referral, "referral")
    if request.met_before:
        shadowing = best("shadowing")
        if shadowing is not None:
            take(shadowing, "shadowing")
    for why, ids in (
        ("pin", request.pinned),
        ("open", request.open_questions),
        ("carried", request.carried),
    ):
        for qid in ids:
            if qid in pinned_at:
                index = pinned_at[qid]
                key = next(
                    (k for k in lists[phase_index[bank[index].phase]] if k & _INDEX_MASK == index),
                    None,
                )
                take(key if key is not None else (_TOP << _INDEX_BITS) | index, why)

    # Each phase gets its share of the aim, best first; what would overflow the share is
    # skipped, and role-specific questions leave room for the core ones.
    for phase_name, candidates in zip(PHASES, lists, strict=True):
        share = max(1, round(aim * PHASE_SHARE[phase_name]))
        tagged_cap = max(5, share * TAGGED_SHARE)
        in_phase = [bank[index] for index in chosen if bank[index].phase == phase_name]
        used = sum(q.minutes for q in in_phase)
        tagged = sum(q.minutes for q in in_phase if q.tags)
        misses = 0
        for key in candidates:
            if used >= share or misses > _SCAN_AFTER_FULL:
                break
            question = bank[key & _INDEX_MASK]
            minutes = question.minutes
            if used + minutes > share + _SHARE_SLACK or (
                question.tags and tagged + minutes > tagged_cap
            ):
                misses += 1
                continue
            if take(key, "rank"):
                used += minutes
                if question.tags:
                    tagged += minutes

    # Then the best of the rest, whatever their phase, up to the aim.
    if total < aim:
        for key in heapq.merge(*lists):
            if total >= aim:
                break
            take(key, "rank")

    return Plan(
        minutes=request.minutes,
        questions=_order_and_mark(bank, chosen, request),
        research=tuple(
            ResearchQuestion(bank[index].id, bank[index].text) for _, index in sorted(research)
        )[:RESEARCH_LIMIT],
        role_tags=role,
        industry_tags=industry,
    )


def _order_and_mark(
    bank: Sequence[BankQuestion], chosen: dict[int, tuple[int, str]], request: PlanRequest
) -> tuple[PlannedQuestion, ...]:
    # Must-ask: the referral first, then pins in the user's order, the shadowing ask, the
    # best question of each phase, then the rest by rank, while they fit in the slot.
    firsts = {"referral": 0, "pin": 1, "open": 1, "carried": 2, "shadowing": 2}
    pins = {qid: order for order, qid in enumerate(request.pinned)}
    lead: dict[str, int] = {}
    for index in sorted(chosen, key=lambda i: -chosen[i][0]):
        lead.setdefault(bank[index].phase, index)
    phase_leads = set(lead.values())

    def priority(index: int) -> tuple[int, int, int, int]:
        rank, why = chosen[index]
        kind = firsts.get(why, 3 if index in phase_leads else 4)
        return (
            kind,
            pins.get(bank[index].id, 0),
            _PHASE_INDEX[bank[index].phase] if kind == 3 else 0,
            -rank,
        )

    must: set[int] = set()
    used = 0
    for index in sorted(chosen, key=priority):
        minutes = bank[index].minutes
        if used + minutes <= request.minutes:
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
                text=question.text,
                phase=question.phase,
                topic=question.topic,
                minutes=question.minutes,
                must_ask=index in must,
                reason=reason_for(question, chosen[index][1], request),
                pinned=question.id in pins,
            )
        )
    return tuple(planned)


def reason_for(question: BankQuestion, why: str, request: PlanRequest) -> str:
    """A short sentence on why the question is in this plan, most specific part first."""
    role, industry = request.role_tags, request.industry_tags
    parts: list[str] = []
    if why == "pin" or question.id in request.pinned:
        parts.append("pinned by you")
    if why == "referral":
        parts.append("closes the conversation: who else to talk to")
    if why == "shadowing":
        parts.append("you have met before: ask to shadow")
    if why == "open":
        parts.append("an open question of your fit assessment")
    if why == "carried":
        parts.append("not reached last time at this organization")
    if question.own:
        parts.append("your own question")
    tags = question.tags
    if tags and not tags <= role | industry:
        parts.append("general fit: few questions for this role left")
    elif tags & role:
        parts.append("matches role: " + _labels(tags & role))
    elif tags:
        parts.append("matches industry: " + _labels(tags))
    if question.audience in STAGE_LABELS:
        parts.append(STAGE_LABELS[question.audience])
    if question.starred:
        parts.append("starred by you")
    if question.topic == "organization" and request.organization:
        parts.append(f"about {request.organization}")
    if question.id in request.asked_at_organization:
        parts.append("asked at this organization before: compare the answers")
    elif request.organization_seen and request.organization:
        parts.append("not yet asked at this organization")
    if question.core and len(parts) < 2:
        parts.append("a core question for any conversation")
    if not parts or len(parts) == 1 and parts[0].startswith("not yet"):
        parts.insert(0, PHASE_REASON[question.phase])
    return "; ".join(parts[:3])


def _labels(tags: Iterable[str]) -> str:
    return ", ".join(TAG_LABELS.get(tag, tag) for tag in sorted(tags))
