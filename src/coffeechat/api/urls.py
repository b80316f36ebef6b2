"""The API's URLs, and the token pages linked from the settings page.

Every API view is wrapped once here: it needs no session (LoginRequiredMiddleware lets it
through; its token is its login), a 405 answers as a problem document like every other error,
and the time zone the token's user brought is dropped after the request."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from coffeechat.api import views
from coffeechat.api.main import api
from coffeechat.api.problems import CONTENT_TYPE, problem_response


def _api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        finally:
            timezone.deactivate()
        if response.status_code == 405 and response.get("Content-Type") != CONTENT_TYPE:
            allowed = response.get("Allow", "")
            response = problem_response(
                405,
                f"{request.method} is not allowed here; this address takes {allowed}.",
                headers={"Allow": allowed},
            )
        return response

    return csrf_exempt(login_not_required(wrapped))


def _api_root(request: HttpRequest) -> HttpResponse:
    # /api/v1/ itself: ninja answers a bare 404 page; the documentation is what one looks for.
    return redirect("api:openapi-view")


def _wrapped(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            view = _api_root if pattern.name == "api-root" else pattern.callback
            pattern.callback = _api_view(view)  # type: ignore[misc]
    return patterns


@csrf_exempt
@login_not_required
def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return problem_response(404, f"There is no /api/{rest[:100]} in this API.")


api_patterns, _, _ = api.urls
urlpatterns = [
    path("api/v1/", (_wrapped(api_patterns), "ninja", "api")),
    # Any other address under /api/, a newline included (path's converter stops at one, and
    # the site's HTML 404 page would answer instead of a problem document).
    re_path(r"^api/(?P<rest>(?s:.+))\Z", api_not_found, name="api-not-found"),
    path("settings/api-tokens/", views.token_create, name="api-token-create"),
    path(
        "settings/api-tokens/<int:api_token_id>/revoke/",
        views.token_revoke,
        name="api-token-revoke",
    ),
]
