"""The JSON API, version 1: one NinjaAPI with a router per resource, token auth on every
operation, and every error answered as a problem document (problems.py)."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from coffeechat.api.auth import token_auth
from coffeechat.api.endpoints import contacts, conversations, leads, notes, organizations, tools
from coffeechat.api.problems import Problem, from_problem, problem_response

logger = logging.getLogger("coffeechat.api")

DESCRIPTION = """coffeechat's data, for scripts and other tools.

Authenticate with a personal access token (Settings, or `coffeechat token create`):
`Authorization: Bearer cc_...`. A read-only token gets 403 on every change.
Lists are cursor pages in the order rows last changed (`next_cursor`; `updated_since` for a
sync). Errors are RFC 9457 problem details (`application/problem+json`)."""

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "For refused input: one entry per field and sentence.",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
# Every operation may answer these; 409 only where a status moves.
ERRORS = {
    "400": "The request is malformed (a cursor this API did not give, a bad filter).",
    "401": "No live token was sent.",
    "403": "The token is read-only and the operation changes something.",
    "404": "No such row among the token owner's.",
    "422": "The input was refused; errors lists the fields.",
    "429": "Too many requests this minute with this token; see Retry-After.",
    "500": "A server error; nothing was saved.",
}


class OfflineSwagger(Swagger):
    """Swagger UI from the package's static files, on a page with the site's CSP nonce."""

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(
            request,
            "api/docs.html",
            {"swagger_settings": json.dumps(self.settings), "title": api.title},
        )


class CoffeechatAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Ninja's document, with the problem details every operation may answer."""
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                errors = dict(ERRORS)
                if path.endswith("/transition"):
                    errors["409"] = "The move is not allowed from the current status."
                for status, description in errors.items():
                    operation["responses"].setdefault(
                        status, {"description": description, "content": content}
                    )
        return schema


api = CoffeechatAPI(
    title="coffeechat API",
    version="1",
    description=DESCRIPTION,
    auth=token_auth,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=OfflineSwagger(),
)
for module in (contacts, organizations, conversations, notes, leads, tools):
    api.add_router("", module.router)


def _location(loc: Any) -> str:
    # ("body", "payload", "first_name") -> "first_name"; ("query", "limit") -> "limit"
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _location(e.get("loc", ())), "message": str(e.get("msg", "Invalid."))}
        for e in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:10])
    return problem_response(422, detail or "The input was refused.", errors=errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        401,
        "Send a live personal access token: Authorization: Bearer cc_...",
        headers={"WWW-Authenticate": 'Bearer realm="coffeechat"'},
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(exc.status_code, str(exc.message))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, "There is no such row among yours.")


@api.exception_handler(Problem)
def on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return from_problem(request, exc)


@api.exception_handler(Exception)
def on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return problem_response(500, "Something went wrong on the server; nothing was saved.")
