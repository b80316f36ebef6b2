"""Contacts: the people the user may talk to. Written through the web's ContactForm and
contacts.services, so the duplicate e-mail check and the introduction loop check hold here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
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
from coffeechat.api.fields import Id, Input, TagName, changed, choice, partial, text
from coffeechat.contacts import services
from coffeechat.contacts.forms import ContactForm
from coffeechat.contacts.models import Contact

router = Router(tags=["contacts"])


class ContactOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    title: str
    organization: int | None
    organization_name: str
    email: str
    phone: str
    linkedin_url: str
    how_connected: str
    connection_detail: str
    introduced_by: int | None
    tags: list[str]
    notes: str
    last_interaction: date | None
    created_at: datetime
    updated_at: datetime


class ContactPage(Schema):
    items: list[ContactOut]
    next_cursor: str | None


class ContactIn(Input):
    first_name: text(Contact, "first_name")  # type: ignore[valid-type]
    last_name: text(Contact, "last_name") = ""  # type: ignore[valid-type]
    title: text(Contact, "title") = ""  # type: ignore[valid-type]
    organization_name: str = Field("", max_length=200, description="A new name creates it.")
    email: text(Contact, "email") = ""  # type: ignore[valid-type]
    phone: text(Contact, "phone") = ""  # type: ignore[valid-type]
    linkedin_url: text(Contact, "linkedin_url") = ""  # type: ignore[valid-type]
    how_connected: choice(Contact, "how_connected") = Contact.Connection.COLD.value  # type: ignore[valid-type]
    connection_detail: text(Contact, "connection_detail") = ""  # type: ignore[valid-type]
    introduced_by: Id | None = None
    tags: list[TagName] = Field(default_factory=list, max_length=50)
    notes: str = ""
    last_interaction: date | None = None
    save_anyway: bool = Field(
        False, description="Save although another contact has this e-mail (a shared inbox)."
    )


ContactPatch = partial(ContactIn, "ContactPatch")


def contact_json(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "full_name": contact.full_name,
        "title": contact.title,
        "organization": contact.organization_id,
        "organization_name": contact.organization.name if contact.organization else "",
        "email": contact.email,
        "phone": contact.phone,
        "linkedin_url": contact.linkedin_url,
        "how_connected": contact.how_connected,
        "connection_detail": contact.connection_detail,
        "introduced_by": contact.introduced_by_id,
        "tags": sorted(tag.name for tag in contact.tags.all()),
        "notes": contact.notes,
        "last_interaction": contact.last_interaction,
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
    }


def _rows(request: HttpRequest) -> Any:
    return owned_rows(Contact, request).select_related("organization").prefetch_related("tags")


@router.get("/contacts", response=ContactPage, summary="List contacts")
def contact_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return cursor_page(_rows(request), query, contact_json)


@router.get("/contacts/{int:contact_id}", response=ContactOut, summary="One contact")
def contact_detail(request: HttpRequest, contact_id: int) -> dict[str, Any]:
    return contact_json(get_owned(_rows(request), request, contact_id))


def _save(request: HttpRequest, payload: dict[str, Any], contact: Contact, partial: bool) -> Any:
    if "tags" in payload:
        payload["tag_names"] = ", ".join(payload.pop("tags") or [])
    form = bound_form(
        ContactForm, payload, instance=contact, partial=partial, owner=user_of(request)
    )
    with transaction.atomic():
        saved = services.contact_save(
            owner=user_of(request),
            contact=form.save(commit=False),
            organization_name=form.cleaned_data["organization_name"],
            tag_names=form.cleaned_data["tag_names"],
        )
    return contact_json(get_owned(_rows(request), request, saved.pk))


@router.post("/contacts", response={201: ContactOut}, summary="Add a contact")
def contact_create(request: HttpRequest, payload: ContactIn) -> Status:
    contact = Contact(owner=user_of(request))
    return Status(201, _save(request, payload.model_dump(), contact, partial=False))


@router.patch("/contacts/{int:contact_id}", response=ContactOut, summary="Change a contact")
def contact_update(
    request: HttpRequest,
    contact_id: int,
    payload: ContactPatch,  # type: ignore[valid-type]
) -> dict[str, Any]:
    contact = get_owned(Contact, request, contact_id)
    return _save(request, changed(payload), contact, partial=True)


@router.delete("/contacts/{int:contact_id}", response={204: None}, summary="Delete a contact")
def contact_delete(request: HttpRequest, contact_id: int) -> Status:
    services.contact_delete(contact=get_owned(Contact, request, contact_id))
    return Status(204, None)
