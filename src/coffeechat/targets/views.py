from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.core.views import confirm_delete, form_page_context
from coffeechat.targets import selectors, services
from coffeechat.targets.forms import TargetForm
from coffeechat.targets.models import Target


def target_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", Target.Status.ACTIVE)
    if status not in Target.Status.values and status != "all":
        status = Target.Status.ACTIVE
    targets = selectors.target_list(
        user=request.user,
        status=None if status == "all" else status,
    )
    return render(
        request,
        "targets/list.html",
        {"targets": targets, "status": status, "statuses": Target.Status.choices},
    )


def target_detail(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = get_owned_or_404(
        Target.objects.select_related("organization"), request.user, pk=target_id
    )
    conversations = target.conversations.select_related("contact").order_by("-created_at")
    return render(
        request,
        "targets/detail.html",
        {
            "target": target,
            "contacts": selectors.target_contacts(target=target),
            "conversations": conversations,
        },
    )


def target_form(request: AuthedRequest, target_id: int | None = None) -> HttpResponse:
    target = (
        get_owned_or_404(Target, request.user, pk=target_id)
        if target_id
        else Target(owner=request.user)
    )
    form = TargetForm(request.POST or None, instance=target, owner=request.user)
    if request.method == "POST" and form.is_valid():
        target = services.target_save(
            owner=request.user,
            target=form.save(commit=False),
            organization_name=form.cleaned_data.get("organization_name", ""),
        )
        messages.success(request, f"Saved target {target.name}.")
        return redirect("targets:detail", target_id=target.pk)
    context = form_page_context(
        form=form,
        obj=target,
        noun="target",
        list_url=reverse("targets:list"),
        detail="targets:detail",
        delete="targets:delete",
    )
    return render(request, "targets/form.html", context)


def target_delete(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = get_owned_or_404(Target, request.user, pk=target_id)
    return confirm_delete(
        request,
        target,
        what=f"target {target.name}",
        cancel_url=reverse("targets:detail", args=[target.pk]),
        success_url=reverse("targets:list"),
    )
