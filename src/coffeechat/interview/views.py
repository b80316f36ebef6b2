from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations.forms import LearningForm
from coffeechat.conversations.models import Conversation
from coffeechat.conversations.selectors import conversation_detail_queryset
from coffeechat.conversations.services import learning_add
from coffeechat.core.access import get_owned_or_404, get_visible_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.interview import selectors, services
from coffeechat.interview.forms import ActionItemForm, NoteForm, ReferralForm, ShadowingForm
from coffeechat.interview.models import Shadowing
from coffeechat.leads.forms import NORMAL_CHANNEL, QuickLeadForm
from coffeechat.leads.selectors import leads_for_conversation
from coffeechat.leads.services import lead_create
from coffeechat.organizations.services import organization_for_name
from coffeechat.outreach import drafts
from coffeechat.outreach.models import DraftKind
from coffeechat.prep.selectors import saved_script
from coffeechat.questions.models import Question


def _conversation(request: AuthedRequest, conversation_id: int) -> Conversation:
    return get_owned_or_404(
        conversation_detail_queryset(user=request.user), request.user, pk=conversation_id
    )


def _captured_context(conversation: Conversation, error: str = "") -> dict[str, object]:
    summary = selectors.conversation_summary(conversation=conversation)
    return {
        "conversation": conversation,
        "learnings": conversation.learnings.all(),
        "referrals": summary.referrals,
        "action_items": summary.action_items,
        "shadowing": summary.shadowing,
        "leads": leads_for_conversation(conversation=conversation),
        "capture_error": error,
    }


def interview_page(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    session = selectors.session_for(conversation)
    context = {
        **_captured_context(conversation),
        "session": session,
        "elapsed": selectors.elapsed_seconds(session),
        "questions": selectors.interview_questions(conversation=conversation),
        # The plan's opening and close, said around the questions (None without a plan).
        "script": saved_script(conversation=conversation),
        "learning_form": LearningForm(),
        "referral_form": ReferralForm(),
        "action_form": ActionItemForm(),
        "lead_form": QuickLeadForm(),
        "normal_channel": NORMAL_CHANNEL,
        "section": "conversations",
    }
    return render(request, "interview/page.html", context)


@require_POST
def interview_start(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    services.interview_start(conversation=conversation)
    return redirect("interview:page", conversation_id=conversation.pk)


@require_POST
def interview_end(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    services.interview_end(conversation=conversation)
    conversation.refresh_from_db()
    messages.success(
        request,
        "Conversation ended"
        + (" and marked held." if conversation.held_at else ".")
        + " Send your thanks within 24 hours. Ended by mistake? Reopen it below.",
    )
    return redirect("interview:summary", conversation_id=conversation.pk)


@require_POST
def interview_reopen(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    services.interview_reopen(conversation=conversation)
    messages.success(request, "Reopened: the clock runs again and the conversation is scheduled.")
    return redirect("interview:page", conversation_id=conversation.pk)


@require_POST
def question_mark(request: AuthedRequest, conversation_id: int, question_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    question = get_visible_or_404(Question, request.user, pk=question_id)
    try:
        note = services.question_mark(
            conversation=conversation, question=question, state=request.POST.get("state", "")
        )
    except ValidationError as error:
        # Only the page's two buttons post here; anything else is answered, not a failure.
        if request.htmx:
            return HttpResponse(" ".join(error.messages), status=400)
        messages.error(request, f"{' '.join(error.messages)} Nothing changed.")
        return redirect("interview:page", conversation_id=conversation.pk)
    if request.htmx:
        return render(
            request,
            "interview/page.html#marks",
            {"conversation": conversation, "question": question, "state": note.state},
        )
    return redirect("interview:page", conversation_id=conversation.pk)


@require_POST
def question_note(request: AuthedRequest, conversation_id: int, question_id: int) -> HttpResponse:
    """Autosave target of the note under a question: JSON for the page's script."""
    conversation = _conversation(request, conversation_id)
    question = get_visible_or_404(Question, request.user, pk=question_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors}, status=400)
    note = services.question_note_save(
        conversation=conversation, question=question, text=form.cleaned_data["note"]
    )
    return JsonResponse({"saved": True, "state": note.state})


@require_POST
def conversation_note(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors}, status=400)
    services.interview_notes_save(conversation=conversation, text=form.cleaned_data["note"])
    return JsonResponse({"saved": True})


def _captured(
    request: AuthedRequest, conversation: Conversation, done: str, error: str = ""
) -> HttpResponse:
    if request.htmx:
        return render(
            request, "interview/page.html#captured", _captured_context(conversation, error)
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("interview:page", conversation_id=conversation.pk)


def _capture(
    request: AuthedRequest,
    conversation_id: int,
    form_class: type[forms.BaseForm],
    error: str,
    save: Callable[[Conversation, dict[str, Any]], str],
) -> HttpResponse:
    """One quick-capture form: validate, save through a service, answer with the list of
    what was captured (htmx) or a redirect with a message."""
    conversation = _conversation(request, conversation_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return _captured(request, conversation, "", error)
    return _captured(request, conversation, save(conversation, form.cleaned_data))


def _learning(conversation: Conversation, data: dict[str, Any]) -> str:
    learning_add(conversation=conversation, **data)
    return "Learning saved."


def _referral(conversation: Conversation, data: dict[str, Any]) -> str:
    referral = services.referral_add(conversation=conversation, **data)
    return f"{referral.contact.full_name} added as a contact."


def _action(conversation: Conversation, data: dict[str, Any]) -> str:
    services.action_item_add(conversation=conversation, **data)
    return "Action item saved."


def _lead(conversation: Conversation, data: dict[str, Any]) -> str:
    # Credited to this conversation; the organization, when not said, is the contact's.
    lead = lead_create(
        owner=conversation.owner,
        role=data["role"],
        organization=organization_for_name(owner=conversation.owner, name=data["organization"]),
        source_conversation=conversation,
    )
    return f"Lead noted: {lead}. Pursue it through the normal channel."


@require_POST
def capture_learning(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    return _capture(
        request, conversation_id, LearningForm, "Write what you learned first.", _learning
    )


@require_POST
def capture_referral(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    return _capture(
        request, conversation_id, ReferralForm, "A referral needs at least a first name.", _referral
    )


@require_POST
def capture_action(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    return _capture(
        request, conversation_id, ActionItemForm, "Write the action item first.", _action
    )


@require_POST
def capture_lead(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    return _capture(
        request, conversation_id, QuickLeadForm, "Write the role of the opening first.", _lead
    )


@require_POST
def capture_shadowing(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    services.shadowing_offered(conversation=conversation)
    return _captured(request, conversation, "Shadowing offer noted.")


def summary(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    values = drafts.draft_values(conversation=conversation, profile=profile_for(request.user))
    thanks = drafts.template_for(DraftKind.THANKS)
    context = {
        "summary": selectors.conversation_summary(conversation=conversation),
        "conversation": conversation,
        "thanks_preview": drafts.fill(thanks.body, values),
        "section": "conversations",
    }
    return render(request, "interview/summary.html", context)


def shadowing_edit(request: AuthedRequest, contact_id: int) -> HttpResponse:
    """Shadowing a contact: asking for the day, a guide for it, and the reflection after."""
    contact = get_owned_or_404(
        Contact.objects.select_related("organization"), request.user, pk=contact_id
    )
    shadowing = Shadowing.objects.filter(owner=request.user, contact=contact).first()
    form = ShadowingForm(
        request.POST or None,
        instance=shadowing or Shadowing(owner=request.user, contact=contact),
    )
    if request.method == "POST" and form.is_valid():
        saved = services.shadowing_save(shadowing=form.save(commit=False))
        messages.success(
            request,
            "Reflection saved: it stays with the shadowing on the contact's page."
            if saved.reflected
            else "Shadowing saved.",
        )
        return redirect("contacts:detail", contact_id=contact.pk)
    return render(
        request,
        "interview/shadowing.html",
        {
            "contact": contact,
            "shadowing": shadowing,
            "form": form,
            "ask": selectors.shadowing_ask(contact=contact, shadowing=shadowing),
        },
    )
