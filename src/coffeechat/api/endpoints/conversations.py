"""Conversations and their learnings. A status moves only through
conversations.services.conversation_transition, the same step the web's buttons take, which
says in a sentence why a move is refused (answered 409)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from coffeechat.accounts.services import profile_for
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
from coffeechat.conversations import services
from coffeechat.conversations.forms import ConversationForm, LearningForm, TransitionForm
from coffeechat.conversations.models import Conversation, Learning
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.services import owned_delete

router = Router()

LOCAL = Field(
    None,
    max_length=40,
    description="Wall-clock start in time_zone, e.g. 2026-12-01T14:30.",
    examples=["2026-12-01T14:30"],
)


class ConversationOut(Schema):
    id: int
    contact: int
    targets: list[int]
    status: str
    allowed_next: list[str] = Field(description="The statuses it may move to now.")
    starts_at: datetime | None
    starts_local: str | None
    time_zone: str
    planned_minutes: int
    medium: str
    place: str
    notes: str = Field(description="The plan: what you want to learn, written before.")
    steps: dict[str, datetime | None] = Field(description="When each status was reached.")
    created_at: datetime
    updated_at: datetime


class ConversationPage(Schema):
    items: list[ConversationOut]
    next_cursor: str | None


class ConversationIn(Input):
    contact: Id
    targets: list[Id] = Field(default_factory=list, max_length=100)
    starts_local: str | None = LOCAL
    time_zone: str = Field("UTC", max_length=64)
    planned_minutes: int = Field(30, ge=20, le=60)
    medium: choice(Conversation, "medium") = Conversation.Medium.VIDEO.value  # type: ignore[valid-type]
    place: text(Conversation, "place") = ""  # type: ignore[valid-type]
    notes: str = ""


ConversationPatch = partial(ConversationIn, "ConversationPatch")


class TransitionIn(Input):
    to: choice(Conversation, "status")  # type: ignore[valid-type]
    starts_local: str | None = LOCAL
    time_zone: str | None = Field(None, max_length=64)


def conversation_json(conversation: Conversation) -> dict[str, Any]:
    local = conversation.local_start
    return {
        "id": conversation.pk,
        "contact": conversation.contact_id,
        "targets": sorted(t.pk for t in conversation.targets.all()),
        "status": conversation.status,
        "allowed_next": [str(s.value) for s in conversation.allowed_next],
        "starts_at": conversation.starts_at,
        "starts_local": local.strftime("%Y-%m-%dT%H:%M") if local else None,
        "time_zone": conversation.time_zone,
        "planned_minutes": conversation.planned_minutes,
        "medium": conversation.medium,
        "place": conversation.place,
        "notes": conversation.notes,
        "steps": {status: conversation.stamp_for(status) for status in ConversationStatus.values},
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
    }


def _conversations(request: HttpRequest) -> Any:
    return owned_rows(Conversation, request).prefetch_related("targets")


@router.get("/conversations", response=ConversationPage, tags=["conversations"], summary="List")
def conversation_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return cursor_page(_conversations(request), query, conversation_json)


@router.get(
    "/conversations/{int:conversation_id}",
    response=ConversationOut,
    tags=["conversations"],
    summary="One conversation",
)
def conversation_detail(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    return conversation_json(get_owned(_conversations(request), request, conversation_id))


def _form(
    request: HttpRequest, payload: dict[str, Any], conversation: Conversation, **kw: Any
) -> Any:
    user = user_of(request)
    return bound_form(
        ConversationForm,
        payload,
        instance=conversation,
        owner=user,
        default_time_zone=profile_for(user).time_zone,
        **kw,
    )


@router.post(
    "/conversations",
    response={201: ConversationOut},
    tags=["conversations"],
    summary="Add a conversation (an idea)",
)
def conversation_create(request: HttpRequest, payload: ConversationIn) -> Status:
    form = _form(request, payload.model_dump(), Conversation(owner=user_of(request)))
    try:
        conversation = form.save_conversation()
    except ValidationError as error:
        raise refuse(error) from None
    return Status(
        201, conversation_json(get_owned(_conversations(request), request, conversation.pk))
    )


@router.patch(
    "/conversations/{int:conversation_id}",
    response=ConversationOut,
    tags=["conversations"],
    summary="Change a conversation (its status: POST .../transition)",
)
def conversation_update(
    request: HttpRequest,
    conversation_id: int,
    payload: ConversationPatch,  # type: ignore[valid-type]
) -> Any:
    conversation = get_owned(Conversation, request, conversation_id)
    _form(request, changed(payload), conversation, partial=True).save_conversation()
    return conversation_json(get_owned(_conversations(request), request, conversation_id))


@router.post(
    "/conversations/{int:conversation_id}/transition",
    response={200: ConversationOut},
    tags=["conversations"],
    summary="Move the status one step (409 with the reason when the move is not allowed)",
)
def conversation_transition(
    request: HttpRequest, conversation_id: int, payload: TransitionIn
) -> Any:
    conversation = get_owned(Conversation, request, conversation_id)
    form = bound_form(
        TransitionForm, payload.model_dump(), default_time_zone=conversation.time_zone
    )
    try:
        services.conversation_transition(
            conversation=conversation,
            to=form.cleaned_data["to"],
            starts_at=form.cleaned_data["starts_at"],
            time_zone=form.cleaned_data["time_zone"],
        )
    except services.InvalidTransition as error:
        raise Problem(409, f"{error.message} Nothing changed.") from None
    return conversation_json(get_owned(_conversations(request), request, conversation_id))


@router.delete(
    "/conversations/{int:conversation_id}",
    response={204: None},
    tags=["conversations"],
    summary="Delete a conversation (its contact stays)",
)
def conversation_delete(request: HttpRequest, conversation_id: int) -> Status:
    owned_delete(obj=get_owned(Conversation, request, conversation_id))
    return Status(204, None)


# ---------------------------------------------------------------------------------------------


class LearningOut(Schema):
    id: int
    conversation: int
    kind: str
    text: str
    created_at: datetime
    updated_at: datetime


class LearningPage(Schema):
    items: list[LearningOut]
    next_cursor: str | None


class LearningIn(Input):
    kind: choice(Learning, "kind") = Learning.Kind.REALITY.value  # type: ignore[valid-type]
    text: str


LearningPatch = partial(LearningIn, "LearningPatch")


def learning_json(learning: Learning) -> dict[str, Any]:
    return {
        "id": learning.pk,
        "conversation": learning.conversation_id,
        "kind": learning.kind,
        "text": learning.text,
        "created_at": learning.created_at,
        "updated_at": learning.updated_at,
    }


@router.get("/learnings", response=LearningPage, tags=["learnings"], summary="List learnings")
def learning_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    return cursor_page(owned_rows(Learning, request), query, learning_json)


@router.get("/learnings/{int:learning_id}", response=LearningOut, tags=["learnings"], summary="One")
def learning_detail(request: HttpRequest, learning_id: int) -> dict[str, Any]:
    return learning_json(get_owned(Learning, request, learning_id))


@router.post(
    "/conversations/{int:conversation_id}/learnings",
    response={201: LearningOut},
    tags=["learnings"],
    summary="Add what you learned in a conversation",
)
def learning_create(request: HttpRequest, conversation_id: int, payload: LearningIn) -> Status:
    conversation = get_owned(Conversation, request, conversation_id)
    form = bound_form(LearningForm, payload.model_dump())
    try:
        learning = services.learning_add(
            conversation=conversation,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )
    except ValidationError as error:
        raise refuse(error) from None
    return Status(201, learning_json(learning))


@router.patch(
    "/learnings/{int:learning_id}", response=LearningOut, tags=["learnings"], summary="Change"
)
def learning_update(
    request: HttpRequest,
    learning_id: int,
    payload: LearningPatch,  # type: ignore[valid-type]
) -> Any:
    learning = get_owned(Learning, request, learning_id)
    form = bound_form(LearningForm, changed(payload), instance=learning, partial=True)
    try:
        services.learning_update(
            learning=learning, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        raise refuse(error) from None
    return learning_json(learning)


@router.delete(
    "/learnings/{int:learning_id}", response={204: None}, tags=["learnings"], summary="Delete"
)
def learning_delete(request: HttpRequest, learning_id: int) -> Status:
    owned_delete(obj=get_owned(Learning, request, learning_id))
    return Status(204, None)
