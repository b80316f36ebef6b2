from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.notes.models import Note


@transaction.atomic
def note_add(
    *,
    owner: User,
    text: str,
    contact: Contact | None = None,
    conversation: Conversation | None = None,
) -> Note:
    """A note counts as an interaction with the contact, which restarts stay-in-touch timing."""
    note = Note.objects.create(owner=owner, text=text, contact=contact, conversation=conversation)
    person = contact or (conversation.contact if conversation else None)
    if person is not None:
        Contact.objects.filter(pk=person.pk).update(
            last_interaction=timezone.localdate(), updated_at=timezone.now()
        )
    return note


@transaction.atomic
def note_update(*, note: Note, text: str) -> Note:
    note.text = text
    note.full_clean()
    note.save()
    return note
