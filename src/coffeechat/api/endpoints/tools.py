"""What saves nothing: the offline message checker (as `coffeechat check-message --json`) and
prep plans (as `coffeechat prep --format json` and `coffeechat plan --format json`). A
read-only token may call them, even the POSTs."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from coffeechat.accounts.models import Profile
from coffeechat.api.auth import read_token_auth
from coffeechat.api.common import get_owned, user_of
from coffeechat.api.fields import Input
from coffeechat.api.problems import Problem
from coffeechat.conversations.models import Conversation
from coffeechat.outreach.checker import KINDS, check
from coffeechat.prep.selectors import plan_try, prep_sheet

router = Router()

# A message is a few hundred words; a checker run on a book would hold a server thread.
MESSAGE_MAX = 20_000


class CheckIn(Input):
    text: str = Field(max_length=MESSAGE_MAX)
    kind: Literal[KINDS] = "request"  # type: ignore[valid-type]


class FindingOut(Schema):
    rule: str
    severity: Literal["error", "warning", "notice"]
    start: int
    end: int
    message: str


class CheckOut(Schema):
    words: int
    findings: list[FindingOut]


@router.post(
    "/check-message",
    response=CheckOut,
    auth=read_token_auth,
    tags=["tools"],
    summary="Check a message before you send it (nothing is saved)",
)
def check_message(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    return check(payload.text, payload.kind).as_dict()


class FamilyOut(Schema):
    key: str | None
    label: str | None
    note: str


class LineOut(Schema):
    kind: str
    label: str
    text: str
    minutes: int
    why: str
    question: int | None


class QuestionOut(Schema):
    id: int | None
    text: str
    phase: str
    topic: str
    minutes: int
    must_ask: bool
    reason: str


class ResearchOut(Schema):
    text: str
    kind: str
    done: bool


class PlanOut(Schema):
    conversation: int | None
    minutes: int
    total_minutes: int
    must_ask_minutes: int
    must_ask_limit: int
    family: FamilyOut
    opening: list[LineOut]
    questions: list[QuestionOut]
    close: list[LineOut]
    research: list[ResearchOut]


class PlanIn(Input):
    title: str = Field(max_length=200, description='Their job title, e.g. "Sr. UX designer".')
    organization: str = Field("", max_length=200)
    industry: str = Field("", max_length=120)
    stage: Literal[tuple(Profile.Stage.values)] | None = None  # type: ignore[valid-type]
    minutes: int = Field(30, ge=20, le=60)


@router.post(
    "/plans",
    response=PlanOut,
    auth=read_token_auth,
    tags=["tools"],
    summary="A plan for someone known only by a job title (nothing is saved)",
)
def plan_create(request: HttpRequest, payload: PlanIn) -> dict[str, Any]:
    title = " ".join(payload.title.split())
    if not title or "\x00" in payload.title + payload.organization + payload.industry:
        raise Problem(
            422,
            "title: give the contact's job title.",
            errors=[{"field": "title", "message": "Give the contact's job title."}],
        )
    sheet = plan_try(
        user=user_of(request),
        title=title,
        organization=payload.organization.strip(),
        industry=payload.industry.strip(),
        stage=payload.stage or "",
        minutes=payload.minutes,
    )
    return sheet.as_json()


class PrepQuery(Schema):
    minutes: int | None = Field(None, ge=20, le=60, description="Another slot length.")


@router.get(
    "/conversations/{int:conversation_id}/prep",
    response=PlanOut,
    tags=["tools"],
    summary="A conversation's prep sheet: the saved plan with your edits, else a fresh one",
)
def conversation_prep(
    request: HttpRequest, conversation_id: int, query: Query[PrepQuery]
) -> dict[str, Any]:
    conversation = get_owned(
        Conversation.objects.select_related("contact", "contact__organization"),
        request,
        conversation_id,
    )
    return prep_sheet(conversation=conversation, minutes=query.minutes).as_json()
