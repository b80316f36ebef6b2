from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coffeechat.contacts import selectors, services
from coffeechat.contacts.forms import ContactForm
from coffeechat.contacts.models import Contact
from coffeechat.core.access import get_owned_or_404
from coffeechat.core.deletion import name_of
from coffeechat.core.text import plural
from coffeechat.core.types import AuthedRequest
from coffeechat.core.views import (
    confirm_delete,
    form_page_context,
    paginate,
    query_int,
    query_text,
)
from coffeechat.organizations.models import Organization


def contact_list(request: AuthedRequest) -> HttpResponse:
    filters = selectors.ContactFilters(
        q=query_text(request, "q"),
        tag=query_int(request, "tag"),
        organization=query_int(request, "organization"),
        connection=request.GET.get("connection", "")
        if request.GET.get("connection") in Contact.Connection.values
        else "",
        sort=request.GET.get("sort", "name")
        if request.GET.get("sort") in selectors.SORTS
        else "name",
    )
    listing = selectors.contact_list(user=request.user, filters=filters)
    page = paginate(
        request, listing.rows, scan=listing.scan, count=listing.count, rows=listing.shown
    )
    organization = (
        Organization.objects.filter(owner=request.user, pk=filters.organization).first()
        if filters.organization
        else None
    )
    context = {
        "page": page,
        "filters": filters,
        "organization": organization,
        "tags": selectors.tag_choices(user=request.user),
        "connections": Contact.Connection.choices,
        "sorts": [("name", "Name"), ("recent", "Recent interaction"), ("added", "Recently added")],
        "querystring": request.GET.copy(),
    }
    # htmx search-as-you-type swaps only the results, not the whole page.
    template = (
        "contacts/list.html#results"
        if request.htmx and not request.htmx.boosted
        else "contacts/list.html"
    )
    return render(request, template, context)


def contact_detail(request: AuthedRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(
        selectors.contact_queryset_for_detail(user=request.user),
        request.user,
        pk=contact_id,
    )
    context = selectors.contact_detail_context(contact=contact)
    return render(request, "contacts/detail.html", context)


def contact_form(request: AuthedRequest, contact_id: int | None = None) -> HttpResponse:
    contact = (
        get_owned_or_404(Contact, request.user, pk=contact_id)
        if contact_id
        else Contact(owner=request.user)
    )
    initial = {}
    if not contact_id and request.GET.get("introduced_by"):
        initial["introduced_by"] = query_int(request, "introduced_by")
    form = ContactForm(request.POST or None, instance=contact, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        contact = services.contact_save(
            owner=request.user,
            contact=form.save(commit=False),
            organization_name=form.cleaned_data["organization_name"],
            tag_names=form.cleaned_data["tag_names"],
        )
        messages.success(request, f"Saved {contact.full_name}.")
        return redirect("contacts:detail", contact_id=contact.pk)
    organization_names = (
        Organization.objects.filter(owner=request.user)
        .order_by("name")
        .values_list("name", flat=True)[:300]
    )
    context = form_page_context(
        form=form,
        obj=contact,
        noun="contact",
        list_url=reverse("contacts:list"),
        detail="contacts:detail",
        delete="contacts:delete",
    )
    context["organization_names"] = organization_names
    context["wide_fields"] = ["introduced_by", "notes"]
    return render(request, "contacts/form.html", context)


def contact_delete(request: AuthedRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    return confirm_delete(
        request,
        contact,
        what=contact.full_name,
        cancel_url=reverse("contacts:detail", args=[contact.pk]),
        success_url=reverse("contacts:list"),
        delete=lambda: services.contact_delete(contact=contact),
    )


def contact_pick(request: AuthedRequest) -> HttpResponse:
    """Search results for the contact picker widget (htmx fragment)."""
    name = request.GET.get("name", "contact")
    if not name.replace("_", "").isalnum():
        name = "contact"
    results = selectors.contact_pick(user=request.user, q=query_text(request, "q", max_length=100))
    # Several contacts (a panel's interviewers) are picked with boxes, one with radios.
    multiple = request.GET.get("multiple") == "1"
    return render(
        request,
        "core/widgets/contact_picker.html#results",
        {"results": results, "name": name, "multiple": multiple},
    )


def contact_duplicates(request: AuthedRequest) -> HttpResponse:
    pairs = selectors.duplicate_candidates(user=request.user)
    return render(request, "contacts/duplicates.html", {"pairs": pairs})


@require_POST
def contact_not_duplicate(
    request: AuthedRequest, contact_id: int, duplicate_id: int
) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    other = get_owned_or_404(Contact, request.user, pk=duplicate_id)
    if contact.pk == other.pk:
        messages.error(request, "Choose two different contacts.")
        return redirect("contacts:duplicates")
    services.duplicate_dismiss(owner=request.user, contact=contact, other=other)
    messages.success(
        request,
        f"{contact.full_name} and {other.full_name} are kept apart and will not be suggested "
        "again.",
    )
    return redirect("contacts:duplicates")


def contact_merge(request: AuthedRequest, contact_id: int, duplicate_id: int) -> HttpResponse:
    """GET: what merging moves, to confirm; POST: merge ``duplicate`` into ``contact``."""
    keep = get_owned_or_404(Contact, request.user, pk=contact_id)
    duplicate = get_owned_or_404(Contact, request.user, pk=duplicate_id)
    if keep.pk == duplicate.pk:
        messages.error(request, "A contact cannot be merged with themselves.")
        return redirect("contacts:duplicates")
    if request.method == "POST":
        services.contact_merge(keep=keep, duplicate=duplicate)
        messages.success(request, f"Merged {duplicate.full_name} into {keep.full_name}.")
        return redirect("contacts:detail", contact_id=keep.pk)
    moves = [name_of(model, count) for model, count in services.merge_moves(duplicate=duplicate)]
    if tags := duplicate.tags.count():
        moves.append(plural(tags, "tag"))
    return render(
        request,
        "contacts/merge.html",
        {"keep": keep, "duplicate": duplicate, "moves": moves},
    )
