from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import TRANSITIONS, Conversation, Learning, Status
from coffeechat.core.validators import date_in_range, is_time_zone, validate_date_range
from coffeechat.followups.services import followups_close_3b7
from coffeechat.targets.models import Target


class InvalidTransition(ValidationError):
    """The conversation cannot move to that status from where it is."""


# Steps that mean the user actually heard from or spoke with the contact.
_INTERACTIONS = {Status.SCHEDULED, Status.HELD, Status.THANKED, Status.FOLLOWING_UP}


@transaction.atomic
def conversation_create(
    *,
    owner: User,
    contact: Contact,
    targets: Iterable[Target] = (),
    status: str = Status.IDEA,
    **fields: object,
) -> Conversation:
    conversation = Conversation(owner=owner, contact=contact, status=status, **fields)
    setattr(conversation, f"{status}_at", timezone.now())
    conversation.full_clean(exclude=["targets"])
    conversation.save()
    conversation.targets.set(list(targets))
    return conversation


@transaction.atomic
def conversation_transition(
    *,
    conversation: Conversation,
    to: str,
    at: datetime | None = None,
    starts_at: datetime | None = None,
    time_zone: str | None = None,
    started_at: datetime | None = None,
) -> Conversation:
    """Moves a conversation one step and stamps the date of that step.

    An invalid move raises InvalidTransition with a sentence for the user and changes nothing.
    Scheduling needs a start time, given here or already on the conversation. Marking held
    before the scheduled start moves the start to ``started_at`` (when interview mode's clock
    started), else to the planned length before now.
    """
    current = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if starts_at is not None and not date_in_range(starts_at):
        raise InvalidTransition(validate_date_range.message)
    if time_zone and not is_time_zone(time_zone):
        raise InvalidTransition(f"“{time_zone[:80]}” is not a time zone this server knows.")
    if to not in Status.values:
        raise InvalidTransition(f"“{to}” is not a conversation status.")
    if to not in TRANSITIONS[current.status]:
        allowed = ", ".join(Status(s).label.lower() for s in TRANSITIONS[current.status])
        raise InvalidTransition(
            f"A conversation that is {Status(current.status).label.lower()} cannot move to "
            f"{Status(to).label.lower()}."
            + (f" It can move to: {allowed}." if allowed else " It is at the end of the loop.")
        )
    if starts_at is not None:
        current.starts_at = starts_at
    if time_zone:
        current.time_zone = time_zone
    if to == Status.SCHEDULED and current.starts_at is None:
        raise InvalidTransition("Set the date and time of the conversation to mark it scheduled.")
    now = at or timezone.now()
    if to == Status.HELD and current.starts_at and current.starts_at > now:
        # Held before the time agreed: "When" shows when it really happened, so the calendar,
        # the week's count and the thank-you clock agree with what took place.
        current.starts_at = started_at or now - timedelta(minutes=current.planned_minutes)
    if current.status == Status.HELD and to == Status.SCHEDULED:
        # Reopened: it was not held after all, so no thank-you is owed for it.
        current.held_at = None
    current.status = to
    setattr(current, f"{to}_at", now)
    current.sequence += 1
    current.save()
    if to == Status.SCHEDULED:
        followups_close_3b7(conversation_id=current.pk, at=now)
    if to in _INTERACTIONS:
        day = timezone.localdate(now, current.tz)
        Contact.objects.filter(pk=current.contact_id).update(
            last_interaction=day, updated_at=timezone.now()
        )
    # Keep the caller's object in step with the database.
    conversation.refresh_from_db()
    return conversation


# What a calendar shows of a conversation: a change to any of these is a new SEQUENCE.
CALENDAR_FIELDS = ("starts_at", "time_zone", "planned_minutes", "medium", "place", "status")


@transaction.atomic
def conversation_update(
    *, conversation: Conversation, targets: Iterable[Target] | None = None
) -> Conversation:
    """Saves an edited conversation (and its targets, when given); raises its SEQUENCE when
    what a calendar shows changed, so that calendar apps replace the event they imported."""
    stored = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if any(getattr(stored, name) != getattr(conversation, name) for name in CALENDAR_FIELDS):
        conversation.sequence = stored.sequence + 1
    else:
        conversation.sequence = stored.sequence
    conversation.save()
    if targets is not None:
        conversation.targets.set(list(targets))
    return conversation


@transaction.atomic
def learning_add(*, conversation: Conversation, kind: str, text: str) -> Learning:
    learning = Learning(owner=conversation.owner, conversation=conversation, kind=kind, text=text)
    learning.full_clean()
    learning.save()
    return learning


@transaction.atomic
def learning_update(*, learning: Learning, kind: str, text: str) -> Learning:
    learning.kind, learning.text = kind, text
    learning.full_clean()
    learning.save()
    return learning
