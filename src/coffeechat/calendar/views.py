from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import calendar_token_regenerate
from coffeechat.calendar import ics, selectors
from coffeechat.conversations.models import Conversation
from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.leads.models import FormalInterview

ICS_TYPE = "text/calendar; charset=utf-8"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def conversation_ics(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = get_owned_or_404(
        Conversation.objects.select_related("contact", "contact__organization"),
        request.user,
        pk=conversation_id,
    )
    if not ics.can_show(conversation):
        return render(request, "calendar/no_time.html", {"conversation": conversation})
    response = HttpResponse(ics.conversation_ics(conversation), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="conversation-{conversation.pk}.ics"'
    return response


def round_ics(request: AuthedRequest, round_id: int) -> HttpResponse:
    fi = get_owned_or_404(
        FormalInterview.objects.select_related("lead", "lead__organization"),
        request.user,
        pk=round_id,
    )
    if not ics.can_show_round(fi):
        return render(request, "calendar/no_time.html", {"round": fi})
    response = HttpResponse(ics.round_ics(fi), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="formal-interview-{fi.pk}.ics"'
    return response


@login_not_required
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed. The secret in the address is the only key, so a wrong or old one
    answers 404, the same as a page that never existed."""
    # Tokens are URL-safe base64 (new_calendar_token): anything else is not one, and is never
    # sent to the database (PostgreSQL refuses a NUL in any text).
    if not TOKEN_SHAPE.fullmatch(token):
        raise Http404("No such calendar.")
    profile = Profile.objects.select_related("user").filter(calendar_token=token).first()
    if profile is None:
        raise Http404("No such calendar.")
    body = ics.feed_ics(
        conversations=selectors.feed_conversations(user=profile.user),
        followups=selectors.feed_followups(user=profile.user),
        rounds=selectors.feed_rounds(user=profile.user),
    )
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
def token_regenerate(request: AuthedRequest) -> HttpResponse:
    calendar_token_regenerate(user=request.user)
    messages.success(request, "New calendar address made; the old one no longer works.")
    return redirect("accounts:settings")
