"""Writes of the API app: tokens made and revoked, and the rate limit's counts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from coffeechat.api.models import ApiRateWindow, ApiToken

PREFIX = "cc_"
NAME_MAX = 100  # ApiToken.name's column


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, owner: User, name: str, scope: str = ApiToken.Scope.READ_WRITE) -> str:
    """Makes a token and returns it whole: the only time it exists outside the client."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the token a name, such as the tool that uses it."})
    if len(name) > NAME_MAX or "\x00" in name:
        raise ValidationError({"name": f"A token's name has at most {NAME_MAX} characters."})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": "The scope is read or read_write."})
    # 8 bytes of key (looked up) and 32 of secret (never stored): the key only finds the row.
    key = secrets.token_hex(8)
    token = f"{PREFIX}{key}_{secrets.token_urlsafe(32)}"
    ApiToken.objects.create(owner=owner, name=name, key=key, secret_hash=_hash(token), scope=scope)
    return token


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoked for good: the row stays, so the list shows when it was used and revoked."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token ``raw`` names, or None. The key finds at most one row by its unique
    index; the hash of the whole token is compared in constant time."""
    if not raw.startswith(PREFIX) or len(raw) > 100 or not raw.isascii():
        return None
    key, _, secret = raw[len(PREFIX) :].partition("_")
    if len(key) != 16 or not secret:
        return None
    token = (
        ApiToken.objects.select_related("owner")
        .filter(key=key, revoked_at__isnull=True, owner__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(raw)):
        return None
    return token


@dataclass(frozen=True)
class RateVerdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int


def rate_limit_hit(*, token: ApiToken) -> RateVerdict:
    """Counts one request in the token's current minute. Over the limit, the request is
    refused until the next minute starts (``retry_after`` seconds)."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    now = timezone.now()
    minute = now.replace(second=0, microsecond=0)
    counted = ApiRateWindow.objects.filter(token=token, minute=minute).update(count=F("count") + 1)
    if not counted:
        try:
            with transaction.atomic():
                ApiRateWindow.objects.create(
                    owner_id=token.owner_id, token=token, minute=minute, count=1
                )
                # A new minute: the old ones are of no more use, and the token was used now
                # (written once a minute at most rather than at every request).
                ApiRateWindow.objects.filter(token=token, minute__lt=minute).delete()
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        except IntegrityError:  # another process made the row first: count in it
            ApiRateWindow.objects.filter(token=token, minute=minute).update(count=F("count") + 1)
    count = (
        ApiRateWindow.objects.filter(token=token, minute=minute)
        .values_list("count", flat=True)
        .first()
        or 1
    )
    retry_after = max(1, int((minute + timedelta(minutes=1) - now).total_seconds() + 0.999))
    return RateVerdict(
        allowed=count <= limit,
        limit=limit,
        remaining=max(0, limit - count),
        retry_after=retry_after,
    )
