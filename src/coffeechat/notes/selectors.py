"""Reads of notes: the notes section that the contact page and the conversation page share."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from django.urls import reverse

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.notes.forms import NoteForm
from coffeechat.notes.models import Note

# The latest notes only: the page stays small for the busiest contact; the total says how
# many more there are.
NOTES_SHOWN = 25
_NEWEST_FIRST = ("-created_at", "-id")


def notes_for_contact(*, contact: Contact, limit: int = NOTES_SHOWN) -> tuple[list[Note], int]:
    """The latest notes about a contact (on them or on their conversations) and how many in all.

    Two indexed reads merged here rather than one query with an OR across two relations: the
    OR made PostgreSQL read the whole notes table (every user's) for each contact page."""
    on_contact = Note.objects.filter(owner_id=contact.owner_id, contact=contact)
    their_conversations = Conversation.objects.filter(
        owner_id=contact.owner_id, contact=contact
    ).values("id")
    on_conversations = Note.objects.filter(
        conversation_id__in=their_conversations, contact__isnull=True
    )
    newest = sorted(
        chain(
            on_contact.order_by(*_NEWEST_FIRST)[:limit],
            on_conversations.order_by(*_NEWEST_FIRST)[:limit],
        ),
        key=lambda note: (note.created_at, note.pk),
        reverse=True,
    )
    return newest[:limit], on_contact.count() + on_conversations.count()


def notes_for_conversation(
    *, conversation: Conversation, limit: int = NOTES_SHOWN
) -> tuple[list[Note], int]:
    notes = conversation.note_set.order_by(*_NEWEST_FIRST)
    return list(notes[:limit]), notes.count()


@dataclass(frozen=True)
class NotesSection:
    """What notes/_section.html shows for a contact or a conversation."""

    notes: list[Note]
    total: int
    add_url: str
    form: NoteForm
    # On a contact's page, a note written in one of their conversations links back to it.
    on_contact: bool


def notes_section(*, subject: Contact | Conversation, form: NoteForm | None = None) -> NotesSection:
    if isinstance(subject, Contact):
        notes, total = notes_for_contact(contact=subject)
        add_url = reverse("notes:add_to_contact", args=[subject.pk])
    else:
        notes, total = notes_for_conversation(conversation=subject)
        add_url = reverse("notes:add_to_conversation", args=[subject.pk])
    return NotesSection(notes, total, add_url, form or NoteForm(), isinstance(subject, Contact))
