from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from coffeechat.accounts.models import Profile, new_calendar_token
from coffeechat.accounts.services import profile_for


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> Profile:
    """A new secret for the feed's address; the old address stops working at once."""
    profile = profile_for(user)
    profile.calendar_token = new_calendar_token()
    profile.save(update_fields=["calendar_token"])
    return profile


@transaction.atomic
def calendar_token_rotate_if_any(*, user: User) -> bool:
    """After a password change: a feed address that leaked with the old password stops
    working too. True when there was one (the user has to subscribe again)."""
    profile = profile_for(user)
    if not profile.calendar_token:
        return False
    calendar_token_regenerate(user=user)
    return True
