"""Calendar files: one conversation or one formal interview round as an .ics download, and the
private feed.

Events carry a stable UID (the same conversation is always the same event) and a SEQUENCE that
the conversation raises on every change of time, place or status, so that a calendar app
updates the event it imported instead of adding a second one. Times are written in the
conversation's own time zone with its VTIMEZONE, so the meeting shows at the hour agreed.

Every value goes through icalendar's own writer (escaped and folded by it, never concatenated),
and nothing here raises on an edge date: an event whose time lies outside the years forms
accept (stored before they were checked) is left out of the feed instead of failing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone
from icalendar import Calendar, Event, vText

from coffeechat.conversations.models import Conversation, Status
from coffeechat.core.validators import date_in_range
from coffeechat.followups.models import FollowUp
from coffeechat.leads.models import FormalInterview, RoundOutcome

PRODID = "-//coffeechat//informational interviews//EN"
UID_DOMAIN = "coffeechat.invalid"


# Control characters other than tab and line breaks: RFC 5545 allows none of them in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: str) -> vText:
    """A TEXT value for icalendar to escape and fold: line breaks of any kind become the
    writer's escaped newlines, other control characters go. Typed as vText explicitly, so that
    X- properties (X-WR-CALNAME) are escaped too; icalendar leaves unknown ones as they are,
    and a contact's name with a line break used to make the whole file fail."""
    return vText(_CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")))


def can_show(conversation: Conversation) -> bool:
    """True when the conversation has a time a calendar file can carry: set, and within the
    years forms accept (an older stored value near year 1 or 9999 would overflow)."""
    starts_at = conversation.starts_at
    return starts_at is not None and date_in_range(starts_at)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", text(name))
    return calendar


def conversation_uid(conversation: Conversation) -> str:
    return f"conversation-{conversation.pk}-{conversation.owner_id}@{UID_DOMAIN}"


def conversation_event(conversation: Conversation, *, stamp: datetime) -> Event:
    assert conversation.starts_at is not None
    contact = conversation.contact
    organization = contact.organization.name if contact.organization else ""
    event = Event()
    event.add("uid", conversation_uid(conversation))
    event.add("sequence", conversation.sequence)
    event.add("dtstamp", stamp)
    start = conversation.starts_at.astimezone(conversation.tz)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=conversation.planned_minutes))
    event.add(
        "summary",
        text(
            f"Informational interview: {contact.full_name}"
            + (f" ({organization})" if organization else "")
        ),
    )
    if conversation.place:
        event.add("location", text(conversation.place))
    lines = [
        f"{conversation.planned_minutes} minutes, {conversation.get_medium_display().lower()}.",
        "Ask about their work, never for a job. Close with: who else should I talk to?",
    ]
    if conversation.notes:
        lines.append(conversation.notes)
    event.add("description", text("\n".join(lines)))
    event.add("status", "CANCELLED" if conversation.status == Status.CANCELLED else "CONFIRMED")
    return event


def can_show_round(fi: FormalInterview) -> bool:
    """As can_show, for a formal interview round."""
    return fi.starts_at is not None and date_in_range(fi.starts_at)


def round_uid(fi: FormalInterview) -> str:
    return f"formal-interview-{fi.pk}-{fi.owner_id}@{UID_DOMAIN}"


def round_event(fi: FormalInterview, *, stamp: datetime) -> Event:
    """A round of formal interview: the round and the lead in the title, the interviewers and
    the user's notes in the description."""
    assert fi.starts_at is not None
    lead = fi.lead
    event = Event()
    event.add("uid", round_uid(fi))
    event.add("sequence", fi.sequence)
    event.add("dtstamp", stamp)
    start = fi.starts_at.astimezone(fi.tz)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=fi.minutes))
    event.add("summary", text(f"{fi.get_kind_display()}: {lead}"))
    if fi.place:
        event.add("location", text(fi.place))
    lines = [f"{fi.minutes} minutes, {fi.get_kind_display().lower()}."]
    people = [
        person.full_name + (f" ({person.title})" if person.title else "")
        for person in fi.interviewers.all()
    ]
    if people:
        lines.append("With " + ", ".join(people) + ".")
    if fi.notes:
        lines.append(fi.notes)
    event.add("description", text("\n".join(lines)))
    event.add("status", "CANCELLED" if fi.outcome == RoundOutcome.WITHDREW else "CONFIRMED")
    return event


def round_ics(fi: FormalInterview) -> bytes:
    assert can_show_round(fi)
    calendar = _calendar(f"{fi.get_kind_display()}: {fi.lead}")
    calendar.add_component(round_event(fi, stamp=timezone.now()))
    return _finish(calendar)


def followup_event(followup: FollowUp, *, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"followup-{followup.pk}-{followup.owner_id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", followup.due_on)
    event.add("dtend", followup.due_on + timedelta(days=1))
    event.add("summary", text(f"Follow-up: {followup.what}"))
    event.add("transp", "TRANSPARENT")
    return event


def _finish(calendar: Calendar) -> bytes:
    # VTIMEZONE blocks for every zone used, generated from the zoneinfo rules.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def conversation_ics(conversation: Conversation) -> bytes:
    assert can_show(conversation)
    calendar = _calendar(f"Conversation with {conversation.contact.full_name}")
    calendar.add_component(conversation_event(conversation, stamp=timezone.now()))
    return _finish(calendar)


def feed_ics(
    *,
    conversations: Iterable[Conversation],
    followups: Iterable[FollowUp],
    rounds: Iterable[FormalInterview] = (),
) -> bytes:
    stamp = timezone.now()
    calendar = _calendar("coffeechat")
    calendar.add("x-published-ttl", "PT1H")
    for conversation in conversations:
        if can_show(conversation):
            calendar.add_component(conversation_event(conversation, stamp=stamp))
    for fi in rounds:
        if can_show_round(fi):
            calendar.add_component(round_event(fi, stamp=stamp))
    for followup in followups:
        if date_in_range(followup.due_on):
            calendar.add_component(followup_event(followup, stamp=stamp))
    return _finish(calendar)
