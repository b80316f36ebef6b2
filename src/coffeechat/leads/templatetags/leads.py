"""{% conversation_leads conversation %}: the openings heard in a conversation, and a form to
record one, for the conversation's page."""

from __future__ import annotations

from typing import Any

from django import template

from coffeechat.conversations.models import Conversation
from coffeechat.leads.selectors import leads_for_conversation

register = template.Library()


@register.inclusion_tag("leads/_conversation_card.html", takes_context=True)
def conversation_leads(context: template.Context, conversation: Conversation) -> dict[str, Any]:
    return {
        "conversation": conversation,
        "leads": leads_for_conversation(conversation=conversation),
        "csrf_token": context.get("csrf_token"),
    }
