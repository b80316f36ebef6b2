"""The plan in words for this person: each question as the user will ask it, each reason in
plain words, and the opening and closing scripts said around the questions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coffeechat.questions.families import taxonomy
from coffeechat.questions.plan_parts import (
    _STAGE_CORE,
    FAMILY_TOPIC_WHY,
    TOPIC_WHY,
    BankQuestion,
    PlannedQuestion,
    PlanRequest,
    ScriptLine,
)

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

