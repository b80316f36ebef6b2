"""Dates and time zones cannot break an account: one check (core.validators) at every entry
point, and pages that still answer when a bad value was stored before the check existed."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError, IntegrityError, connection, models, transaction
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import calendar_token_regenerate
from coffeechat.calendar import ics
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.core.validators import DateRangeValidator, validate_time_zone
from coffeechat.followups.models import FollowUp
from coffeechat.interview.models import QuestionNote
from coffeechat.outreach.business_days import add_business_days
from coffeechat.outreach.selectors import add_months
from tests.conftest import World
from tests.discovery import FORMS, build_form, snapshot, valid_body

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"


def _typed(field: forms.Field, day: dt.date) -> str:
    if isinstance(field, forms.DateTimeField):
        return f"{day.isoformat()}T10:00"
    return day.isoformat()


DATE_FIELDS = [
    (cls, name)
    for cls in FORMS
    for name, field in build_form(cls, User(pk=0, username="nobody")).fields.items()
    if isinstance(field, forms.DateField | forms.DateTimeField)
]
ZONE_FIELDS = [
    (cls, name)
    for cls in FORMS
    for name in build_form(cls, User(pk=0, username="nobody")).fields
    if name == "time_zone"
]


def test_the_forms_with_dates_and_zones_are_discovered() -> None:
    found = {f"{cls.__name__}.{name}" for cls, name in DATE_FIELDS + ZONE_FIELDS}
    assert {
        "ConversationForm.starts_local",
        "TransitionForm.starts_local",
        "FollowUpForm.due_on",
        "ShadowingForm.on_date",
        "DraftForm.sent_on",
        "ReplyForm.replied_on",
        "ContactForm.last_interaction",
        "ActionItemForm.due_on",
        "ProfileForm.time_zone",
        "AccountCreateForm.time_zone",
        "ConversationForm.time_zone",
    } <= found


@pytest.mark.parametrize(
    ("cls", "name"), DATE_FIELDS, ids=[f"{c.__name__}.{n}" for c, n in DATE_FIELDS]
)
def test_every_date_in_every_form_is_refused_outside_1900_to_2200(
    cls: type[forms.BaseForm], name: str, world: World, owner: User
) -> None:
    field = build_form(cls, owner).fields[name]
    for day in (
        dt.date(1, 1, 1),
        dt.date(1899, 12, 31),
        dt.date(2201, 1, 1),
        dt.date(9999, 12, 31),
    ):
        form = build_form(cls, owner, valid_body(cls, owner, **{name: _typed(field, day)}))
        assert not form.is_valid() and name in form.errors, f"{cls.__name__}.{name} took {day}"
    for day in (dt.date(1900, 1, 1), dt.date(2200, 12, 30)):
        form = build_form(cls, owner, valid_body(cls, owner, **{name: _typed(field, day)}))
        assert name not in form.errors, f"{cls.__name__}.{name} refused {day}: {form.errors}"


@pytest.mark.parametrize(
    ("cls", "name"), ZONE_FIELDS, ids=[f"{c.__name__}.{n}" for c, n in ZONE_FIELDS]
)
def test_every_time_zone_in_every_form_is_refused_unless_the_server_knows_it(
    cls: type[forms.BaseForm], name: str, world: World, owner: User
) -> None:
    for zone in ("Not/AZone", "../../etc/passwd", "UTC\x00", "Europe/Atlantis", ""):
        form = build_form(cls, owner, valid_body(cls, owner, **{name: zone}))
        if zone == "" and not form.fields[name].required:
            continue
        assert not form.is_valid() and name in form.errors, f"{cls.__name__} took {zone!r}"


def test_every_date_column_and_zone_column_checks_its_value_in_full_clean() -> None:
    missing = []
    for model in apps.get_app_config("core").apps.get_models():
        if not model.__module__.startswith("coffeechat."):
            continue
        for field in model._meta.concrete_fields:
            # Stamped by the database or by code alone: nobody types them.
            if not field.editable:
                continue
            if isinstance(field, models.DateField):
                if not any(isinstance(v, DateRangeValidator) for v in field.validators):
                    missing.append(f"{model._meta.label}.{field.name}")
            if field.name == "time_zone" and validate_time_zone not in field.validators:
                missing.append(f"{model._meta.label}.{field.name}")
    assert not missing


def _edit_body(world: World, **changes: str) -> dict[str, Any]:
    return {
        "contact": world.contact.pk,
        "targets": [world.target.pk],
        "starts_local": "2030-01-07T10:00",
        "time_zone": "Europe/Paris",
        "planned_minutes": 30,
        "medium": "video",
        "place": "",
        "notes": "",
    } | changes


def test_a_conversation_at_9999_12_31_in_etc_gmt_plus_12_is_refused_and_nothing_stored(
    world: World, owner_client: Client
) -> None:
    url = reverse("conversations:edit", args=[world.conversation.pk])
    before = snapshot()
    response = owner_client.post(
        url, _edit_body(world, starts_local="9999-12-31T23:59", time_zone="Etc/GMT+12")
    )
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()
    assert snapshot() == before
    # Inside the years as typed, but not once in UTC: refused too.
    response = owner_client.post(
        url, _edit_body(world, starts_local="2200-12-31T23:00", time_zone="Etc/GMT+12")
    )
    assert "between the years 1900 and 2200" in response.content.decode()
    assert snapshot() == before
    assert owner_client.get(reverse("conversations:board")).status_code == 200


def test_scheduling_at_an_out_of_range_time_is_refused_with_a_message(
    world: World, owner_client: Client
) -> None:
    url = reverse("conversations:transition", args=[world.conversation.pk])
    response = owner_client.post(
        url,
        {"to": "scheduled", "starts_local": "0001-01-01T00:00", "time_zone": "Etc/GMT-14"},
        follow=True,
    )
    assert "between the years 1900 and 2200" in response.content.decode()
    world.conversation.refresh_from_db()
    assert world.conversation.status == Status.IDEA and world.conversation.starts_at is None


def test_the_database_itself_refuses_a_start_outside_1900_to_2200(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.filter(pk=world.conversation.pk).update(
            starts_at=dt.datetime(2201, 1, 1, tzinfo=dt.UTC)
        )


def _without_the_check() -> None:
    with connection.cursor() as cursor:
        # The world's rows wait on deferred foreign-key checks, which block an ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE conversations_conversation DROP CONSTRAINT conv_starts_at_in_range"
        )


@pytest.mark.skipif(not ON_POSTGRES, reason="only PostgreSQL keeps a year Python cannot read")
def test_a_start_stored_as_year_10000_is_forgotten_by_the_migration_then_every_page_answers(
    world: World, owner: User, owner_client: Client
) -> None:
    # The state of an account before this fix: PostgreSQL kept 9999-12-31 23:59 Etc/GMT+12.
    _without_the_check()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE conversations_conversation SET starts_at = %s, status = 'scheduled' "
            "WHERE id = %s",
            ["10000-01-01 11:59:00+00", world.conversation.pk],
        )
    with pytest.raises(DataError), transaction.atomic():
        list(Conversation.objects.filter(pk=world.conversation.pk))

    migration = importlib.import_module("coffeechat.conversations.migrations.0008_dates_in_range")
    migration.forget_dates_out_of_range(apps, None)

    conversation = Conversation.objects.get(pk=world.conversation.pk)
    assert conversation.starts_at is None
    for url in (
        reverse("conversations:board"),
        reverse("conversations:board") + "?status=scheduled",
        reverse("conversations:detail", args=[conversation.pk]),
        reverse("conversations:delete", args=[conversation.pk]),
        reverse("portability:export"),
        reverse("dashboard:home"),
    ):
        assert owner_client.get(url).status_code == 200, url
    assert (
        owner_client.post(reverse("conversations:delete", args=[conversation.pk])).status_code
        == 302
    )


def test_the_migration_forgets_starts_outside_the_years_on_either_database(world: World) -> None:
    if ON_POSTGRES:
        _without_the_check()
        value = "9999-12-31 23:59:00+00"
    else:
        # SQLite cannot drop a check in place; this row is written around Django and the
        # check, as an older version without either left it.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        value = "9999-12-31 23:59:00"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE conversations_conversation SET starts_at = %s WHERE id = %s",
            [value, world.conversation.pk],
        )
    migration = importlib.import_module("coffeechat.conversations.migrations.0008_dates_in_range")
    migration.forget_dates_out_of_range(apps, None)
    if not ON_POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    assert Conversation.objects.get(pk=world.conversation.pk).starts_at is None


def test_createuser_refuses_an_unknown_time_zone_and_creates_nobody(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough secret\n"))
    with pytest.raises(CommandError, match="not a time zone"):
        call_command("createuser", "maya", "--password-stdin", "--time-zone", "Not/AZone")
    assert not User.objects.filter(username="maya").exists()


def test_an_account_with_an_unknown_stored_zone_sees_utc_and_a_notice_on_every_page(
    world: World, owner: User, owner_client: Client
) -> None:
    Profile.objects.filter(user=owner).update(time_zone="Not/AZone")
    for name in ("dashboard:home", "accounts:settings", "conversations:board", "contacts:list"):
        response = owner_client.get(reverse(name))
        assert response.status_code == 200, name
        assert "is not one this server knows, so times show in UTC" in response.content.decode()
    # Choosing a zone on the settings page ends it.
    body = valid_body(
        __import__("coffeechat.accounts.forms", fromlist=["ProfileForm"]).ProfileForm,
        owner,
        time_zone="Europe/Paris",
    )
    assert owner_client.post(reverse("accounts:settings"), body).status_code == 302
    assert "times show in UTC" not in owner_client.get(reverse("dashboard:home")).content.decode()


def test_a_conversation_with_an_unknown_stored_zone_shows_utc_and_says_so(
    world: World, owner_client: Client
) -> None:
    Conversation.objects.filter(pk=world.conversation.pk).update(
        time_zone="Not/AZone", starts_at=dt.datetime(2030, 1, 7, 10, tzinfo=dt.UTC)
    )
    response = owner_client.get(reverse("conversations:detail", args=[world.conversation.pk]))
    assert response.status_code == 200
    assert (
        "UTC: its time zone “Not/AZone” is not one this server knows" in response.content.decode()
    )
    assert (
        owner_client.get(
            reverse("calendar:conversation_ics", args=[world.conversation.pk])
        ).status_code
        == 200
    )


def test_the_calendar_feed_leaves_out_year_1_and_9999_events_instead_of_failing(
    world: World, owner: User
) -> None:
    edge = [
        Conversation(
            pk=90 + i,
            owner=owner,
            contact=world.contact,
            status=Status.SCHEDULED,
            starts_at=starts_at,
            time_zone=zone,
        )
        for i, (starts_at, zone) in enumerate(
            [
                (dt.datetime(1, 1, 1, tzinfo=dt.UTC), "Etc/GMT+12"),
                (dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC), "Etc/GMT-14"),
                (dt.datetime(2030, 1, 7, 10, tzinfo=dt.UTC), "Europe/Paris"),
            ]
        )
    ]
    late = FollowUp(pk=99, owner=owner, due_on=dt.date(9999, 12, 31), what="Far away")
    calendar = Calendar.from_ical(ics.feed_ics(conversations=edge, followups=[late]))
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [ics.conversation_uid(edge[2])]


def test_the_feed_answers_with_a_follow_up_due_on_the_last_day_of_the_calendar(
    world: World, owner: User
) -> None:
    FollowUp.objects.filter(pk=world.followup.pk).update(due_on=dt.date(9999, 12, 31))
    token = calendar_token_regenerate(user=owner).calendar_token
    response = Client().get(reverse("calendar:feed", args=[token]))
    assert response.status_code == 200


def test_a_contact_name_with_line_breaks_gives_a_calendar_file_that_parses(
    world: World, owner_client: Client
) -> None:
    Contact.objects.filter(pk=world.contact.pk).update(
        first_name="Priya\r\nX-INJECTED:1", last_name="Ra\nman\x07"
    )
    Conversation.objects.filter(pk=world.conversation.pk).update(
        status=Status.SCHEDULED,
        starts_at=dt.datetime(2030, 1, 7, 10, tzinfo=dt.UTC),
        place="Café\rroom 2",
    )
    response = owner_client.get(reverse("calendar:conversation_ics", args=[world.conversation.pk]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]).startswith("Informational interview: Priya\nX-INJECTED:1 Ra\nman")
    assert "X-INJECTED" not in calendar and "X-INJECTED" not in event
    # An X- property reads back as raw text, still escaped: no line of its own.
    assert str(calendar["x-wr-calname"]).startswith("Conversation with Priya\\nX-INJECTED:1")
    assert b"\nX-INJECTED" not in response.content
    assert str(event["location"]) == "Café\nroom 2"


def test_a_draft_sent_on_9999_12_31_is_refused_and_business_days_stop_at_the_calendars_end(
    world: World, owner_client: Client
) -> None:
    before = snapshot()
    response = owner_client.post(
        reverse("outreach:draft", args=[world.conversation.pk]),
        {
            "kind": "request_email",
            "subject": "",
            "body": "Hello?",
            "channel": "email",
            "sent_on": "9999-12-31",
        },
    )
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()
    assert snapshot() == before
    assert add_business_days(dt.date(9999, 12, 30), 7, country="US") == dt.date.max
    assert add_months(dt.date(9999, 12, 31), 4) == dt.date.max


def test_keep_in_touch_answers_with_a_last_interaction_on_the_last_day_of_the_calendar(
    world: World, owner_client: Client
) -> None:
    Conversation.objects.filter(pk=world.conversation.pk).update(status=Status.HELD)
    Contact.objects.filter(pk=world.contact.pk).update(last_interaction=dt.date(9999, 12, 31))
    assert owner_client.get(reverse("outreach:keep_in_touch")).status_code == 200
    assert owner_client.get(reverse("dashboard:home")).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/contacts/?q=%00",
        "/organizations/?q=%00",
        "/questions/?q=%00",
        "/search/?q=%00",
        "/contacts/pick/?q=%00",
    ],
)
def test_a_nul_in_a_search_answers_the_page(url: str, world: World, owner_client: Client) -> None:
    assert owner_client.get(url).status_code == 200


def test_a_tag_id_beyond_64_bits_lists_nothing_instead_of_failing(
    world: World, owner_client: Client
) -> None:
    response = owner_client.get("/contacts/?tag=99999999999999999999999")
    assert response.status_code == 200
    assert world.contact.last_name in response.content.decode()  # the filter is ignored


def test_an_unknown_state_on_the_question_mark_is_answered_and_changes_nothing(
    world: World, owner_client: Client
) -> None:
    url = reverse("interview:mark", args=[world.conversation.pk, world.question.pk])
    before = snapshot()
    response = owner_client.post(url, {"state": "pwned"}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "asked or skipped" in response.content.decode()
    response = owner_client.post(url, {"state": "pwned"}, follow=True)
    assert response.status_code == 200
    assert "Nothing changed" in response.content.decode()
    assert snapshot() == before
    assert not QuestionNote.objects.exists()
