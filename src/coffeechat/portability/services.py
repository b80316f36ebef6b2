"""A JSON export, back in: into an empty account, with every row, link and timestamp as it was.

The file is untrusted: anyone can write one. Everything in it is checked against the declared
schema (portability/schema.py) before anything is written: only the fields of the account's own
kinds of data, of the right type, length and choice, dates between 1900 and 2200, every
reference pointing at a row of the right kind in the same file (or at a shipped question).
Ids and owners never come from the file: each row gets a new id and the restoring account as
its owner. The first problem refuses the whole file, with a sentence naming the section, the
row and the field, and nothing is written.

Rows are written as the importer writes them (core/bulk.py: one executemany or COPY per table,
with ids reserved beforehand so every foreign key is mapped before the first insert), which
restores 300,000 contacts in seconds instead of minutes.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import User
from django.db import DatabaseError, models, transaction

from coffeechat.accounts.services import profile_for
from coffeechat.core.bulk import ids_reserve, rows_insert, statistics_refresh
from coffeechat.core.queries import lock_rows
from coffeechat.portability import selectors
from coffeechat.portability.schema import (
    MISSING,
    Column,
    ModelSchema,
    model_schema,
    profile_ignored,
    profile_schema,
)
from coffeechat.portability.values import Refusal
from coffeechat.search.services import search_bulk

SECTIONS = {
    "schema",
    "version",
    "exported_at",
    "account",
    "profile",
    "relations",
    "models",
    "through",
}
# Ids a database can hold; anything else cannot name a shared row and is not looked up.
_MAX_ID = 2**63 - 1


class RestoreError(Exception):
    """An export that cannot be restored here, with a sentence that says why."""


def _refuse(where: str, reason: str) -> RestoreError:
    return RestoreError(f"{where}: {reason}.")


def _filled(column: Column, raw: Any) -> Any:
    if raw is not MISSING:
        return raw
    default = column.default
    return default() if callable(default) else default


@transaction.atomic
def account_restore(*, user: User, data: Any) -> dict[str, int]:
    """Restores ``data`` (from account_export) into ``user``'s account, which must be empty.
    Returns the number of rows restored per model. Raises RestoreError, having written
    nothing, for a file that is not a valid export."""
    _check_envelope(data)
    # Two restores into one account at once would both find it empty.
    lock_rows(User.objects.filter(pk=user.pk))
    order = selectors.exported_models()
    if any(m._default_manager.filter(owner=user).exists() for m in order):
        raise RestoreError(
            "The account already holds data. Restore into a new, empty account (or delete the "
            "account's data first) so that nothing is mixed or duplicated."
        )
    profile_values = _profile_values(data.get("profile", {}))
    plan = _Plan(data.get("models", {}), order, owner_id=user.pk)
    plan.check()

    profile = profile_for(user)
    for name, value in profile_values.items():
        setattr(profile, name, value)
    if profile_values:
        profile.save(update_fields=list(profile_values))
    try:
        with search_bulk(owner_id=user.pk, since=None):
            plan.write()
    except DatabaseError as error:
        # Every rule the database has is checked above; this is the last line, so that even
        # a rule added later and not taught to the schema gives a sentence, not a traceback.
        raise RestoreError(f"The database refused a row of this export ({error}).") from None
    # Every table written was empty for this account a moment ago: the planner's statistics,
    # if any, describe a database without it.
    statistics_refresh(tables=plan.tables_written())
    return plan.counts


def _with_defaults(label: str, column: Column, rows: list[dict[str, Any]]) -> list[Any]:
    """A column some rows lack: the field's default where it has one, else a refusal."""
    raw = []
    for number, row in enumerate(rows, 1):
        value = _filled(column, row.get(column.name, MISSING))
        if value is MISSING:
            raise _refuse(f"models.{label} row {number}, field {column.name}", "missing")
        raw.append(value)
    return raw


def _check_envelope(data: Any) -> None:
    if not isinstance(data, dict) or data.get("schema") != selectors.SCHEMA:
        raise RestoreError("This is not a coffeechat export (no coffeechat schema marker).")
    if data.get("version") != selectors.VERSION:
        raise RestoreError(
            f"This export has schema version {str(data.get('version'))[:20]}; this coffeechat "
            f"reads version {selectors.VERSION}."
        )
    unknown = sorted(str(key)[:40] for key in set(data) - SECTIONS)
    if unknown:
        raise RestoreError(
            f"This export has a section a coffeechat export does not have: {unknown[0]}."
        )
    for section in ("profile", "models", "through"):
        if not isinstance(data.get(section, {}), dict):
            raise _refuse(section, "not an object of named parts")
    for label in data.get("through", {}):
        # Link tables travel inside their rows (lists of ids); an export has no separate link
        # rows, and a restore never writes into a table named by the file.
        raise _refuse(
            f"through.{str(label)[:60]}",
            "a restore writes no link rows of its own; links travel as lists of ids on the "
            "rows they belong to",
        )


def _profile_values(raw: dict[str, Any]) -> dict[str, Any]:
    columns = profile_schema()
    ignored = profile_ignored()
    values = {}
    for name, value in raw.items():
        if name in ignored:
            continue
        column = columns.get(name)
        if column is None:
            raise _refuse(
                f"profile, field {str(name)[:40]}",
                "not restorable (a restore sets only what the settings page edits)",
            )
        try:
            values[name] = column.check(value)
        except Refusal as refusal:
            raise _refuse(f"profile, field {name}", str(refusal)) from None
    return values


class _Plan:
    """The file's rows, checked, with their references still in the file's ids until write().

    Checked a column at a time: one pass of C-speed checks over all of a column's values (all
    text, none too long, none with NUL, all among the choices...) accepts the usual file in a
    fraction of the time a check per value takes; only a column that fails it is checked value
    by value, which finds the first bad row for the sentence."""

    def __init__(self, sections: dict[str, Any], order: list[type[models.Model]], owner_id: int):
        self.sections = sections
        self.owner_id = owner_id
        self.schemas = [model_schema(m._meta.label_lower) for m in order]
        unknown = sorted(
            str(label)[:60] for label in set(sections) - {s.label for s in self.schemas}
        )
        if unknown:
            raise RestoreError(
                f"This export holds kinds of data this coffeechat lacks: {', '.join(unknown)}."
            )
        self.positions: dict[str, dict[int, int]] = {}  # label -> file id -> row number
        # label -> the checked values, one list per column (then per derived column).
        self.values: dict[str, list[list[Any]]] = {}
        self.links: dict[tuple[str, str], list[tuple[int, int]]] = {}
        # Ids of shared rows (shipped questions) the file points at, with where it does.
        self.shared: dict[str, dict[int, str]] = {}
        self.counts: dict[str, int] = {}

    def _rows(self, label: str) -> list[Any]:
        rows = self.sections.get(label, [])
        if not isinstance(rows, list):
            raise _refuse(f"models.{label}", "not a list of rows")
        return rows

    def check(self) -> None:
        # First every section's ids, so that a reference can point at a row further down.
        for schema in self.schemas:
            self.positions[schema.label] = self._ids(schema.label)
        for schema in self.schemas:
            self._check_rows(schema)
        self._check_shared()

    def _ids(self, label: str) -> dict[int, int]:
        seen: dict[int, int] = {}
        for number, row in enumerate(self._rows(label), 1):
            where = f"models.{label} row {number}"
            if not isinstance(row, dict):
                raise _refuse(where, "not an object of fields")
            pk = row.get("id", MISSING)
            if pk is MISSING:
                raise _refuse(where, "no id")
            if type(pk) is not int:
                raise _refuse(f"{where}, field id", f"not a whole number ({str(pk)[:40]!r})")
            if pk in seen:
                raise _refuse(f"{where}, field id", f"{pk} is also the id of row {seen[pk]}")
            seen[pk] = number
        return seen

    def _check_rows(self, schema: ModelSchema) -> None:
        label = schema.label
        rows: list[dict[str, Any]] = self._rows(label)
        self.counts[label] = len(rows)
        allowed = schema.allowed
        if not all(map(allowed.issuperset, rows)):
            for number, row in enumerate(rows, 1):
                if not allowed.issuperset(row):
                    name = sorted(str(key) for key in row.keys() - allowed)[0][:40]
                    raise _refuse(
                        f"models.{label} row {number}, field {name}", f"not a field of {label}"
                    )
        columns = [self._column(label, column, rows) for column in schema.columns]
        named = {c.name: values for c, values in zip(schema.columns, columns, strict=True)}
        for name, (_, source, derive) in schema.derived.items():
            named[name] = [derive(value) for value in named[source]]
            columns.append(named[name])
        for link in schema.links:
            self._links(label, link.name, link.target, rows)
        self._uniques(schema, named, len(rows))
        if schema.checks:
            names = list(named)
            owner = self.owner_id
            for number, values in enumerate(zip(*named.values(), strict=True), 1):
                row = dict(zip(names, values, strict=True))
                row["owner"] = owner
                for name, rule in schema.checks:
                    if rule(row) is False:
                        raise _refuse(f"models.{label} row {number}", f"breaks the rule {name}")
        self.values[label] = columns

    def _column(self, label: str, column: Column, rows: list[dict[str, Any]]) -> list[Any]:
        """The column's checked values, in row order."""
        name = column.name
        try:
            raw = [row[name] for row in rows]
        except KeyError:  # a file written before the field existed, or a bad one
            raw = _with_defaults(label, column, rows)
        if column.target is not None:
            return self._references(label, column, raw)
        if column.fast is not None and column.fast(raw):
            return raw
        check = column.check
        try:
            return [check(value) for value in raw]
        except Refusal:
            pass
        for number, value in enumerate(raw, 1):  # which row, for the sentence
            try:
                check(value)
            except Refusal as refusal:
                raise _refuse(f"models.{label} row {number}, field {name}", str(refusal)) from None
        raise AssertionError("a value refused once and accepted again")

    def _references(self, label: str, column: Column, raw: list[Any]) -> list[Any]:
        target = column.target
        assert target is not None
        known = self.positions[target]
        present = [value for value in raw if value is not None] if column.null else raw
        if set(map(type, present)) <= {int} and known.keys() >= set(present):
            return raw
        for number, value in enumerate(raw, 1):
            where = f"models.{label} row {number}, field {column.name}"
            if value is None:
                if not column.null:
                    raise _refuse(where, "missing: it must point at a row")
            elif type(value) is not int:
                raise _refuse(where, f"not an id ({str(value)[:40]!r})")
            elif value not in known:
                if column.shared and 0 < value <= _MAX_ID:
                    self.shared.setdefault(target, {}).setdefault(value, where)
                else:
                    raise _refuse(where, f"points at {target} id {value}, which is not in the file")
        return raw

    def _links(self, label: str, name: str, target: str, rows: list[dict[str, Any]]) -> None:
        lists = [row.get(name, []) for row in rows]
        known = self.positions[target]
        if set(map(type, lists)) <= {list}:
            filled = [(row["id"], ids) for row, ids in zip(rows, lists, strict=True) if ids]
            pairs = [(source, pk) for source, ids in filled for pk in ids]
            targets = [pk for _, pk in pairs]
            if (
                set(map(type, targets)) <= {int}
                and known.keys() >= set(targets)
                and all(len(set(ids)) == len(ids) for _, ids in filled)
            ):
                self.links[(label, name)] = pairs
                return
        for number, ids in enumerate(lists, 1):
            where = f"models.{label} row {number}, field {name}"
            if not isinstance(ids, list):
                raise _refuse(where, "not a list of ids")
            listed: set[int] = set()
            for pk in ids:
                if type(pk) is not int:
                    raise _refuse(where, f"holds {str(pk)[:40]!r}, which is not an id")
                if pk not in known:
                    raise _refuse(where, f"points at {target} id {pk}, which is not in the file")
                if pk in listed:
                    raise _refuse(where, f"lists {target} id {pk} twice")
                listed.add(pk)
        raise AssertionError("links refused once and accepted again")

    def _uniques(self, schema: ModelSchema, named: dict[str, list[Any]], count: int) -> None:
        label = schema.label
        for unique in schema.uniques:
            fields, condition = unique.fields, unique.condition
            keys: list[tuple[Any, ...]] = (
                list(zip(*unique.keys(named), strict=True)) if fields else [()] * count
            )
            if condition is not None:
                names = list(named)
                rows = (dict(zip(names, v, strict=True)) for v in zip(*named.values(), strict=True))
                applies = [condition(row | {"owner": self.owner_id}) is True for row in rows]
            else:
                applies = [True] * count
            chosen = [k for k, a in zip(keys, applies, strict=True) if a and None not in k]
            if len(set(chosen)) == len(chosen):
                continue
            taken: dict[tuple[Any, ...], int] = {}
            for number, (key, applied) in enumerate(zip(keys, applies, strict=True), 1):
                if not applied or None in key:
                    continue  # NULLs never collide
                earlier = taken.setdefault(key, number)
                if earlier != number:
                    shown = ", ".join(fields) or "(the account)"
                    raise _refuse(
                        f"models.{label} row {number}, field{'s' if len(fields) > 1 else ''} "
                        f"{shown}",
                        f"the same as row {earlier}, and each row's must be different",
                    )

    def _check_shared(self) -> None:
        from django.apps import apps

        for label, wanted in self.shared.items():
            model = apps.get_model(label)
            ids = sorted(wanted)
            found: set[int] = set()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                found.update(
                    model._default_manager.filter(pk__in=chunk, owner__isnull=True).values_list(
                        "pk", flat=True
                    )
                )
            for pk in ids:
                if pk not in found:
                    raise _refuse(
                        wanted[pk],
                        f"points at {label} id {pk}, which is neither in the file nor shared "
                        "on this installation",
                    )

    def tables_written(self) -> list[str]:
        tables = [s.table for s in self.schemas if self.counts[s.label]]
        tables += [
            link.table
            for s in self.schemas
            for link in s.links
            if self.links[(s.label, link.name)]
        ]
        return tables

    def write(self) -> None:
        mapping: dict[str, dict[int, int]] = {}
        for schema in self.schemas:
            # New ids in the order of the file's ids, so that comparisons between ids (a
            # "first < second" rule) hold after the mapping as they did before it.
            olds = sorted(self.positions[schema.label])
            news = ids_reserve(schema.table, schema.pk_column, len(olds))
            mapping[schema.label] = dict(zip(olds, news, strict=True))
        for schema in self.schemas:
            self._write_model(schema, mapping)
        for schema in self.schemas:
            for link in schema.links:
                source, target = mapping[schema.label], mapping[link.target]
                rows_insert(
                    link.table,
                    [link.source_column, link.target_column],
                    ((source[a], target[b]) for a, b in self.links[(schema.label, link.name)]),
                )

    def _write_model(self, schema: ModelSchema, mapping: dict[str, dict[int, int]]) -> None:
        if not self.counts[schema.label]:
            return
        columns = self.values[schema.label]
        for index, column in enumerate(schema.columns):
            if column.target is not None:
                ids = mapping[column.target]
                # A shared row keeps its id: no account owns it, the file does not hold it.
                columns[index] = [
                    None if raw is None else ids.get(raw, raw) for raw in columns[index]
                ]
        own = mapping[schema.label]
        new_ids = [own[pk] for pk in self.positions[schema.label]]  # in row order
        names = [
            schema.pk_column,
            schema.owner_column,
            *(c.column for c in schema.columns),
            *(column for column, _, _ in schema.derived.values()),
        ]
        rows_insert(
            schema.table,
            names,
            zip(new_ids, itertools.repeat(self.owner_id), *columns, strict=False),
        )
