"""{% contact_conversations contact %}: a contact's conversations, for their page."""

from __future__ import annotations

from typing import Any

from django import template

from coffeechat.contacts.models import Contact
from coffeechat.conversations.selectors import conversations_for_contact

register = template.Library()


@register.inclusion_tag("conversations/_for_contact.html")
def contact_conversations(contact: Contact) -> dict[str, Any]:
    return {"contact": contact, "conversations": conversations_for_contact(contact=contact)}
