from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from coffeechat.organizations.models import Organization, organization_key


def organization_for_name(*, owner: User, name: str, industry: str = "") -> Organization | None:
    """The user's organization with this name (by normalized key), created when new.

    "Pfizer", "Pfizer Inc." and "PFIZER INC" all land on one row. A blank name is no
    organization at all.
    """
    name = name.strip()
    key = organization_key(name)
    if not key:
        return None
    organization = Organization.objects.filter(owner=owner, key=key).first()
    if organization is not None:
        return organization
    try:
        with transaction.atomic():
            organization = Organization(owner=owner, name=name, industry=industry.strip())
            organization.save()
    except IntegrityError:
        # Made by another request at the same moment (two tabs saving a contact at a new
        # employer): the insert waited for it to commit, and its row is the one.
        organization = Organization.objects.get(owner=owner, key=key)
    return organization


@transaction.atomic
def organization_save(*, organization: Organization) -> Organization:
    """Saves an organization typed in a form; its key (the normalized name) comes with it."""
    organization.save()
    return organization
