"""What the planner reads and writes: the phases and their shares, the bank's questions as the
planner sees them, the request, the plan, and the minutes rules (bring 1.5 to 2 times the
slot; must-asks within 75% of it). The planner itself is ``questions.planner``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from coffeechat.questions.families import Classification, taxonomy

# The head noun of a job title names a person ("manager", "representative", "analyst"); a field
# does not ("design", "sales"). Suffixes catch most; the rest are listed, and a few words that
# end like a person but name a thing are not.
_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ive", "ee")
_PERSON_WORDS = frozenset(
    "analyst associate liaison nurse architect paralegal clerk chef intern fellow lead head vp "
    "principal partner ceo cfo cto coo pm rn crc cra msl md do aide medic".split()
)
_THING_WORDS = frozenset(
    "center centre sector paper water power counter order labor labour major minor floor error "
    "motor interior exterior computer tier letter matter cancer cover".split()
)


def explored(name: str, *, role: bool) -> str:
    """A target as the introduction says it after "I'm exploring": a role named by its title
    reads "the role of product manager" ("I'm exploring Product manager" is not English); a
    field, or a role named as one ("UX design"), stays as it is. An initialism keeps its
    capitals ("the role of UX designer")."""
    name = name.strip()
    words = name.replace(",", " ").split()
    lowered = [word.lower().strip(".") for word in words]
    # "Head of sales", "VP of Product": the person comes before "of".
    head = lowered[lowered.index("of") - 1] if "of" in lowered[1:] else (lowered or [""])[-1]
    person = head in _PERSON_WORDS or (head.endswith(_PERSON_SUFFIXES) and head not in _THING_WORDS)
    if not (role and person):
        return name
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        name = name[0].lower() + name[1:]
    return f"the role of {name}"


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
            return explored(self.role_targets[0], role=True)
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


