"""{% conversation_messages conversation %}: the messages logged for a conversation."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from coffeechat.conversations.models import Conversation, Status

register = template.Library()

# Only while an answer is awaited does "Log reply" make sense; once scheduled, the reply is
# evident (and the scheduling closed the 3B7 follow-ups).
AWAITING_REPLY = (Status.REQUESTED, Status.NO_REPLY)


@register.inclusion_tag("outreach/_conversation_card.html", takes_context=True)
def conversation_messages(context: template.Context, conversation: Conversation) -> dict[str, Any]:
    return {
        "conversation": conversation,
        "outreach": conversation.outreach.order_by("-sent_on", "-id"),
        "awaiting_reply": conversation.status in AWAITING_REPLY,
        "today": timezone.localdate(),
        "csrf_token": context.get("csrf_token"),
    }
