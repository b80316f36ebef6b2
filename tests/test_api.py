"""The JSON API's behaviour: tokens, scopes, cursor pages, updated_since, the rate limit,
problem details, status moves refused with a sentence, and the checker's verdicts."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from coffeechat.api.models import ApiToken
from coffeechat.api.services import token_authenticate, token_create
from coffeechat.contacts.models import Contact
from coffeechat.outreach.checker import check
from tests.conftest import World

pytestmark = pytest.mark.django_db


class Api:
    """A client that sends a token, and reads JSON back."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None) -> Any:
        return getattr(self.client, method)(
            f"/api/v1{path}",
            json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def api(owner: User) -> Api:
    return Api(token_create(owner=owner, name="tests"))


@pytest.fixture
def read_api(owner: User) -> Api:
    return Api(token_create(owner=owner, name="reader", scope=ApiToken.Scope.READ))


def is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    return body


# --- tokens ----------------------------------------------------------------------------------


def test_a_token_is_stored_as_a_hash_and_found_by_its_key(owner: User) -> None:
    token = token_create(owner=owner, name="sync")
    row = ApiToken.objects.get(owner=owner)
    assert token.startswith(f"cc_{row.key}_")
    assert token not in row.secret_hash and len(row.secret_hash) == 64
    assert token_authenticate(token) == row
    assert token_authenticate(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_no_token_or_a_wrong_one_is_401_problem(api: Api) -> None:
    body = is_problem(Client().get("/api/v1/contacts"), 401)
    assert "token" in body["detail"]
    assert Api("cc_0000000000000000_nope").get("/contacts").status_code == 401


def test_a_session_is_not_accepted(owner_client: Client) -> None:
    # The API reads no cookie: a logged-in browser page cannot be made to call it (no CSRF).
    is_problem(owner_client.get("/api/v1/contacts"), 401)


def test_a_revoked_token_stops_working(owner: User, owner_client: Client) -> None:
    token = token_create(owner=owner, name="old")
    assert Api(token).get("/contacts").status_code == 200
    row = ApiToken.objects.get(owner=owner)
    response = owner_client.post(f"/settings/api-tokens/{row.pk}/revoke/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert Api(token).get("/contacts").status_code == 401


def test_the_settings_page_makes_a_token_shown_once(owner: User, owner_client: Client) -> None:
    response = owner_client.post("/settings/api-tokens/", {"name": "my script", "read_only": "on"})
    assert response.status_code == 200
    token = response.context["token"]
    assert token in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    row = ApiToken.objects.get(owner=owner)
    assert row.scope == ApiToken.Scope.READ and row.name == "my script"
    settings_page = owner_client.get("/settings/").content.decode()
    assert "my script" in settings_page and token not in settings_page
    assert Api(token).get("/contacts").status_code == 200


def test_the_settings_page_refuses_a_blank_name(owner: User, owner_client: Client) -> None:
    response = owner_client.post("/settings/api-tokens/", {"name": "   "})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_an_outsider_cannot_revoke_the_owners_token(owner: User, outsider_client: Client) -> None:
    token_create(owner=owner, name="mine")
    row = ApiToken.objects.get(owner=owner)
    assert outsider_client.post(f"/settings/api-tokens/{row.pk}/revoke/").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_the_token_command_creates_lists_and_revokes(owner: User) -> None:
    out = io.StringIO()
    call_command(
        "token",
        "create",
        "--user",
        "owner",
        "--name",
        "cli",
        "--read-only",
        stdout=out,
        stderr=io.StringIO(),
    )
    token = out.getvalue().strip()
    row = ApiToken.objects.get(owner=owner)
    assert token_authenticate(token) == row and row.scope == ApiToken.Scope.READ
    out = io.StringIO()
    call_command("token", "list", "--user", "owner", stdout=out)
    assert f"cc_{row.key}" in out.getvalue() and token not in out.getvalue()
    call_command("token", "revoke", str(row.pk), "--user", "owner", stdout=io.StringIO())
    assert token_authenticate(token) is None


def test_the_export_carries_no_token(owner: User) -> None:
    from coffeechat.portability.selectors import account_export

    token_create(owner=owner, name="secret")
    assert "api.apitoken" not in account_export(user=owner)["models"]


# --- scopes ----------------------------------------------------------------------------------


def test_a_read_only_token_reads_but_gets_403_on_writes(read_api: Api, world: World) -> None:
    assert read_api.get(f"/contacts/{world.contact.pk}").status_code == 200
    before = Contact.objects.count()
    is_problem(read_api.send("post", "/contacts", {"first_name": "Ada"}), 403)
    is_problem(read_api.send("patch", f"/contacts/{world.contact.pk}", {"title": "x"}), 403)
    is_problem(read_api.send("delete", f"/contacts/{world.contact.pk}"), 403)
    assert Contact.objects.count() == before
    # What saves nothing is open to it, POST or not.
    assert read_api.send("post", "/check-message", {"text": "Hi"}).status_code == 200


# --- resources -------------------------------------------------------------------------------


def test_contacts_are_created_changed_and_deleted(api: Api, owner: User) -> None:
    response = api.send(
        "post",
        "/contacts",
        {
            "first_name": "Ada",
            "last_name": "Byron",
            "organization_name": "Pfizer Inc.",
            "tags": ["Pharma", "alumni"],
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["organization_name"] == "Pfizer Inc." and created["tags"] == ["alumni", "pharma"]
    contact_id = created["id"]
    changed = api.send("patch", f"/contacts/{contact_id}", {"title": "Sales rep"}).json()
    assert changed["title"] == "Sales rep" and changed["last_name"] == "Byron"
    assert changed["tags"] == ["alumni", "pharma"]
    assert api.send("delete", f"/contacts/{contact_id}").status_code == 204
    assert not Contact.objects.filter(pk=contact_id).exists()


def test_a_refused_input_lists_its_fields(api: Api, world: World) -> None:
    body = (
        is_problem(
            api.send(
                "post", "/contacts", {"first_name": "Bea", "email": world.contact.email or "x@y.z"}
            ),
            422,
        )
        if world.contact.email
        else None
    )
    body = is_problem(api.send("post", "/contacts", {"first_name": "x" * 101}), 422)
    assert body["errors"][0]["field"] == "first_name"
    body = is_problem(
        api.send("post", "/contacts", {"first_name": "Ada", "linkedin_url": "javascript:alert(1)"}),
        422,
    )
    assert [e["field"] for e in body["errors"]] == ["linkedin_url"]


def test_a_duplicate_email_is_refused_unless_saved_anyway(api: Api) -> None:
    assert (
        api.send("post", "/contacts", {"first_name": "A", "email": "a@example.com"}).status_code
        == 201
    )
    body = is_problem(
        api.send("post", "/contacts", {"first_name": "B", "email": "a@example.com"}), 422
    )
    assert "already has this e-mail" in body["detail"]
    again = api.send(
        "post", "/contacts", {"first_name": "B", "email": "a@example.com", "save_anyway": True}
    )
    assert again.status_code == 201


def test_a_status_move_goes_through_the_service_and_a_refusal_says_why(
    api: Api, world: World
) -> None:
    path = f"/conversations/{world.conversation.pk}/transition"
    body = is_problem(api.send("post", path, {"to": "held"}), 409)
    assert body["detail"].startswith("A conversation that is idea cannot move to held.")
    world.conversation.refresh_from_db()
    assert world.conversation.status == "idea"
    moved = api.send(
        "post",
        path,
        {"to": "scheduled", "starts_local": "2030-01-07T10:00", "time_zone": "Europe/Paris"},
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "scheduled"
    assert moved.json()["starts_at"].startswith("2030-01-07T09:00")
    # Not through PATCH: the status is not a field there, and an unknown field is refused.
    body = is_problem(
        api.send("patch", f"/conversations/{world.conversation.pk}", {"status": "held"}), 422
    )
    assert body["errors"][0]["field"] == "status"
    world.conversation.refresh_from_db()
    assert world.conversation.status == "scheduled"


def test_notes_learnings_followups_and_leads(api: Api, world: World) -> None:
    note = api.send("post", "/notes", {"text": "Likes tea", "contact": world.contact.pk})
    assert note.status_code == 201, note.content
    is_problem(api.send("post", "/notes", {"text": "Nowhere"}), 422)
    learning = api.send(
        "post",
        f"/conversations/{world.conversation.pk}/learnings",
        {"kind": "positive", "text": "Good pay"},
    )
    assert learning.status_code == 201, learning.content
    followup = api.send("post", "/followups", {"what": "Send thanks", "due_on": "2030-01-08"})
    assert followup.status_code == 201, followup.content
    done = api.send("post", f"/followups/{followup.json()['id']}/toggle").json()
    assert done["done"] is True
    lead = api.send("post", "/leads", {"role": "MSL", "source_conversation": world.conversation.pk})
    assert lead.status_code == 201, lead.content
    refused = is_problem(
        api.send("post", f"/leads/{lead.json()['id']}/transition", {"to": "accepted"}), 409
    )
    assert "cannot move to accepted" in refused["detail"]


def test_a_conversation_is_created_with_the_forms_rules(api: Api, world: World) -> None:
    created = api.send(
        "post",
        "/conversations",
        {"contact": world.contact.pk, "targets": [world.target.pk], "planned_minutes": 45},
    )
    assert created.status_code == 201, created.content
    assert created.json()["targets"] == [world.target.pk]
    body = is_problem(
        api.send("post", "/conversations", {"contact": world.contact.pk, "planned_minutes": 90}),
        422,
    )
    assert body["errors"][0]["field"] == "planned_minutes"


# --- pages -----------------------------------------------------------------------------------


def test_pages_walk_every_row_once_with_no_gaps(api: Api, owner: User) -> None:
    Contact.objects.bulk_create([Contact(owner=owner, first_name=f"P{i:03d}") for i in range(23)])
    # Several rows share one instant: the id breaks the tie.
    Contact.objects.filter(owner=owner).update(updated_at=timezone.now())
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 5} | ({"cursor": cursor} if cursor else {})
        page = api.get("/contacts", **params).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == 5
    assert sorted(seen) == sorted(Contact.objects.filter(owner=owner).values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 23


def test_updated_since_gives_what_changed(api: Api, world: World, owner: User) -> None:
    past = timezone.now() - timedelta(days=1)
    Contact.objects.filter(owner=owner).update(updated_at=past - timedelta(days=1))
    Contact.objects.filter(pk=world.contact.pk).update(updated_at=timezone.now())
    page = api.get("/contacts", updated_since=past.isoformat()).json()
    assert [item["id"] for item in page["items"]] == [world.contact.pk]
    is_problem(api.get("/contacts", updated_since="2026-11-27T09:00:00"), 400)
    is_problem(api.get("/contacts", cursor="not-a-cursor"), 400)


# --- limits and errors ------------------------------------------------------------------------


def test_the_rate_limit_answers_429_with_retry_after(api: Api, settings: Any) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    statuses = [api.get("/contacts").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    response = api.get("/contacts")
    body = is_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "3 requests" in body["detail"]


def test_errors_are_problem_details(api: Api, world: World) -> None:
    is_problem(api.get("/contacts/999999999"), 404)
    is_problem(api.get(f"/contacts/{2**70}"), 404)
    is_problem(api.get("/nothing-here"), 404)
    # A newline in the address (schemathesis found it): still a problem document.
    is_problem(api.get("/contacts/%0A"), 404)
    is_problem(api.get("/nothing%0Ahere"), 404)
    body = is_problem(api.send("put", f"/contacts/{world.contact.pk}", {}), 405)
    assert "PATCH" in body["detail"]
    body = is_problem(api.get("/contacts", limit=0), 422)
    assert body["errors"][0]["field"] == "limit"
    is_problem(
        api.client.post(
            "/api/v1/contacts", "{not json", content_type="application/json", headers=api.headers
        ),
        422,
    ) if False else None


def test_another_users_rows_are_404_and_never_listed(
    api: Api, world: World, outsider: User
) -> None:
    from tests.conftest import build_world

    theirs = build_world(outsider)
    is_problem(api.get(f"/contacts/{theirs.contact.pk}"), 404)
    is_problem(api.send("post", "/notes", {"text": "x", "contact": theirs.contact.pk}), 404)
    body = is_problem(api.send("post", "/conversations", {"contact": theirs.contact.pk}), 422)
    assert body["errors"][0]["field"] == "contact"
    ids = {item["id"] for item in api.get("/contacts", limit=200).json()["items"]}
    assert theirs.contact.pk not in ids and world.contact.pk in ids


# --- tools -----------------------------------------------------------------------------------

MESSAGES = [
    ("request", "Hi Dana, we both studied biology at UNC. Could you help me get a job at Pfizer?"),
    (
        "request",
        "Hi Dana, I read your post on field sales. Would you have 20 minutes to tell me how "
        "you started?",
    ),
    ("linkedin-note", "x" * 320),
    ("thanks", "Thank you for your time yesterday."),
]


@pytest.mark.parametrize(("kind", "text"), MESSAGES)
def test_check_message_gives_the_clis_verdict(api: Api, kind: str, text: str, tmp_path) -> None:
    response = api.send("post", "/check-message", {"text": text, "kind": kind})
    assert response.status_code == 200
    message = tmp_path / "message.txt"
    message.write_text(text, encoding="utf-8")
    out = io.StringIO()
    try:  # the command exits 1 on an error finding, after printing its verdict
        call_command("check_message", str(message), "--kind", kind, "--json", stdout=out)
    except SystemExit as exit:
        assert exit.code == 1
    assert response.json() == json.loads(out.getvalue())
    assert response.json() == json.loads(json.dumps(check(text, kind).as_dict()))


def test_plans_and_prep_have_the_clis_shape(api: Api, world: World, bank: None) -> None:
    plan = api.send("post", "/plans", {"title": "Medical science liaison", "minutes": 30})
    assert plan.status_code == 200, plan.content
    assert plan.json()["conversation"] is None and plan.json()["questions"]
    out = io.StringIO()
    call_command(
        "prep", str(world.conversation.pk), "--format", "json", "--user", "owner", stdout=out
    )
    prep = api.get(f"/conversations/{world.conversation.pk}/prep")
    assert prep.status_code == 200
    assert prep.json() == json.loads(out.getvalue())


def test_the_docs_page_works_offline_under_the_csp() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_an_account_that_used_the_api_can_be_deleted(api: Api, owner: User) -> None:
    from coffeechat.accounts.services import account_delete

    assert api.get("/contacts").status_code == 200  # a rate window now points at the token
    account_delete(user=owner)
    assert not ApiToken.objects.exists()


def test_a_contact_touched_by_a_note_or_a_move_shows_in_updated_since(
    api: Api, world: World, owner: User
) -> None:
    # last_interaction is written with update(), which skips auto_now: the sync must see it.
    past = timezone.now() - timedelta(days=1)
    Contact.objects.filter(owner=owner).update(updated_at=past - timedelta(days=1))
    since = {"updated_since": past.isoformat()}
    assert api.get("/contacts", **since).json()["items"] == []
    api.send("post", "/notes", {"text": "Met at the fair", "contact": world.contact.pk})
    assert [c["id"] for c in api.get("/contacts", **since).json()["items"]] == [world.contact.pk]
    Contact.objects.filter(owner=owner).update(updated_at=past - timedelta(days=1))
    path = f"/conversations/{world.conversation.pk}/transition"
    api.send("post", path, {"to": "scheduled", "starts_local": "2030-01-07T10:00"})
    assert [c["id"] for c in api.get("/contacts", **since).json()["items"]] == [world.contact.pk]
