from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.core.views import confirm_delete, form_page_context, paginate, query_text
from coffeechat.organizations import selectors, services
from coffeechat.organizations.forms import OrganizationForm
from coffeechat.organizations.models import Organization


def organization_list(request: AuthedRequest) -> HttpResponse:
    q = query_text(request, "q")
    # A substring search tests every organization anyway: one scan gives the count and page.
    page = paginate(request, selectors.organization_list(user=request.user, q=q), scan=bool(q))
    page.object_list = selectors.with_contact_counts(page.object_list)
    return render(request, "organizations/list.html", {"page": page, "q": q})


def organization_detail(request: AuthedRequest, organization_id: int) -> HttpResponse:
    organization = get_owned_or_404(Organization, request.user, pk=organization_id)
    contacts = organization.contacts.order_by("last_name", "first_name")[:200]
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "contacts": contacts,
            "targets": organization.targets.all(),
        },
    )


def organization_form(request: AuthedRequest, organization_id: int | None = None) -> HttpResponse:
    organization = (
        get_owned_or_404(Organization, request.user, pk=organization_id)
        if organization_id
        else Organization(owner=request.user)
    )
    form = OrganizationForm(request.POST or None, instance=organization, owner=request.user)
    if request.method == "POST" and form.is_valid():
        organization = services.organization_save(organization=form.save(commit=False))
        messages.success(request, f"Saved {organization.name}.")
        return redirect("organizations:detail", organization_id=organization.pk)
    context = form_page_context(
        form=form,
        obj=organization,
        noun="organization",
        list_url=reverse("organizations:list"),
        detail="organizations:detail",
        delete="organizations:delete",
    )
    return render(request, "organizations/form.html", context)


def organization_delete(request: AuthedRequest, organization_id: int) -> HttpResponse:
    organization = get_owned_or_404(Organization, request.user, pk=organization_id)
    return confirm_delete(
        request,
        organization,
        what=organization.name,
        cancel_url=reverse("organizations:detail", args=[organization.pk]),
        success_url=reverse("organizations:list"),
    )
