"""Every URL that names an object answers 404 to anyone but its owner.

The URL patterns are discovered, not listed: a new view with an object in its path is covered
as soon as its keyword is known here, and the test fails until it is.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import World


def _object_patterns(
    patterns: list | None = None, namespace: str = ""
) -> list[tuple[str, list[str]]]:
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _object_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.pattern.converters:
            if getattr(pattern.callback, "login_required", True) is False:
                # Reached without a session (the calendar feed): its secret in the URL is the
                # key, so "the owner's session vs an outsider's" does not apply. Such views
                # carry their own tests (tests/calendar/test_feed.py).
                continue
            found.append((f"{namespace}{pattern.name}", list(pattern.pattern.converters)))
    return found


OBJECT_PATTERNS = _object_patterns()


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
    name, kwargs, world: World, owner_client, outsider_client
) -> None:
    ids = world.by_url_kwarg()
    unknown = [k for k in kwargs if k not in ids]
    assert not unknown, f"{name}: teach tests/conftest.World about {unknown}"
    url = reverse(name, kwargs={k: ids[k] for k in kwargs})

    outsider_get = outsider_client.get(url).status_code
    # POST-only actions answer 405 to any GET, whoever asks: that reveals nothing.
    assert outsider_get == 404 or (outsider_get == 405 and owner_client.get(url).status_code == 405)
    assert (
        outsider_client.post(
            url, {"note-text": "x", "learning-text": "x", "to": "requested", "what": "x"}
        ).status_code
        == 404
    )

    # The owner reaches the same URL: the 404 above is about ownership, not a broken link.
    assert owner_client.get(url).status_code in (200, 405)
    # And the outsider's POST changed nothing.
    world.conversation.refresh_from_db()
    assert world.conversation.status == "idea"
    assert world.contact.note_set.count() == 1
