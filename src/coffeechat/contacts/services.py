from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from coffeechat.contacts.models import Contact, Tag
from coffeechat.organizations.services import organization_for_name


def _tags_for(*, owner: User, names: list[str]) -> list[Tag]:
    existing = {tag.name: tag for tag in Tag.objects.filter(owner=owner, name__in=names)}
    missing = [Tag(owner=owner, name=name) for name in names if name not in existing]
    Tag.objects.bulk_create(missing)
    return list(existing.values()) + missing


@transaction.atomic
def contact_save(
    *,
    owner: User,
    contact: Contact,
    organization_name: str = "",
    tag_names: list[str] | None = None,
) -> Contact:
    """Saves a contact with its organization (found or created by name) and its tags."""
    contact.owner = owner
    contact.organization = organization_for_name(owner=owner, name=organization_name)
    contact.save()
    if tag_names is not None:
        contact.tags.set(_tags_for(owner=owner, names=tag_names))
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Deletes the contact with their notes, conversations and follow-ups. People they
    introduced stay, without an introducer."""
    contact.delete()
