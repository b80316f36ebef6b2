"""The demo's data, read from ``demo/data/*.toml`` (as the question bank is read from
``questions/data/bank.toml``): people, employers, conversations, what Maya wrote down and sent,
her prep, interviews and fit assessments, and what it all led to (leads). The builders
(``world``, ``loop``) hold no literals.

Every value that names one of the app's choices (a status, a kind, a channel), every person's
handle and every employer's name is checked on load: a typo in a data file stops the build
with the file and the value, instead of writing a wrong row.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import TextChoices

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.fit.models import Choice, LineKind
from coffeechat.interview.models import Shadowing as ShadowingRow
from coffeechat.leads.models import LEAD_TRANSITIONS, LeadStatus, RoundKind, RoundOutcome
from coffeechat.outreach.models import Channel, DraftKind
from coffeechat.prep.models import ResearchItem
from coffeechat.questions.models import Phase, Topic
from coffeechat.targets.models import Target

DATA_DIR = Path(__file__).resolve().parent / "data"
# The step that must land in the current week (whatever the weekday), for the weekly goal.
THIS_WEEK = 999
# A shadowing the contact offered in the conversation: "agreed", from their side.
OFFERED = "offered"


def _read(name: str) -> dict[str, Any]:
    with (DATA_DIR / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


def _check[T: str](value: T, allowed: type[TextChoices] | Iterable[str], where: str) -> T:
    values = list(allowed.values) if isinstance(allowed, type) else list(allowed)
    if value not in values:
        shown = ", ".join(map(str, values[:12])) + (", ..." if len(values) > 12 else "")
        raise ValueError(f"demo/data/{where}: {value!r} is none of {shown}")
    return value


# ---------------------------------------------------------------------------------------------
# employers.toml: the targets, with LAMP scores
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Employer:
    name: str
    industry: str
    advocacy: bool
    motivation: int
    posting: int
    status: str
    why: str


_employers = _read("employers")
TAGS: tuple[str, ...] = tuple(_employers["tags"])
DOMAIN_NOISE: frozenset[str] = frozenset(_employers["domain_noise"])
# (kind, name, advocacy, motivation, posting, why)
BROAD_TARGETS: tuple[tuple[str, str, bool, int, int, str], ...] = tuple(
    (
        _check(row["kind"], Target.Kind, "employers.toml"),
        row["name"],
        row["advocacy"],
        row["motivation"],
        row["posting"],
        row["why"],
    )
    for row in _employers["target"]
)
EMPLOYERS: tuple[Employer, ...] = tuple(
    Employer(
        **{
            **row,
            "industry": _check(row["industry"], [t[1] for t in BROAD_TARGETS], "employers.toml"),
            "status": _check(row["status"], Target.Status, "employers.toml"),
        }
    )
    for row in _employers["employer"]
)
TARGET_NAMES = frozenset([t[1] for t in BROAD_TARGETS] + [e.name for e in EMPLOYERS])

# ---------------------------------------------------------------------------------------------
# people.toml: the people with a story, and the decks the rest of the network is drawn from
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    handle: str
    first: str
    last: str
    organization: str | None
    title: str
    connection: str
    detail: str = ""
    introduced_by: str | None = None
    tags: tuple[str, ...] = ()
    phone: str = ""


_people = _read("people")
PEOPLE: tuple[Person, ...] = tuple(
    Person(
        **{
            **row,
            "organization": row.get("organization")
            and _check(row["organization"], [e.name for e in EMPLOYERS], "people.toml"),
            "connection": _check(row["connection"], Contact.Connection, "people.toml"),
            "tags": tuple(_check(tag, TAGS, "people.toml") for tag in row.get("tags", ())),
        }
    )
    for row in _people["person"]
)
HANDLES = frozenset(person.handle for person in PEOPLE)


def _handle(value: str, where: str) -> str:
    return _check(value, sorted(HANDLES), where)


for _person in PEOPLE:
    if _person.introduced_by:
        _handle(_person.introduced_by, "people.toml")
TOTAL_CONTACTS: int = _people["total_contacts"]
FILLER_REFERRALS: int = _people["filler_referrals"]
INTRODUCERS: tuple[str, ...] = tuple(_handle(h, "people.toml") for h in _people["introducers"])
OTHER_INTERACTIONS: dict[str, int] = {
    _handle(h, "people.toml"): days for h, days in _people["other_interactions"].items()
}
FIRST_NAMES: tuple[str, ...] = tuple(_people["first_names"])
LAST_NAMES: tuple[str, ...] = tuple(_people["last_names"])
TITLES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _people["titles"].items()}
UNATTACHED_TITLES: tuple[str, ...] = tuple(_people["unattached_titles"])
TAG_FOR_TITLE: tuple[tuple[str, str], ...] = tuple(
    (word, _check(tag, TAGS, "people.toml")) for word, tag in _people["tag_for_title"]
)
MAJORS: tuple[str, ...] = tuple(_people["majors"])
EVENTS: tuple[str, ...] = tuple(_people["events"])
ONLINE_DETAILS: tuple[str, ...] = tuple(_people["online_details"])
COLLEAGUE_DETAILS: tuple[str, ...] = tuple(_people["colleague_details"])
FRIEND_DETAILS: tuple[str, ...] = tuple(_people["friend_details"])
AFFINITY_DETAILS: tuple[str, ...] = tuple(_people["affinity_details"])

# ---------------------------------------------------------------------------------------------
# conversations.toml: each conversation's path of statuses, with a time for every step
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Talk:
    handle: str
    # (status, day offset from today, hour, minute); "held" and "thanked" are derived from
    # the start time, and THIS_WEEK marks the step that must land in the current week.
    steps: tuple[tuple[str, int, int, int], ...]
    targets: tuple[str, ...]
    starts: tuple[int, int, int] | None = None  # day offset, hour, minute
    roll_to_weekday: bool = True
    minutes: int = 30
    medium: str = Conversation.Medium.VIDEO
    place: str = ""  # "" and a video call: a generated meeting link
    thank_after_hours: int = 4
    notes: str = ""


def _step(step: list[Any]) -> tuple[str, int, int, int]:
    status = _check(step[0], Status, "conversations.toml")
    if len(step) == 1:
        return status, 0, 0, 0
    if step[1] == "this week":
        return status, THIS_WEEK, 0, 0
    return status, step[1], step[2], step[3]


TALKS: tuple[Talk, ...] = tuple(
    Talk(
        handle=_handle(row.pop("contact"), "conversations.toml"),
        steps=tuple(_step(step) for step in row.pop("steps")),
        targets=tuple(_check(t, TARGET_NAMES, "conversations.toml") for t in row.pop("targets")),
        starts=tuple(row.pop("starts")) if "starts" in row else None,  # type: ignore[arg-type]
        medium=_check(
            row.pop("medium", Conversation.Medium.VIDEO), Conversation.Medium, "conversations.toml"
        ),
        **row,
    )
    for row in _read("conversations")["conversation"]
)
TALKED = frozenset(talk.handle for talk in TALKS)

# ---------------------------------------------------------------------------------------------
# notes.toml: notes, learnings and hand-written follow-ups
# ---------------------------------------------------------------------------------------------

_notes = _read("notes")
# (handle, after which step, minutes after it, text)
CONVERSATION_NOTES: tuple[tuple[str, str, int, str], ...] = tuple(
    (
        _check(row["contact"], TALKED, "notes.toml"),
        _check(row["after"], Status, "notes.toml"),
        row["minutes"],
        row["text"],
    )
    for row in _notes["conversation_note"]
)
# (handle, day offset, text)
CONTACT_NOTES: tuple[tuple[str, int, str], ...] = tuple(
    (_handle(row["contact"], "notes.toml"), row["day"], row["text"])
    for row in _notes["contact_note"]
)
# handle -> ((kind, text), ...), in the order the file gives them
LEARNINGS: dict[str, tuple[tuple[str, str], ...]] = {}
for _row in _notes["learning"]:
    LEARNINGS[_check(_row["contact"], TALKED, "notes.toml")] = (
        *LEARNINGS.get(_row["contact"], ()),
        (_check(_row["kind"], Learning.Kind, "notes.toml"), _row["text"]),
    )
# (handle, on the conversation?, due day offset, done day offset or None, what)
FOLLOWUPS: tuple[tuple[str, bool, int, int | None, str], ...] = tuple(
    (
        _handle(row["contact"], "notes.toml"),
        row["on_conversation"],
        row["due"],
        row.get("done"),
        row["what"],
    )
    for row in _notes["followup"]
)

# ---------------------------------------------------------------------------------------------
# messages.toml: templates, requests, thank-yous, keep-in-touch
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    kind: str
    name: str
    subject: str
    body: str
    days: int  # when she wrote it


@dataclass(frozen=True)
class Message:
    """A request: filled from one of Maya's templates, or written by hand."""

    template: str = ""
    kind: str = DraftKind.REQUEST_EMAIL
    channel: str = Channel.EMAIL
    subject: str = ""
    body: str = ""


_messages = _read("messages")
TEMPLATES: dict[str, Template] = {
    key: Template(**{**row, "kind": _check(row["kind"], DraftKind, "messages.toml")})
    for key, row in _messages["template"].items()
}
REQUESTS: dict[str, Message] = {
    _check(key, TALKED, "messages.toml"): Message(
        **{
            **row,
            "template": _check(row.get("template", ""), ["", *TEMPLATES], "messages.toml"),
            "kind": _check(row.get("kind", Message.kind), DraftKind, "messages.toml"),
            "channel": _check(row.get("channel", Message.channel), Channel, "messages.toml"),
        }
    )
    for key, row in _messages["request"].items()
}
# handle -> (subject, body)
THANKS: dict[str, tuple[str, str]] = {
    _check(key, TALKED, "messages.toml"): (row["subject"], row["body"])
    for key, row in _messages["thanks"].items()
}
KEEP_IN_TOUCH_NOTES: dict[str, tuple[str, str]] = {
    _check(key, TALKED, "messages.toml"): (row["subject"], row["body"])
    for key, row in _messages["keep_in_touch_note"].items()
}
# handle -> months
KEEP_IN_TOUCH: dict[str, int] = {
    _check(key, TALKED, "messages.toml"): months
    for key, months in _messages["keep_in_touch"].items()
}

# ---------------------------------------------------------------------------------------------
# interviews.toml: interview mode, referrals, shadowing
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interview:
    minutes: int
    notes: dict[str, str]  # topic -> note under the first question of it asked
    skipped: dict[str, str] = field(default_factory=dict)  # topic -> why


@dataclass(frozen=True)
class Shadowing:
    stage: str  # OFFERED: the contact offered it in the conversation
    day: int | None = None  # the day, from today
    notes: str = ""
    since: str = Status.HELD  # the step of the conversation at which it came up
    updated: int | None = None  # when the stage last moved, from today
    # The reflection after the day (done only).
    surprised: str = ""
    energised: str = ""
    drained: str = ""
    see_yourself: str = ""
    question_raised: str = ""


def _topics(rows: dict[str, str]) -> dict[str, str]:
    return {_check(topic, Topic, "interviews.toml"): text for topic, text in rows.items()}


_interviews = _read("interviews")
INTERVIEWS: dict[str, Interview] = {
    _check(key, TALKED, "interviews.toml"): Interview(
        minutes=row["minutes"],
        notes=_topics(row["notes"]),
        skipped=_topics(row.get("skipped", {})),
    )
    for key, row in _interviews["interview"].items()
}
# (whose conversation, whom they suggested)
REFERRALS: tuple[tuple[str, str], ...] = tuple(
    (_check(a, TALKED, "interviews.toml"), _check(b, TALKED, "interviews.toml"))
    for a, b in _interviews["referrals"]
)
SHADOWING: dict[str, Shadowing] = {
    _check(key, TALKED, "interviews.toml"): Shadowing(
        **{
            **row,
            "stage": _check(row["stage"], [OFFERED, *ShadowingRow.Stage.values], "interviews.toml"),
            "since": _check(row.get("since", Status.HELD), Status, "interviews.toml"),
        }
    )
    for key, row in _interviews["shadowing"].items()
}

# ---------------------------------------------------------------------------------------------
# fit.toml: assessments with cited evidence
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    text: str
    learnings: tuple[str, ...] = ()  # "handle/kind"
    notes: tuple[str, ...] = ()  # "handle: how the note starts"
    rating: int | None = None


@dataclass(frozen=True)
class Assessment:
    dimensions: dict[str, Line]
    strengths: tuple[Line, ...] = ()
    weaknesses: tuple[Line, ...] = ()
    open_questions: tuple[tuple[str, bool], ...] = ()  # (question, resolved)
    days: int = -1  # when it was last worked on


def _line(row: dict[str, Any]) -> Line:
    return Line(
        text=row["text"],
        learnings=tuple(row.get("learnings", ())),
        notes=tuple(row.get("notes", ())),
        rating=row.get("rating"),
    )


FIT: dict[str, Assessment] = {
    _check(row["target"], TARGET_NAMES, "fit.toml"): Assessment(
        dimensions={
            _check(kind, LineKind, "fit.toml"): _line(line)
            for kind, line in row.get("dimensions", {}).items()
        },
        strengths=tuple(_line(line) for line in row.get("strength", ())),
        weaknesses=tuple(_line(line) for line in row.get("weakness", ())),
        open_questions=tuple(
            (q["text"], q.get("resolved", False)) for q in row.get("open_question", ())
        ),
        days=row["days"],
    )
    for row in _read("fit")["assessment"]
}


@dataclass(frozen=True)
class Decision:
    """A verdict Maya took on a target; ``proposed`` empty: the app's proposal at build time."""

    target: str
    days: int
    verdict: str
    proposed: str = ""
    note: str = ""


VERDICTS: tuple[Decision, ...] = tuple(
    Decision(
        target=_check(row["target"], FIT, "fit.toml"),
        days=row["days"],
        verdict=_check(row["verdict"], Choice, "fit.toml"),
        proposed=_check(row.get("proposed", ""), ["", *Choice], "fit.toml"),
        note=row.get("note", ""),
    )
    for row in _read("fit")["verdict"]
)

# ---------------------------------------------------------------------------------------------
# prep.toml and network.toml
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prep:
    done: tuple[str, ...]  # research kinds already checked off
    own: tuple[tuple[str, bool], ...] = ()  # (research item, done)
    move_up: str = ""  # a phase whose last question Maya moved up one place


_prep = _read("prep")
PREP: dict[str, Prep] = {
    _check(key, TALKED, "prep.toml"): Prep(
        done=tuple(_check(kind, ResearchItem.Kind, "prep.toml") for kind in row["done"]),
        own=tuple((text, done) for text, done in row.get("own", ())),
        move_up=_check(row.get("move_up", ""), ["", *Phase.values], "prep.toml"),
    )
    for key, row in _prep["prep"].items()
}
TARGET_RESEARCH: dict[str, str] = {
    _check(name, TARGET_NAMES, "prep.toml"): notes
    for name, notes in _prep["target_research"].items()
}

_network = _read("network")
# (handle, other handle or "@Organization", how they know each other, day offset)
KNOWS: tuple[tuple[str, str, str, int], ...] = tuple(
    (
        _handle(row["contact"], "network.toml"),
        row["other"]
        if row["other"].startswith("@")
        and _check(row["other"][1:], [e.name for e in EMPLOYERS], "network.toml")
        else _handle(row["other"], "network.toml"),
        row["how"],
        row["days"],
    )
    for row in _network["knows"]
)
# (handle, organization or "", title, started, ended), days from today
JOBS: tuple[tuple[str, str, str, int, int], ...] = tuple(
    (
        _handle(row["contact"], "network.toml"),
        row.get("organization")
        and _check(row["organization"], [e.name for e in EMPLOYERS], "network.toml")
        or "",
        row["title"],
        row["started"],
        row["ended"],
    )
    for row in _network["job"]
)
STARRED: tuple[str, ...] = tuple(_network["starred"])  # bank keys
HIDDEN: tuple[str, ...] = tuple(_network["hidden"])

# ---------------------------------------------------------------------------------------------
# leads.toml: openings heard of, credited to a conversation or a contact, and their rounds
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    kind: str
    starts: tuple[int, int, int]  # day offset, hour, minute
    minutes: int
    place: str = ""
    outcome: str = RoundOutcome.PENDING
    interviewers: tuple[str, ...] = ()  # handles, or "@Employer: Title"
    notes: str = ""


@dataclass(frozen=True)
class LeadSpec:
    role: str
    organization: str
    target: str
    steps: tuple[tuple[str, int], ...]  # (status, day offset), in order
    conversation: str = ""  # the handle of the conversation it was heard in
    contact: str = ""  # ... or of the contact it was heard from
    link: str = ""  # a path on the employer's website
    notes: str = ""
    rounds: tuple[Round, ...] = ()

    @property
    def status(self) -> str:
        return self.steps[-1][0]


def _lead_steps(steps: list[list[Any]]) -> tuple[tuple[str, int], ...]:
    """The statuses in order, each one a move the app allows from the one before."""
    path = tuple((_check(status, LeadStatus, "leads.toml"), days) for status, days in steps)
    if path[0][0] != LeadStatus.HEARD:
        raise ValueError(f"demo/data/leads.toml: a lead starts heard of, not {path[0][0]!r}")
    for (before, day_before), (after, day_after) in zip(path, path[1:], strict=False):
        if after not in LEAD_TRANSITIONS[before] or day_after < day_before:
            raise ValueError(f"demo/data/leads.toml: {before!r} cannot move to {after!r} then")
    return path


def _interviewer(value: str) -> str:
    if value.startswith("@"):
        employer = value[1:].split(": ", 1)[0]
        _check(employer, [e.name for e in EMPLOYERS], "leads.toml")
        return value
    return _handle(value, "leads.toml")


LEADS: tuple[LeadSpec, ...] = tuple(
    LeadSpec(
        role=row["role"],
        organization=_check(row["organization"], [e.name for e in EMPLOYERS], "leads.toml"),
        target=_check(row["target"], TARGET_NAMES, "leads.toml"),
        steps=_lead_steps(row["steps"]),
        conversation=_check(row["conversation"], TALKED, "leads.toml")
        if "conversation" in row
        else "",
        contact=_handle(row["contact"], "leads.toml") if "contact" in row else "",
        link=row.get("link", ""),
        notes=row.get("notes", ""),
        rounds=tuple(
            Round(
                kind=_check(item["kind"], RoundKind, "leads.toml"),
                starts=tuple(item["starts"]),  # type: ignore[arg-type]
                minutes=item["minutes"],
                place=item.get("place", ""),
                outcome=_check(
                    item.get("outcome", RoundOutcome.PENDING), RoundOutcome, "leads.toml"
                ),
                interviewers=tuple(_interviewer(h) for h in item.get("interviewers", ())),
                notes=item.get("notes", ""),
            )
            for item in row.get("round", ())
        ),
    )
    for row in _read("leads")["lead"]
)
