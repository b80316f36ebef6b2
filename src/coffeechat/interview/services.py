from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.conversations.services import conversation_transition
from coffeechat.followups.models import FollowUp
from coffeechat.interview.models import InterviewSession, QuestionNote, Referral, Shadowing
from coffeechat.notes.models import Note
from coffeechat.notes.services import note_add
from coffeechat.organizations.services import organization_for_name
from coffeechat.questions.models import Question

# A referral goes cold quickly: reach out within a few days, while the name is fresh on both
# sides and the referrer remembers suggesting it.
REFERRAL_REACH_OUT_DAYS = 3


def _session(conversation: Conversation) -> InterviewSession:
    session, _ = InterviewSession.objects.select_for_update().get_or_create(
        conversation=conversation, defaults={"owner": conversation.owner}
    )
    return session


@transaction.atomic
def interview_start(
    *, conversation: Conversation, at: dt.datetime | None = None
) -> InterviewSession:
    """Starts the clock; starting again after an end resumes the same session."""
    session = _session(conversation)
    if session.started_at is None:
        session.started_at = at or timezone.now()
    session.ended_at = None
    session.save()
    return session


@transaction.atomic
def interview_end(*, conversation: Conversation, at: dt.datetime | None = None) -> InterviewSession:
    """Stops the clock and marks the conversation held when its status allows it (a scheduled
    one); any other status is left for the user to move on the conversation page."""
    now = at or timezone.now()
    session = _session(conversation)
    session.started_at = session.started_at or now
    session.ended_at = now
    session.save()
    if Status.HELD in conversation.allowed_next:
        conversation_transition(
            conversation=conversation, to=Status.HELD, at=now, started_at=session.started_at
        )
    return session


@transaction.atomic
def interview_reopen(*, conversation: Conversation) -> InterviewSession:
    """Undoes "End conversation": the clock runs again and a conversation that ending marked
    held goes back to scheduled, with no thank-you owed."""
    session = _session(conversation)
    session.ended_at = None
    session.save()
    if conversation.status == Status.HELD:
        conversation_transition(conversation=conversation, to=Status.SCHEDULED)
    return session


def _note(conversation: Conversation, question: Question) -> QuestionNote:
    note, _ = QuestionNote.objects.select_for_update().get_or_create(
        conversation=conversation, question=question, defaults={"owner": conversation.owner}
    )
    return note


@transaction.atomic
def question_mark(*, conversation: Conversation, question: Question, state: str) -> QuestionNote:
    """Marks a question asked or skipped; the same state again clears it (a mis-tap)."""
    if state not in QuestionNote.State.values:
        raise ValidationError("Mark a question asked or skipped.")
    note = _note(conversation, question)
    note.state = "" if note.state == state else state
    note.save(update_fields=["state", "updated_at"])
    return note


@transaction.atomic
def question_note_save(
    *, conversation: Conversation, question: Question, text: str
) -> QuestionNote:
    note = _note(conversation, question)
    note.note = text
    # Writing a note under a question means it came up.
    if text.strip() and not note.state:
        note.state = QuestionNote.State.ASKED
    note.save(update_fields=["note", "state", "updated_at"])
    return note


@transaction.atomic
def referral_add(
    *,
    conversation: Conversation,
    first_name: str,
    last_name: str = "",
    organization: str = "",
    title: str = "",
    due_on: dt.date | None = None,
) -> Referral:
    """The person the contact suggested becomes a contact introduced by them, with a
    follow-up to reach out."""
    owner = conversation.owner
    referrer = conversation.contact
    contact = Contact(
        owner=owner,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        title=title.strip(),
        organization=organization_for_name(owner=owner, name=organization),
        introduced_by=referrer,
        how_connected=Contact.Connection.REFERRAL,
        connection_detail=f"Suggested by {referrer.full_name}"[:200],
    )
    contact.full_clean()
    contact.save()
    FollowUp.objects.create(
        owner=owner,
        contact=contact,
        conversation=conversation,
        due_on=due_on or timezone.localdate() + dt.timedelta(days=REFERRAL_REACH_OUT_DAYS),
        what=f"Reach out to {contact.full_name} (suggested by {referrer.full_name})",
    )
    return Referral.objects.create(owner=owner, conversation=conversation, contact=contact)


@transaction.atomic
def action_item_add(
    *, conversation: Conversation, what: str, due_on: dt.date | None = None
) -> FollowUp:
    followup = FollowUp(
        owner=conversation.owner,
        contact=conversation.contact,
        conversation=conversation,
        due_on=due_on or timezone.localdate() + dt.timedelta(days=7),
        what=what.strip(),
    )
    followup.full_clean()
    followup.save()
    return followup


@transaction.atomic
def shadowing_offered(*, conversation: Conversation) -> Shadowing:
    """The contact offered to let the user shadow them: agreed, from their side."""
    shadowing, created = Shadowing.objects.select_for_update().get_or_create(
        contact=conversation.contact,
        defaults={
            "owner": conversation.owner,
            "conversation": conversation,
            "stage": Shadowing.Stage.AGREED,
        },
    )
    if not created and shadowing.stage == Shadowing.Stage.ASKED:
        shadowing.stage = Shadowing.Stage.AGREED
        shadowing.conversation = shadowing.conversation or conversation
        shadowing.save()
    return shadowing


@transaction.atomic
def shadowing_save(*, shadowing: Shadowing) -> Shadowing:
    """A date makes it at least 'date set'; the stage never moves back from done by a date.
    A reflection is written after the day, so a shadowing with one is done."""
    if shadowing.on_date and shadowing.stage in (Shadowing.Stage.ASKED, Shadowing.Stage.AGREED):
        shadowing.stage = Shadowing.Stage.DATED
    if shadowing.reflected:
        shadowing.stage = Shadowing.Stage.DONE
    shadowing.full_clean()
    shadowing.save()
    return shadowing


@transaction.atomic
def interview_notes_save(*, conversation: Conversation, text: str) -> Note | None:
    """Interview mode's free notes: one note of the conversation, created on the first word
    and updated in place while typing, so the Notes card shows it and the plan stays as
    written. Emptying the box deletes the note rather than keeping an empty one."""
    session = _session(conversation)
    note = session.note
    if note is None:
        if not text.strip():
            return None
        note = note_add(owner=conversation.owner, text=text, conversation=conversation)
        session.note = note
        session.save(update_fields=["note", "updated_at"])
        return note
    if not text.strip():
        note.delete()
        return None
    Note.objects.filter(pk=note.pk).update(text=text, updated_at=timezone.now())
    note.text = text
    return note
