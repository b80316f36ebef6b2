"""Errors as RFC 9457 problem details: ``application/problem+json`` with a type, a title, the
status and a sentence (``detail``); a refused input also lists its fields in ``errors``."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse

CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger("coffeechat.api")


class Problem(Exception):
    """Raised anywhere under the API: answered as a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def slug(status: int) -> str:
    return HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")


def problem_response(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        # Relative references (RFC 9457 allows them), resolved against the API's address.
        "type": f"/api/v1/problems/{slug(status)}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_problem(request: HttpRequest, problem: Problem) -> HttpResponse:
    return problem_response(
        problem.status, problem.detail, errors=problem.errors, headers=problem.headers
    )


def field_errors(errors: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A Django form's errors as the problem's list: one entry per field and sentence."""
    return [
        {"field": None if field == "__all__" else field, "message": str(message)}
        for field, messages in errors.items()
        for message in messages
    ]


def validation_problem(errors: list[dict[str, Any]]) -> Problem:
    """422 for input of the right shape that the app cannot take (a form's refusal)."""
    sentence = " ".join(
        f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
    )
    return Problem(422, sentence or "The input was refused.", errors=errors)
