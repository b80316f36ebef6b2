"""A JSON export, back in: into an empty account, with every row, link and timestamp as it was.

Ids are new (they are unique across the installation), so every foreign key is mapped from the
export's ids to the new ones. Rows go in with bulk_create in the export's order; keys that point
to a row not yet inserted (a contact's introducer, a cycle between models) are set afterwards,
together with the timestamps that bulk_create would otherwise stamp with "now".
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, models, transaction

from coffeechat.accounts.services import profile_for
from coffeechat.portability import selectors
from coffeechat.search.services import search_bulk, search_erase


class RestoreError(Exception):
    """An export that cannot be restored here, with a sentence that says why."""


def _value(field: models.Field, raw: Any) -> Any:
    if raw is None:
        return None
    if isinstance(field, models.JSONField):
        return raw
    return field.to_python(raw)


@transaction.atomic
def account_restore(*, user: User, data: dict[str, Any]) -> dict[str, int]:
    """Restores ``data`` (from account_export) into ``user``'s account, which must be empty.
    Returns the number of rows restored per model."""
    if data.get("schema") != selectors.SCHEMA:
        raise RestoreError("This is not a coffeechat export (no coffeechat schema marker).")
    if data.get("version") != selectors.VERSION:
        raise RestoreError(
            f"This export has schema version {data.get('version')}; this coffeechat reads "
            f"version {selectors.VERSION}."
        )
    order = selectors.owned_models()
    if any(m._default_manager.filter(owner=user).exists() for m in order):
        raise RestoreError(
            "The account already holds data. Restore into a new, empty account (or delete the "
            "account's data first) so that nothing is mixed or duplicated."
        )
    unknown = set(data.get("models", {})) - {m._meta.label_lower for m in order}
    if unknown:
        raise RestoreError(
            f"This export holds kinds of data this coffeechat lacks: {sorted(unknown)}."
        )

    if _holds_nul(data):
        # PostgreSQL cannot store NUL in text; refuse on every database so an export restores
        # the same way wherever it goes.
        raise RestoreError("This export holds text with NUL characters, which cannot be stored.")

    profile = profile_for(user)
    for name, raw in data.get("profile", {}).items():
        field = _profile_field(name)
        if field is not None:
            setattr(profile, field.attname, _value(field, raw))
    profile.save()

    ids: dict[str, dict[int, int]] = {}
    counts: dict[str, int] = {}
    with search_bulk(owner_id=user.pk, since=None):
        for model in order:
            label = model._meta.label_lower
            rows = data.get("models", {}).get(label, [])
            counts[label] = len(rows)
            ids[label] = _restore_model(model, rows, user, ids)
        _restore_m2m(order, data, ids)
        _restore_through(data, ids)
    return counts


def _profile_field(name: str) -> models.Field | None:
    from coffeechat.accounts.models import Profile

    try:
        field = Profile._meta.get_field(name)
    except LookupError:
        return None
    return field if isinstance(field, models.Field) and field.concrete else None


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _restored_id(field: models.Field, mapping: dict[int, int], raw: int) -> int:
    """The new id of a restored row, or the same id for a shared row that no account owns
    (a shipped bank question on a saved prep plan): those are not in the export."""
    if raw in mapping:
        return mapping[raw]
    related = field.related_model
    assert related is not None
    owner = related._meta.get_field("owner") if _has_owner(related) else None
    if (
        owner is not None
        and owner.null
        and related._default_manager.filter(pk=raw, owner__isnull=True).exists()
    ):
        return raw
    raise RestoreError(
        f"The export refers to {related._meta.verbose_name} #{raw}, which is neither in the "
        "file nor shared on this installation."
    )


def _has_owner(model: type[models.Model]) -> bool:
    return any(f.name == "owner" for f in model._meta.get_fields())


def _restore_model(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    user: User,
    ids: dict[str, dict[int, int]],
) -> dict[int, int]:
    fields = selectors.exported_fields(model)
    deferred: list[models.Field] = []
    objects = []
    for row in rows:
        obj = model(owner=user)
        for field in fields:
            if field.name not in row:
                continue
            raw = row[field.name]
            if field.is_relation and field.related_model is not None and raw is not None:
                target = field.related_model._meta.label_lower
                if target not in ids:
                    # Points at a row of a model restored later (or its own model).
                    if field not in deferred:
                        deferred.append(field)
                    continue
                raw = _restored_id(field, ids[target], raw)
                setattr(obj, field.attname, raw)
            else:
                setattr(obj, field.attname, _value(field, raw))
        objects.append(obj)
    model._default_manager.bulk_create(objects, batch_size=500)
    mapping = {row["id"]: obj.pk for row, obj in zip(rows, objects, strict=True)}
    ids[model._meta.label_lower] = mapping
    # bulk_create stamped auto_now fields with "now"; put back the exported times, and the
    # keys that could only be set once their targets existed.
    stamps = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for row, obj in zip(rows, objects, strict=True):
        for field in stamps:
            setattr(obj, field.attname, _value(field, row.get(field.name)))
        for field in deferred:
            raw = row.get(field.name)
            target = field.related_model._meta.label_lower  # type: ignore[union-attr]
            setattr(obj, field.attname, None if raw is None else ids[target][raw])
    update = [f.name for f in stamps + deferred]
    if update and objects:
        model._default_manager.bulk_update(objects, update, batch_size=500)
    return mapping


def _restore_m2m(
    order: list[type[models.Model]], data: dict[str, Any], ids: dict[str, dict[int, int]]
) -> None:
    for model in order:
        label = model._meta.label_lower
        for m2m in model._meta.many_to_many:
            through: Any = m2m.remote_field.through  # type: ignore[attr-defined]
            if not through._meta.auto_created:
                continue
            target = m2m.related_model._meta.label_lower  # type: ignore[union-attr]
            source_column = m2m.m2m_column_name()  # type: ignore[attr-defined]
            target_column = m2m.m2m_reverse_name()  # type: ignore[attr-defined]
            links = [
                through(**{source_column: ids[label][row["id"]], target_column: ids[target][pk]})
                for row in data["models"].get(label, [])
                for pk in row.get(m2m.name, [])
            ]
            through._default_manager.bulk_create(links, batch_size=2000)


def _restore_through(data: dict[str, Any], ids: dict[str, dict[int, int]]) -> None:
    for label, rows in data.get("through", {}).items():
        through = apps.get_model(label)
        objects = []
        for row in rows:
            obj = through()
            for field in through._meta.concrete_fields:
                if field.primary_key or field.name not in row:
                    continue
                raw = row[field.name]
                if field.is_relation and raw is not None:
                    raw = ids[field.related_model._meta.label_lower][raw]  # type: ignore[union-attr]
                setattr(obj, field.attname, raw)
            objects.append(obj)
        through._default_manager.bulk_create(objects, batch_size=2000)


@transaction.atomic
def account_delete(*, user: User) -> dict[str, int]:
    """Deletes the account and every row it owns; returns the rows deleted per model.

    One DELETE per table, by owner, rather than the ORM's cascade: for 30,000 contacts the
    cascade loads every contact and sends their ids back in IN lists to each related table
    (about 4 s). Every owned row references only rows of the same owner, and the foreign keys
    are checked at commit, so the order of the tables does not matter; a row of another kind
    still pointing at a deleted one would fail the commit and leave everything as it was.
    What is left (the profile, anything without an owner column) goes through user.delete().
    """
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    with search_erase(owner_id=user.pk), connection.cursor() as cursor:
        for model in reversed(selectors.owned_models()):
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
    user.delete()
    return counts
