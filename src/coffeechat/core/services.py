"""Writes every app shares."""

from __future__ import annotations

from django.db import models, transaction


@transaction.atomic
def owned_delete(*, obj: models.Model) -> None:
    """Deletes one of the user's rows with what its cascade rules take along (listed to the
    user first by core.deletion). Apps whose deletes do more have their own service."""
    obj.delete()
