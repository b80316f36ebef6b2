"""{% contact_followups contact %}: a contact's follow-ups, for their page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.followups.selectors import followups_for_contact

register = template.Library()


@register.inclusion_tag("followups/_for_contact.html", takes_context=True)
def contact_followups(context: template.Context, contact: Contact) -> dict[str, Any]:
    return {
        "contact": contact,
        "followups": followups_for_contact(contact=contact),
        "today": timezone.localdate(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
