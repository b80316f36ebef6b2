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
}


def _owned(owner: User) -> dict[str, object]:
    # The outsider's own request count (the rate limit's row) is theirs to change.
    return {k: v for k, v in snapshot(owner).items() if "apiratewindow" not in k}


def test_operations_are_discovered() -> None:
    assert len(WITH_ID) >= 25 and len(LISTS) >= 8
    assert ("POST", "/api/v1/conversations/{conversation_id}/transition") in WITH_ID


@pytest.mark.parametrize(("method", "path"), WITH_ID, ids=[f"{m} {p}" for m, p in WITH_ID])
@pytest.mark.django_db
def test_the_outsiders_token_gets_404_on_the_owners_ids(
    method: str, path: str, world: World, owner: User, outsider: User
) -> None:
    build_world(outsider)  # the outsider has rows of every kind too
    ids = world.by_url_kwarg()
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
    headers = {"Authorization": f"Bearer {token_create(owner=outsider, name='x')}"}
    body = next((b for key, b in BODIES.items() if path.endswith(key)), {"text": "x"})
    before = _owned(owner)
    response = Client().generic(
        method, url, json.dumps(body), content_type="application/json", headers=headers
    )
    assert response.status_code == 404, (url, response.content)
    assert _owned(owner) == before
    # The owner's own token reaches it: the 404 is about ownership, not a broken path.
    mine = {"Authorization": f"Bearer {token_create(owner=owner, name='y')}"}
    if method == "GET":
        assert Client().get(url, headers=mine).status_code == 200


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.django_db
def test_lists_never_include_another_users_rows(
    path: str, world: World, owner: User, outsider: User
) -> None:
    build_world(outsider)
    owners = {value for value in world.by_url_kwarg().values() if isinstance(value, int)}
    theirs = Client().get(
        f"{path}?limit=200",
        headers={"Authorization": f"Bearer {token_create(owner=outsider, name='x')}"},
    )
    mine = Client().get(
        f"{path}?limit=200",
        headers={"Authorization": f"Bearer {token_create(owner=owner, name='y')}"},
    )
    assert theirs.status_code == mine.status_code == 200
    their_ids = {item["id"] for item in theirs.json()["items"]}
    my_ids = {item["id"] for item in mine.json()["items"]}
    assert my_ids and their_ids and not (their_ids & my_ids)
    assert my_ids & owners
