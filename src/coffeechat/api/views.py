"""The token pages: make one (shown once, on the page that answers the form) and revoke one.
The list and the form sit on the settings page ({% api_tokens %})."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coffeechat.api import services
from coffeechat.api.forms import TokenForm
from coffeechat.api.models import ApiToken
from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest


@require_POST
def token_create(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        scope = ApiToken.Scope.READ if form.cleaned_data["read_only"] else ApiToken.Scope.READ_WRITE
        try:
            token = services.token_create(
                owner=request.user, name=form.cleaned_data["name"], scope=scope
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Rendered, not redirected: the token is on this one page and stored nowhere.
            response = render(
                request,
                "api/token_created.html",
                {"token": token, "name": form.cleaned_data["name"], "scope": scope},
            )
            response["Cache-Control"] = "no-store"
            return response
    problems = " ".join(str(m) for errors in form.errors.values() for m in errors)
    messages.error(request, f"No token made: {problems}")
    return redirect("accounts:settings")


@require_POST
def token_revoke(request: AuthedRequest, api_token_id: int) -> HttpResponse:
    token = get_owned_or_404(ApiToken, request.user, pk=api_token_id)
    services.token_revoke(token=token)
    messages.success(request, f"Revoked the token “{token.name}”: it no longer works.")
    return redirect("accounts:settings")
