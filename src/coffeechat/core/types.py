from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AuthedRequest(HttpRequest):
    """The request every logged-in view receives: LoginRequiredMiddleware guarantees a real
    user, HtmxMiddleware adds ``htmx``. Only for type checking; Django builds the object."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
