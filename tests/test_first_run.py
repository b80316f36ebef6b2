"""A new account's first visit: the browser's time zone offered, the first steps, and empty
states that say what to do next."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.middleware import TIME_ZONE_SESSION_KEY
from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import profile_time_zone_confirm, user_create
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.conversations.services import conversation_create
from coffeechat.dashboard import selectors
from coffeechat.outreach.models import DraftKind
from coffeechat.outreach.services import outreach_log
from coffeechat.targets.models import Target

pytestmark = pytest.mark.django_db

HOME = "/"


def _first_steps(html: str) -> str:
    """The first-steps card's HTML, or "" when the dashboard does not show it."""
    found = re.search(r'<section class="card first-steps".*?</section>', html, re.S)
    return found.group(0) if found else ""


def _steps_done(html: str) -> list[str]:
    """The first steps as the screen reader hears them: 'Done' or 'To do', in order."""
    return re.findall(r'<span class="visually-hidden">(Done|To do):</span>', _first_steps(html))


def _empty_states(html: str) -> list[str]:
    return re.findall(r'class="empty[^"]*">(.*?)</(?:li|p|td)>', html, re.S)


# --- First steps --------------------------------------------------------------------------------


def test_a_new_account_sees_first_steps_until_done(owner: User, owner_client: Client) -> None:
    page = owner_client.get(HOME).content.decode()
    assert "0 of 4 done" in _first_steps(page)
    assert _steps_done(page) == ["To do"] * 4

    saved = owner_client.post(
        reverse("accounts:settings"),
        {"display_name": "O", "stage": "career_changer", "time_zone": "UTC", "weekly_goal": 2},
    )
    assert saved.status_code == 302
    owner.profile.refresh_from_db()
    assert owner.profile.settings_saved
    assert _steps_done(owner_client.get(HOME).content.decode()) == ["Done"] + ["To do"] * 3

    for name in ("Pharmaceutical sales", "Medical devices"):
        Target.objects.create(owner=owner, name=name)
    page = owner_client.get(HOME).content.decode()
    assert "(2 of 3)" in _first_steps(page)
    assert _steps_done(page)[1] == "To do"
    Target.objects.create(owner=owner, name="Biotech research")
    assert _steps_done(owner_client.get(HOME).content.decode())[:2] == ["Done", "Done"]

    contact = Contact.objects.create(owner=owner, first_name="Priya", last_name="Raman")
    page = owner_client.get(HOME).content.decode()
    assert _steps_done(page) == ["Done", "Done", "Done", "To do"]
    # No idea to draft from yet: the last step starts a conversation first.
    assert f'href="{reverse("conversations:create")}">Draft a first request' in page

    idea = conversation_create(owner=owner, contact=contact)
    page = owner_client.get(HOME).content.decode()
    draft = reverse("outreach:draft", args=[idea.pk])
    assert f'href="{draft}?kind=request_email">Draft a first request' in page

    outreach_log(
        conversation=idea,
        kind=DraftKind.REQUEST_EMAIL,
        channel="email",
        sent_on=timezone.localdate(),
        body="Would you have 20 minutes to tell me about your work?",
    )
    # Every step done: the checklist goes by itself.
    assert _first_steps(owner_client.get(HOME).content.decode()) == ""


def test_first_steps_can_be_hidden_for_good(owner: User, owner_client: Client) -> None:
    url = reverse("dashboard:first_steps_dismiss")
    assert owner_client.get(url).status_code == 405
    response = owner_client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:home")
    owner.profile.refresh_from_db()
    assert owner.profile.first_steps_dismissed
    assert _first_steps(owner_client.get(HOME).content.decode()) == ""


def test_hiding_first_steps_is_keyboard_reachable_and_labelled(owner_client: Client) -> None:
    card = _first_steps(owner_client.get(HOME).content.decode())
    assert 'aria-labelledby="first-steps-heading"' in card
    assert '<button type="submit" class="btn-small btn-quiet">Hide first steps</button>' in card


def test_first_steps_are_read_in_one_query(world, owner: User) -> None:
    profile = Profile.objects.get(user=owner)
    with CaptureQueriesContext(connection) as queries:
        start = selectors.account_start(user=owner, profile=profile)
    assert len(queries) == 1
    assert start.targets == 1 and start.has_contacts and start.has_conversations
    assert start.has_request and not start.has_held
    assert start.idea_id == world.conversation.pk


def test_the_demo_account_opens_on_its_week_not_on_first_steps() -> None:
    call_command("demo", stdout=io.StringIO())
    client = Client()
    client.force_login(User.objects.get(username="demo"))
    page = client.get(HOME).content.decode()
    assert _first_steps(page) == ""
    # Maya's zone was chosen for her: the browser's is not offered instead.
    assert "data-tz-suggest" not in page


def test_accounts_from_before_first_steps_are_not_asked_again() -> None:
    """The migration settles profiles that existed before the prompts."""
    chosen = user_create(username="kim", password="x" * 12, time_zone="Asia/Tokyo")
    never = user_create(username="lee", password="x" * 12)
    Profile.objects.update(settings_saved=False, time_zone_confirmed=False)
    migration = importlib.import_module("coffeechat.accounts.migrations.0003_first_run")
    migration.settle_existing_profiles(django_apps, None)
    assert Profile.objects.get(user=chosen).time_zone_confirmed
    assert not Profile.objects.get(user=never).time_zone_confirmed
    assert all(Profile.objects.values_list("settings_saved", flat=True))


# --- Time zone from the browser -----------------------------------------------------------------


def test_a_new_account_is_offered_the_browser_time_zone_until_it_confirms(
    owner: User, owner_client: Client
) -> None:
    page = owner_client.get(HOME)
    html = page.content.decode()
    # Rendered hidden; the script fills in the browser's zone and shows it.
    assert '<section class="card tz-suggest" data-tz-suggest data-tz-current="UTC"' in html
    nonce = re.search(r"'nonce-([^']+)'", page["Content-Security-Policy"]).group(1)
    assert f'coffeechat/timezone.js" nonce="{nonce}" defer></script>' in html

    response = owner_client.post(
        reverse("accounts:time_zone_confirm"), {"time_zone": "Europe/Paris"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:home")
    owner.profile.refresh_from_db()
    assert (owner.profile.time_zone, owner.profile.time_zone_confirmed) == ("Europe/Paris", True)
    assert owner_client.session[TIME_ZONE_SESSION_KEY] == "Europe/Paris"
    after = owner_client.get(HOME).content.decode()
    assert "Time zone set to Europe/Paris" in after
    assert "data-tz-suggest" not in after and "timezone.js" not in after


def test_keeping_utc_stops_the_offer(owner: User, owner_client: Client) -> None:
    owner_client.post(reverse("accounts:time_zone_confirm"), {"time_zone": "UTC"})
    owner.profile.refresh_from_db()
    assert (owner.profile.time_zone, owner.profile.time_zone_confirmed) == ("UTC", True)
    page = owner_client.get(HOME).content.decode()
    assert "Keeping UTC" in page and "data-tz-suggest" not in page


def test_a_time_zone_the_server_does_not_know_is_refused_and_changes_nothing(
    owner: User, owner_client: Client
) -> None:
    response = owner_client.post(
        reverse("accounts:time_zone_confirm"), {"time_zone": "Mars/Olympus"}
    )
    assert response["Location"] == reverse("accounts:settings")
    owner.profile.refresh_from_db()
    assert (owner.profile.time_zone, owner.profile.time_zone_confirmed) == ("UTC", False)
    assert (
        "not a time zone coffeechat knows"
        in owner_client.get(response["Location"]).content.decode()
    )
    with pytest.raises(ValidationError):
        profile_time_zone_confirm(user=owner, time_zone="Mars/Olympus")


def test_a_zone_chosen_at_setup_or_in_settings_is_not_asked_again(
    owner: User, owner_client: Client
) -> None:
    assert user_create(
        username="kim", password="x" * 12, time_zone="Asia/Tokyo"
    ).profile.time_zone_confirmed
    owner_client.post(
        reverse("accounts:settings"),
        {"display_name": "O", "stage": "other", "time_zone": "UTC", "weekly_goal": 1},
    )
    owner.profile.refresh_from_db()
    assert owner.profile.time_zone_confirmed
    assert "data-tz-suggest" not in owner_client.get(HOME).content.decode()


# --- Empty states -------------------------------------------------------------------------------


def test_empty_dashboard_does_not_congratulate(owner_client: Client) -> None:
    page = owner_client.get(HOME).content.decode()
    assert "Well done" not in page and "well done" not in page
    empty = " ".join(_empty_states(page))
    assert "No conversation held yet" in empty
    assert f'<a href="{reverse("conversations:create")}">Plan one</a>' in empty


def test_after_every_thank_you_the_dashboard_says_none_are_owed(
    world, owner_client: Client
) -> None:
    world.conversation.status = Status.THANKED
    world.conversation.held_at = timezone.now() - dt.timedelta(days=2)
    world.conversation.thanked_at = timezone.now() - dt.timedelta(days=1)
    world.conversation.save()
    assert not Conversation.objects.filter(status=Status.HELD).exists()
    page = owner_client.get(HOME).content.decode()
    assert "None owed: every conversation held has its thank-you." in page


@pytest.mark.parametrize(
    ("url", "next_step"),
    [
        ("contacts:list", "imports:upload"),
        ("targets:list", "targets:create"),
        ("conversations:board", "conversations:create"),
        ("followups:list", "followups:create"),
        ("organizations:list", "imports:upload"),
        ("network:home", "network:knows_create"),
        ("search:results", "organizations:list"),
        ("fit:compare", "targets:create"),
    ],
)
def test_an_empty_list_says_what_to_do_next_with_a_link(
    owner_client: Client, url: str, next_step: str
) -> None:
    page = owner_client.get(reverse(url)).content.decode()
    if url == "search:results":  # No query yet: a hint instead of an empty result list.
        hint = re.search(r'<p class="subtle search-hint">(.*?)</p>', page, re.S)
        assert hint and f'href="{reverse(next_step)}"' in hint.group(1)
        return
    assert any(f'href="{reverse(next_step)}"' in empty for empty in _empty_states(page)), page


def test_your_own_questions_when_you_have_none_say_how_to_write_one(owner_client: Client) -> None:
    page = owner_client.get(reverse("questions:list"), {"mine": "1"}).content.decode()
    empty = " ".join(_empty_states(page))
    assert "No question of your own yet." in empty
    assert f'href="{reverse("questions:create")}"' in empty


def test_a_filtered_empty_contact_list_says_nothing_matches(world, owner_client: Client) -> None:
    page = owner_client.get(reverse("contacts:list"), {"q": "zzzz"}).content.decode()
    assert "No contacts match." in " ".join(_empty_states(page))
