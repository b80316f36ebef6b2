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

# The organization picker lists this many, by name; any other is one click away on its own
# page ("Who do I know here?"). 500 options were a fifth of the page at every size.
ORGANIZATION_CHOICES = 200
LINKS_SHOWN = 50


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
    organizations_qs = owned(Organization, request.user)
    choices = list(
        organizations_qs.order_by("name", "id").values_list("pk", "name")[:ORGANIZATION_CHOICES]
    )
    if organization and all(pk != organization.pk for pk, _ in choices):
        # The one asked about stays selected even when it is past the first ones by name.
        choices.append((organization.pk, organization.name))
    organizations_total = (
        len(choices) if len(choices) < ORGANIZATION_CHOICES else organizations_qs.count()
    )
    show_all_tree = request.GET.get("tree") == "all"
    tree_more_query = request.GET.copy()
    tree_more_query["tree"] = "all"
    context = {
        "organization": organization,
        "target": target,
        "known": known,
        "paths": paths,
        "organizations": choices,
        "organizations_total": organizations_total,
        "targets": owned(Target, request.user)
        .filter(status=Target.Status.ACTIVE)
        .values_list("pk", "name")[:200],
        "tree": selectors.referral_tree(
            user=request.user,
            max_nodes=selectors.TREE_MAX if show_all_tree else selectors.TREE_SHOWN,
        ),
        "tree_more_url": "?" + tree_more_query.urlencode(),
        "tree_max": selectors.TREE_MAX,
        # Newest first through knows_owner_newest_idx, stopped at 50.
        "links": owned(Knows, request.user).select_related("contact", "other")[:LINKS_SHOWN],
        "links_shown": LINKS_SHOWN,
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
