"""A 500 is a bug: generated values in every form and query parameter of every URL.

The URLs, the forms each view binds, and the parameters each view reads from the request are
discovered (tests/discovery.py, shared with the ownership test), so a new page is fuzzed as
soon as it exists. Each example starts from a body the form accepts and puts generated values
(empty, huge, negative, NUL, lone surrogates, right-to-left marks, emoji, out-of-range dates,
unknown time zones, ids beyond 64 bits...) in a few of its fields, or in the query string.

Every answer must be below 500. An answer that refuses (4xx, the form again with its errors,
or an error message) must leave every owned table as it was (the ownership test's snapshot).

Bounded for ``make test`` (the suite runs once per database on a 2-core machine): a few
examples per URL and form. COFFEECHAT_FUZZ_EXAMPLES raises it for a deeper run by hand.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib import messages
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.accounts.services import calendar_token_regenerate
from tests.conftest import World
from tests.discovery import (
    ALL_PATTERNS,
    POST_READ,
    QUERY_READ,
    forms_used,
    params_read,
    snapshot,
    takes_post,
    valid_body,
)

EXAMPLES = int(os.environ.get("COFFEECHAT_FUZZ_EXAMPLES", "6"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # The world is built once per test and shared by its examples, on purpose: the snapshot
    # is taken again after every accepted change.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values known to have broken something somewhere, each for a reason.
EDGES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t",
    "a\r\nb",
    "\r",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "²",
    "١٢",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999",
    "0001-01-01",
    "1899-12-31",
    "2201-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2200-12-31T23:59",
    "Not/AZone",
    "Etc/GMT+12",
    "Etc/GMT-14",
    "../../../../etc/passwd",
    "UTC\x00",
    "localtime",
    "javascript:alert(1)",
    "https://example.com/\r\nX-Evil: 1",
    '=HYPERLINK("https://example.com")',
    "+1",
    "@SUM(A1)",
    "\u202egnp.exe",
    "👩\u200d💻",
    "\ufeff",
    "\u0301",
    "\ud800",
    "\udfff",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}",
    "%s%n",
    "' OR 1=1 --",
]
TEXT = st.text(st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr)), max_size=40)
HUGE = st.builds(
    lambda c, n: c * n, st.sampled_from(["x", "9", "é", "👩", "\x00"]), st.integers(300, 20_000)
)
VALUES = st.one_of(
    st.sampled_from(EDGES),
    TEXT,
    st.integers(-(2**80), 2**80).map(str),
    HUGE,
)


def _encode(pairs: list[tuple[str, Any]]) -> str:
    """A urlencoded body or query as a browser or a script sends it; a lone surrogate goes as
    the bytes that would encode it (invalid UTF-8), which the test client alone cannot send."""
    items = []
    for key, value in pairs:
        values = value if isinstance(value, list) else [value]
        for one in values:
            raw = str(one).encode("utf-8", "surrogatepass")
            items.append(f"{quote(key)}={quote(raw)}")
    return "&".join(items)


def _refused(response: Any) -> bool:
    if response.status_code >= 400:
        return True
    if response.status_code == 200 and b'class="errorlist' in response.content:
        return True
    # Only the messages this request added: earlier ones wait in the session, unread, since
    # redirects are not followed.
    added = getattr(messages.get_messages(response.wsgi_request), "_queued_messages", [])
    return any(m.level >= messages.ERROR for m in added)


def _path(url_name: str, world: World, token: str) -> str:
    ids = world.by_url_kwarg() | {"token": token}
    converters = ALL_PATTERNS[url_name].pattern.converters
    return reverse(url_name, kwargs={name: ids[name] for name in converters})


class Checker:
    """Sends requests and checks each answer: below 500, and nothing written on a refusal."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.state = snapshot()

    def check(self, response: Any, what: str) -> None:
        assert response.status_code < 500, f"{what} answered {response.status_code}"
        now = snapshot()
        if _refused(response):
            changed = {k for k in now if now.get(k) != self.state.get(k)}
            assert not changed, f"{what} was refused ({response.status_code}) but wrote {changed}"
        self.state = now


# Pages that read their input through Django's own forms, which live outside coffeechat's
# forms modules: their fields, named here.
DJANGO_FORM_FIELDS = {
    "accounts:login": ["username", "password"],
    "accounts:password_change": ["old_password", "new_password1", "new_password2"],
}
GET_TARGETS = sorted(ALL_PATTERNS)
POST_TARGETS = sorted(
    name
    for name, pattern in ALL_PATTERNS.items()
    if takes_post(pattern) or name in DJANGO_FORM_FIELDS
)


def test_every_url_and_form_is_fuzzed() -> None:
    # Floors, so that a broken discovery cannot pass by finding nothing.
    assert len(GET_TARGETS) >= 100
    assert len(POST_TARGETS) >= 60
    assert {"accounts:settings", "conversations:edit", "outreach:draft", "accounts:login"} <= set(
        POST_TARGETS
    )
    assert "q" in params_read(ALL_PATTERNS["contacts:list"], QUERY_READ)
    assert "state" in params_read(ALL_PATTERNS["interview:mark"], POST_READ)


@pytest.fixture
def token(owner: User) -> str:
    return calendar_token_regenerate(user=owner).calendar_token


@pytest.mark.parametrize("url_name", GET_TARGETS)
@pytest.mark.django_db
def test_no_page_answers_a_server_error_to_generated_query_values(
    url_name: str, world: World, owner_client: Client, token: str
) -> None:
    pattern = ALL_PATTERNS[url_name]
    # Every page may be paged, and an unknown parameter must be ignored.
    names = sorted({*params_read(pattern, QUERY_READ), "page", "unknown"})
    path = _path(url_name, world, token)
    checker = Checker(owner_client)

    @FUZZ
    @given(
        query=st.lists(st.tuples(st.sampled_from(names), VALUES), min_size=1, max_size=3),
        htmx=st.booleans(),
    )
    def run(query: list[tuple[str, str]], htmx: bool) -> None:
        headers = {"HX-Request": "true"} if htmx else {}
        response = owner_client.get(f"{path}?{_encode(query)}", headers=headers)
        checker.check(response, f"GET {path}?{query!r}")

    run()


@pytest.mark.parametrize("url_name", POST_TARGETS)
@pytest.mark.django_db
def test_no_form_answers_a_server_error_to_generated_values(
    url_name: str, world: World, owner: User, owner_client: Client, token: str, settings: Any
) -> None:
    settings.SIGNUP_OPEN = True  # so that the sign-up form is reached, not a 404
    pattern = ALL_PATTERNS[url_name]
    body: dict[str, Any] = {}
    for cls in forms_used(pattern):
        body |= valid_body(cls, owner, check=False)
    for name in [*params_read(pattern, POST_READ), *DJANGO_FORM_FIELDS.get(url_name, [])]:
        body.setdefault(name, "1")
    body.setdefault("unknown", "1")
    path = _path(url_name, world, token)
    checker = Checker(owner_client)

    @FUZZ
    @given(
        changes=st.lists(st.tuples(st.sampled_from(sorted(body)), VALUES), min_size=1, max_size=3),
        dropped=st.sets(st.sampled_from(sorted(body)), max_size=2),
        htmx=st.booleans(),
    )
    def run(changes: list[tuple[str, str]], dropped: set[str], htmx: bool) -> None:
        posted = {k: v for k, v in body.items() if k not in dropped} | dict(changes)
        response = owner_client.post(
            path,
            _encode(list(posted.items())),
            content_type="application/x-www-form-urlencoded",
            headers={"HX-Request": "true"} if htmx else {},
        )
        checker.check(response, f"POST {path} {changes!r} without {sorted(dropped)}")

    run()


OBJECT_TARGETS = sorted(
    (name, kwarg)
    for name, pattern in ALL_PATTERNS.items()
    for kwarg, converter in pattern.pattern.converters.items()
    if type(converter).__name__ == "IntConverter"
)


@pytest.mark.parametrize(("url_name", "kwarg"), OBJECT_TARGETS)
@pytest.mark.django_db
def test_a_number_beyond_64_bits_in_the_path_is_not_found_or_ignored(
    url_name: str, kwarg: str, world: World, owner_client: Client
) -> None:
    ids = world.by_url_kwarg()
    converters = ALL_PATTERNS[url_name].pattern.converters
    for huge in (2**63 - 1, 2**63, 10**23):
        url = reverse(
            url_name, kwargs={k: huge if k == kwarg else ids.get(k, 1) for k in converters}
        )
        if not kwarg.endswith("_id"):
            # A number that names no row (a default checklist item's position): any answer
            # but a server error.
            assert owner_client.get(url).status_code < 500, url
            assert owner_client.post(url).status_code < 500, url
            continue
        before = snapshot()
        # 405 for a POST-only action, whatever its ids.
        assert owner_client.get(url).status_code in (404, 405), url
        assert owner_client.post(url, {"to": "requested"}).status_code == 404, url
        assert snapshot() == before


@pytest.mark.django_db
def test_the_calendar_feed_answers_404_to_any_wrong_token(world: World, token: str) -> None:
    client = Client()

    @FUZZ
    @given(wrong=st.one_of(st.sampled_from(EDGES), TEXT, HUGE))
    def run(wrong: str) -> None:
        wrong = wrong.replace("/", "")
        if not wrong or wrong == token:
            return
        path = "/calendar/feed/" + quote(wrong.encode("utf-8", "surrogatepass")) + ".ics"
        assert client.get(path).status_code == 404, path

    run()
