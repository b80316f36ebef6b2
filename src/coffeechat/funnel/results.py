"""What the funnel shows: its periods (the window of N weeks or months), its stages and
channels, and the rows of its tables, each with the JSON ``coffeechat funnel`` prints. The
counting is in selectors.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# The seed's figure (K. Hansen, "A Foot in the Door"): about one offer per twelve
# informational interviews, against one per 200 résumés sent.
REFERENCE_CONVERSATIONS_PER_OFFER = 12
REFERENCE_RESUMES_PER_OFFER = 200

WEEK, MONTH = "week", "month"
DEFAULT_PERIODS = {WEEK: 12, MONTH: 6}
MAX_PERIODS = {WEEK: 52, MONTH: 24}

STAGES: tuple[tuple[str, str], ...] = (
    ("requests_sent", "Requests sent"),
    ("replies", "Replies"),
    ("conversations_held", "Conversations held"),
    ("referrals_received", "Referrals received"),
    ("leads", "Leads"),
    ("applications", "Applications"),
    ("formal_interviews", "Formal interviews"),
    ("offers", "Offers"),
)
STAGE_LABEL = dict(STAGES)

# Channels of a request: LinkedIn's invitation note and message are one channel; a request to
# someone another contact introduced is an introduction, whatever the medium.
INTRODUCTION, EMAIL, LINKEDIN, PHONE_OTHER = "introduction", "email", "linkedin", "phone_other"
CHANNELS: tuple[tuple[str, str], ...] = (
    (EMAIL, "Email"),
    (LINKEDIN, "LinkedIn (invitation note or message)"),
    (INTRODUCTION, "Introduction (to someone a contact introduced)"),
    (PHONE_OTHER, "Phone, text or other"),
)


# ---------------------------------------------------------------------------------------------
# The window: N weeks or months, the current one last
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    by: str
    starts: tuple[date, ...]  # first day of each period, oldest first
    end: date  # first day after the last period

    @property
    def periods(self) -> int:
        return len(self.starts)

    @property
    def start(self) -> date:
        return self.starts[0]

    @property
    def days(self) -> list[date]:
        return [*self.starts, self.end]

    def label(self, index: int, *, short: bool = False) -> str:
        day = self.starts[index]
        if self.by == MONTH:
            return f"{day:%b %Y}" if short else f"{day:%B %Y}"
        return f"{day:%b} {day.day}" if short else f"Week of {day:%b} {day.day}, {day.year}"

    @property
    def description(self) -> str:
        unit = "week" if self.by == WEEK else "month"
        plural = "" if self.periods == 1 else "s"
        last = self.end - timedelta(days=1)
        return (
            f"the last {self.periods} {unit}{plural}, {self.start:%b} {self.start.day}, "
            f"{self.start.year} to {last:%b} {last.day}, {last.year}"
        )


def _month_start(day: date, back: int) -> date:
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def window_for(*, by: str, periods: int, today: date) -> Window:
    if by == MONTH:
        starts = tuple(_month_start(today, back) for back in range(periods - 1, -1, -1))
        return Window(by, starts, _month_start(today, -1))
    monday = today - timedelta(days=today.weekday())
    starts = tuple(monday - timedelta(weeks=back) for back in range(periods - 1, -1, -1))
    return Window(by, starts, monday + timedelta(weeks=1))


def window_choice(by: str | None, weeks: str | None, months: str | None) -> tuple[str, int, str]:
    """``?by=`` and ``?weeks=`` or ``?months=`` as typed: the period and how many, or the
    defaults with a sentence saying what was wrong (never an error page)."""
    problems = []
    chosen = (by or WEEK).strip().lower()
    if chosen not in (WEEK, MONTH):
        problems.append("The period must be week or month: showing weeks.")
        chosen = WEEK
    count = DEFAULT_PERIODS[chosen]
    text = ((weeks if chosen == WEEK else months) or "").strip()
    if text:
        limit = MAX_PERIODS[chosen]
        # The length first: int() refuses a number of more than 4,300 digits with an error.
        fits = len(text.lstrip("0")) <= len(str(limit))
        if fits and text.isascii() and text.isdigit() and 1 <= int(text) <= limit:
            count = int(text)
        else:
            problems.append(
                f"The number of {chosen}s must be a whole number from 1 to {limit}: "
                f"showing {count}."
            )
    return chosen, count, " ".join(problems)


# ---------------------------------------------------------------------------------------------
# What the page and the command show
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    name: str
    label: str
    count: int
    per_period: tuple[int, ...]


@dataclass
class TargetRow:
    target_id: int | None
    name: str
    requests_sent: int = 0
    replies: int = 0
    conversations_held: int = 0
    leads: int = 0
    applications: int = 0
    formal_interviews: int = 0
    offers: int = 0

    @property
    def cells(self) -> tuple[int, ...]:
        """The counts in the order of the page's columns."""
        return (
            self.requests_sent,
            self.replies,
            self.conversations_held,
            self.leads,
            self.applications,
            self.formal_interviews,
            self.offers,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "target_id": self.target_id,
            "target": self.name,
            "requests_sent": self.requests_sent,
            "replied": self.replies,
            "conversations_held": self.conversations_held,
            "leads": self.leads,
            "applications": self.applications,
            "formal_interviews": self.formal_interviews,
            "offers": self.offers,
        }


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


@dataclass(frozen=True)
class ChannelRow:
    """Requests sent in the window through one channel, how many of them had a reply (by the
    day sent, whenever the reply came), and the conversations held in the window that one of
    its requests led to."""

    channel: str
    label: str
    requests_sent: int
    replied: int
    conversations_held: int

    @property
    def reply_rate(self) -> float | None:
        return rate(self.replied, self.requests_sent)

    def as_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "label": self.label,
            "requests_sent": self.requests_sent,
            "replied": self.replied,
            "reply_rate": self.reply_rate,
            "conversations_held": self.conversations_held,
        }


@dataclass(frozen=True)
class KindRow:
    """Reply rate of one kind of request (each kind is one built-in template, or the user's
    own wording of it: which of the user's templates filled a message is not recorded)."""

    kind: str
    label: str
    requests_sent: int
    replied: int

    @property
    def reply_rate(self) -> float | None:
        return rate(self.replied, self.requests_sent)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "requests_sent": self.requests_sent,
            "replied": self.replied,
            "reply_rate": self.reply_rate,
        }


@dataclass(frozen=True)
class PerOffer:
    """The user's own conversations per offer, since they started, next to the seed's 12.

    Only offers from leads credited to a conversation or a contact count: the reference is
    about offers that informational interviews led to, not offers from cold applications."""

    conversations_held: int
    offers: int
    offers_credited: int

    @property
    def enough(self) -> bool:
        return (
            self.offers_credited > 0
            and self.conversations_held >= REFERENCE_CONVERSATIONS_PER_OFFER
        )

    @property
    def value(self) -> float | None:
        if not self.enough:
            return None
        return round(self.conversations_held / self.offers_credited, 1)

    @property
    def sentence(self) -> str:
        held = _plural(self.conversations_held, "conversation")
        if self.offers_credited == 0:
            return (
                f"No offer from your conversations yet ({held} held so far), so there is no "
                "figure to compare. Offers often come months after the conversations that led "
                "to them."
            )
        offers = _plural(self.offers_credited, "offer")
        if not self.enough:
            return (
                f"{offers} from {held} so far: too few conversations for a fair figure (fewer "
                f"than {REFERENCE_CONVERSATIONS_PER_OFFER}). Keep going; the comparison "
                "appears once there are more."
            )
        return f"{self.value:g} conversations per offer: {offers} from {held}."

    def as_json(self) -> dict[str, Any]:
        return {
            "conversations_held": self.conversations_held,
            "offers": self.offers,
            "offers_from_conversations_or_contacts": self.offers_credited,
            "value": self.value,
            "sentence": self.sentence,
            "reference": REFERENCE_CONVERSATIONS_PER_OFFER,
            "reference_resumes_per_offer": REFERENCE_RESUMES_PER_OFFER,
        }


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass
class Funnel:
    window: Window
    time_zone: str
    stages: list[Stage]
    by_target: list[TargetRow]
    by_channel: list[ChannelRow]
    by_kind: list[KindRow]
    per_offer: PerOffer
    held_without_request: int
    notes: list[str] = field(default_factory=list)

    @property
    def periods(self) -> list[dict[str, Any]]:
        return [
            {
                "start": start,
                "label": self.window.label(index),
                "short_label": self.window.label(index, short=True),
                "counts": [stage.per_period[index] for stage in self.stages],
            }
            for index, start in enumerate(self.window.starts)
        ]

    def count(self, name: str) -> int:
        return next(stage.count for stage in self.stages if stage.name == name)

    def as_json(self) -> dict[str, Any]:
        return {
            "window": {
                "by": self.window.by,
                "periods": self.window.periods,
                "start": self.window.start.isoformat(),
                "end": self.window.end.isoformat(),
                "time_zone": self.time_zone,
            },
            "stages": [
                {"name": stage.name, "label": stage.label, "count": stage.count}
                for stage in self.stages
            ],
            "conversations_per_offer": self.per_offer.value,
            "conversations_per_offer_detail": self.per_offer.as_json(),
            "by_period": [
                {
                    "start": start.isoformat(),
                    **{stage.name: stage.per_period[index] for stage in self.stages},
                }
                for index, start in enumerate(self.window.starts)
            ],
            "by_target": [row.as_json() for row in self.by_target],
            "by_channel": [row.as_json() for row in self.by_channel],
            "conversations_held_without_request": self.held_without_request,
            "reply_rate_by_kind": [row.as_json() for row in self.by_kind],
        }
