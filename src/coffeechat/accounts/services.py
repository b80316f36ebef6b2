from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from coffeechat.accounts.models import Profile


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    email: str = "",
    display_name: str = "",
    stage: str = Profile.Stage.RECENT_GRADUATE,
    time_zone: str = "UTC",
) -> User:
    """A job seeker's account with its profile, in one step."""
    user = User.objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user, display_name=display_name, stage=stage, time_zone=time_zone)
    return user


def profile_for(user: User) -> Profile:
    """The user's profile, created on first use for accounts made outside coffeechat."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile
