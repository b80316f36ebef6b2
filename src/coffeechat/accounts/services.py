from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from coffeechat.accounts.models import Profile
from coffeechat.core.validators import validate_time_zone


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
    """A job seeker's account with its profile, in one step. A zone other than the default
    UTC was chosen on purpose, so the dashboard does not offer the browser's instead. An
    unknown time zone is refused (ValidationError) before anything is written."""
    validate_time_zone(time_zone)
    user = User.objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(
        user=user,
        display_name=display_name,
        stage=stage,
        time_zone=time_zone,
        time_zone_confirmed=time_zone != "UTC",
    )
    return user


def profile_for(user: User) -> Profile:
    """The user's profile, created on first use for accounts made outside coffeechat."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_time_zone_confirm(*, user: User, time_zone: str) -> Profile:
    """The user accepted a zone (the browser's, or the one they already had): dates show in it
    and the dashboard stops asking."""
    validate_time_zone(time_zone)
    profile = profile_for(user)
    profile.time_zone = time_zone
    profile.time_zone_confirmed = True
    profile.save(update_fields=["time_zone", "time_zone_confirmed"])
    return profile


@transaction.atomic
def profile_first_steps_dismiss(*, user: User) -> Profile:
    """Hides the dashboard's first steps for good, done or not."""
    profile = profile_for(user)
    profile.first_steps_dismissed = True
    profile.save(update_fields=["first_steps_dismissed"])
    return profile
