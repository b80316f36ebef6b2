from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class FirstRunMiddleware:
    """Sends every visitor to the owner-account form until the installation has a user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Once a user exists, stop asking the database on every request.
        self.has_users = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.has_users and not request.user.is_authenticated:
            setup_url = reverse("accounts:setup")
            if request.path != setup_url and not request.path.startswith("/static/"):
                if not User.objects.exists():
                    return redirect(setup_url)
                self.has_users = True
        return self.get_response(request)
