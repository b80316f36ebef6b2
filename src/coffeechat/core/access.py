"""The one way a view reaches a user-owned row.

Every user-owned model has an ``owner`` column. Views never call ``Model.objects.get(pk=...)``:
they go through these helpers, so that an outsider asking for someone else's row gets the same
404 as for a row that never existed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.shortcuts import get_object_or_404


def owned[M: models.Model](
    model: type[M], user: AbstractBaseUser | AnonymousUser
) -> models.QuerySet[M]:
    """All rows of ``model`` that belong to ``user`` (none for an anonymous user)."""
    if not user.is_authenticated:
        return model._default_manager.none()
    return model._default_manager.filter(owner=user)


def get_owned_or_404[M: models.Model](
    model: type[M] | models.QuerySet[M], user: AbstractBaseUser | AnonymousUser, **lookup: Any
) -> M:
    """One row of the user's, or 404. Accepts a model or a queryset to add select_related."""
    if isinstance(model, models.QuerySet):
        queryset = model.filter(owner=user) if user.is_authenticated else model.none()
    else:
        queryset = owned(model, user)
    return get_object_or_404(queryset, **lookup)


def visible[M: models.Model](
    model: type[M] | models.QuerySet[M], user: AbstractBaseUser | AnonymousUser
) -> models.QuerySet[M]:
    """For models that also hold shared rows (``owner`` NULL, read-only for everyone, like
    the shipped question bank): the shared rows plus the user's own, never another user's."""
    queryset = model if isinstance(model, models.QuerySet) else model._default_manager.all()
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(models.Q(owner=user) | models.Q(owner__isnull=True))


def get_visible_or_404[M: models.Model](
    model: type[M] | models.QuerySet[M], user: AbstractBaseUser | AnonymousUser, **lookup: Any
) -> M:
    """One shared row or one of the user's, or 404 (another user's own row included)."""
    return get_object_or_404(visible(model, user), **lookup)
