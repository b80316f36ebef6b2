from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, models, transaction

from coffeechat.accounts.models import Profile, new_calendar_token
from coffeechat.core.owned import owned_models
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
    is_coach: bool = False,
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
        is_coach=is_coach,
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


# The private calendar feed's secret lives on the profile; the calendar app reads it.
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


@transaction.atomic
def account_data_erase(*, user: User) -> dict[str, int]:
    """Deletes every row the user owns and keeps the account (the demo's reset); returns the
    rows deleted per model."""
    return _erase(user)


@transaction.atomic
def account_delete(*, user: User) -> dict[str, int]:
    """Deletes the account and every row it owns; returns the rows deleted per model."""
    counts = _erase(user)
    user.delete()  # the profile and anything else without an owner column
    return counts


def _erase(user: User) -> dict[str, int]:
    """The one routine that wipes an account's rows: one DELETE per table, by owner.

    Not the ORM's cascade: for 30,000 contacts it loads every contact and sends their ids back
    in IN lists to each related table (about 4 s). Every owned row references only rows of the
    same owner, and foreign keys are checked at commit, so the order of the tables does not
    matter; a row of another kind still pointing at a deleted one would fail the commit and
    leave everything as it was. Tables outside the models that keep an ``owner_id`` (the
    SQLite full-text index) are emptied of the owner's rows first, in one statement each, so
    the search app's per-row delete triggers then find nothing left to do."""
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in _owner_tables_outside_models(cursor):
            cursor.execute(f"DELETE FROM {quote(table)} WHERE owner_id = %s", [user.pk])
        for model in reversed(owned_models()):
            table = quote(model._meta.db_table)
            owner = model._meta.get_field("owner")
            assert isinstance(owner, models.ForeignKey)
            mine = f"{quote(owner.column)} = %s"
            # Many-to-many tables have no owner column: their rows go with the owning side.
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through  # type: ignore[attr-defined]
                assert through is not None
                source = through._meta.get_field(m2m.m2m_field_name())
                assert isinstance(source, models.ForeignKey) and model._meta.pk is not None
                cursor.execute(
                    f"DELETE FROM {quote(through._meta.db_table)} WHERE {quote(source.column)} "
                    f"IN (SELECT {quote(model._meta.pk.attname)} FROM {table} WHERE {mine})",
                    [user.pk],
                )
            cursor.execute(f"DELETE FROM {table} WHERE {mine}", [user.pk])
            counts[model._meta.label_lower] = cursor.rowcount
    return counts


def _owner_tables_outside_models(cursor: Any) -> list[str]:
    """Tables that no model describes but that keep an owner_id column."""
    known = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    introspection = connection.introspection
    tables = []
    for info in introspection.get_table_list(cursor):
        if info.type != "t" or info.name in known or info.name.startswith("sqlite_"):
            continue
        columns = {c.name for c in introspection.get_table_description(cursor, info.name)}
        if "owner_id" in columns:
            tables.append(info.name)
    return tables
