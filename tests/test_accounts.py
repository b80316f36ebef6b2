from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from coffeechat.accounts.models import Profile
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _owner_form(**overrides: str) -> dict[str, str]:
    data = {
        "username": "maya",
        "display_name": "Maya",
        "email": "maya@example.org",
        "password": "a long enough secret",
        "password_again": "a long enough secret",
        "stage": "career_changer",
        "time_zone": "Europe/Berlin",
    }
    return data | overrides


def test_first_visit_without_users_goes_to_setup() -> None:
    response = Client().get("/contacts/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:setup")


def test_setup_creates_the_owner_with_profile_and_logs_in() -> None:
    client = Client()
    response = client.post(reverse("accounts:setup"), _owner_form())
    assert response.status_code == 302
    user = User.objects.get(username="maya")
    assert user.profile.stage == Profile.Stage.CAREER_CHANGER
    assert user.profile.time_zone == "Europe/Berlin"
    assert user.profile.weekly_goal == 1
    assert client.get("/").status_code == 200


def test_setup_rejects_mismatched_passwords_and_writes_nothing() -> None:
    response = Client().post(
        reverse("accounts:setup"), _owner_form(password_again="different thing")
    )
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    assert not User.objects.exists()


def test_setup_is_closed_once_an_account_exists(owner: User) -> None:
    response = Client().post(reverse("accounts:setup"), _owner_form(username="intruder"))
    assert response.status_code == 302
    assert not User.objects.filter(username="intruder").exists()


def test_signup_is_closed_by_default(owner: User) -> None:
    assert Client().get(reverse("accounts:signup")).status_code == 404


@override_settings(SIGNUP_OPEN=True)
def test_open_signup_creates_a_second_account(owner: User) -> None:
    response = Client().post(reverse("accounts:signup"), _owner_form(username="second"))
    assert response.status_code == 302
    assert User.objects.filter(username="second").exists()


def test_login_and_logout(owner: User) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302


def test_passwords_are_hashed_not_stored(owner: User) -> None:
    assert PASSWORD not in owner.password
    assert owner.check_password(PASSWORD)


def test_login_is_throttled_after_five_failures(owner: User) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "owner", "password": "wrong one"})
    locked = client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # Another user from the same address is not locked out.
    assert (
        "Too many"
        not in client.post(
            reverse("accounts:login"), {"username": "x", "password": "y"}
        ).content.decode()
    )


def test_password_change(owner_client: Client, owner: User) -> None:
    response = owner_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "brand new secret 42",
            "new_password2": "brand new secret 42",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("brand new secret 42")
    # The session survives the change.
    assert owner_client.get("/").status_code == 200


def test_profile_settings_save_and_validate(owner_client: Client, owner: User) -> None:
    bad = owner_client.post(
        reverse("accounts:settings"),
        {"display_name": "O", "stage": "other", "time_zone": "Mars/Olympus", "weekly_goal": 0},
    )
    assert bad.status_code == 200
    owner.profile.refresh_from_db()
    assert owner.profile.time_zone == "UTC"
    good = owner_client.post(
        reverse("accounts:settings"),
        {"display_name": "O", "stage": "other", "time_zone": "Asia/Tokyo", "weekly_goal": 2},
    )
    assert good.status_code == 302
    owner.profile.refresh_from_db()
    assert (owner.profile.time_zone, owner.profile.weekly_goal) == ("Asia/Tokyo", 2)


def test_deleting_the_account_needs_the_username_and_spares_others(
    world, owner_client, outsider
) -> None:
    from coffeechat.contacts.models import Contact
    from tests.conftest import build_world

    build_world(outsider)
    owner_client.post(reverse("accounts:delete_account"), {"confirm_username": "nope"})
    assert User.objects.filter(username="owner").exists()
    owner_client.post(reverse("accounts:delete_account"), {"confirm_username": "owner"})
    assert not User.objects.filter(username="owner").exists()
    assert Contact.objects.filter(owner=outsider).count() == 2
    assert not Contact.objects.exclude(owner=outsider).exists()
