"""Notes (on a contact or a conversation) and follow-ups (dated things to do)."""

from __future__ import annotations

from datetime import date, datetime
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
from coffeechat.api.fields import Id, Input, changed, partial, text
from coffeechat.api.problems import Problem
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.core.services import owned_delete
from coffeechat.followups import services as followup_services
from coffeechat.followups.forms import FollowUpForm
from coffeechat.followups.models import FollowUp
from coffeechat.notes import services as note_services
from coffeechat.notes.forms import NoteForm
from coffeechat.notes.models import Note

router = Router()


class NoteOut(Schema):
    id: int
    contact: int | None
    conversation: int | None
    text: str
    created_at: datetime
    updated_at: datetime


class NotePage(Schema):
    items: list[NoteOut]
    next_cursor: str | None


class NoteIn(Input):
    text: str
    contact: Id | None = Field(None, description="The contact it is about; or a conversation.")
    conversation: Id | None = None


class NotePatch(Input):
    text: str


def note_json(note: Note) -> dict[str, Any]:
    return {
        "id": note.pk,
        "contact": note.contact_id,
        "conversation": note.conversation_id,
        "text": note.text,
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }


@router.get("/notes", response=NotePage, tags=["notes"], summary="List notes")
def note_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return cursor_page(owned_rows(Note, request), query, note_json)


@router.get("/notes/{int:note_id}", response=NoteOut, tags=["notes"], summary="One note")
def note_detail(request: HttpRequest, note_id: int) -> dict[str, Any]:
    return note_json(get_owned(Note, request, note_id))


@router.post("/notes", response={201: NoteOut}, tags=["notes"], summary="Add a note")
def note_create(request: HttpRequest, payload: NoteIn) -> Status:
    if (payload.contact is None) == (payload.conversation is None):
        raise Problem(
            422,
            "A note is on a contact or on a conversation: give one of contact and conversation.",
            errors=[{"field": "contact", "message": "Give a contact or a conversation."}],
        )
    # Another user's id is "not found", as in a path.
    contact = get_owned(Contact, request, payload.contact) if payload.contact else None
    conversation = (
        get_owned(Conversation, request, payload.conversation) if payload.conversation else None
    )
    form = bound_form(NoteForm, {"text": payload.text})
    note = note_services.note_add(
        owner=user_of(request),
        text=form.cleaned_data["text"],
        contact=contact,
        conversation=conversation,
    )
    return Status(201, note_json(note))


@router.patch("/notes/{int:note_id}", response=NoteOut, tags=["notes"], summary="Change a note")
def note_update(request: HttpRequest, note_id: int, payload: NotePatch) -> Any:
    note = get_owned(Note, request, note_id)
    form = bound_form(NoteForm, {"text": payload.text}, instance=note)
    return note_json(note_services.note_update(note=note, text=form.cleaned_data["text"]))


@router.delete("/notes/{int:note_id}", response={204: None}, tags=["notes"], summary="Delete")
def note_delete(request: HttpRequest, note_id: int) -> Status:
    owned_delete(obj=get_owned(Note, request, note_id))
    return Status(204, None)


# ---------------------------------------------------------------------------------------------


class FollowUpOut(Schema):
    id: int
    what: str
    due_on: date
    done: bool
    done_at: datetime | None
    kind: str
    contact: int | None
    conversation: int | None
    created_at: datetime
    updated_at: datetime


class FollowUpPage(Schema):
    items: list[FollowUpOut]
    next_cursor: str | None


class FollowUpIn(Input):
    what: text(FollowUp, "what")  # type: ignore[valid-type]
    due_on: date
    contact: Id | None = None


FollowUpPatch = partial(FollowUpIn, "FollowUpPatch")


def followup_json(followup: FollowUp) -> dict[str, Any]:
    return {
        "id": followup.pk,
        "what": followup.what,
        "due_on": followup.due_on,
        "done": followup.is_done,
        "done_at": followup.done_at,
        "kind": followup.kind,
        "contact": followup.contact_id,
        "conversation": followup.conversation_id,
        "created_at": followup.created_at,
        "updated_at": followup.updated_at,
    }


@router.get("/followups", response=FollowUpPage, tags=["follow-ups"], summary="List")
def followup_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return cursor_page(owned_rows(FollowUp, request), query, followup_json)


@router.get(
    "/followups/{int:followup_id}", response=FollowUpOut, tags=["follow-ups"], summary="One"
)
def followup_detail(request: HttpRequest, followup_id: int) -> dict[str, Any]:
    return followup_json(get_owned(FollowUp, request, followup_id))


def _followup_save(request: HttpRequest, payload: Any, followup: FollowUp, **kw: Any) -> Any:
    form = bound_form(FollowUpForm, payload, instance=followup, owner=user_of(request), **kw)
    return followup_json(followup_services.followup_save(followup=form.save(commit=False)))


@router.post(
    "/followups", response={201: FollowUpOut}, tags=["follow-ups"], summary="Add a follow-up"
)
def followup_create(request: HttpRequest, payload: FollowUpIn) -> Status:
    followup = FollowUp(owner=user_of(request))
    return Status(201, _followup_save(request, payload.model_dump(), followup))


@router.patch(
    "/followups/{int:followup_id}", response=FollowUpOut, tags=["follow-ups"], summary="Change"
)
def followup_update(
    request: HttpRequest,
    followup_id: int,
    payload: FollowUpPatch,  # type: ignore[valid-type]
) -> Any:
    followup = get_owned(FollowUp, request, followup_id)
    return _followup_save(request, changed(payload), followup, partial=True)


@router.post(
    "/followups/{int:followup_id}/toggle",
    response=FollowUpOut,
    tags=["follow-ups"],
    summary="Mark done, or not done again",
)
def followup_toggle(request: HttpRequest, followup_id: int) -> Any:
    followup = get_owned(FollowUp, request, followup_id)
    return followup_json(followup_services.followup_toggle(followup=followup))


@router.delete(
    "/followups/{int:followup_id}", response={204: None}, tags=["follow-ups"], summary="Delete"
)
def followup_delete(request: HttpRequest, followup_id: int) -> Status:
    owned_delete(obj=get_owned(FollowUp, request, followup_id))
    return Status(204, None)
