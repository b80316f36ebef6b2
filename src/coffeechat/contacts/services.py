from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import ForeignKey, ManyToManyRel, ManyToOneRel, Model, Q
from django.utils import timezone

from coffeechat.contacts.models import Contact, JobHistory, NotDuplicate, Tag
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
    organization = organization_for_name(owner=owner, name=organization_name)
    if contact.pk:
        # A changed employer or title keeps the old one on the contact's timeline.
        before = Contact.objects.filter(pk=contact.pk).values("organization_id", "title").first()
        if (
            before
            and (before["organization_id"], before["title"])
            != (
                organization.pk if organization else None,
                contact.title,
            )
            and (before["organization_id"] or before["title"])
        ):
            JobHistory.objects.create(
                owner=owner,
                contact=contact,
                organization_id=before["organization_id"],
                title=before["title"],
                ended_on=timezone.localdate(),
                source=JobHistory.Source.MANUAL,
            )
    contact.organization = organization
    contact.save()
    if tag_names is not None:
        contact.tags.set(_tags_for(owner=owner, names=tag_names))
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Deletes the contact with their notes, conversations and follow-ups. People they
    introduced stay, without an introducer."""
    contact.delete()


def _rows_pointing_at(contact: Contact) -> Iterator[tuple[type[Model], str]]:
    """Every (model, field) whose rows point at a contact, hidden relations included (as on
    Knows), so a kind of row added by an app built on contacts is found without importing it.
    Many-to-many links (tags) have their own table and are left to the caller."""
    for relation in Contact._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ManyToOneRel) or isinstance(relation, ManyToManyRel):
            continue
        if relation.related_model._meta.auto_created or not isinstance(relation.field, ForeignKey):
            continue
        yield relation.related_model, relation.field.name


def merge_moves(*, duplicate: Contact) -> list[tuple[type[Model], int]]:
    """How many rows of each kind merging ``duplicate`` moves (for the confirmation page)."""
    counts: dict[type[Model], int] = {}
    for model, field in _rows_pointing_at(duplicate):
        count = model._default_manager.filter(**{field: duplicate}).count()
        if count:
            counts[model] = counts.get(model, 0) + count
    return list(counts.items())


def _move(model: type[Model], field: str, *, duplicate: Contact, keep: Contact) -> None:
    """Points the rows at ``keep``. A row that cannot move without breaking a rule of its
    table (a second shadowing plan or cadence for one person, a link that would exist twice
    or join the person to themselves) is dropped: ``keep``'s own row stands."""
    rows = model._default_manager.filter(**{field: duplicate})
    # A moved row changed: its updated_at says so to API syncs (update() skips auto_now).
    moved: dict[str, object] = {field: keep}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        moved["updated_at"] = timezone.now()
    try:
        with transaction.atomic():
            rows.update(**moved)
        return
    except IntegrityError:
        pass
    for pk in list(rows.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=pk).update(**moved)
        except IntegrityError:
            model._default_manager.filter(pk=pk).delete()


@transaction.atomic
def contact_merge(*, keep: Contact, duplicate: Contact) -> Contact:
    """Folds ``duplicate`` into ``keep``: every note, conversation, follow-up, tag, earlier
    job, knows link and introduction of both stays, now on ``keep``.

    Rows pointing at the duplicate are found through the model registry, so a kind of row
    added to the app later moves too. Blank fields of ``keep`` take the duplicate's values.
    """
    if keep.pk == duplicate.pk or keep.owner_id != duplicate.owner_id:
        raise ValueError("Merging needs two different contacts of one user.")
    # "Not the same person" answers were about the duplicate; once merged, the pairs are
    # worth suggesting again rather than moving (they could turn into a self-pair).
    NotDuplicate.objects.filter(Q(first=duplicate) | Q(second=duplicate)).delete()
    for model, field in _rows_pointing_at(duplicate):
        _move(model, field, duplicate=duplicate, keep=keep)
    keep.tags.add(*duplicate.tags.all())
    for name in ("email", "phone", "linkedin_url", "title", "connection_detail"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    if keep.organization_id is None:
        keep.organization_id = duplicate.organization_id
    if keep.how_connected == Contact.Connection.COLD:
        keep.how_connected = duplicate.how_connected
    if duplicate.notes and duplicate.notes not in keep.notes:
        keep.notes = f"{keep.notes}\n\n{duplicate.notes}".strip()
    if duplicate.last_interaction and (
        keep.last_interaction is None or duplicate.last_interaction > keep.last_interaction
    ):
        keep.last_interaction = duplicate.last_interaction
    keep.refresh_from_db(fields=["introduced_by"])  # the moves above may have changed it
    if keep.introduced_by_id in (None, keep.pk):
        introducer = duplicate.introduced_by_id
        keep.introduced_by_id = introducer if introducer != keep.pk else None
    keep.save()
    duplicate.delete()
    return keep


def duplicate_dismiss(*, owner: User, contact: Contact, other: Contact) -> NotDuplicate:
    """Records that two contacts are different people, so the pair is not suggested again."""
    if contact.pk == other.pk or not contact.owner_id == other.owner_id == owner.pk:
        raise ValueError("Two different contacts of one user are needed.")
    first, second = sorted((contact.pk, other.pk))
    pair, _ = NotDuplicate.objects.get_or_create(owner=owner, first_id=first, second_id=second)
    return pair
