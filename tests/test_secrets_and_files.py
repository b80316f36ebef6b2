"""Secrets and files: the calendar address dies with the old password, the data folder and
its files are the user's alone, and login throttling holds against password spraying and
behind a proxy."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.services import calendar_token_regenerate, user_create
from tests.conftest import PASSWORD
from tests.test_cli import run, user_env


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db
def test_changing_the_password_retires_the_calendar_address(
    owner: User, owner_client: Client
) -> None:
    old = calendar_token_regenerate(user=owner).calendar_token
    assert Client().get(reverse("calendar:feed", args=[old])).status_code == 200
    response = owner_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another long secret",
            "new_password2": "another long secret",
        },
        follow=True,
    )
    assert "Your calendar feed has a new address too" in response.content.decode()
    owner.profile.refresh_from_db()
    new = owner.profile.calendar_token
    assert new and new != old
    assert Client().get(reverse("calendar:feed", args=[old])).status_code == 404
    assert Client().get(reverse("calendar:feed", args=[new])).status_code == 200


@pytest.mark.django_db
def test_changing_the_password_without_a_calendar_address_makes_none(
    owner: User, owner_client: Client
) -> None:
    owner_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another long secret",
            "new_password2": "another long secret",
        },
    )
    owner.profile.refresh_from_db()
    assert owner.profile.calendar_token == ""


# A process of the app's own, SQLite in the data folder, with a write in flight: the WAL and
# shared-memory files exist only while a connection is open.
HOLD_OPEN = """
import os, django, pathlib
os.environ["DJANGO_SETTINGS_MODULE"] = "coffeechat.settings"
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (x)")
    cursor.execute("INSERT INTO probe VALUES (1)")
folder = pathlib.Path(os.environ["COFFEECHAT_DATA_DIR"])
names = ["", "secret_key"] + ["coffeechat.sqlite3" + end for end in ("", "-wal", "-shm")]
for name in names:
    path = folder / name
    print(name or "folder", oct(path.stat().st_mode & 0o777) if path.exists() else "missing")
"""


def _modes_while_open(data_dir: Path) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-c", HOLD_OPEN],
        capture_output=True,
        text=True,
        env=user_env(data_dir),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return dict(line.split() for line in result.stdout.splitlines())


def test_the_data_folder_is_0700_and_the_database_wal_and_shm_are_0600(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask, which made them 0755 and 0644
    try:
        modes = _modes_while_open(tmp_path / "data")
    finally:
        os.umask(previous)
    assert modes == {
        "folder": "0o700",
        "coffeechat.sqlite3": "0o600",
        "coffeechat.sqlite3-wal": "0o600",
        "coffeechat.sqlite3-shm": "0o600",
        "secret_key": "0o600",
    }


def test_the_files_of_an_older_install_are_made_private_at_start(tmp_path: Path) -> None:
    assert run("migrate", "--verbosity", "0", data_dir=tmp_path).returncode == 0
    for name in ("coffeechat.sqlite3", "secret_key"):
        (tmp_path / name).chmod(0o644)
    tmp_path.chmod(0o755)
    assert run("check", data_dir=tmp_path).returncode == 0
    assert _mode(tmp_path / "coffeechat.sqlite3") == 0o600
    assert _mode(tmp_path / "secret_key") == 0o600
    # A folder the user chose and coffeechat did not create keeps its mode: it may hold
    # other things. Its coffeechat files are private all the same.
    assert _mode(tmp_path) == 0o755


def _login(client: Client, username: str, password: str, **extra: Any) -> int:
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )
    return response.status_code


@pytest.mark.django_db
def test_spraying_15_usernames_with_4_passwords_from_one_address_locks_that_address(
    owner: User,
) -> None:
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    answers = [_login(sprayer, f"user{n}", f"guess {p}") for p in range(4) for n in range(15)]
    assert 429 in answers
    first_lock = answers.index(429)
    assert first_lock <= 20  # the address's limit (COFFEECHAT_LOGIN_ADDRESS_FAILURE_LIMIT)
    # Locked for every username, the right password included...
    assert _login(sprayer, "owner", PASSWORD) == 429
    # ...and only that address.
    assert _login(Client(REMOTE_ADDR="198.51.100.2"), "owner", PASSWORD) == 302


@pytest.mark.django_db
def test_a_few_mistakes_by_different_people_at_one_address_lock_nobody(owner: User) -> None:
    office = Client(REMOTE_ADDR="203.0.113.8")
    user_create(username="colleague", password=PASSWORD)
    for username in ("owner", "colleague", "owner", "colleague"):
        assert _login(office, username, "typo") == 200
    assert _login(office, "owner", PASSWORD) == 302


@pytest.mark.django_db
def test_a_success_clears_only_its_own_usernames_failures(owner: User) -> None:
    """Logging into an account one holds must not restart the count of failures against
    other usernames from the same address."""
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    user_create(username="sprayer", password=PASSWORD)
    for n in range(19):
        _login(sprayer, f"user{n}", "guess")
    assert _login(sprayer, "sprayer", PASSWORD) == 302
    sprayer.logout()
    assert _login(sprayer, "user99", "guess") == 429


@pytest.mark.django_db
def test_x_forwarded_for_is_ignored_without_a_proxy(owner: User) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.10")
    for n in range(25):
        # A new forged address each time: without a proxy, the header is the client's word.
        _login(attacker, f"user{n}", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert _login(attacker, "owner", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9") == 429


@pytest.mark.django_db
def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_saw(
    owner: User, settings: Any
) -> None:
    settings.BEHIND_PROXY = True
    proxy = "192.0.2.1"  # every request arrives from the proxy
    sprayer = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.20")
    for n in range(25):
        _login(sprayer, f"user{n}", "guess")
    # The proxy appends the client's address last; whatever the client put first is ignored.
    assert _login(sprayer, "owner", PASSWORD) == 429
    forged = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.99, 203.0.113.20")
    assert _login(forged, "owner", PASSWORD) == 429
    # Another client behind the same proxy is not locked out with them.
    neighbour = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.30")
    assert _login(neighbour, "owner", PASSWORD) == 302
