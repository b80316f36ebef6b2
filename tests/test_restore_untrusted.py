"""A restore file is untrusted input: each attack that worked once is refused with a sentence
that names the section, row and field, and the database is exactly as it was; anything else a
file may hold is either refused that way or restored into an account whose pages all answer."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import calendar_token_regenerate, user_create
from coffeechat.api.services import token_create
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.portability.schema import model_schema
from coffeechat.portability.selectors import account_export, exported_models
from coffeechat.portability.services import RestoreError, account_restore
from tests.conftest import build_world

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, Any]:
    """Every table's row count, and every account and profile as stored: what a refused
    restore must leave exactly as it was."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    return {
        "counts": counts,
        "users": list(User.objects.order_by("pk").values()),
        "profiles": list(Profile.objects.order_by("pk").values()),
    }


@pytest.fixture
def victim(outsider: User) -> User:
    build_world(outsider)
    calendar_token_regenerate(user=outsider)
    return outsider


@pytest.fixture
def export(owner: User) -> dict[str, Any]:
    build_world(owner)
    return json.loads(json.dumps(account_export(user=owner)))


_names = itertools.count()


def fresh() -> User:
    return user_create(username=f"restorer{next(_names)}", password="x" * 12)


def refused(data: Any, match: str) -> str:
    """Restores ``data`` into a new account, expecting a refusal that says ``match``, with
    nothing written anywhere."""
    user = fresh()
    before = snapshot()
    with pytest.raises(RestoreError) as error:
        account_restore(user=user, data=data)
    assert match in str(error.value), str(error.value)
    assert snapshot() == before
    return str(error.value)


def test_a_crafted_profile_cannot_take_over_another_users_profile(victim, export) -> None:
    profile = Profile.objects.get(user=victim)
    export["profile"] |= {"id": profile.pk, "user": victim.pk, "calendar_token": "chosen-token"}
    message = refused(export, "profile, field id: not restorable")
    assert message.endswith("(a restore sets only what the settings page edits).")
    assert Profile.objects.get(user=victim).calendar_token == profile.calendar_token


def test_an_older_exports_calendar_token_is_ignored(victim, export) -> None:
    export["profile"] |= {"calendar_token": "chosen-token", "digest_last_on": "2026-01-01"}
    user = fresh()
    account_restore(user=user, data=export)
    assert Profile.objects.get(user=user).calendar_token == ""
    assert Profile.objects.get(user=user).digest_last_on is None
    assert not Profile.objects.filter(calendar_token="chosen-token").exists()


def test_the_export_holds_no_calendar_token(victim) -> None:
    data = account_export(user=victim)
    assert "calendar_token" not in data["profile"] and "digest_last_on" not in data["profile"]
    assert Profile.objects.get(user=victim).calendar_token not in json.dumps(data)


def test_the_through_section_cannot_create_a_superuser(export) -> None:
    export["through"] = {
        "auth.user": [
            {"username": "mallory", "password": "x", "is_superuser": True, "is_staff": True}
        ]
    }
    message = refused(export, "through.auth.user: a restore writes no link rows")
    assert "links travel as lists of ids" in message
    assert not User.objects.filter(is_superuser=True).exists()


def test_the_through_section_cannot_plant_login_failures(export, victim) -> None:
    export["through"] = {
        "axes.accessattempt": [
            {"username": victim.username, "failures_since_start": 99, "ip_address": "10.0.0.1"}
        ]
    }
    refused(export, "through.axes.accessattempt")
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.exists()


def test_a_row_cannot_name_its_owner_or_reach_another_accounts_rows(export, victim) -> None:
    contact = export["models"]["contacts.contact"][0]
    with_owner = copy.deepcopy(export)
    with_owner["models"]["contacts.contact"][0]["owner"] = victim.pk
    refused(
        with_owner, "models.contacts.contact row 1, field owner: not a field of contacts.contact"
    )
    # The victim's contact id, which is not a row of the file: a reference nowhere.
    theirs = Contact.objects.filter(owner=victim).first()
    assert theirs is not None
    pointing = copy.deepcopy(export)
    pointing["models"]["notes.note"][0]["contact"] = theirs.pk
    refused(pointing, "field contact: points at contacts.contact id")
    # Ids in the file name rows of the file only: the restored rows get new ids, and the
    # victim's rows with the same ids are untouched.
    user = fresh()
    account_restore(user=user, data=export)
    restored = set(Contact.objects.filter(owner=user).values_list("pk", flat=True))
    assert restored and not restored & {row["id"] for row in export["models"]["contacts.contact"]}
    assert contact["first_name"] in {c.first_name for c in Contact.objects.filter(owner=user)}


def _set(data: dict[str, Any], label: str, field: str, value: Any, row: int = 0) -> None:
    data["models"][label][row][field] = value


MALFORMED: dict[str, tuple[Any, str]] = {
    "a list where a row belongs": (
        lambda d: d["models"]["contacts.contact"].__setitem__(0, [1, 2, 3]),
        "models.contacts.contact row 1: not an object of fields.",
    ),
    "a list where a name belongs": (
        lambda d: _set(d, "contacts.contact", "first_name", [1, 2, 3]),
        "models.contacts.contact row 1, field first_name: not text ([1, 2, 3]).",
    ),
    "a list where the models belong": (
        lambda d: d.__setitem__("models", [1, 2, 3]),
        "models: not an object of named parts.",
    ),
    "a bad date": (
        lambda d: _set(d, "followups.followup", "due_on", "2026-02-30"),
        "models.followups.followup row 1, field due_on: not a date in the form 2026-03-11",
    ),
    "a date before 1900": (
        lambda d: _set(d, "followups.followup", "due_on", "0001-01-01"),
        "field due_on: the year 1 is outside 1900 to 2200.",
    ),
    "a time after 2200": (
        lambda d: _set(d, "conversations.conversation", "starts_at", "9999-12-31T23:59:00-12:00"),
        "field starts_at: the year 9999 is outside 1900 to 2200.",
    ),
    "a missing id": (
        lambda d: d["models"]["contacts.contact"][1].pop("id"),
        "models.contacts.contact row 2: no id.",
    ),
    "a duplicate id": (
        lambda d: _set(
            d, "contacts.contact", "id", d["models"]["contacts.contact"][0]["id"], row=1
        ),
        "models.contacts.contact row 2, field id: ",
    ),
    "an id that is not a number": (
        lambda d: _set(d, "contacts.contact", "id", "7"),
        "models.contacts.contact row 1, field id: not a whole number ('7').",
    ),
    "an unknown label": (
        lambda d: d["models"].__setitem__("auth.user", []),
        "This export holds kinds of data this coffeechat lacks: auth.user.",
    ),
    "an unknown status": (
        lambda d: _set(d, "conversations.conversation", "status", "pwned"),
        "models.conversations.conversation row 1, field status: 'pwned' is not one of",
    ),
    "a 100,000-character first name": (
        lambda d: _set(d, "contacts.contact", "first_name", "A" * 100_000),
        "models.contacts.contact row 1, field first_name: longer than 100 characters (100,000).",
    ),
    "a NUL character": (
        lambda d: _set(d, "notes.note", "text", "bad\x00text"),
        "models.notes.note row 1, field text: holds a NUL character",
    ),
    "a lone surrogate": (
        lambda d: _set(d, "notes.note", "text", "bad\ud800text"),
        "field text: holds a character that is not valid Unicode text",
    ),
    "a reference to a row not in the file": (
        lambda d: _set(d, "notes.note", "contact", 987654321),
        "models.notes.note row 1, field contact: points at contacts.contact id 987654321, "
        "which is not in the file.",
    ),
    "a tag list naming a missing tag": (
        lambda d: _set(d, "contacts.contact", "tags", [987654321], row=1),
        "field tags: points at contacts.tag id 987654321",
    ),
    "a number out of range": (
        lambda d: _set(d, "conversations.conversation", "planned_minutes", 10**30),
        "field planned_minutes: 1000000000000000000000000000000 is outside 20 to 60.",
    ),
    "a boolean where a number belongs": (
        lambda d: _set(d, "targets.target", "motivation", True),
        "field motivation: not a whole number (True).",
    ),
    "a time zone that does not exist": (
        lambda d: _set(d, "conversations.conversation", "time_zone", "Not/AZone"),
        "field time_zone: 'Not/AZone' is not a time zone",
    ),
    "a javascript address": (
        lambda d: _set(d, "organizations.organization", "website", "javascript:alert(1)"),
        "field website: Enter a valid URL.",
    ),
    "a link to itself": (
        lambda d: _set(d, "network.knows", "other", d["models"]["network.knows"][0]["contact"]),
        "models.network.knows row 1: breaks the rule knows_not_self.",
    ),
    "one link twice, both ways": (
        lambda d: d["models"]["network.knows"].append(
            d["models"]["network.knows"][0]
            | {
                "id": 987654321,
                "contact": d["models"]["network.knows"][0]["other"],
                "other": d["models"]["network.knows"][0]["contact"],
            }
        ),
        "models.network.knows row 2, fields contact, other: the same as row 1",
    ),
    "two tags of one name": (
        lambda d: d["models"]["contacts.tag"].append(
            d["models"]["contacts.tag"][0] | {"id": 987654321}
        ),
        "models.contacts.tag row 2, field name: the same as row 1",
    ),
    "two organizations of one key": (
        lambda d: d["models"]["organizations.organization"].append(
            d["models"]["organizations.organization"][0]
            | {"id": 987654321, "name": "HALVORSEN BIOLOGICS, INC."}
        ),
        "models.organizations.organization row 2, field key: the same as row 1",
    ),
    "an import summary that is not one": (
        lambda d: _set(d, "imports.importbatch", "summary", {"created": "many"}),
        "field summary: created is not a count.",
    ),
    "an unknown top-level section": (
        lambda d: d.__setitem__("users", []),
        "This export has a section a coffeechat export does not have: users.",
    ),
    "not an object at all": (lambda d: [1, 2, 3], "This is not a coffeechat export"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_file_is_refused_with_a_sentence_and_nothing_written(export, case) -> None:
    mutate, message = MALFORMED[case]
    data = copy.deepcopy(export)
    replaced = mutate(data)
    refused(replaced if case == "not an object at all" else data, message)


def test_the_restore_command_says_why_and_restores_nothing(export, tmp_path) -> None:
    _set(export, "conversations.conversation", "status", "pwned")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    user = fresh()
    with pytest.raises(CommandError, match="field status: 'pwned' is not one of .* Nothing was"):
        call_command("restore", str(path), "--user", user.username)
    assert not Conversation.objects.filter(owner=user).exists()
    path.write_text("[" * 100_000)  # deeper than the JSON reader goes
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(path), "--user", user.username)


def test_every_exported_kind_has_a_declared_schema() -> None:
    for model in exported_models():
        schema = model_schema(model._meta.label_lower)
        assert "id" in schema.allowed and "owner" not in schema.allowed


def test_a_schemeless_linkedin_address_restores_as_https(export) -> None:
    _set(export, "contacts.contact", "linkedin_url", "www.linkedin.com/in/priya")
    user = fresh()
    account_restore(user=user, data=export)
    assert Contact.objects.filter(owner=user, linkedin_url="https://www.linkedin.com/in/priya")


# ---------------------------------------------------------------------------------------------
# Any file: refused with nothing written, or restored into an account whose pages answer
# ---------------------------------------------------------------------------------------------

# URL keywords of the pages worth opening after a restore, and the kind of row each names.
KWARG_KINDS = {
    "contact_id": "contacts.contact",
    "conversation_id": "conversations.conversation",
    "target_id": "targets.target",
    "organization_id": "organizations.organization",
    "batch_id": "imports.importbatch",
}
SKIPPED_PAGES = {"accounts:logout", "accounts:login", "accounts:signup", "accounts:setup"}


def _pages(patterns: list | None = None, namespace: str = "") -> list[tuple[str, list[str]]]:
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _pages(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}"
            # The regex's groups, not the converters: a re_path (the API's catch-all) has
            # arguments but no converters.
            kwargs = list(pattern.pattern.regex.groupindex)
            if name not in SKIPPED_PAGES and all(k in KWARG_KINDS for k in kwargs):
                found.append((name, kwargs))
    return found


PAGES = _pages()


def assert_pages_answer(user: User) -> None:
    """Every page with no object in its address, and every page of one restored object of
    each kind, answers without a server error (405 for POST-only actions)."""
    client = Client(raise_request_exception=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    firsts = {}
    for kwarg, label in KWARG_KINDS.items():
        row = apps.get_model(label)._default_manager.filter(owner=user).order_by("pk").first()
        if row is not None:
            firsts[kwarg] = row.pk
    # The JSON API's reads too, with a token: a restored row must serialize.
    token = {"Authorization": f"Bearer {token_create(owner=user, name='restored')}"}
    for name, kwargs in PAGES:
        if not all(k in firsts for k in kwargs):
            continue
        url = reverse(name, kwargs={k: firsts[k] for k in kwargs})
        status = client.get(url, headers=token if name.startswith("api:") else {}).status_code
        assert status in (200, 302, 405), (name, status)
    for fmt in ("json", "csv", "vcard", "markdown"):
        assert client.get(reverse("portability:export"), {"format": fmt}).status_code == 200


def test_pages_are_discovered() -> None:
    names = {name for name, _ in PAGES}
    assert {"contacts:detail", "conversations:detail", "imports:preview", "dashboard:home"} <= names


def test_a_restored_world_answers_on_every_page(export) -> None:
    user = fresh()
    account_restore(user=user, data=export)
    assert_pages_answer(user)


BAD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "A" * 100_001,
            "nul\x00byte",
            "\ud800",
            "0001-01-01",
            "1899-12-31",
            "2201-01-01",
            "9999-12-31T23:59:59+00:00",
            "2026-02-30",
            "2026-03-11T25:00:00",
            "2200-12-31T23:59:00-12:00",
            "1900-01-01T00:00:00+14:00",
            "pwned",
            "Etc/GMT+12",
            "javascript:alert(1)",
            "https://www.linkedin.com/in/x",
            # Values that may well be right where they land: some files restore.
            "2026-03-11",
            "2026-03-11T14:00:00+00:00",
            "held",
        ]
    ),
    st.sampled_from([0, 1, 3, 30]),
    st.lists(st.integers(min_value=-5, max_value=10**6), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@st.composite
def mutations(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    rows = [
        (label, index) for label, section in data["models"].items() for index in range(len(section))
    ]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                ["value", "value", "value", "drop", "unknown", "duplicate", "reference", "profile"]
            )
        )
        label, index = draw(st.sampled_from(rows))
        row = data["models"][label][index]
        if not isinstance(row, dict):
            continue
        key = draw(st.sampled_from(sorted(row)))
        if kind == "value":
            row[key] = draw(BAD_VALUES)
        elif kind == "drop":
            row.pop(key)
        elif kind == "unknown":
            row[draw(st.sampled_from(["owner", "pk", "is_superuser", "zz"]))] = 1
        elif kind == "duplicate":
            data["models"][label].append(copy.deepcopy(row))
        elif kind == "reference":
            # Another row's id, of this kind or of another: a reference that may or may not
            # be of the right kind.
            other_label, other_index = draw(st.sampled_from(rows))
            other = data["models"][other_label][other_index]
            if isinstance(other, dict) and "id" in other:
                row[key] = other["id"]
        else:
            field = draw(
                st.sampled_from(
                    ["display_name", "stage", "time_zone", "weekly_goal", "country", "digest_hour"]
                )
            )
            data["profile"][field] = draw(BAD_VALUES)
    return data


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_mutated_export_is_refused_cleanly_or_restored_with_pages_that_answer(
    export, data
) -> None:
    mutated = data.draw(mutations(export))
    user = fresh()
    before = snapshot()
    try:
        account_restore(user=user, data=mutated)
    except RestoreError as error:
        event("refused")
        assert str(error).endswith("."), str(error)
        assert snapshot() == before
        return
    event("restored")
    assert_pages_answer(user)
