from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from coffeechat.core.access import get_owned_or_404, owned
from coffeechat.core.types import AuthedRequest
from coffeechat.core.views import confirm_delete, query_int
from coffeechat.network import selectors, services
from coffeechat.network.forms import KnowsForm
from coffeechat.network.models import Knows
from coffeechat.organizations.models import Organization
from coffeechat.targets.models import Target


def network(request: AuthedRequest) -> HttpResponse:
    """Who do I know at an organization or for a target, how to be introduced, and the
    referral tree."""
    organization = target = None
    if org_id := query_int(request, "organization"):
        organization = owned(Organization, request.user).filter(pk=org_id).first()
    if target_id := query_int(request, "target"):
        target = (
            owned(Target, request.user).select_related("organization").filter(pk=target_id).first()
        )
    known = paths = None
    if organization or target:
        if organization:
            organizations = [organization]
        else:
            assert target is not None
            organizations = selectors.organizations_for_target(target=target)
        role = target.name if target and target.kind == Target.Kind.ROLE else ""
        known = selectors.who_i_know(user=request.user, organizations=organizations, role=role)
        paths = [
            path
            for org in organizations[:5]
            for path in selectors.introduction_paths(user=request.user, organization=org)
        ]
        paths.sort(key=lambda p: p.length)
    context = {
        "organization": organization,
        "target": target,
        "known": known,
        "paths": paths,
        "organizations": owned(Organization, request.user)
        .order_by("name")
        .values_list("pk", "name")[:500],
        "targets": owned(Target, request.user)
        .filter(status=Target.Status.ACTIVE)
        .values_list("pk", "name")[:200],
        "tree": selectors.referral_tree(user=request.user),
        "links": owned(Knows, request.user).select_related("contact", "other")[:50],
        "form": KnowsForm(owner=request.user),
    }
    return render(request, "network/network.html", context)


def knows_create(request: AuthedRequest) -> HttpResponse:
    form = KnowsForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        link = services.knows_create(
            owner=request.user,
            contact=form.cleaned_data["contact"],
            other=form.cleaned_data["other"],
            how=form.cleaned_data["how"],
        )
        messages.success(request, f"Saved: {link}.")
        return redirect("network:home")
    return render(
        request,
        "core/_form_page.html",
        {"form": form, "heading": "Who knows whom", "cancel_url": reverse("network:home")},
    )


def knows_delete(request: AuthedRequest, knows_id: int) -> HttpResponse:
    link = get_owned_or_404(
        Knows.objects.select_related("contact", "other"), request.user, pk=knows_id
    )
    return confirm_delete(
        request,
        link,
        what=f"the link “{link}”",
        consequences=["Both contacts stay; only the link between them goes."],
        cancel_url=reverse("network:home"),
        success_url=reverse("network:home"),
    )
