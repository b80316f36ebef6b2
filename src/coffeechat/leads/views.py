from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.core.validators import is_id
from coffeechat.core.views import confirm_delete, form_page_context, paginate, query_int
from coffeechat.leads import selectors, services
from coffeechat.leads.forms import NORMAL_CHANNEL, LeadForm, LeadTransitionForm, RoundForm
from coffeechat.leads.models import FormalInterview, Lead, LeadStatus


def lead_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    show = request.GET.get("show", "open")
    if status not in LeadStatus.values:
        status = ""
    if show not in selectors.SHOWS:
        show = "open"
    page = paginate(request, selectors.lead_list(user=request.user, status=status, show=show))
    counts = selectors.lead_counts(user=request.user)
    base = reverse("leads:list")
    # One row of filters: open, settled, all, then each status (with how many are there).
    chips = [
        {
            "url": base if key == "open" else f"{base}?show={key}",
            "label": label,
            "count": counts[key],
            "current": not status and show == key,
        }
        for key, label in selectors.SHOWS.items()
    ] + [
        {
            "url": f"{base}?status={value}",
            "label": label,
            "count": counts.get(value, 0),
            "current": status == value,
        }
        for value, label in LeadStatus.choices
    ]
    context = {
        "page": page,
        "status": LeadStatus(status) if status else None,
        "show": "" if status else show,
        "chips": chips,
    }
    return render(request, "leads/list.html", context)


def lead_detail(request: AuthedRequest, lead_id: int) -> HttpResponse:
    lead = get_owned_or_404(
        selectors.lead_detail_queryset(user=request.user), request.user, pk=lead_id
    )
    context = {
        "lead": lead,
        "rounds": selectors.rounds_for_lead(lead=lead),
        "normal_channel": NORMAL_CHANNEL,
    }
    return render(request, "leads/detail.html", context)


def _form_page(request: AuthedRequest, context: dict[str, object], intro: str = "") -> HttpResponse:
    context["intro"] = intro
    return render(request, "leads/form.html", context)


def lead_form(request: AuthedRequest, lead_id: int | None = None) -> HttpResponse:
    lead = (
        get_owned_or_404(Lead.objects.select_related("organization"), request.user, pk=lead_id)
        if lead_id
        else Lead(owner=request.user)
    )
    initial: dict[str, object] = {}
    if not lead_id:
        # Pre-filled from the conversation (or contact) the user came from.
        conversation_id, contact_id = (
            query_int(request, "conversation"),
            query_int(request, "contact"),
        )
        conversation = (
            Conversation.objects.filter(owner=request.user, pk=conversation_id)
            .select_related("contact__organization")
            .first()
            if conversation_id
            else None
        )
        contact = (
            Contact.objects.filter(owner=request.user, pk=contact_id)
            .select_related("organization")
            .first()
            if contact_id
            else None
        )
        if conversation is not None:
            initial["source_conversation"] = conversation.pk
            contact = contact or conversation.contact
            first_target = conversation.targets.order_by("id").first()
            if first_target is not None:
                initial["target"] = first_target.pk
        if contact is not None:
            initial["source_contact"] = contact.pk
            if contact.organization is not None:
                initial["organization_name"] = contact.organization.name
    form = LeadForm(request.POST or None, instance=lead, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lead = form.save_lead()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Lead saved.")
            return redirect("leads:detail", lead_id=lead.pk)
    context = form_page_context(
        form=form,
        obj=lead,
        noun="lead",
        list_url=reverse("leads:list"),
        detail="leads:detail",
        delete="leads:delete",
    )
    source = form["source_conversation"].value()
    context["source_conversation"] = (
        Conversation.objects.filter(owner=request.user, pk=source).select_related("contact").first()
        if is_id(source)
        else None
    )
    context["wide_fields"] = ["source_contact", "notes", "link"]
    return _form_page(request, context, NORMAL_CHANNEL)


@require_POST
def lead_transition(request: AuthedRequest, lead_id: int) -> HttpResponse:
    lead = get_owned_or_404(Lead, request.user, pk=lead_id)
    form = LeadTransitionForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(message) for errors in form.errors.values() for message in errors)
        messages.error(request, f"{problems} Nothing changed.")
        return redirect("leads:detail", lead_id=lead.pk)
    try:
        services.lead_transition(
            lead=lead, to_status=form.cleaned_data["to"], on=form.cleaned_data["on"]
        )
    except services.InvalidLeadTransition as error:
        messages.error(request, f"{error.message} Nothing changed.")
    else:
        messages.success(request, f"Marked {lead.status_label.lower()}.")
    return redirect("leads:detail", lead_id=lead.pk)


def lead_delete(request: AuthedRequest, lead_id: int) -> HttpResponse:
    lead = get_owned_or_404(Lead.objects.select_related("organization"), request.user, pk=lead_id)
    return confirm_delete(
        request,
        lead,
        what=f"the lead “{lead}”",
        consequences=["The conversation and the contacts it credits stay."],
        cancel_url=reverse("leads:detail", args=[lead.pk]),
        success_url=reverse("leads:list"),
        delete=lambda: services.lead_delete(lead=lead),
    )


def round_form(
    request: AuthedRequest, lead_id: int | None = None, round_id: int | None = None
) -> HttpResponse:
    if round_id:
        fi = get_owned_or_404(
            FormalInterview.objects.select_related("lead__organization"), request.user, pk=round_id
        )
        lead = fi.lead
    else:
        lead = get_owned_or_404(
            Lead.objects.select_related("organization"), request.user, pk=lead_id
        )
        fi = FormalInterview(owner=request.user, lead=lead)
    form = RoundForm(
        request.POST or None,
        instance=fi,
        owner=request.user,
        default_time_zone=profile_for(request.user).time_zone,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if round_id:
                services.round_update(fi=form.save(commit=False), interviewers=data["interviewers"])
            else:
                services.round_create(
                    lead=lead,
                    interviewers=data["interviewers"],
                    kind=data["kind"],
                    starts_at=data["starts_at"],
                    time_zone=data["time_zone"],
                    minutes=data["minutes"],
                    place=data["place"],
                    outcome=data["outcome"],
                    notes=data["notes"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Round saved.")
            return redirect("leads:detail", lead_id=lead.pk)
    back = reverse("leads:detail", args=[lead.pk])
    context: dict[str, object] = {
        "form": form,
        "heading": f"Edit round for {lead}" if round_id else f"New round for {lead}",
        "cancel_url": back,
        "delete_url": reverse("leads:round_delete", args=[fi.pk]) if round_id else None,
        "wide_fields": ["interviewers", "place", "notes"],
    }
    return _form_page(request, context)


def round_delete(request: AuthedRequest, round_id: int) -> HttpResponse:
    fi = get_owned_or_404(
        FormalInterview.objects.select_related("lead__organization"), request.user, pk=round_id
    )
    back = reverse("leads:detail", args=[fi.lead_id])
    return confirm_delete(
        request,
        fi,
        what=f"the {fi.get_kind_display().lower()} round",
        consequences=[
            f"The lead “{fi.lead}” stays, at its status.",
            *(["Its interviewers stay in your contacts."] if fi.interviewers.exists() else []),
        ],
        cancel_url=back,
        success_url=back,
        delete=lambda: services.round_delete(fi=fi),
    )
