"""Pieces of the API's schemas taken from the models, so a length or a choice is said once."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db import models
from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from coffeechat.core.validators import MAX_ID


class Input(Schema):
    """A request body: a field the operation does not know is refused (422), never dropped in
    silence (a "status" sent to PATCH a conversation says to use the transition instead)."""

    model_config = ConfigDict(extra="forbid")


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
TagName = Annotated[str, Field(max_length=60)]


def text(model: type[models.Model], name: str) -> Any:
    """A string no longer than the column holds (TextFields: no limit but the body's)."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    return Annotated[str, Field(max_length=length)] if length else str


def choice(model: type[models.Model], name: str) -> Any:
    values = tuple(value for value, _ in model._meta.get_field(name).choices)  # type: ignore[union-attr]
    return Literal[values]  # type: ignore[valid-type]


def partial(schema: Any, name: str) -> Any:
    """The same input with every field optional: the body of a PATCH."""
    fields = {
        field_name: (info.annotation | None, None)
        for field_name, info in schema.model_fields.items()
    }
    return create_model(name, __base__=schema.__base__, **fields)  # type: ignore[call-overload]


def changed(payload: Any) -> dict[str, Any]:
    """The fields a PATCH body sets (null included), not those it leaves out."""
    return payload.model_dump(exclude_unset=True)
