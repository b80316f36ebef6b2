"""No user reaches another user's rows: not by an id in the path, nor in a form, nor in a query.

Everything here is discovered, not listed, so that a new view, form or query parameter is
covered as soon as it exists:

- URLs with an object in their path, from the URL resolver: an outsider gets 404.
- Every form class of every ``coffeechat.<app>.forms`` module, and in it every field that holds
  the id of a row (a model choice, or a choice filled per request with ids like fit's CiteForm);
  the views that bind that form to a POST, from the names their code uses. The owner posts a
  body that is valid but for one such field, which holds the outsider's id: refused, no write.
- Id-carrying query parameters (``?contact=``), from the views' source: the owner passes the
  outsider's id, and the page neither fails nor shows the outsider's row.

Around every outsider request, a snapshot of every owned table (row counts, and a checksum per
model of every user's JSON export) must not change.
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

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.models import User
from django.core import validators
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import coffeechat
from coffeechat.contacts.models import Contact, Tag
from coffeechat.conversations.models import Learning
from coffeechat.core.access import owned
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization
from coffeechat.outreach.models import MessageTemplate
from coffeechat.portability.selectors import account_export
from coffeechat.targets.models import Target
from tests.conftest import World, build_world

SOURCE = Path(coffeechat.__file__).parent

# ---------------------------------------------------------------------------------------------
# The snapshot: nothing an outsider request does may show up in any owned table
# ---------------------------------------------------------------------------------------------

OWNED_MODELS = [
    model
    for model in apps.get_models()
    if any(field.name == "owner" for field in model._meta.concrete_fields)
]
# Many-to-many rows (a conversation's targets, a fit line's citations) live in tables of their
# own, without an owner column.
COUNTED: list[type[models.Model]] = OWNED_MODELS + [
    m2m.remote_field.through  # type: ignore[misc]
    for model in OWNED_MODELS
    for m2m in model._meta.many_to_many
]


def _checksum(value: object) -> str:
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
            state[f"{user.username} {section}"] = _checksum(export[section])
        for group in ("models", "through"):
            for label, rows in export[group].items():
                state[f"{user.username} {label}"] = _checksum(rows)
    return state


def test_the_snapshot_names_a_changed_row_and_a_new_link(world: World) -> None:
    before = snapshot()

    def changed() -> set[str]:
        now = snapshot()
        return {key for key in now if now[key] != before[key]}

    Contact.objects.filter(pk=world.contact.pk).update(title="Regional liaison")
    assert changed() == {"owner contacts.contact"}
    before = snapshot()
    world.fit_line.notes.add(world.note)  # a row of a many-to-many table alone
    assert changed() == {"rows fit.fitline_notes", "owner fit.fitline"}


# ---------------------------------------------------------------------------------------------
# Ids in the path (the first version of this test, now with the snapshot)
# ---------------------------------------------------------------------------------------------


def _patterns(
    patterns: list | None = None, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if getattr(pattern.callback, "login_required", True) is False:
                # Reached without a session (the calendar feed, login, sign-up): its secret in
                # the URL is the key, or there is no account yet, so "the owner's session vs an
                # outsider's" does not apply. Such views carry their own tests.
                continue
            yield f"{namespace}{pattern.name}", pattern


PATTERNS = dict(_patterns())
OBJECT_PATTERNS = [
    (name, list(pattern.pattern.converters))
    for name, pattern in PATTERNS.items()
    if pattern.pattern.converters
]


def test_object_urls_are_discovered() -> None:
    names = {name for name, _ in OBJECT_PATTERNS}
    # A floor, so that a broken discovery cannot pass by finding nothing.
    assert {
        "contacts:detail",
        "conversations:transition",
        "notes:delete",
        "followups:toggle",
    } <= names
    assert len(OBJECT_PATTERNS) >= 20


@pytest.mark.parametrize(("name", "kwargs"), OBJECT_PATTERNS, ids=[n for n, _ in OBJECT_PATTERNS])
@pytest.mark.django_db
def test_outsider_gets_404_and_changes_nothing(
    name, kwargs, world: World, owner: User, owner_client, outsider_client
) -> None:
    ids = world.by_url_kwarg()
    unknown = [k for k in kwargs if k not in ids]
    assert not unknown, f"{name}: teach tests/conftest.World about {unknown}"
    url = reverse(name, kwargs={k: ids[k] for k in kwargs})

    # The outsider owns nothing here: a row they add shows in the counts, and only the
    # owner's rows can be changed.
    before = snapshot(owner)
    outsider_get = outsider_client.get(url).status_code
    assert snapshot(owner) == before, f"an outsider's GET {url} changed a row"
    # POST-only actions answer 405 to any GET, whoever asks: that reveals nothing.
    assert outsider_get == 404 or (outsider_get == 405 and owner_client.get(url).status_code == 405)
    assert (
        outsider_client.post(
            url, {"note-text": "x", "learning-text": "x", "to": "requested", "what": "x"}
        ).status_code
        == 404
    )
    assert snapshot(owner) == before, f"an outsider's POST {url} changed a row"

    # The owner reaches the same URL: the 404 above is about ownership, not a broken link.
    assert owner_client.get(url).status_code in (200, 405)


# ---------------------------------------------------------------------------------------------
# The outsider's own world, with names that must never show on the owner's pages
# ---------------------------------------------------------------------------------------------

# build_world gives both users the same names ("Priya Raman"); the outsider's rows are renamed
# so that any of them on the owner's page is a leak. Lower case: the check ignores case.
MARK = "zorblaxoutsider"


def _mark(world: World) -> None:
    user = world.contact.owner
    Contact.objects.filter(owner=user).update(last_name=f"{MARK}-contact")
    Organization.objects.filter(owner=user).update(name=f"{MARK}-organization")
    Target.objects.filter(owner=user).update(name=f"{MARK}-target")
    Tag.objects.filter(owner=user).update(name=f"{MARK}-tag")
    MessageTemplate.objects.filter(owner=user).update(name=f"{MARK}-template")
    Learning.objects.filter(owner=user).update(text=f"{MARK}-learning")
    Note.objects.filter(owner=user).update(text=f"{MARK}-note")


@pytest.fixture
def outsider_world(outsider: User) -> World:
    world = build_world(outsider)
    _mark(world)
    return world


def _shows_outsider(response: Any) -> bool:
    return MARK in response.content.decode(errors="replace").lower()


@pytest.mark.django_db
def test_outsider_names_show_on_the_outsiders_own_pages(
    outsider_world: World, outsider_client: Client, owner_client: Client, world: World
) -> None:
    """The leak check below can fail: the marked names are on the outsider's own pages, and
    not on the owner's same pages."""
    for url_name, attribute in (
        ("contacts:detail", "contact"),
        ("targets:detail", "target"),
        ("conversations:detail", "conversation"),
    ):
        outsiders = getattr(outsider_world, attribute).pk
        assert _shows_outsider(outsider_client.get(reverse(url_name, args=[outsiders])))
        owners = getattr(world, attribute).pk
        assert not _shows_outsider(owner_client.get(reverse(url_name, args=[owners])))


# ---------------------------------------------------------------------------------------------
# Discovery: forms, their id fields, the views that bind them, id parameters in the source
# ---------------------------------------------------------------------------------------------

# Names that say which model an id points at when the name is not the model's own.
ALIASES: dict[str, type[models.Model]] = {
    "template": MessageTemplate,
    "introduced_by": Contact,
    "other": Contact,
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


def _form_classes() -> list[type[forms.BaseForm]]:
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


FORMS = _form_classes()


def _id_fields() -> list[IdField]:
    # Built for a user who does not exist: the querysets are never evaluated here.
    nobody = User(pk=0, username="nobody")
    found = []
    for cls in FORMS:
        form = build_form(cls, nobody)
        for name, field in form.fields.items():
            if (model := id_field_model(cls, name, field)) is not None:
                found.append(IdField(cls, name, model))
    return found


ID_FIELDS = _id_fields()


def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _reached(pattern: URLPattern) -> list[types.FunctionType]:
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
        for name in _code_names(function.__code__):
            value = function.__globals__.get(name)
            if callable(value) and not inspect.isclass(value):
                pending.append(inspect.unwrap(value))
    return found


def _view_source(pattern: URLPattern) -> str:
    return "\n".join(inspect.getsource(function) for function in _reached(pattern))


def _takes_post(pattern: URLPattern) -> bool:
    source = _view_source(pattern)
    return "request.POST" in source or "require_POST" in source


def _forms_used(pattern: URLPattern) -> list[type[forms.BaseForm]]:
    used = {
        id(function.__globals__.get(name))
        for function in _reached(pattern)
        for name in _code_names(function.__code__)
    }
    return [cls for cls in FORMS if id(cls) in used]


# Every (URL, id field) where the URL's view binds the field's form to a POST.
POSTED = [
    (url_name, field)
    for url_name, pattern in PATTERNS.items()
    if _takes_post(pattern)
    for cls in _forms_used(pattern)
    for field in ID_FIELDS
    if field.form is cls
]

_QUERY_READ = re.compile(r'(?:query_int\(\s*request\s*,\s*|request\.GET(?:\.get\(|\[))\s*"(\w+)"')
_POST_READ = re.compile(r'request\.POST(?:\.get\(|\[|\.getlist\()\s*"(\w+)"')


def _ids_read(pattern: URLPattern, reader: re.Pattern[str]) -> list[tuple[str, type[models.Model]]]:
    """Parameters read straight from the request whose name is a model's: ``?contact=``."""
    found = {}
    for name in reader.findall(_view_source(pattern)):
        if (model := model_named(name)) is not None:
            found[name] = model
    return sorted(found.items())


def _query_helpers_resolve() -> None:
    # query_int is the helper for ids in a query string: each name it reads must resolve to a
    # model, or the test would silently skip it.
    for path in SOURCE.rglob("*.py"):
        for name in re.findall(r'query_int\(\s*request\s*,\s*"(\w+)"', path.read_text()):
            assert model_named(name), f"teach model_named which rows ?{name}= holds ({path})"


QUERIED = [
    (url_name, param, model)
    for url_name, pattern in PATTERNS.items()
    for param, model in _ids_read(pattern, _QUERY_READ)
]
POSTED_RAW = [
    (url_name, param, model)
    for url_name, pattern in PATTERNS.items()
    for param, model in _ids_read(pattern, _POST_READ)
]


def test_forms_fields_and_parameters_are_discovered() -> None:
    # Floors, so that a broken discovery cannot pass by finding nothing.
    assert len(FORMS) >= 25
    assert {
        "ContactForm.introduced_by",
        "ConversationForm.contact",
        "ConversationForm.targets",
        "FollowUpForm.contact",
        "KnowsForm.contact",
        "KnowsForm.other",
        "CiteForm.learnings",
        "CiteForm.notes",
    } <= {str(f) for f in ID_FIELDS}
    # Every id field is posted somewhere; a form bound outside its view's own code would need
    # teaching here.
    assert {str(f) for f in ID_FIELDS} == {str(f) for _, f in POSTED}
    assert {
        ("conversations:create", "contact"),
        ("conversations:create", "target"),
        ("outreach:draft", "template"),
        ("network:home", "organization"),
        ("network:home", "target"),
        ("followups:create", "contact"),
        ("contacts:list", "organization"),
    } <= {(url, param) for url, param, _ in QUERIED}
    assert ("prep:target_notes", "conversation") in {(url, p) for url, p, _ in POSTED_RAW}
    _query_helpers_resolve()


# ---------------------------------------------------------------------------------------------
# Bodies: valid for the owner, then with the outsider's id in one field
# ---------------------------------------------------------------------------------------------


def _first_choice(field: forms.ChoiceField) -> Any:
    choices: Any = field.choices
    for value, label in choices:
        if isinstance(label, list | tuple):  # an option group
            return _first_choice(forms.ChoiceField(choices=label))
        if value not in ("", None):
            return value
    raise AssertionError(f"no choice to pick in {field!r}")


def _bounds(field: forms.Field) -> tuple[int | None, int | None]:
    low = high = None
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            low = validator.limit_value
        if isinstance(validator, validators.MaxValueValidator):
            high = validator.limit_value
    return low, high


def _plain_value(form: forms.BaseForm, name: str, field: forms.Field) -> Any:
    """A valid value for a field that holds no id. Text is new, so that a saved edit shows."""
    initial = form.get_initial_for_field(field, name)
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.MultipleChoiceField):
        return [_first_choice(field)]
    if isinstance(field, forms.ChoiceField):
        return initial if initial not in (None, "") else _first_choice(field)
    if isinstance(field, forms.DateTimeField):
        return "2030-01-07T10:00"
    if isinstance(field, forms.DateField):
        return (initial or timezone.localdate()).isoformat()
    if isinstance(field, forms.IntegerField):
        if initial is not None:
            return initial
        low, high = _bounds(field)
        return low if low is not None else min(1, high) if high is not None else 1
    if isinstance(field, forms.EmailField):
        return "probe@example.com"
    if isinstance(field, forms.URLField):
        return "https://example.com/probe"
    if isinstance(field, forms.CharField):
        return "Probe text, long enough"[: field.max_length].ljust(field.min_length or 0, "x")
    raise AssertionError(f"teach _plain_value a value for {type(field).__name__} {name}")


def _multiple(field: forms.Field) -> bool:
    return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)


def owners_ids(model: type[models.Model], user: User) -> list[int]:
    return list(owned(model, user).order_by("pk").values_list("pk", flat=True))


def valid_body(cls: type[forms.BaseForm], user: User, **swap: object) -> dict[str, Any]:
    """A body that ``cls`` accepts from ``user``, with ``swap`` (by field name) put in."""
    form = build_form(cls, user)
    body: dict[str, Any] = {}
    taken: dict[type[models.Model], int] = {}
    for name, field in form.fields.items():
        model = id_field_model(cls, name, field)
        if model is None:
            value = _plain_value(form, name, field)
        else:
            # Two fields of one model (who knows whom) get two different rows.
            ids = owners_ids(model, user)
            index = taken[model] = taken.get(model, -1) + 1
            value = ids[index % len(ids)]
        if name in swap:
            value = swap[name]
        if _multiple(field) and not isinstance(value, list):
            value = [value]
        body[form.add_prefix(name)] = value
    if not swap:
        form = build_form(cls, user, body)
        assert form.is_valid(), f"teach valid_body: {cls.__name__} {form.errors}"
    return body


def _url(url_name: str, world: World) -> str:
    ids = world.by_url_kwarg()
    return reverse(url_name, kwargs={k: ids[k] for k in PATTERNS[url_name].pattern.converters})


def theirs(model: type[models.Model], world: World) -> int:
    return owners_ids(model, world.contact.owner)[0]


@pytest.mark.parametrize(("url_name", "field"), POSTED, ids=[f"{u}-{f}" for u, f in POSTED])
@pytest.mark.django_db
def test_a_form_refuses_the_outsiders_id_and_changes_nothing(
    url_name: str,
    field: IdField,
    world: World,
    outsider_world: World,
    owner: User,
    owner_client: Client,
) -> None:
    url = _url(url_name, world)
    before = snapshot()
    response = owner_client.post(
        url,
        valid_body(field.form, owner, **{field.name: theirs(field.model, outsider_world)}),
        follow=True,
    )
    assert response.status_code < 500
    assert not _shows_outsider(response), f"{url} shows the outsider's {field.model.__name__}"
    assert snapshot() == before, f"{url} wrote with the outsider's id in {field}"

    # The same body with the owner's own id is accepted: the refusal above is about the id.
    response = owner_client.post(url, valid_body(field.form, owner))
    assert response.status_code < 400
    assert snapshot() != before, f"{url} refused the owner's own body too: teach valid_body"


@pytest.mark.parametrize(
    ("url_name", "param", "model"), POSTED_RAW, ids=[f"{u}-{p}" for u, p, _ in POSTED_RAW]
)
@pytest.mark.django_db
def test_an_id_posted_beside_a_form_refuses_the_outsiders_and_changes_nothing(
    url_name: str,
    param: str,
    model: type[models.Model],
    world: World,
    outsider_world: World,
    owner: User,
    owner_client: Client,
) -> None:
    url = _url(url_name, world)
    body: dict[str, Any] = {}
    for cls in _forms_used(PATTERNS[url_name]):
        body |= valid_body(cls, owner)
    before = snapshot()
    response = owner_client.post(url, {**body, param: theirs(model, outsider_world)}, follow=True)
    assert response.status_code < 500
    assert not _shows_outsider(response), f"{url} shows the outsider's {model.__name__}"
    assert snapshot() == before, f"{url} wrote with the outsider's id in {param}"

    response = owner_client.post(url, {**body, param: owners_ids(model, owner)[0]})
    assert response.status_code < 400


@pytest.mark.parametrize(
    ("url_name", "param", "model"), QUERIED, ids=[f"{u}-{p}" for u, p, _ in QUERIED]
)
@pytest.mark.django_db
def test_a_page_given_the_outsiders_id_in_its_query_shows_nothing_of_theirs(
    url_name: str,
    param: str,
    model: type[models.Model],
    world: World,
    outsider_world: World,
    owner_client: Client,
) -> None:
    url = f"{_url(url_name, world)}?{param}={theirs(model, outsider_world)}"
    before = snapshot()
    response = owner_client.get(url)
    assert response.status_code < 500
    assert not _shows_outsider(response), f"{url} shows the outsider's {model.__name__}"
    assert snapshot() == before
