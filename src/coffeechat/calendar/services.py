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
