from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from coffeechat.organizations.services import organization_for_name
from coffeechat.targets.models import Target


@transaction.atomic
def target_save(*, owner: User, target: Target, organization_name: str = "") -> Target:
    """Saves a target, linking (or creating) its organization by name."""
    target.owner = owner
    target.organization = (
        organization_for_name(owner=owner, name=organization_name) if organization_name else None
    )
    target.save()
    return target
