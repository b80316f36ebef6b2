from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations import selectors, services
from coffeechat.conversations.forms import (
    ConversationForm,
    LearningForm,
    TransitionForm,
)
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.core.views import (
    confirm_delete,
    edit_page,
    form_page_context,
    paginate,
    query_int,
)


def conversation_board(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status")
    if status in Status.values:
        page = paginate(request, selectors.conversation_list(user=request.user, status=status))
        return render(request, "conversations/list.html", {"page": page, "status": Status(status)})
    columns = selectors.conversation_board(user=request.user)
    return render(request, "conversations/board.html", {"columns": columns})


def _detail_context(conversation: Conversation) -> dict:
    """The conversation's own parts; notes and messages are sections their apps render."""
    return {
        "conversation": conversation,
        "learnings": conversation.learnings.prefetch_related("fit_lines__target"),
        "followups": conversation.followups.select_related("contact", "conversation__contact"),
        "learning_form": LearningForm(),
        "transition_form": TransitionForm(initial={"time_zone": conversation.time_zone}),
        "today": timezone.localdate(),
    }


def conversation_detail(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = get_owned_or_404(
        selectors.conversation_detail_queryset(user=request.user),
        request.user,
        pk=conversation_id,
    )
    return render(request, "conversations/detail.html", _detail_context(conversation))


def conversation_form(request: AuthedRequest, conversation_id: int | None = None) -> HttpResponse:
    conversation = (
        get_owned_or_404(Conversation, request.user, pk=conversation_id)
        if conversation_id
        else Conversation(owner=request.user)
    )
    initial: dict[str, object] = {}
    contact_id, target_id = query_int(request, "contact"), query_int(request, "target")
    if not conversation_id and contact_id:
        contact = Contact.objects.filter(owner=request.user, pk=contact_id).first()
        if contact:
            initial["contact"] = contact.pk
    if not conversation_id and target_id:
        initial["targets"] = [target_id]
    form = ConversationForm(
        request.POST or None,
        instance=conversation,
        owner=request.user,
        default_time_zone=profile_for(request.user).time_zone,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        conversation = form.save_conversation()
        messages.success(request, "Conversation saved.")
        return redirect("conversations:detail", conversation_id=conversation.pk)
    context = form_page_context(
        form=form,
        obj=conversation,
        noun="conversation",
        list_url=reverse("conversations:board"),
        detail="conversations:detail",
        delete="conversations:delete",
    )
    context["wide_fields"] = ["contact", "targets", "place", "notes"]
    return render(request, "conversations/form.html", context)


@require_POST
def conversation_transition(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = get_owned_or_404(Conversation, request.user, pk=conversation_id)
    form = TransitionForm(request.POST, default_time_zone=conversation.time_zone)
    if not form.is_valid():
        problems = " ".join(str(message) for errors in form.errors.values() for message in errors)
        messages.error(request, f"{problems} Nothing changed.")
        return redirect("conversations:detail", conversation_id=conversation.pk)
    try:
        services.conversation_transition(
            conversation=conversation,
            to=form.cleaned_data["to"],
            starts_at=form.cleaned_data["starts_at"],
            time_zone=form.cleaned_data["time_zone"],
        )
    except services.InvalidTransition as error:
        messages.error(request, f"{error.message} Nothing changed.")
    else:
        messages.success(request, f"Marked {conversation.status_label.lower()}.")
    return redirect("conversations:detail", conversation_id=conversation.pk)


def conversation_delete(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = get_owned_or_404(
        Conversation.objects.select_related("contact"), request.user, pk=conversation_id
    )
    return confirm_delete(
        request,
        conversation,
        what=f"the conversation with {conversation.contact}",
        consequences=[f"{conversation.contact} stays in your contacts."],
        cancel_url=reverse("conversations:detail", args=[conversation.pk]),
        success_url=reverse("conversations:board"),
    )


@require_POST
def learning_add(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = get_owned_or_404(Conversation, request.user, pk=conversation_id)
    form = LearningForm(request.POST)
    if form.is_valid():
        services.learning_add(
            conversation=conversation,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )
        form = LearningForm()
    if request.htmx:
        return render(
            request,
            "conversations/detail.html#learnings",
            {
                "conversation": conversation,
                "learnings": conversation.learnings.prefetch_related("fit_lines__target"),
                "learning_form": form,
            },
        )
    if form.errors:
        messages.error(request, "Write what you learned before saving it.")
    return redirect("conversations:detail", conversation_id=conversation.pk)


def learning_delete(request: AuthedRequest, learning_id: int) -> HttpResponse:
    learning = get_owned_or_404(Learning, request.user, pk=learning_id)
    back = reverse("conversations:detail", args=[learning.conversation_id])
    return confirm_delete(
        request,
        learning,
        what="the learning",
        quote=learning.text,
        cancel_url=back,
        success_url=back,
    )


def learning_edit(request: AuthedRequest, learning_id: int) -> HttpResponse:
    learning = get_owned_or_404(Learning, request.user, pk=learning_id)
    back = reverse("conversations:detail", args=[learning.conversation_id])
    form = LearningForm(request.POST or None, instance=learning)
    return edit_page(
        request,
        form=form,
        heading="Edit learning",
        back=back,
        delete_url=reverse("conversations:learning_delete", args=[learning.pk]),
        save=lambda: services.learning_update(
            learning=learning, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"]
        ),
    )
