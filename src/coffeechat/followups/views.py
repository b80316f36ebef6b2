from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.core.views import (
    confirm_delete,
    form_page_context,
    paginate,
    query_int,
    redirect_next,
)
from coffeechat.followups import selectors, services
from coffeechat.followups.forms import FollowUpForm
from coffeechat.followups.models import FollowUp


def followup_list(request: AuthedRequest) -> HttpResponse:
    show_done = request.GET.get("show") == "done"
    queryset = (
        selectors.done_followups(user=request.user)
        if show_done
        else selectors.open_followups(user=request.user)
    )
    return render(
        request,
        "followups/list.html",
        {
            "page": paginate(request, queryset),
            "show_done": show_done,
            "today": timezone.localdate(),
        },
    )


def followup_form(request: AuthedRequest, followup_id: int | None = None) -> HttpResponse:
    followup = (
        get_owned_or_404(FollowUp, request.user, pk=followup_id)
        if followup_id
        else FollowUp(owner=request.user)
    )
    initial: dict[str, object] = {}
    if not followup_id:
        initial["due_on"] = timezone.localdate()
        if contact_id := query_int(request, "contact"):
            initial["contact"] = contact_id
    form = FollowUpForm(
        request.POST or None, instance=followup, owner=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.followup_save(followup=form.save(commit=False))
        messages.success(request, "Follow-up saved.")
        return redirect("followups:list")
    context = form_page_context(
        form=form,
        obj=followup,
        noun="follow-up",
        list_url=reverse("followups:list"),
        delete="followups:delete",
    )
    return render(request, "followups/form.html", context)


@require_POST
def followup_toggle(request: AuthedRequest, followup_id: int) -> HttpResponse:
    followup = get_owned_or_404(
        FollowUp.objects.select_related("contact", "conversation__contact"),
        request.user,
        pk=followup_id,
    )
    services.followup_toggle(followup=followup)
    if request.htmx:
        return render(
            request,
            "followups/_item.html",
            {"followup": followup, "today": timezone.localdate()},
        )
    return redirect_next(request, "followups:list")


def followup_delete(request: AuthedRequest, followup_id: int) -> HttpResponse:
    followup = get_owned_or_404(FollowUp, request.user, pk=followup_id)
    return confirm_delete(
        request,
        followup,
        what="the follow-up",
        consequences=[f"“{followup.what}” will be gone."],
        cancel_url=reverse("followups:list"),
        success_url=reverse("followups:list"),
    )
