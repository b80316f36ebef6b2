"""Which tables hold a user's rows: every model with an ``owner`` pointing at the user.

Found in the model registry, so a kind of row an app adds later is exported, restored and
wiped with the account without anyone listing it. A model may say ``exported = False``: its
rows are still the owner's (reached through core.access, wiped with the account) but stay
out of the export and the restore: those that name another account of this installation (a
coach's share, see coffeechat.coaching.models) and API tokens, whose hash in a file would be
a key for whoever made the file. A file restored elsewhere, or written by hand, must never
grant anyone access or speak in someone else's name.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models


def is_owner_field(field: models.Field) -> bool:
    return (
        field.name == "owner"
        and isinstance(field, models.ForeignKey)
        and field.related_model is not None
        and field.related_model._meta.label == settings.AUTH_USER_MODEL
    )


def owned_models() -> list[type[models.Model]]:
    """Every model with an owner, parents before children (by their foreign keys), so that a
    restore can insert them in this order and a wipe can delete them in the reverse one."""
    found = [
        model
        for model in apps.get_models()
        if any(is_owner_field(f) for f in model._meta.concrete_fields)
    ]
    ordered: list[type[models.Model]] = []
    pending = sorted(found, key=lambda m: m._meta.label)
    while pending:
        for model in pending:
            parents = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not model and f.related_model in found
            }
            if parents <= set(ordered):
                ordered.append(model)
                pending.remove(model)
                break
        else:  # a cycle between models: keep going; restore defers those keys anyway
            ordered.append(pending.pop(0))
    return ordered


def is_exported(model: type[models.Model]) -> bool:
    return bool(getattr(model, "exported", True))


def exported_models() -> list[type[models.Model]]:
    """The owned models an export carries and a restore writes, in owned_models' order."""
    return [model for model in owned_models() if is_exported(model)]
