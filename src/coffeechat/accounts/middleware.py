from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.services import profile_for
from coffeechat.core.validators import DEFAULT_ZONE, is_time_zone


class FirstRunMiddleware:
    """Sends every visitor to the owner-account form while the installation has no user.

    Asked of anonymous requests only (one indexed EXISTS): a logged-in user proves there is
    one. Not cached in the process, so an installation whose last account was deleted offers
    the owner form again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            setup_url = reverse("accounts:setup")
            # The JSON API answers with its own 401 (no token can exist before a user does).
            if request.path != setup_url and not request.path.startswith(("/static/", "/api/")):
                if not User.objects.exists():
                    return redirect(setup_url)
        return self.get_response(request)


TIME_ZONE_SESSION_KEY = "coffeechat_tz"


class UserTimeZoneMiddleware:
    """Shows every date in the user's own time zone. The zone is kept in the session so that
    pages do not pay a profile query each time; saving the settings refreshes it.

    A zone this server cannot load (stored before zones were checked, or removed from the
    zone database since) falls back to UTC, and ``request.unknown_time_zone`` names it so that
    every page says so and points to the settings, instead of every page failing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            zone = request.session.get(TIME_ZONE_SESSION_KEY)
            if zone is None:
                zone = profile_for(request.user).time_zone  # type: ignore[arg-type]
                request.session[TIME_ZONE_SESSION_KEY] = zone
            if is_time_zone(zone):
                timezone.activate(zone)
            else:
                request.unknown_time_zone = str(zone)  # type: ignore[attr-defined]
                timezone.activate(DEFAULT_ZONE)
        else:
            timezone.deactivate()
        return self.get_response(request)
