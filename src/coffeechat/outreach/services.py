from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import TRANSITIONS, Conversation, Status
from coffeechat.conversations.services import conversation_transition
from coffeechat.followups.models import FollowUp
from coffeechat.followups.services import followups_close_3b7
from coffeechat.outreach.business_days import add_business_days
from coffeechat.outreach.models import (
    REQUEST_KINDS,
    DraftKind,
    KeepInTouch,
    MessageTemplate,
    Outreach,
)
from coffeechat.outreach.selectors import second_contact_suggestion

# The 3B7 routine: no reply after 3 business days, write to a second contact at the same
# employer; after 7, follow up once with the first.
SECOND_CONTACT_AFTER = 3
NUDGE_AFTER = 7


def _moment(day: date, conversation: Conversation, zone_name: str) -> datetime:
    """When a step dated ``day`` happened: now if today, else noon of that day."""
    now = timezone.now()
    tz = profile_for(conversation.owner).tz if not zone_name else conversation.tz
    if timezone.localdate(now, tz) == day:
        return now
    return datetime.combine(day, time(12), tz)


def _three_b_seven(*, outreach: Outreach, country: str) -> list[FollowUp]:
    conversation = outreach.conversation
    contact = outreach.contact
    followups = []
    organization = contact.organization
    if organization is not None:
        suggestion = second_contact_suggestion(conversation=conversation)
        if suggestion:
            what = (
                f"Write to a second contact at {organization.name}: "
                f"{suggestion.contact.full_name}, who {suggestion.why}"
            )
        else:
            what = (
                f"Write to a second contact at {organization.name}: nobody else there is on "
                "file yet; look for an alumnus first"
            )
        followups.append(
            FollowUp(
                owner=outreach.owner,
                conversation=conversation,
                contact=suggestion.contact if suggestion else None,
                due_on=add_business_days(outreach.sent_on, SECOND_CONTACT_AFTER, country=country),
                what=what[:300],
                kind=FollowUp.Kind.SECOND_CONTACT,
                source=outreach,
            )
        )
    followups.append(
        FollowUp(
            owner=outreach.owner,
            conversation=conversation,
            contact=contact,
            due_on=add_business_days(outreach.sent_on, NUDGE_AFTER, country=country),
            what=f"Follow up once with {contact.full_name}",
            kind=FollowUp.Kind.NUDGE,
            source=outreach,
        )
    )
    return FollowUp.objects.bulk_create(followups)


@transaction.atomic
def outreach_log(
    *,
    conversation: Conversation,
    kind: str,
    channel: str,
    sent_on: date,
    subject: str = "",
    body: str = "",
) -> Outreach:
    """Records a message as sent and moves the loop on.

    A request moves the conversation to requested and starts the 3B7 clock (two dated
    follow-ups); a nudge closes the nudge follow-up; a thank-you marks the conversation
    thanked. Every message counts as an interaction with the contact."""
    outreach = Outreach.objects.create(
        owner=conversation.owner,
        conversation=conversation,
        contact=conversation.contact,
        kind=kind,
        channel=channel,
        sent_on=sent_on,
        subject=subject,
        body=body,
    )
    at = _moment(sent_on, conversation, conversation.time_zone)
    if kind in REQUEST_KINDS:
        if Status.REQUESTED in TRANSITIONS[conversation.status]:
            conversation_transition(conversation=conversation, to=Status.REQUESTED, at=at)
        profile = profile_for(conversation.owner)
        _three_b_seven(outreach=outreach, country=profile.country)
    elif kind == DraftKind.NUDGE:
        FollowUp.objects.filter(
            conversation=conversation, kind=FollowUp.Kind.NUDGE, done_at__isnull=True
        ).update(done_at=at, updated_at=timezone.now())
    elif kind == DraftKind.THANKS and Status.THANKED in TRANSITIONS[conversation.status]:
        conversation_transition(conversation=conversation, to=Status.THANKED, at=at)
    contact_touch(contact_id=conversation.contact_id, day=sent_on)
    return outreach


def contact_touch(*, contact_id: int, day: date) -> None:
    """A logged interaction: restarts the contact's keep-in-touch clock (never moves it back)."""
    # updated_at too: an update() skips auto_now, and API syncs (updated_since) read it.
    Contact.objects.filter(pk=contact_id).exclude(last_interaction__gte=day).update(
        last_interaction=day, updated_at=timezone.now()
    )


@transaction.atomic
def outreach_reply(*, outreach: Outreach, replied_on: date) -> Outreach:
    """The contact answered: the 3B7 follow-ups of that conversation are no longer needed."""
    outreach.replied_on = replied_on
    outreach.save(update_fields=["replied_on", "updated_at"])
    followups_close_3b7(
        conversation_id=outreach.conversation_id,
        at=_moment(replied_on, outreach.conversation, outreach.conversation.time_zone),
    )
    contact_touch(contact_id=outreach.contact_id, day=replied_on)
    return outreach


@transaction.atomic
def keep_in_touch_set(*, owner: User, contact: Contact, every_months: int) -> KeepInTouch:
    row, _ = KeepInTouch.objects.update_or_create(
        owner=owner, contact=contact, defaults={"every_months": every_months}
    )
    return row


@transaction.atomic
def template_save(*, template: MessageTemplate) -> MessageTemplate:
    template.full_clean()
    template.save()
    return template
