"""What a restore accepts, row by row: the declared schema of each exported model.

A restore file is untrusted input: anyone can write one. The schema is read from the models
themselves (their fields' types, lengths, choices, null, validators, unique fields and
constraints) so that the restore checks what a form's full_clean would, but compiled once into
small functions, because a 300,000-contact file runs them millions of times. What the models
cannot say is declared here: the checks of a few values (time zones, countries, an import's
summary), the values recomputed instead of read (an organization's key), and the profile's
fields (only those the user edits in settings).

Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least

from coffeechat.portability.values import (
    DERIVED,
    Check,
    ImproperlyDeclared,
    _sqlite,
    fast_check,
    value_check,
)

MISSING: Any = object()


@dataclass
class Column:
    """One field of a row: the key in the file, the database column, and the check that turns
    a JSON value into a database-ready one (or raises Refusal)."""

    name: str
    column: str
    check: Check
    # A value for a key the file lacks (an export made before the field existed), or MISSING
    # when the field has none and the row is refused.
    default: Callable[[], Any] | Any = MISSING
    # For a foreign key: the label of the model it points at, whose ids are the file's own.
    target: str | None = None
    # A foreign key may also point at a shared row that no account owns (a shipped question).
    shared: bool = False
    null: bool = False
    # True when every value of a column passes ``check`` unchanged, found with a few C-speed
    # passes over the whole column; False sends the column to ``check`` value by value.
    fast: Callable[[list[Any]], bool] | None = None


@dataclass
class Links:
    """A many-to-many field, written in the file as a list of the target rows' ids."""

    name: str
    table: str
    source_column: str
    target_column: str
    target: str


Columns = dict[str, list[Any]]


@dataclass
class Unique:
    """Values that must not repeat between rows (the owner left out: one account), as the
    model's unique fields and constraints say, computed a column at a time."""

    fields: tuple[str, ...]  # the fields involved, for the sentence
    keys: Callable[[Columns], list[list[Any]]]  # the key's columns, from the row's columns
    condition: Callable[[dict[str, Any]], bool | None] | None = None


@dataclass
class ModelSchema:
    model: type[models.Model]
    label: str
    table: str
    pk_column: str
    owner_column: str
    columns: list[Column]
    links: list[Links]
    # Columns recomputed from another of the row's values (column, source field, function);
    # the file's value is not read.
    derived: dict[str, tuple[str, str, Callable[[Any], Any]]]
    # Sets of columns whose values must not repeat (owner left out: it is one account), each
    # with the condition under which it applies.
    uniques: list[Unique]
    checks: list[tuple[str, Callable[[dict[str, Any]], bool | None]]]
    allowed: frozenset[str] = field(default=frozenset())


# ---------------------------------------------------------------------------------------------
# Constraints, evaluated on a row's values (the file's ids for foreign keys)
# ---------------------------------------------------------------------------------------------

Condition = Callable[[dict[str, Any]], bool | None]

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "exact": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
}


def _isnull(name: str, want: bool) -> Condition:
    return lambda row: (row[name] is None) == want


def _compare_fields(name: str, other: str, fn: Callable[[Any, Any], bool]) -> Condition:
    def compare(row: dict[str, Any]) -> bool | None:
        if row[name] is None or row[other] is None:
            return None
        return fn(row[name], row[other])

    return compare


def _as_stored(value: Any) -> Any:
    """A constraint's literal as the checked values hold it: dates and times as the check
    functions above give them (text on SQLite, in UTC), so that they compare."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        moment = moment.astimezone(dt.UTC)
        return str(moment.replace(tzinfo=None)) if _sqlite() else moment
    if isinstance(value, dt.date):
        return str(value) if _sqlite() else value
    return value


def _compare_value(name: str, value: Any, fn: Callable[[Any, Any], bool]) -> Condition:
    return lambda row: None if row[name] is None else fn(row[name], value)


def compile_q(q: Any, model: type[models.Model]) -> Condition:
    """A constraint's Q as a function of a row's values, with SQL's three-valued logic (None
    is unknown, and a CHECK fails only on False). Only the lookups coffeechat's constraints
    use are known; another raises ImproperlyDeclared, so a new constraint fails a test."""

    def attname(name: str) -> str:
        return model._meta.get_field(name).name

    parts: list[Condition] = []
    for child in q.children:
        if isinstance(child, Q):
            parts.append(compile_q(child, model))
            continue
        lookup, expected = child  # type: ignore[misc]
        name, _, op = lookup.partition("__")
        name, op = attname(name), op or "exact"
        if op == "isnull":
            parts.append(_isnull(name, bool(expected)))
        elif op not in _COMPARE:
            raise ImproperlyDeclared(f"{model._meta.label}: unknown lookup {lookup}")
        elif isinstance(expected, F):
            other = attname(str(expected.name))  # type: ignore[attr-defined]
            parts.append(_compare_fields(name, other, _COMPARE[op]))
        elif isinstance(expected, int | str | bool | dt.date):
            parts.append(_compare_value(name, _as_stored(expected), _COMPARE[op]))
        else:
            raise ImproperlyDeclared(f"{model._meta.label}: cannot evaluate {lookup}")

    def combined(row: dict[str, Any]) -> bool | None:
        results = [part(row) for part in parts]
        if q.connector == Q.OR:
            value = True if True in results else (None if None in results else False)
        else:
            value = False if False in results else (None if None in results else True)
        if q.negated and value is not None:
            value = not value
        return value

    return combined


ColumnOf = Callable[[Columns], list[Any]]


def _expression(expression: Any, model: type[models.Model]) -> tuple[ColumnOf, set[str]] | None:
    """An index expression as a function of the row's columns, and the fields it reads; None
    for the owner (one account). Known: fields, LEAST and GREATEST (of ids, whose order the
    restore keeps: new ids are given in the order of the file's)."""
    if isinstance(expression, F):
        name = model._meta.get_field(str(expression.name)).name  # type: ignore[attr-defined]
        if name == "owner":
            return None
        return (lambda columns: columns[name]), {name}
    if isinstance(expression, Least | Greatest):
        parts = [_expression(e, model) for e in expression.get_source_expressions()]
        if any(part is None for part in parts):
            raise ImproperlyDeclared(f"{model._meta.label}: the owner inside {expression}")
        reads = [part[0] for part in parts if part is not None]
        pick = min if isinstance(expression, Least) else max

        def column(columns: Columns) -> list[Any]:
            return [
                None if None in values else pick(values)
                for values in zip(*(read(columns) for read in reads), strict=True)
            ]

        return column, {name for part in parts if part is not None for name in part[1]}
    raise ImproperlyDeclared(f"{model._meta.label}: cannot evaluate {expression}")


def _unique_expressions(
    constraint: models.UniqueConstraint, model: type[models.Model], condition: Condition | None
) -> Unique:
    parts = [p for e in constraint.expressions if (p := _expression(e, model)) is not None]
    fields = tuple(sorted({name for _, names in parts for name in names}))
    return Unique(fields, lambda columns: [read(columns) for read, _ in parts], condition)


# ---------------------------------------------------------------------------------------------
# The schema of each model
# ---------------------------------------------------------------------------------------------


def _default(field: models.Field) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda: dt.datetime.now(dt.UTC).isoformat()
    if field.has_default():
        default = field.default
        if callable(default):
            return default
        if isinstance(default, dt.date):
            return default.isoformat()
        return default
    if field.null:
        return None
    if field.empty_strings_allowed and field.blank:
        return ""
    return MISSING


def _owner_column(model: type[models.Model]) -> str:
    return str(model._meta.get_field("owner").column)  # type: ignore[union-attr]


def _shared_allowed(related: type[models.Model]) -> bool:
    """A row that belongs to no account (a shipped bank question) may be pointed at."""
    try:
        owner = related._meta.get_field("owner")
    except LookupError:
        return False
    return bool(owner.null)


@functools.cache
def model_schema(label: str) -> ModelSchema:
    from django.apps import apps

    from coffeechat.portability import selectors

    model = apps.get_model(label)
    restorable = {m._meta.label_lower for m in selectors.portable_models()}
    columns: list[Column] = []
    derived: dict[str, tuple[str, str, Callable[[Any], Any]]] = {}
    for f in selectors.exported_fields(model):
        key = f"{label}.{f.name}"
        if key in DERIVED:
            source, derive = DERIVED[key]
            derived[f.name] = (str(f.column), source, derive)
            continue
        if f.is_relation:
            related = f.related_model
            assert related is not None and not isinstance(related, str)
            target = related._meta.label_lower
            if target not in restorable:
                raise ImproperlyDeclared(f"{key} points at {target}, which no export holds")
            columns.append(
                Column(
                    name=f.name,
                    column=str(f.column),
                    check=lambda value: value,
                    default=None if f.null else MISSING,
                    target=target,
                    shared=_shared_allowed(related),
                    null=f.null,
                )
            )
            continue
        columns.append(
            Column(
                name=f.name,
                column=str(f.column),
                check=value_check(f, label),
                default=_default(f),
                fast=fast_check(f, label),
            )
        )
    links = []
    for m2m in model._meta.local_many_to_many:
        through = m2m.remote_field.through  # type: ignore[attr-defined]
        if not through._meta.auto_created:
            raise ImproperlyDeclared(
                f"{label}.{m2m.name} has a link table of its own; teach the restore about it"
            )
        target = m2m.related_model._meta.label_lower  # type: ignore[union-attr]
        if target not in restorable:
            raise ImproperlyDeclared(f"{label}.{m2m.name} points at {target}")
        links.append(
            Links(
                name=m2m.name,
                table=through._meta.db_table,
                source_column=through._meta.get_field(m2m.m2m_field_name()).column,  # type: ignore[attr-defined]
                target_column=through._meta.get_field(m2m.m2m_reverse_field_name()).column,  # type: ignore[attr-defined]
                target=target,
            )
        )

    def field_name(name: str) -> str:
        return model._meta.get_field(name).name

    def of_fields(names: tuple[str, ...], condition: Condition | None = None) -> Unique:
        return Unique(names, lambda columns: [columns[n] for n in names], condition)

    uniques: list[Unique] = []
    for f in selectors.exported_fields(model):
        if f.unique:
            uniques.append(of_fields((f.name,)))
    for together in model._meta.unique_together:
        uniques.append(of_fields(tuple(field_name(n) for n in together if n != "owner")))
    checks: list[tuple[str, Condition]] = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            condition = (
                compile_q(constraint.condition, model) if constraint.condition is not None else None
            )
            if constraint.expressions:
                uniques.append(_unique_expressions(constraint, model, condition))
                continue
            names = tuple(field_name(n) for n in constraint.fields if n != "owner")
            uniques.append(of_fields(names, condition))
        elif isinstance(constraint, models.CheckConstraint):
            checks.append((constraint.name, compile_q(constraint.condition, model)))
        else:
            raise ImproperlyDeclared(f"{label}: unknown constraint {constraint.name}")
    schema = ModelSchema(
        model=model,
        label=label,
        table=model._meta.db_table,
        pk_column=model._meta.pk.column,  # type: ignore[union-attr]
        owner_column=_owner_column(model),
        columns=columns,
        links=links,
        derived=derived,
        uniques=uniques,
        checks=checks,
    )
    schema.allowed = frozenset(
        {"id", *(c.name for c in columns), *(link.name for link in links), *derived}
    )
    return schema


@functools.cache
def profile_schema() -> dict[str, Column]:
    """The profile's fields a restore sets: those the user edits on the settings page, and
    no other (never its user, its id, the calendar feed's secret or the digest's record)."""
    from coffeechat.accounts.models import Profile
    from coffeechat.portability.selectors import profile_fields

    columns = {}
    for name in profile_fields():
        f = Profile._meta.get_field(name)
        assert isinstance(f, models.Field) and not f.is_relation
        columns[name] = Column(
            name=name,
            column=str(f.column),
            check=value_check(f, "accounts.profile"),
            default=_default(f),
        )
    return columns


def profile_ignored() -> set[str]:
    """Profile keys an older export holds that a restore leaves alone: the bookkeeping the
    app keeps itself (the calendar feed's secret, the last digest's date)."""
    from coffeechat.accounts.models import Profile

    return {
        f.name
        for f in Profile._meta.concrete_fields
        if not f.editable and not f.primary_key and not f.is_relation
    }
