"""No token reaches another user's rows. The operations come from the API's own OpenAPI
document, so a new one is covered as soon as it exists: every operation with an id in its
path is tried with the outsider's token on the owner's ids (404, nothing changed), and every
list is read by the outsider (none of the owner's ids)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from coffeechat.api.main import api
from coffeechat.api.services import token_create
from tests.conftest import World, build_world
from tests.discovery import snapshot

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1")
OPERATIONS = [
    (method.upper(), path) for path, operations in SCHEMA["paths"].items() for method in operations
]
WITH_ID = [(method, path) for method, path in OPERATIONS if "{" in path]
LISTS = [path for method, path in OPERATIONS if method == "GET" and "{" not in path]

# A body that passes the schema, so that only ownership can refuse it.
BODIES: dict[str, dict[str, Any]] = {
    "leads/{lead_id}/transition": {"to": "closed"},
    "transition": {"to": "cancelled"},
    "learnings": {"text": "x"},
    "notes/{note_id}": {"text": "x"},
}


def _owned(owner: User) -> dict[str, object]:
    # The outsider's own request count (the rate limit's row) is theirs to change.
    return {k: v for k, v in snapshot(owner).items() if "apiratewindow" not in k}


def test_operations_are_discovered() -> None:
    assert len(WITH_ID) >= 25 and len(LISTS) >= 8
    assert ("POST", "/api/v1/conversations/{conversation_id}/transition") in WITH_ID


@pytest.mark.django_db
def test_the_outsiders_token_gets_404_on_the_owners_ids(
    world: World, owner: User, outsider: User
) -> None:
    # One world for every operation (building it is most of the cost): each request below is
    # refused, so none of them changes what the next one meets.
    build_world(outsider)  # the outsider has rows of every kind too
    ids = world.by_url_kwarg()
    theirs = {"Authorization": f"Bearer {token_create(owner=outsider, name='x')}"}
    mine = {"Authorization": f"Bearer {token_create(owner=owner, name='y')}"}
    problems = []
    # Once around the loop (a snapshot reads the whole account): on a change, run the loop
    # with the check inside to see which request made it.
    before = _owned(owner)
    urls = [
        (method, path, re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path))
        for method, path in WITH_ID
    ]
    for method, path, url in urls:
        body = next((b for key, b in BODIES.items() if path.endswith(key)), {})
        response = Client().generic(
            method, url, json.dumps(body), content_type="application/json", headers=theirs
        )
        if response.status_code != 404:
            problems.append(f"{method} {url}: {response.status_code} for the outsider")
    assert _owned(owner) == before, "an outsider's request changed the owner's rows"
    # The owner's token reaches them: the 404 is about ownership, not a broken path. After the
    # snapshot: the owner's own requests stamp their token's last use.
    for method, _path, url in urls:
        if method == "GET" and Client().get(url, headers=mine).status_code != 200:
            problems.append(f"{method} {url}: the owner does not reach it")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_lists_never_include_another_users_rows(world: World, owner: User, outsider: User) -> None:
    build_world(outsider)
    owners = {value for value in world.by_url_kwarg().values() if isinstance(value, int)}
    theirs = {"Authorization": f"Bearer {token_create(owner=outsider, name='x')}"}
    mine = {"Authorization": f"Bearer {token_create(owner=owner, name='y')}"}
    for path in LISTS:
        their_page = Client().get(f"{path}?limit=200", headers=theirs)
        my_page = Client().get(f"{path}?limit=200", headers=mine)
        assert their_page.status_code == my_page.status_code == 200, path
        their_ids = {item["id"] for item in their_page.json()["items"]}
        my_ids = {item["id"] for item in my_page.json()["items"]}
        assert my_ids and their_ids and not (their_ids & my_ids), path
        assert my_ids & owners, path
