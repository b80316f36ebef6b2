"""Leads: openings heard of, credited to the conversation or contact they came from. Their
status moves through leads.services.lead_transition, as on the web."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from coffeechat.api.common import (
    PageQuery,
    bound_form,
    cursor_page,
    get_owned,
    owned_rows,
    refuse,
    user_of,
)
from coffeechat.api.fields import Id, Input, changed, choice, partial, text
from coffeechat.api.problems import Problem
from coffeechat.leads import services
from coffeechat.leads.forms import LeadForm, LeadTransitionForm
from coffeechat.leads.models import Lead, LeadStatus

router = Router(tags=["leads"])


class LeadOut(Schema):
    id: int
    role: str
    organization: int | None
    organization_name: str
    source_conversation: int | None
    source_contact: int | None
    target: int | None
    link: str
    status: str
    allowed_next: list[str]
    steps: dict[str, date | None] = Field(description="The day each status was reached.")
    notes: str
    created_at: datetime
    updated_at: datetime


class LeadPage(Schema):
    items: list[LeadOut]
    next_cursor: str | None


class LeadIn(Input):
    role: text(Lead, "role")  # type: ignore[valid-type]
    organization_name: str = Field("", max_length=200)
    source_contact: Id | None = None
    source_conversation: Id | None = None
    target: Id | None = None
    link: text(Lead, "link") = ""  # type: ignore[valid-type]
    heard_on: date | None = None
    notes: str = Field("", max_length=20_000)


LeadPatch = partial(LeadIn, "LeadPatch")


class LeadTransitionIn(Input):
    to: choice(Lead, "status")  # type: ignore[valid-type]
    on: date | None = None


def lead_json(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "role": lead.role,
        "organization": lead.organization_id,
        "organization_name": lead.organization.name if lead.organization else "",
        "source_conversation": lead.source_conversation_id,
        "source_contact": lead.source_contact_id,
        "target": lead.target_id,
        "link": lead.link,
        "status": lead.status,
        "allowed_next": [str(s.value) for s in lead.allowed_next],
        "steps": {status: lead.stamp_for(status) for status in LeadStatus.values},
        "notes": lead.notes,
        "created_at": lead.created_at,
        "updated_at": lead.updated_at,
    }


def _leads(request: HttpRequest) -> Any:
    return owned_rows(Lead, request).select_related("organization")


@router.get("/leads", response=LeadPage, summary="List leads")
def lead_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return cursor_page(_leads(request), query, lead_json)


@router.get("/leads/{int:lead_id}", response=LeadOut, summary="One lead")
def lead_detail(request: HttpRequest, lead_id: int) -> dict[str, Any]:
    return lead_json(get_owned(_leads(request), request, lead_id))


def _save(request: HttpRequest, payload: dict[str, Any], lead: Lead, **kw: Any) -> Any:
    user = user_of(request)
    form = bound_form(LeadForm, payload, instance=lead, owner=user, **kw)
    try:
        lead = form.save_lead()
    except ValidationError as error:
        raise refuse(error) from None
    return lead_json(get_owned(_leads(request), request, lead.pk))


@router.post("/leads", response={201: LeadOut}, summary="Add a lead")
def lead_create(request: HttpRequest, payload: LeadIn) -> Status:
    return Status(201, _save(request, payload.model_dump(), Lead(owner=user_of(request))))


@router.patch("/leads/{int:lead_id}", response=LeadOut, summary="Change a lead")
def lead_update(
    request: HttpRequest,
    lead_id: int,
    payload: LeadPatch,  # type: ignore[valid-type]
) -> Any:
    lead = get_owned(Lead, request, lead_id)
    return _save(request, changed(payload), lead, partial=True)


@router.post(
    "/leads/{int:lead_id}/transition",
    response=LeadOut,
    summary="Move the status one step (409 with the reason when the move is not allowed)",
)
def lead_transition(request: HttpRequest, lead_id: int, payload: LeadTransitionIn) -> Any:
    lead = get_owned(Lead, request, lead_id)
    form = bound_form(LeadTransitionForm, payload.model_dump())
    try:
        services.lead_transition(
            lead=lead, to_status=form.cleaned_data["to"], on=form.cleaned_data["on"]
        )
    except services.InvalidLeadTransition as error:
        raise Problem(409, f"{error.message} Nothing changed.") from None
    return lead_json(get_owned(_leads(request), request, lead_id))


@router.delete("/leads/{int:lead_id}", response={204: None}, summary="Delete a lead")
def lead_delete(request: HttpRequest, lead_id: int) -> Status:
    services.lead_delete(lead=get_owned(Lead, request, lead_id))
    return Status(204, None)
