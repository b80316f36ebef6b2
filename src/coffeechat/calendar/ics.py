"""Calendar files: one conversation as an .ics download, and the private feed.

Events carry a stable UID (the same conversation is always the same event) and a SEQUENCE that
the conversation raises on every change of time, place or status, so that a calendar app
updates the event it imported instead of adding a second one. Times are written in the
conversation's own time zone with its VTIMEZONE, so the meeting shows at the hour agreed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from coffeechat.conversations.models import Conversation, Status
from coffeechat.followups.models import FollowUp

PRODID = "-//coffeechat//informational interviews//EN"
UID_DOMAIN = "coffeechat.invalid"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
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
        f"Informational interview: {contact.full_name}"
        + (f" ({organization})" if organization else ""),
    )
    if conversation.place:
        event.add("location", conversation.place)
    lines = [
        f"{conversation.planned_minutes} minutes, {conversation.get_medium_display().lower()}.",
        "Ask about their work, never for a job. Close with: who else should I talk to?",
    ]
    if conversation.notes:
        lines.append(conversation.notes)
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if conversation.status == Status.CANCELLED else "CONFIRMED")
    return event


def followup_event(followup: FollowUp, *, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"followup-{followup.pk}-{followup.owner_id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", followup.due_on)
    event.add("dtend", followup.due_on + timedelta(days=1))
    event.add("summary", f"Follow-up: {followup.what}")
    event.add("transp", "TRANSPARENT")
    return event


def _finish(calendar: Calendar) -> bytes:
    # VTIMEZONE blocks for every zone used, generated from the zoneinfo rules.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def conversation_ics(conversation: Conversation) -> bytes:
    calendar = _calendar(f"Conversation with {conversation.contact.full_name}")
    calendar.add_component(conversation_event(conversation, stamp=timezone.now()))
    return _finish(calendar)


def feed_ics(*, conversations: Iterable[Conversation], followups: Iterable[FollowUp]) -> bytes:
    stamp = timezone.now()
    calendar = _calendar("coffeechat")
    calendar.add("x-published-ttl", "PT1H")
    for conversation in conversations:
        calendar.add_component(conversation_event(conversation, stamp=stamp))
    for followup in followups:
        calendar.add_component(followup_event(followup, stamp=stamp))
    return _finish(calendar)
