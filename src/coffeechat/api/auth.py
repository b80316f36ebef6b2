"""Who calls the API: a personal access token in ``Authorization: Bearer <token>``.

Sessions are not accepted here, so a page the user has open cannot be made to call the API
(no cookie is read, and so CSRF has nothing to ride on): every request carries its token.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from coffeechat.accounts.services import profile_for
from coffeechat.api.models import ApiToken
from coffeechat.api.problems import Problem
from coffeechat.api.services import rate_limit_hit, token_authenticate
from coffeechat.core.validators import zone_or_utc

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    """A live token of an active user. ``writes`` False for operations that save nothing
    even when posted (the message checker, a plan): a read-only token may use them."""

    def __init__(self, *, writes: bool = True) -> None:
        super().__init__()
        self.writes = writes

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is None:
            return None
        verdict = rate_limit_hit(token=found)
        if not verdict.allowed:
            raise Problem(
                429,
                f"This token made more than {verdict.limit} requests this minute. Try again "
                f"in {verdict.retry_after} seconds.",
                headers={"Retry-After": str(verdict.retry_after)},
            )
        if self.writes and request.method not in SAFE_METHODS and not found.can_write:
            raise Problem(403, "This token is read-only: it cannot change anything.")
        request.user = found.owner
        # Dates without a time ("due today", the day a lead was heard of) are the user's days.
        timezone.activate(zone_or_utc(profile_for(found.owner).time_zone))
        return found


token_auth = TokenAuth()
read_token_auth = TokenAuth(writes=False)
