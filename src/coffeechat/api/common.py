"""What every resource of the API shares: reaching a row, cursor pages, and writing through
the same Django forms the web pages use (so a rule lives once, in the form or the service)."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db import models
from django.http import Http404, HttpRequest
from ninja import Schema
from pydantic import Field

from coffeechat.api.problems import Problem, field_errors, validation_problem
from coffeechat.core.access import get_owned_or_404, owned
from coffeechat.core.validators import date_in_range, is_id

MAX_LIMIT = 200


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # set by TokenAuth; the API runs no view without it
    return user


def get_owned(model: type[models.Model] | models.QuerySet, request: HttpRequest, pk: int) -> Any:
    """One of the caller's rows, or 404: another user's id is "not found", as is an id no
    64-bit key can hold (the database would refuse to compare with it)."""
    if not is_id(pk):
        raise Http404
    return get_owned_or_404(model, user_of(request), pk=pk)


# ---------------------------------------------------------------------------------------------
# Cursor pages
# ---------------------------------------------------------------------------------------------


class PageQuery(Schema):
    cursor: str | None = Field(
        None, max_length=200, description="The `next_cursor` of the previous page."
    )
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Rows per page, 1 to 200.")
    updated_since: datetime | None = Field(
        None,
        description="Only rows changed at or after this instant (ISO 8601 with a zone, "
        "e.g. 2026-11-27T09:00:00Z): for a sync, pass the time your last sync started.",
    )


def encode_cursor(updated_at: datetime, pk: int) -> str:
    raw = json.dumps([updated_at.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        updated, pk = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        moment = datetime.fromisoformat(updated)
        if moment.tzinfo is None or not is_id(pk) or not date_in_range(moment):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeError, json.JSONDecodeError):
        raise Problem(
            400, "The cursor is not one this API gave: start from the first page."
        ) from None
    return moment, int(pk)


def cursor_page(
    queryset: models.QuerySet, query: PageQuery, serialize: Any = None
) -> dict[str, Any]:
    """A page in the order rows last changed, then by id: a row changed during a walk moves
    to its end, so a walk (and a sync that keeps the last cursor) misses nothing."""
    if query.updated_since is not None:
        if query.updated_since.tzinfo is None:
            raise Problem(400, "updated_since needs a time zone, e.g. 2026-11-27T09:00:00Z.")
        if not date_in_range(query.updated_since):
            raise Problem(400, "updated_since must be within the years 1900 to 2200.")
        queryset = queryset.filter(updated_at__gte=query.updated_since)
    if query.cursor:
        moment, pk = decode_cursor(query.cursor)
        queryset = queryset.filter(
            models.Q(updated_at__gt=moment) | models.Q(updated_at=moment, pk__gt=pk)
        )
    rows = list(queryset.order_by("updated_at", "pk")[: query.limit + 1])
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    last = rows[-1] if rows else None
    return {
        "items": [serialize(row) for row in rows] if serialize else rows,
        "next_cursor": encode_cursor(last.updated_at, last.pk) if more and last else None,
    }


def owned_rows(model: type[models.Model], request: HttpRequest) -> models.QuerySet:
    return owned(model, user_of(request))


# ---------------------------------------------------------------------------------------------
# Writing through the web's forms
# ---------------------------------------------------------------------------------------------


def _form_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_form_value(v) for v in value]
    if value is None:
        return ""
    return value


def bound_form(
    form_class: type[forms.BaseForm],
    payload: dict[str, Any],
    *,
    instance: models.Model | None = None,
    partial: bool = False,
    **kwargs: Any,
) -> Any:
    """``form_class`` bound to the payload, as the web page would post it. For a partial
    update the fields left out keep the row's current values (read from the unbound form)."""
    if instance is not None:
        kwargs["instance"] = instance
    data: dict[str, Any] = {}
    if partial:
        current = form_class(**kwargs)
        data = {name: _form_value(current[name].value()) for name in current.fields}
        # A checkbox left out of a post is False: keep the current True.
        data = {k: v for k, v in data.items() if v is not False}
    for name, value in payload.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = _form_value(value)
    prefix = getattr(form_class, "prefix", None)
    if prefix:
        data = {f"{prefix}-{name}": value for name, value in data.items()}
    form = form_class(data, **kwargs)
    if not form.is_valid():
        raise validation_problem(field_errors(form.errors))
    return form


def refuse(errors: Any) -> Problem:
    """A service's ValidationError as a 422."""
    if hasattr(errors, "message_dict"):
        return validation_problem(field_errors(errors.message_dict))
    return validation_problem([{"field": None, "message": m} for m in errors.messages])
