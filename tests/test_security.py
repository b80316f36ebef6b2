from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    "dashboard:home",
    "targets:list",
    "targets:create",
    "contacts:list",
    "contacts:create",
    "conversations:board",
    "conversations:create",
    "followups:list",
    "followups:create",
    "organizations:list",
    "organizations:create",
    "accounts:settings",
    "accounts:password_change",
]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_a_nonce_csp_and_security_headers(
    name: str, world, owner_client: Client
) -> None:
    response = owner_client.get(reverse(name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce, csp
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    html = response.content.decode()
    # Every script tag carries this response's nonce; no inline style attributes.
    for tag in re.findall(r"<script[^>]*>", html):
        assert f'nonce="{nonce.group(1)}"' in tag
    assert " style=" not in html
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_login_page_carries_csp() -> None:
    response = Client().get(reverse("accounts:login"), follow=True)
    assert "Content-Security-Policy" in response


def test_post_without_csrf_token_is_refused(world, owner) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("conversations:transition", args=[world.conversation.pk])
    response = client.post(url, {"to": "requested"})
    assert response.status_code == 403
    world.conversation.refresh_from_db()
    assert world.conversation.status == "idea"


def test_anonymous_visitors_are_sent_to_login(world) -> None:
    response = Client().get(reverse("contacts:detail", args=[world.contact.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_cookies_are_secure_outside_debug(settings) -> None:
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.PASSWORD_HASHERS  # fast hasher in tests; Argon2 otherwise


def test_argon2_is_the_production_hasher() -> None:
    import importlib
    import os

    import coffeechat.settings as settings_module

    os.environ["COFFEECHAT_TESTING"] = "0"
    os.environ["COFFEECHAT_SECRET_KEY"] = "only-for-this-test"
    try:
        reloaded = importlib.reload(settings_module)
        assert reloaded.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    finally:
        os.environ.pop("COFFEECHAT_TESTING")
        os.environ.pop("COFFEECHAT_SECRET_KEY")
        importlib.reload(settings_module)


def test_not_found_page_is_friendly_and_has_csp(owner_client: Client) -> None:
    response = owner_client.get("/contacts/999999/")
    assert response.status_code == 404
    assert "not yours to see" in response.content.decode()
    assert "nonce-" in response["Content-Security-Policy"]


def test_csrf_failure_page_explains_and_changes_nothing(world, owner) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("notes:add_to_contact", args=[world.contact.pk]), {"note-text": "x"}
    )
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert world.contact.note_set.count() == 1
