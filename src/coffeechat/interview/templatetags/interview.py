"""{% contact_shadowing contact %}: where shadowing a contact stands, for their page."""

from __future__ import annotations

from typing import Any

from django import template

from coffeechat.contacts.models import Contact
from coffeechat.interview.models import Shadowing

register = template.Library()


@register.inclusion_tag("interview/_shadowing_for_contact.html")
def contact_shadowing(contact: Contact) -> dict[str, Any]:
    shadowing = Shadowing.objects.filter(owner_id=contact.owner_id, contact=contact).first()
    return {"contact": contact, "shadowing": shadowing}
