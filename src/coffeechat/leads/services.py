"""Writes of leads and their formal interview rounds.

A lead's status moves only through ``lead_transition``, which checks LEAD_TRANSITIONS and
stamps the day of the step, like ``conversations.services.conversation_transition``. Rounds
move their lead when what they record implies it: the first round of a lead that was heard of
or applied to means it is now interviewing, and a round that led to an offer means an offer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.core.validators import date_in_range, validate_date_range
from coffeechat.leads.models import (
    LEAD_TRANSITIONS,
    FormalInterview,
    Lead,
    LeadStatus,
    RoundOutcome,
)
from coffeechat.organizations.models import Organization
from coffeechat.targets.models import Target


class InvalidLeadTransition(ValidationError):
    """The lead cannot move to that status from where it is."""


# What an .ics file shows of a round: a change to any of these is a new SEQUENCE, so that
# calendar apps replace the event they imported instead of keeping the old time.
CALENDAR_FIELDS = ("starts_at", "time_zone", "minutes", "place", "kind", "outcome")


def _check_owned(owner: User, **rows: models.Model | None) -> None:
    """Every row a lead or round points at belongs to its owner: a service called with
    another user's row (a script, a bug in a form) refuses instead of linking to it."""
    for name, row in rows.items():
        if row is not None and getattr(row, "owner_id", None) != owner.pk:
            raise ValidationError({name: "Choose one of your own."})


def _fill_from_conversation(lead: Lead) -> None:
    """A lead heard in a conversation credits its contact and, unless the user chose, takes
    the contact's organization and the conversation's first target."""
    conversation = lead.source_conversation
    if conversation is None:
        return
    contact = conversation.contact
    if lead.source_contact_id is None:
        lead.source_contact = contact
    if lead.organization_id is None and contact.organization_id is not None:
        lead.organization_id = contact.organization_id
    if lead.target_id is None:
        lead.target = conversation.targets.order_by("id").first()


@transaction.atomic
def lead_create(
    *,
    owner: User,
    role: str,
    organization: Organization | None = None,
    source_conversation: Conversation | None = None,
    source_contact: Contact | None = None,
    target: Target | None = None,
    link: str = "",
    heard_on: date | None = None,
    notes: str = "",
) -> Lead:
    """A lead, heard of today unless said otherwise."""
    _check_owned(
        owner,
        organization=organization,
        source_conversation=source_conversation,
        source_contact=source_contact,
        target=target,
    )
    lead = Lead(
        owner=owner,
        role=role.strip(),
        organization=organization,
        source_conversation=source_conversation,
        source_contact=source_contact,
        target=target,
        link=link,
        heard_on=heard_on or timezone.localdate(),
        notes=notes,
        status=LeadStatus.HEARD,
    )
    _fill_from_conversation(lead)
    lead.full_clean()
    lead.save()
    return lead


@transaction.atomic
def lead_update(*, lead: Lead) -> Lead:
    """Saves an edited lead (its status and the days of its steps are not edited here)."""
    _check_owned(
        lead.owner,
        organization=lead.organization,
        source_conversation=lead.source_conversation,
        source_contact=lead.source_contact,
        target=lead.target,
    )
    stored = Lead.objects.select_for_update().get(pk=lead.pk)
    lead.status = stored.status
    for status in LeadStatus:
        if status != LeadStatus.HEARD:
            setattr(lead, f"{status}_on", stored.stamp_for(status))
    _fill_from_conversation(lead)
    lead.full_clean()
    lead.save()
    return lead


def _refusal(current: str, to: str) -> str:
    allowed = LEAD_TRANSITIONS[current]
    sentence = (
        f"A lead that is {LeadStatus(current).label.lower()} cannot move to "
        f"{LeadStatus(to).label.lower()}."
    )
    if not allowed:
        return sentence + " It is settled; add a new lead for a new opening."
    return (
        sentence
        + " It can move to: "
        + ", ".join(LeadStatus(s).label.lower() for s in allowed)
        + "."
    )


@transaction.atomic
def lead_transition(*, lead: Lead, to_status: str, on: date | None = None) -> Lead:
    """Moves a lead one step and stamps the day of that step (today unless ``on``).

    An invalid move raises InvalidLeadTransition with a sentence for the user and changes
    nothing. Reopening a closed lead clears the day it was closed, so the funnel does not
    count it as closed."""
    current = Lead.objects.select_for_update().get(pk=lead.pk)
    if to_status not in LeadStatus.values:
        raise InvalidLeadTransition(f"“{str(to_status)[:40]}” is not a lead status.")
    if to_status not in LEAD_TRANSITIONS[current.status]:
        raise InvalidLeadTransition(_refusal(current.status, to_status))
    day = on or timezone.localdate()
    if not date_in_range(day):
        raise InvalidLeadTransition(validate_date_range.message)
    if current.status == LeadStatus.CLOSED:
        current.closed_on = None
    current.status = to_status
    setattr(current, f"{to_status}_on", day)
    current.save()
    lead.refresh_from_db()
    return lead


def _move_lead_for_round(fi: FormalInterview, *, first: bool) -> None:
    """The lead follows what its rounds say, when its status allows the move."""
    lead = Lead.objects.select_for_update().get(pk=fi.lead_id)
    today = timezone.localdate()
    # The day of the round (a past one recorded late), never in the future (a round planned
    # for next week: interviewing starts now) nor before the steps already reached.
    day = min(timezone.localdate(fi.starts_at, fi.tz), today) if fi.starts_at else today
    day = max([day, *(on for _, on in lead.timeline)])
    if first and lead.status in (LeadStatus.HEARD, LeadStatus.APPLIED):
        lead_transition(lead=lead, to_status=LeadStatus.INTERVIEWING, on=day)
    if fi.outcome == RoundOutcome.OFFER and LeadStatus.OFFER in LEAD_TRANSITIONS[lead.status]:
        lead_transition(lead=lead, to_status=LeadStatus.OFFER, on=timezone.localdate())


def _set_interviewers(fi: FormalInterview, interviewers: Iterable[Contact] | None) -> None:
    if interviewers is None:
        return
    chosen = list(interviewers)
    strangers = [c for c in chosen if c.owner_id != fi.owner_id]
    if strangers:
        raise ValidationError({"interviewers": "Choose interviewers among your own contacts."})
    fi.interviewers.set(chosen)


@transaction.atomic
def round_create(
    *,
    lead: Lead,
    interviewers: Iterable[Contact] = (),
    **fields: object,
) -> FormalInterview:
    """A round of formal interview for ``lead``; the first one moves a lead heard of or
    applied to on to interviewing, and an outcome "offer" moves it to offer."""
    first = not FormalInterview.objects.filter(lead=lead).exists()
    fi = FormalInterview(owner=lead.owner, lead=lead, **fields)
    fi.full_clean()
    fi.save()
    _set_interviewers(fi, interviewers)
    _move_lead_for_round(fi, first=first)
    return fi


@transaction.atomic
def round_update(
    *, fi: FormalInterview, interviewers: Iterable[Contact] | None = None
) -> FormalInterview:
    """Saves an edited round; raises its SEQUENCE when what a calendar shows changed."""
    stored = FormalInterview.objects.select_for_update().get(pk=fi.pk)
    changed = any(getattr(stored, name) != getattr(fi, name) for name in CALENDAR_FIELDS)
    fi.sequence = stored.sequence + 1 if changed else stored.sequence
    fi.full_clean()
    fi.save()
    _set_interviewers(fi, interviewers)
    if stored.outcome != fi.outcome:
        _move_lead_for_round(fi, first=False)
    return fi


@transaction.atomic
def round_delete(*, fi: FormalInterview) -> None:
    """Deletes a round. The lead keeps its status: the steps it reached stay true."""
    fi.delete()


@transaction.atomic
def lead_delete(*, lead: Lead) -> None:
    """Deletes a lead and its rounds; the conversation and contacts it credits stay."""
    lead.delete()
