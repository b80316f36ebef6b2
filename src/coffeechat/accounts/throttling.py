"""Login throttling (django-axes) by the pair username + address, and by address alone.

Axes counts failures for each lockout parameter (settings.AXES_LOCKOUT_PARAMETERS: the pair,
then the address) and compares the largest count with one limit. Spraying a few passwords at
many usernames never reaches the pair's limit, so the address gets its own, higher limit
(an office or a campus shares one address, so five failures there must not lock everyone):
``failure_limit`` returns the limit that applies to this request.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    """The pair's limit once the pair reached it; the address's limit otherwise. Axes locks
    when its largest count (pair or address) reaches the number returned, so it locks when
    the pair reaches LOGIN_FAILURE_LIMIT or the address LOGIN_ADDRESS_FAILURE_LIMIT."""
    pair_limit: int = settings.LOGIN_FAILURE_LIMIT
    address_limit: int = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    pair = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=address,
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(failures=Sum("failures_since_start"))["failures"]
    return pair_limit if (pair or 0) >= pair_limit else address_limit


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted against. Behind a proxy (COFFEECHAT_BEHIND_PROXY=1)
    every request comes from the proxy, so the client is the last address of
    X-Forwarded-For: the one the proxy appended itself (earlier ones are whatever the client
    claimed). Without a proxy that header is the client's own word, and is ignored."""
    remote: str | None = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return remote
