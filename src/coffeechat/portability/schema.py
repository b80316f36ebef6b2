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

import base64
import binascii
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least

from coffeechat.core.validators import YEAR_MAX, YEAR_MIN


class Refusal(Exception):
    """A value the schema does not accept; the message completes "field x: ..."."""


Check = Callable[[Any], Any]
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
# Value checks
# ---------------------------------------------------------------------------------------------


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        # PostgreSQL cannot store NUL in text; refused everywhere so that a file restores the
        # same way on either database.
        return "holds a NUL character, which cannot be stored"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "holds a character that is not valid Unicode text (a lone surrogate)"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _validators(field: models.Field, skip: tuple[type, ...]) -> list[Callable[[Any], None]]:
    return [v for v in field.validators if not isinstance(v, skip)]


def _run(validators: list[Callable[[Any], None]], value: Any) -> None:
    for validator in validators:
        try:
            validator(value)
        except ValidationError as error:
            raise Refusal(" ".join(error.messages).rstrip(".")) from None


def _address_ok(value: str) -> bool:
    """The importer keeps internationalized addresses (josé@example.com) that Django's email
    validator refuses; what the importer keeps, a restore takes back."""
    from coffeechat.imports.parsers import address_ok

    return address_ok(value)


# Addresses of the usual shape (https://www.linkedin.com/in/...), which the URL validator is
# sure to accept (a subset of its pattern, short enough for its host length rule): checked with
# one match instead of the validator's 9 µs, 2.6 s for a 300,000-contact restore.
_PLAIN_URL = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?:[/?#]\S*)?\Z",
    re.IGNORECASE,
)


def _text_check(field: models.Field, extra: Check | None) -> Check:
    max_length = field.max_length
    choices: frozenset[str] | None = None
    if field.choices:
        # An empty value is a choice only where the field may be blank (full_clean's rule).
        choices = frozenset(str(v) for v, _ in field.flatchoices if field.blank or v != "")
        shown = ", ".join(sorted(repr(c) for c in choices))
    validators = _validators(field, (MaxLengthValidator, ProhibitNullCharactersValidator))
    null = field.null
    url = isinstance(field, models.URLField)
    email = isinstance(field, models.EmailField)

    def check(value: Any) -> Any:
        if value is None and null:
            return None
        if type(value) is not str:
            raise Refusal(f"not text ({_short(value)})")
        if max_length is not None and len(value) > max_length:
            raise Refusal(f"longer than {max_length} characters ({len(value):,})")
        if problem := _text_problem(value):
            raise Refusal(problem)
        if choices is not None and value not in choices:
            raise Refusal(f"{_short(value)} is not one of {shown}")
        if value and validators:
            if url and "://" not in value:
                # What coffeechat's own forms do with an address typed without its scheme,
                # and what an older import stored ("www.linkedin.com/in/..."): https.
                fixed = f"https://{value}"
                if max_length is None or len(fixed) <= max_length:
                    value = fixed
            plain = url and len(value) <= 253 and _PLAIN_URL.match(value)
            if not plain and not (email and _address_ok(value)):
                _run(validators, value)
        if extra is not None:
            extra(value)
        return value

    return check


def _int_check(field: models.Field, extra: Check | None) -> Check:
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    others = []
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if isinstance(validator, MinValueValidator) and isinstance(limit, int):
            low = max(low, limit)
        elif isinstance(validator, MaxValueValidator) and isinstance(limit, int):
            high = min(high, limit)
        else:
            others.append(validator)
    null = field.null

    def check(value: Any) -> Any:
        if value is None and null:
            return None
        if type(value) is not int:
            raise Refusal(f"not a whole number ({_short(value)})")
        if not low <= value <= high:
            raise Refusal(f"{value} is outside {low} to {high}")
        _run(others, value)
        if extra is not None:
            extra(value)
        return value

    return check


def _bool_check(field: models.Field) -> Check:
    null = field.null

    def check(value: Any) -> Any:
        if value is None and null:
            return None
        if type(value) is not bool:
            raise Refusal(f"not true or false ({_short(value)})")
        return value

    return check


def _in_range(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Refusal(f"the year {year} is outside {YEAR_MIN} to {YEAR_MAX}")


def _sqlite() -> bool:
    """SQLite stores dates and times as text, in UTC (Django's adapters, without their cost
    per value: 1.1 s of a 300,000-contact restore); PostgreSQL takes the objects."""
    if connection.vendor != "sqlite":
        return False
    assert settings.USE_TZ and connection.timezone == dt.UTC
    return True


def _date_check(field: models.Field) -> Check:
    null = field.null
    adapt: Callable[[dt.date], Any] = str if _sqlite() else (lambda day: day)

    def check(value: Any) -> Any:
        if value is None and null:
            return None
        if type(value) is not str:
            raise Refusal(f"not a date ({_short(value)})")
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise Refusal(f"not a date in the form 2026-03-11 ({_short(value)})") from None
        _in_range(day.year)
        return adapt(day)

    return check


def _datetime_check(field: models.Field) -> Check:
    null = field.null
    adapt: Callable[[dt.datetime], Any] = (
        (lambda moment: str(moment.replace(tzinfo=None))) if _sqlite() else (lambda m: m)
    )

    # An import stamps all its rows with one time, so a file repeats a few values many times.
    seen: dict[str, Any] = {}

    def check(value: Any) -> Any:
        if value is None and null:
            return None
        if type(value) is not str:
            raise Refusal(f"not a date and time ({_short(value)})")
        if value in seen:
            return seen[value]
        if len(seen) > 10_000:
            seen.clear()
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise Refusal(
                f"not a date and time in the form 2026-03-11T14:00:00+00:00 ({_short(value)})"
            ) from None
        # Checked before the conversion to UTC, which overflows at the ends of the calendar.
        _in_range(moment.year)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)  # an export writes UTC
        moment = moment.astimezone(dt.UTC)
        _in_range(moment.year)
        adapted = seen[value] = adapt(moment)
        return adapted

    return check


def _binary_check(field: models.Field) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not str:
            raise Refusal(f"not base64 text ({_short(value)})")
        if len(value) > settings.IMPORT_MAX_BYTES * 4 // 3 + 4:
            raise Refusal(f"larger than {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise Refusal("not base64 text") from None

    return check


def _json_check(field: models.Field, extra: Check | None) -> Check:
    if extra is None:
        # Any JSON could be stored here and shown by some page: each JSON field says what it
        # holds, below, before a restore accepts it.
        raise ImproperlyDeclared(f"{field.model._meta.label}.{field.name} has no declared check")
    adapt = field.get_db_prep_value

    def check(value: Any) -> Any:
        extra(value)
        return adapt(value, connection)

    return check


class ImproperlyDeclared(Exception):
    """A field the schema does not know how to check: a model changed, the restore must too."""


# ---------------------------------------------------------------------------------------------
# Declarations the models cannot make themselves
# ---------------------------------------------------------------------------------------------


def _country(value: str) -> None:
    from coffeechat.accounts.models import country_choices

    if value not in {code for code, _ in country_choices()}:
        raise Refusal(f"{_short(value)} is not a country code coffeechat knows")


def _import_summary(value: Any) -> None:
    from coffeechat.imports.models import summary_problem

    if problem := summary_problem(value):
        raise Refusal(problem)


def _organization_key(name: str) -> str:
    from coffeechat.organizations.models import organization_key

    return organization_key(name)


# Time zones, dates and links are checked by the models' own validators (core.validators).
EXTRA_CHECKS: dict[str, Check] = {
    "accounts.profile.country": _country,
    "imports.importbatch.summary": _import_summary,
}

# Computed from the row, as the model's save() would: a key taken from the file could disagree
# with the name and slip past the uniqueness it exists for.
DERIVED: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "organizations.organization.key": ("name", _organization_key),
}


# An address the importer keeps (parsers.address_ok), as one pattern for a whole column.
_PLAIN_ADDRESS = re.compile(r"[^\s<>,;:\x00]*@[^\s<>,;:\x00@]*\.[^\s<>,;:\x00@]*\Z")
_NONE = type(None)


def _kinds_ok(values: list[Any], kind: type, null: bool) -> list[Any] | None:
    """The values without their Nones, when all are of ``kind`` (or None where allowed)."""
    kinds = set(map(type, values))
    if kinds <= {kind}:
        return values
    if null and kinds <= {kind, _NONE}:
        return [value for value in values if value is not None]
    return None


def _extra_ok(extra: Check | None, values: list[Any]) -> bool:
    if extra is None:
        return True
    try:
        for value in set(values):
            extra(value)
    except Refusal:
        return False
    return True


def _fast_text(field: models.Field, extra: Check | None) -> Callable[[list[Any]], bool] | None:
    max_length = field.max_length
    choices = (
        frozenset(str(v) for v, _ in field.flatchoices if field.blank or v != "")
        if field.choices
        else None
    )
    validators = _validators(field, (MaxLengthValidator, ProhibitNullCharactersValidator))
    url = isinstance(field, models.URLField)
    email = isinstance(field, models.EmailField)
    pattern, longest = (_PLAIN_URL, 253) if url else (_PLAIN_ADDRESS, max_length or 254)
    null = field.null

    def fast(values: list[Any]) -> bool:
        texts = _kinds_ok(values, str, null)
        if texts is None or not texts:
            return texts is not None
        if max_length is not None and max(map(len, texts)) > max_length:
            return False
        joined = "".join(texts)
        if "\x00" in joined:
            return False
        if not joined.isascii():
            try:
                joined.encode("utf-8")
            except UnicodeEncodeError:
                return False
        if choices is not None and not choices.issuperset(texts):
            return False
        filled = [text for text in texts if text] if validators else []
        if filled and (url or email):
            # The usual address in one pattern for the column, not a validator per value.
            return (
                max(map(len, filled)) <= longest
                and all(map(pattern.match, filled))
                and _extra_ok(extra, texts)
            )
        if filled:
            try:
                for value in set(filled):  # a time zone column holds a few names many times
                    _run(validators, value)
            except Refusal:
                return False
        return _extra_ok(extra, texts)

    return fast


def _fast_int(field: models.Field, extra: Check | None) -> Callable[[list[Any]], bool] | None:
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if isinstance(validator, MinValueValidator) and isinstance(limit, int):
            low = max(low, limit)
        elif isinstance(validator, MaxValueValidator) and isinstance(limit, int):
            high = min(high, limit)
        else:
            return None
    null = field.null

    def fast(values: list[Any]) -> bool:
        numbers = _kinds_ok(values, int, null)
        if numbers is None or not numbers:
            return numbers is not None
        return low <= min(numbers) and max(numbers) <= high and _extra_ok(extra, numbers)

    return fast


def fast_check(field: models.Field, label: str) -> Callable[[list[Any]], bool] | None:
    """The column-at-once form of value_check, where a value passes unchanged."""
    extra = EXTRA_CHECKS.get(f"{label}.{field.name}")
    if isinstance(field, models.BooleanField):
        null = field.null
        return lambda values: _kinds_ok(values, bool, null) is not None
    if isinstance(field, models.IntegerField):
        return _fast_int(field, extra)
    if isinstance(field, models.CharField | models.TextField):
        return _fast_text(field, extra)
    return None  # dates and times are converted; JSON and bytes are rare


def value_check(field: models.Field, label: str) -> Check:
    extra = EXTRA_CHECKS.get(f"{label}.{field.name}")
    if isinstance(field, models.JSONField):
        return _json_check(field, extra)
    if isinstance(field, models.BooleanField):
        return _bool_check(field)
    if isinstance(field, models.DateTimeField):
        return _datetime_check(field)
    if isinstance(field, models.DateField):
        return _date_check(field)
    if isinstance(field, models.IntegerField):
        return _int_check(field, extra)
    if isinstance(field, models.CharField | models.TextField):
        return _text_check(field, extra)
    if isinstance(field, models.BinaryField):
        return _binary_check(field)
    raise ImproperlyDeclared(
        f"{label}.{field.name}: a restore does not know how to check a {type(field).__name__}"
    )


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
    restorable = {m._meta.label_lower for m in selectors.owned_models()}
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
