"""Passwords (issue 13, item 7): Argon2id at OWASP's cost, older hashes replaced at login.

The other tests hash with MD5 for speed (settings.TESTING); these use the real hashers, the
production list read from the settings module as a server loads it."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

OWASP_PARAMETERS = "m=19456,t=2,p=1"


def production_hashers(data_dir: Path) -> list[str]:
    import coffeechat.settings as settings_module

    values = {
        "COFFEECHAT_TESTING": "0",
        "COFFEECHAT_SECRET_KEY": "only-for-this-test",
        "COFFEECHAT_DATA_DIR": str(data_dir),  # the user's own folder stays untouched
    }
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        return list(importlib.reload(settings_module).PASSWORD_HASHERS)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        importlib.reload(settings_module)


@pytest.fixture
def real_hashers(tmp_path: Path) -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=production_hashers(tmp_path)):
        yield


def log_in(password: str) -> int:
    response = Client().post(reverse("accounts:login"), {"username": "owner", "password": password})
    return response.status_code


@pytest.mark.usefixtures("real_hashers")
def test_new_passwords_are_argon2id_at_owasp_cost() -> None:
    encoded = make_password("a long enough secret")
    assert encoded.startswith(f"argon2$argon2id$v=19${OWASP_PARAMETERS}$")
    assert check_password("a long enough secret", encoded)
    assert not check_password("another secret", encoded)


@pytest.mark.usefixtures("real_hashers")
def test_a_hash_with_djangos_argon2_cost_is_replaced_at_the_next_login(owner: User) -> None:
    django_default = Argon2PasswordHasher()
    old = django_default.encode(PASSWORD, django_default.salt())
    assert "$m=102400,t=2,p=8$" in old
    User.objects.filter(pk=owner.pk).update(password=old)

    assert log_in("not the password") == 200  # the form again
    owner.refresh_from_db()
    assert owner.password == old  # a wrong password changes nothing

    assert log_in(PASSWORD) == 302
    owner.refresh_from_db()
    assert owner.password.startswith(f"argon2$argon2id$v=19${OWASP_PARAMETERS}$")
    assert owner.check_password(PASSWORD)

    upgraded = owner.password
    assert log_in(PASSWORD) == 302
    owner.refresh_from_db()
    assert owner.password == upgraded  # already at the current cost: left alone


@pytest.mark.usefixtures("real_hashers")
def test_checks_from_many_threads_at_once_all_answer() -> None:
    """The server's threads hash through a small pool (accounts/hashers.py)."""
    encoded = make_password("a long enough secret")
    guesses = ["a long enough secret", "wrong"] * 6
    with ThreadPoolExecutor(max_workers=len(guesses)) as threads:
        answers = list(threads.map(lambda guess: check_password(guess, encoded), guesses))
    assert answers == [True, False] * 6
