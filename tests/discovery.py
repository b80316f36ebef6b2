"""What the app exposes, discovered rather than listed, and a snapshot of what it holds.

Shared by the ownership test (another user's ids must reach nothing) and the fuzz test
(generated values must never give a server error). Everything is found from the code itself,
so that a new view, form or query parameter is covered as soon as it exists:

- URL patterns, from the URL resolver.
- Every form class of every ``coffeechat.<app>.forms`` module, its fields, and the ones that
  hold the id of a row; the views that bind a form to a POST, from the names their code uses.
- Query and POST parameters read straight from the request, from the views' source.
- A body each form accepts from a user, to change one field of.
- ``snapshot``: row counts of every owned table and a checksum per user and model.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import json
import pkgutil
import re
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.models import User
from django.core import validators
from django.db import connection, models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import coffeechat
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.core.access import owned
from coffeechat.core.owned import is_exported
from coffeechat.leads.models import FormalInterview
from coffeechat.outreach.models import MessageTemplate
from coffeechat.portability.selectors import account_export
from tests.conftest import World

SOURCE = Path(coffeechat.__file__).parent

# ---------------------------------------------------------------------------------------------
# The snapshot: nothing an outsider request does may show up in any owned table
# ---------------------------------------------------------------------------------------------

OWNED_MODELS = [
    model
    for model in apps.get_models()
    if any(field.name == "owner" for field in model._meta.concrete_fields)
]
UNEXPORTED = [model for model in OWNED_MODELS if not is_exported(model)]
# Many-to-many rows (a conversation's targets, a fit line's citations) live in tables of their
# own, without an owner column.
COUNTED: list[type[models.Model]] = OWNED_MODELS + [
    m2m.remote_field.through  # type: ignore[misc]
    for model in OWNED_MODELS
    for m2m in model._meta.many_to_many
]


def checksum(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def snapshot(*users: User) -> dict[str, object]:
    """Row counts of every owned table, and per user (``users``, or every user) and per model
    a checksum of the JSON export (every column of every row), so that a failure names what
    changed. The counts cover every user: a row added for anyone shows there."""
    # One query for every count: the snapshot runs three times per test, hundreds of times.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT {i}, COUNT(*) FROM {quote(model._meta.db_table)}"
                for i, model in enumerate(COUNTED)
            )
        )
        counts = dict(cursor.fetchall())
    state: dict[str, object] = {
        f"rows {model._meta.label_lower}": counts[i] for i, model in enumerate(COUNTED)
    }
    for user in users or User.objects.order_by("pk"):
        export = account_export(user=user)
        del export["exported_at"]  # the one value that changes by itself
        for section in ("account", "profile"):
            state[f"{user.username} {section}"] = checksum(export[section])
        for group in ("models", "through"):
            for label, rows in export[group].items():
                state[f"{user.username} {label}"] = checksum(rows)
        # Owned rows the export leaves out (a coach's share names another account): every
        # column, and the many-to-many links, read straight from the tables.
        for model in UNEXPORTED:
            rows = model._default_manager.filter(owner=user).order_by("pk")
            state[f"{user.username} {model._meta.label_lower}"] = checksum(
                [
                    [list(row.values()) for row in rows.values()],
                    *[
                        list(rows.values_list("pk", m2m.name).order_by("pk", m2m.name))
                        for m2m in model._meta.many_to_many
                    ],
                ]
            )
    return state


# Ids in the path (the first version of this test, now with the snapshot)
# ---------------------------------------------------------------------------------------------


def url_patterns(
    patterns: list | None = None, namespace: str = "", *, public: bool = False
) -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern by its full name; with ``public``, the ones reached without a session
    too."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner, public=public)
        elif isinstance(pattern, URLPattern):
            if namespace.startswith("api:") or pattern.name == "api-not-found":
                # The JSON API: token auth, no forms. Its operations are found in its OpenAPI
                # document instead (tests/test_api_ownership.py, tests/test_api_fuzz.py).
                continue
            if not public and getattr(pattern.callback, "login_required", True) is False:
                # Reached without a session (the calendar feed, login, sign-up): its secret in
                # the URL is the key, or there is no account yet, so "the owner's session vs an
                # outsider's" does not apply. Such views carry their own tests.
                continue
            yield f"{namespace}{pattern.name}", pattern


PATTERNS = dict(url_patterns())
ALL_PATTERNS = dict(url_patterns(public=True))


# ---------------------------------------------------------------------------------------------
# Discovery: forms, their id fields, the views that bind them, id parameters in the source
# ---------------------------------------------------------------------------------------------

# Names that say which model an id points at when the name is not the model's own.
ALIASES: dict[str, type[models.Model]] = {
    "template": MessageTemplate,
    "introduced_by": Contact,
    "other": Contact,
    # A lead's formal interview rounds are "rounds" in URLs and on pages.
    "round": FormalInterview,
    "interviewers": Contact,
    "source_contact": Contact,
    "source_conversation": Conversation,
}


def model_named(name: str) -> type[models.Model] | None:
    """``contact``, ``contact_id``, ``learnings``, ``note_ids`` -> the owned model named so."""
    base = re.sub(r"_ids?$", "", name)
    if base in ALIASES:
        return ALIASES[base]
    for candidate in (base, base.removesuffix("s")):
        for model in OWNED_MODELS:
            if model._meta.model_name == candidate.replace("_", ""):
                return model
    return None


def form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for app in pkgutil.iter_modules(coffeechat.__path__):
        module_name = f"coffeechat.{app.name}.forms"
        if not app.ispkg or importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        found += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name
        ]
    return found


def build_form(cls: type[forms.BaseForm], user: User, data: Any = None) -> forms.BaseForm:
    """The form as a view builds it for ``user``: keyword-only arguments the form requires are
    the user (``owner``) or the user's ids of a model (``learning_ids``; none for a user not
    saved, at collection time, when the database is out of reach)."""
    kwargs: dict[str, Any] = {}
    for param in inspect.signature(cls.__init__).parameters.values():
        if param.kind is not param.KEYWORD_ONLY or param.default is not param.empty:
            continue
        model = model_named(param.name)
        if param.name == "owner":
            kwargs["owner"] = user
        elif param.name.endswith("_ids") and model is not None:
            kwargs[param.name] = (
                list(owned(model, user).values_list("pk", flat=True)) if user.pk else []
            )
        else:
            raise AssertionError(f"teach build_form the argument {param.name} of {cls.__name__}")
    if issubclass(cls, forms.ModelForm):
        model = cls._meta.model
        link = next(
            (f.name for f in model._meta.concrete_fields if f.name in ("owner", "user")), None
        )
        kwargs["instance"] = model(**{link: user}) if link else model()
    return cls(data, **kwargs)


def id_field_model(
    cls: type[forms.BaseForm], name: str, field: forms.Field
) -> type[models.Model] | None:
    """The model whose ids ``field`` holds, or None for a field of anything else."""
    if isinstance(field, forms.ModelChoiceField):
        return field.queryset.model  # type: ignore[union-attr]
    if isinstance(field, forms.ChoiceField):
        declared: Any = getattr(cls, "base_fields", {}).get(name)
        if declared is None or not list(declared.choices):
            # Choices filled per request (CiteForm): they come from the database, so they are
            # ids, and the field's name says of what.
            model = model_named(name)
            assert model is not None, f"teach model_named which rows {cls.__name__}.{name} holds"
            return model
    return None


@dataclass(frozen=True)
class IdField:
    form: type[forms.BaseForm]
    name: str
    model: type[models.Model]

    def __str__(self) -> str:
        return f"{self.form.__name__}.{self.name}"


FORMS = form_classes()


def id_fields() -> list[IdField]:
    # Built for a user who does not exist: the querysets are never evaluated here.
    nobody = User(pk=0, username="nobody")
    found = []
    for cls in FORMS:
        form = build_form(cls, nobody)
        for name, field in form.fields.items():
            if (model := id_field_model(cls, name, field)) is not None:
                found.append(IdField(cls, name, model))
    return found


ID_FIELDS = id_fields()


def code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= code_names(const)
    return names


def reached(pattern: URLPattern) -> list[types.FunctionType]:
    """The view's function and every coffeechat function it calls by name, and so on: a
    helper that reads ``request.GET`` or binds a form counts as the view's own code."""
    found: list[types.FunctionType] = []
    pending = [inspect.unwrap(pattern.callback)]
    while pending:
        function = pending.pop()
        if not isinstance(function, types.FunctionType) or function in found:
            continue
        if not function.__module__.startswith("coffeechat."):
            continue
        found.append(function)
        for name in code_names(function.__code__):
            value = function.__globals__.get(name)
            if callable(value) and not inspect.isclass(value):
                pending.append(inspect.unwrap(value))
    return found


def view_source(pattern: URLPattern) -> str:
    return "\n".join(inspect.getsource(function) for function in reached(pattern))


def takes_post(pattern: URLPattern) -> bool:
    source = view_source(pattern)
    return "request.POST" in source or "require_POST" in source


def forms_used(pattern: URLPattern) -> list[type[forms.BaseForm]]:
    used = {
        id(function.__globals__.get(name))
        for function in reached(pattern)
        for name in code_names(function.__code__)
    }
    return [cls for cls in FORMS if id(cls) in used]


# Every (URL, id field) where the URL's view binds the field's form to a POST.
POSTED = [
    (url_name, field)
    for url_name, pattern in PATTERNS.items()
    if takes_post(pattern)
    for cls in forms_used(pattern)
    for field in ID_FIELDS
    if field.form is cls
]

# Query parameters: through the helpers (query_int, query_text), straight from request.GET
# (one value or a list: ``?target=3&target=7``), or through a local alias of it
# (``get = request.GET``, then ``get.get("phase")``).
QUERY_READ = re.compile(
    r"(?:query_(?:int|text)\(\s*request\s*,\s*|request\.GET(?:\.get\(|\.getlist\(|\[)"
    r'|\bget\.get\()\s*"(\w+)"'
)
POST_READ = re.compile(r'request\.POST(?:\.get\(|\[|\.getlist\()\s*"(\w+)"')


def params_read(pattern: URLPattern, reader: re.Pattern[str]) -> list[str]:
    """Every parameter the view reads straight from the request, by name."""
    return sorted(set(reader.findall(view_source(pattern))))


def ids_read(pattern: URLPattern, reader: re.Pattern[str]) -> list[tuple[str, type[models.Model]]]:
    """Parameters read straight from the request whose name is a model's: ``?contact=``."""
    found = {}
    for name in reader.findall(view_source(pattern)):
        if (model := model_named(name)) is not None:
            found[name] = model
    return sorted(found.items())


def query_helpers_resolve() -> None:
    # query_int is the helper for ids in a query string: each name it reads must resolve to a
    # model, or the test would silently skip it.
    for path in SOURCE.rglob("*.py"):
        for name in re.findall(r'query_int\(\s*request\s*,\s*"(\w+)"', path.read_text()):
            assert model_named(name), f"teach model_named which rows ?{name}= holds ({path})"


QUERIED = [
    (url_name, param, model)
    for url_name, pattern in PATTERNS.items()
    for param, model in ids_read(pattern, QUERY_READ)
]
POSTED_RAW = [
    (url_name, param, model)
    for url_name, pattern in PATTERNS.items()
    for param, model in ids_read(pattern, POST_READ)
]


# Bodies: valid for the owner, then with the outsider's id in one field
# ---------------------------------------------------------------------------------------------


def first_choice(field: forms.ChoiceField) -> Any:
    choices: Any = field.choices
    for value, label in choices:
        if isinstance(label, list | tuple):  # an option group
            return first_choice(forms.ChoiceField(choices=label))
        if value not in ("", None):
            return value
    raise AssertionError(f"no choice to pick in {field!r}")


def bounds(field: forms.Field) -> tuple[int | None, int | None]:
    low = high = None
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            low = validator.limit_value
        if isinstance(validator, validators.MaxValueValidator):
            high = validator.limit_value
    return low, high


def plain_value(form: forms.BaseForm, name: str, field: forms.Field) -> Any:
    """A valid value for a field that holds no id. Text is new, so that a saved edit shows."""
    initial = form.get_initial_for_field(field, name)
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.MultipleChoiceField):
        return [first_choice(field)]
    if isinstance(field, forms.ChoiceField):
        return initial if initial not in (None, "") else first_choice(field)
    if isinstance(field, forms.DateTimeField):
        return "2030-01-07T10:00"
    if isinstance(field, forms.DateField):
        return (initial or timezone.localdate()).isoformat()
    if isinstance(field, forms.IntegerField):
        if initial is not None:
            return initial
        low, high = bounds(field)
        return low if low is not None else min(1, high) if high is not None else 1
    if isinstance(field, forms.EmailField):
        return "probe@example.com"
    if isinstance(field, forms.URLField):
        return "https://example.com/probe"
    if isinstance(field, forms.CharField):
        return "Probe text, long enough"[: field.max_length].ljust(field.min_length or 0, "x")
    raise AssertionError(f"teach plain_value a value for {type(field).__name__} {name}")


def is_multiple(field: forms.Field) -> bool:
    return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)


def owners_ids(model: type[models.Model], user: User) -> list[int]:
    return list(owned(model, user).order_by("pk").values_list("pk", flat=True))


def valid_body(
    cls: type[forms.BaseForm], user: User, *, check: bool = True, **swap: object
) -> dict[str, Any]:
    """A body that ``cls`` accepts from ``user``, with ``swap`` (by field name) put in.
    ``check=False`` for a starting point only (the fuzz test changes it anyway)."""
    form = build_form(cls, user)
    body: dict[str, Any] = {}
    taken: dict[type[models.Model], int] = {}
    for name, field in form.fields.items():
        model = id_field_model(cls, name, field)
        if model is None:
            value = plain_value(form, name, field)
        else:
            # Two fields of one model (who knows whom) get two different rows.
            ids = owners_ids(model, user)
            index = taken[model] = taken.get(model, -1) + 1
            value = ids[index % len(ids)]
        if name in swap:
            value = swap[name]
        if is_multiple(field) and not isinstance(value, list):
            value = [value]
        body[form.add_prefix(name)] = value
    if check and not swap:
        form = build_form(cls, user, body)
        assert form.is_valid(), f"teach valid_body: {cls.__name__} {form.errors}"
    return body


def url_for(url_name: str, world: World) -> str:
    ids = world.by_url_kwarg()
    return reverse(url_name, kwargs={k: ids[k] for k in PATTERNS[url_name].pattern.converters})


def theirs(model: type[models.Model], world: World) -> int:
    return owners_ids(model, world.contact.owner)[0]
