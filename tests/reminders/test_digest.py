"""The daily digest, sent through a real SMTP server on loopback (aiosmtpd) and read back."""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from email.message import Message
from io import StringIO

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from coffeechat.accounts.services import profile_for
from coffeechat.conversations.models import Status
from coffeechat.conversations.services import conversation_create, conversation_transition
from coffeechat.reminders.mail import digest_send
from coffeechat.reminders.services import digests_enqueue_due
from tests.conftest import World

pytestmark = pytest.mark.django_db

# Wednesday 25 November 2026, 14:00 UTC = 9:00 in New York.
NOON_ISH = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:  # type: ignore[no-untyped-def]
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAIL_CONFIGURED = True
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "coffeechat <reminders@example.org>"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def busy_day(world: World) -> World:
    """Something of every kind due on NOON_ISH's day for the owner, who lives in New York."""
    owner = world.contact.owner
    owner.email = "olivia@example.org"
    owner.save()
    profile = profile_for(owner)
    profile.time_zone = "America/New_York"
    profile.digest_hour = 8
    profile.save()
    world.followup.due_on = dt.date(2026, 11, 24)
    world.followup.save()
    with time_machine.travel(NOON_ISH - dt.timedelta(days=1), tick=False):
        held = conversation_create(owner=owner, contact=world.introducer)
        conversation_transition(
            conversation=held, to=Status.SCHEDULED, starts_at=NOON_ISH - dt.timedelta(days=1)
        )
        conversation_transition(conversation=held, to=Status.HELD)
    conversation_transition(
        conversation=world.conversation,
        to=Status.SCHEDULED,
        starts_at=dt.datetime(2026, 11, 25, 20, 30, tzinfo=dt.UTC),  # 15:30 in New York
        time_zone="America/New_York",
    )
    return world


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_digest_arrives_with_what_is_due(busy_day: World, smtp: Inbox) -> None:
    owner = busy_day.contact.owner
    assert digest_send(user=owner, day=dt.date(2026, 11, 25)) is True
    [message] = smtp.messages
    assert message["To"] == "olivia@example.org"
    assert message["From"] == "coffeechat <reminders@example.org>"
    assert message["Subject"] == "coffeechat: 3 things for Wednesday Nov 25"
    body = _body(message)
    assert "15:30 (America/New_York) Priya Raman, 30 min, video call" in body
    assert "Thank-yous owed" in body and "- Ines Alvarez" in body
    assert "- Send the article (overdue)" in body


def test_no_mail_when_nothing_is_due(world: World, smtp: Inbox) -> None:
    owner = world.contact.owner
    owner.email = "olivia@example.org"
    owner.save()
    assert digest_send(user=owner, day=dt.date(2026, 11, 25)) is False
    assert smtp.messages == []


# The worker closes stale connections between passes, as a long-running process must; inside a
# test's wrapping transaction that would close the test's own connection, so this test commits.
@pytest.mark.django_db(transaction=True)
def test_worker_queues_each_day_once_at_the_users_hour_and_sends(
    busy_day: World, smtp: Inbox
) -> None:
    seven_am_new_york = NOON_ISH - dt.timedelta(hours=2)
    with time_machine.travel(seven_am_new_york, tick=False):
        assert digests_enqueue_due() == 0  # 7:00 local, the hour is 8
    with time_machine.travel(NOON_ISH, tick=False):
        call_command("worker", "--once", stdout=StringIO())
        assert len(smtp.messages) == 1
        # A second pass the same day queues nothing more.
        assert digests_enqueue_due() == 0
        call_command("worker", "--once", stdout=StringIO())
    assert len(smtp.messages) == 1
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL"
    assert profile_for(busy_day.contact.owner).digest_last_on == dt.date(2026, 11, 25)
    with time_machine.travel(NOON_ISH + dt.timedelta(days=1), tick=False):
        assert digests_enqueue_due() == 1


def test_digest_now_command_sends_at_once(busy_day: World, smtp: Inbox) -> None:
    out = StringIO()
    with time_machine.travel(NOON_ISH, tick=False):
        call_command("digest", "--now", "--user", "owner", stdout=out)
    assert "owner: sent to olivia@example.org" in out.getvalue()
    assert len(smtp.messages) == 1


def test_digest_without_a_mail_server_says_what_to_set(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAIL_CONFIGURED = False
    with pytest.raises(CommandError, match="COFFEECHAT_SMTP_HOST"):
        call_command("digest", "--now", stdout=StringIO())
    assert digests_enqueue_due() == 0


def test_the_digest_links_to_the_weekly_review_on_the_review_day_until_done(
    world: World, smtp: Inbox, settings
) -> None:
    from coffeechat.accounts.models import Weekday
    from coffeechat.review.services import review_mark_done

    settings.SITE_URL = "https://coffeechat.example.org"
    owner = world.contact.owner
    owner.email = "olivia@example.org"
    owner.save()
    profile = profile_for(owner)
    profile.review_weekday = Weekday.WEDNESDAY
    profile.save()
    # Nothing else is due on Tuesday 24 or Wednesday 25 November: the review alone sends it,
    # on the review day only.
    world.followup.delete()
    assert digest_send(user=owner, day=dt.date(2026, 11, 24)) is False
    assert digest_send(user=owner, day=dt.date(2026, 11, 25)) is True
    [message] = smtp.messages
    assert message["Subject"] == "coffeechat: 1 thing for Wednesday Nov 25"
    body = _body(message)
    assert "Your weekly review" in body
    assert "- The week of November 23: https://coffeechat.example.org/review/2026-11-23/" in body
    review_mark_done(owner=owner, week=dt.date(2026, 11, 23), reflection="")
    assert digest_send(user=owner, day=dt.date(2026, 11, 25)) is False
    assert len(smtp.messages) == 1
