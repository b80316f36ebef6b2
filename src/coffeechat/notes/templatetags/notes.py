"""{% notes_section subject %}: the notes of a contact or a conversation, with the form to add
one. The pages that show notes compose it here instead of each reading notes themselves."""

from __future__ import annotations

from typing import Any

from django import template

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.notes.selectors import notes_section as notes_section_for

register = template.Library()


@register.inclusion_tag("notes/_section.html", takes_context=True)
def notes_section(context: template.Context, subject: Contact | Conversation) -> dict[str, Any]:
    return {
        "section": notes_section_for(subject=subject),
        "csrf_token": context.get("csrf_token"),
    }
