"""Reads of the API app."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import F, QuerySet

from coffeechat.api.models import ApiToken
from coffeechat.core.access import owned


def tokens_for(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, live ones first, newest first."""
    return owned(ApiToken, user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-id"
    )
