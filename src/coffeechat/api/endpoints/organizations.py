"""Organizations (employers) and targets (what the user wants to learn about, with LAMP)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from coffeechat.api.common import (
    PageQuery,
    bound_form,
    cursor_page,
    get_owned,
    owned_rows,
    user_of,
)
from coffeechat.api.fields import Input, changed, choice, partial, text
from coffeechat.core.services import owned_delete
from coffeechat.organizations import services as organization_services
from coffeechat.organizations.forms import OrganizationForm
from coffeechat.organizations.models import Organization
from coffeechat.targets import services as target_services
from coffeechat.targets.forms import TargetForm
from coffeechat.targets.models import Target

router = Router()


class OrganizationOut(Schema):
    id: int
    name: str
    industry: str
    website: str
    notes: str
    created_at: datetime
    updated_at: datetime


class OrganizationPage(Schema):
    items: list[OrganizationOut]
    next_cursor: str | None


class OrganizationIn(Input):
    name: text(Organization, "name")  # type: ignore[valid-type]
    industry: text(Organization, "industry") = ""  # type: ignore[valid-type]
    website: text(Organization, "website") = ""  # type: ignore[valid-type]
    notes: str = ""


OrganizationPatch = partial(OrganizationIn, "OrganizationPatch")


def organization_json(organization: Organization) -> dict[str, Any]:
    return {
        name: getattr(organization, name)
        for name in ("name", "industry", "website", "notes", "created_at", "updated_at")
    } | {"id": organization.pk}


@router.get("/organizations", response=OrganizationPage, tags=["organizations"], summary="List")
def organization_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return cursor_page(owned_rows(Organization, request), query, organization_json)


@router.get(
    "/organizations/{int:organization_id}",
    response=OrganizationOut,
    tags=["organizations"],
    summary="One organization",
)
def organization_detail(request: HttpRequest, organization_id: int) -> dict[str, Any]:
    return organization_json(get_owned(Organization, request, organization_id))


def _organization_save(
    request: HttpRequest, payload: Any, organization: Organization, **kw: Any
) -> Any:
    form = bound_form(
        OrganizationForm, payload, instance=organization, owner=user_of(request), **kw
    )
    saved = organization_services.organization_save(organization=form.save(commit=False))
    return organization_json(saved)


@router.post(
    "/organizations",
    response={201: OrganizationOut},
    tags=["organizations"],
    summary="Add an organization",
)
def organization_create(request: HttpRequest, payload: OrganizationIn) -> Status:
    organization = Organization(owner=user_of(request))
    return Status(201, _organization_save(request, payload.model_dump(), organization))


@router.patch(
    "/organizations/{int:organization_id}",
    response=OrganizationOut,
    tags=["organizations"],
    summary="Change an organization",
)
def organization_update(
    request: HttpRequest,
    organization_id: int,
    payload: OrganizationPatch,  # type: ignore[valid-type]
) -> Any:
    organization = get_owned(Organization, request, organization_id)
    return _organization_save(request, changed(payload), organization, partial=True)


@router.delete(
    "/organizations/{int:organization_id}",
    response={204: None},
    tags=["organizations"],
    summary="Delete an organization (its contacts stay, without it)",
)
def organization_delete(request: HttpRequest, organization_id: int) -> Status:
    owned_delete(obj=get_owned(Organization, request, organization_id))
    return Status(204, None)


# ---------------------------------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    kind: str
    name: str
    organization: int | None
    organization_name: str
    motivation: int
    posting: int
    advocacy: bool
    lamp: str = Field(description='LAMP in short, e.g. "M3 P2 AY".')
    why: str
    status: str
    created_at: datetime
    updated_at: datetime


class TargetPage(Schema):
    items: list[TargetOut]
    next_cursor: str | None


class TargetIn(Input):
    kind: choice(Target, "kind") = Target.Kind.ORGANIZATION.value  # type: ignore[valid-type]
    name: text(Target, "name")  # type: ignore[valid-type]
    organization_name: str = Field("", max_length=200)
    motivation: int = Field(1, ge=0, le=3)
    posting: int = Field(1, ge=1, le=3)
    advocacy: bool = False
    why: str = ""
    status: choice(Target, "status") = Target.Status.ACTIVE.value  # type: ignore[valid-type]


TargetPatch = partial(TargetIn, "TargetPatch")


def target_json(target: Target) -> dict[str, Any]:
    return {
        "id": target.pk,
        "kind": target.kind,
        "name": target.name,
        "organization": target.organization_id,
        "organization_name": target.organization.name if target.organization else "",
        "motivation": target.motivation,
        "posting": target.posting,
        "advocacy": target.advocacy,
        "lamp": target.lamp_label,
        "why": target.why,
        "status": target.status,
        "created_at": target.created_at,
        "updated_at": target.updated_at,
    }


def _targets(request: HttpRequest) -> Any:
    return owned_rows(Target, request).select_related("organization")


@router.get("/targets", response=TargetPage, tags=["targets"], summary="List targets")
def target_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return cursor_page(_targets(request), query, target_json)


@router.get("/targets/{int:target_id}", response=TargetOut, tags=["targets"], summary="One target")
def target_detail(request: HttpRequest, target_id: int) -> dict[str, Any]:
    return target_json(get_owned(_targets(request), request, target_id))


def _target_save(request: HttpRequest, payload: Any, target: Target, **kw: Any) -> Any:
    form = bound_form(TargetForm, payload, instance=target, owner=user_of(request), **kw)
    saved = target_services.target_save(
        owner=user_of(request),
        target=form.save(commit=False),
        organization_name=form.cleaned_data.get("organization_name", ""),
    )
    return target_json(get_owned(_targets(request), request, saved.pk))


@router.post("/targets", response={201: TargetOut}, tags=["targets"], summary="Add a target")
def target_create(request: HttpRequest, payload: TargetIn) -> Status:
    return Status(201, _target_save(request, payload.model_dump(), Target(owner=user_of(request))))


@router.patch(
    "/targets/{int:target_id}", response=TargetOut, tags=["targets"], summary="Change a target"
)
def target_update(
    request: HttpRequest,
    target_id: int,
    payload: TargetPatch,  # type: ignore[valid-type]
) -> Any:
    target = get_owned(Target, request, target_id)
    return _target_save(request, changed(payload), target, partial=True)


@router.delete(
    "/targets/{int:target_id}", response={204: None}, tags=["targets"], summary="Delete a target"
)
def target_delete(request: HttpRequest, target_id: int) -> Status:
    owned_delete(obj=get_owned(Target, request, target_id))
    return Status(204, None)
