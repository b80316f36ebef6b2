"""No user reaches another user's rows: not by an id in the path, nor in a form, nor in a query.

Everything here is discovered, not listed, so that a new view, form or query parameter is
covered as soon as it exists:

- URLs with an object in their path, from the URL resolver: an outsider gets 404.
- Every form class of every ``coffeechat.<app>.forms`` module, and in it every field that holds
  the id of a row (a model choice, or a choice filled per request with ids like fit's CiteForm);
  the views that bind that form to a POST, from the names their code uses. The owner posts a
  body that is valid but for one such field, which holds the outsider's id: refused, no write.
- Id-carrying query parameters (``?contact=``), from the views' source: the owner passes the
  outsider's id, and the page neither fails nor shows the outsider's row.

Around every outsider request, a snapshot of every owned table (row counts, and a checksum per
model of every user's JSON export) must not change. The discovery and the snapshot live in
tests/discovery.py, shared with the fuzz test.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse

from coffeechat.coaching.models import Scope, Share
from coffeechat.coaching.services import share_revoke
from coffeechat.contacts.models import Contact, Tag
from coffeechat.conversations.models import Learning
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization
from coffeechat.outreach.models import MessageTemplate
from coffeechat.targets.models import Target
from tests.conftest import World, build_world, share_with
from tests.discovery import (
    FORMS,
    ID_FIELDS,
    PATTERNS,
    POSTED,
    POSTED_RAW,
    QUERIED,
    IdField,
    forms_used,
    owners_ids,
    query_helpers_resolve,
    snapshot,
    theirs,
    url_for,
    valid_body,
)


def test_the_snapshot_names_a_changed_row_and_a_new_link(world: World) -> None:
    before = snapshot()

    def changed() -> set[str]:
        now = snapshot()
        return {key for key in now if now[key] != before[key]}

    Contact.objects.filter(pk=world.contact.pk).update(title="Regional liaison")
    assert changed() == {"owner contacts.contact"}
    before = snapshot()
    world.fit_line.notes.add(world.note)  # a row of a many-to-many table alone
    assert changed() == {"rows fit.fitline_notes", "owner fit.fitline"}


# ---------------------------------------------------------------------------------------------
# Path values that name no row: a week is every user's own (their weekly review), so another
# user's "week" reaches nothing of the owner's. The forms of those pages are still posted with
# the owner's ids below, and fuzzed by tests/test_fuzz.py.
NOT_ROWS = {"week"}
# The coach's pages (coaching/urls_coach.py) are not the owner's: the student gets 404 there
# too. They are walked below with their own three actors: the coach, another coach, and the
# coach after the student revoked the share.
COACH_NAMESPACE = "coach:"
OBJECT_PATTERNS = [
    (name, list(pattern.pattern.converters))
    for name, pattern in PATTERNS.items()
    if set(pattern.pattern.converters) - NOT_ROWS and not name.startswith(COACH_NAMESPACE)
]
COACH_PATTERNS = [
    (name, list(pattern.pattern.converters))
    for name, pattern in PATTERNS.items()
    if name.startswith(COACH_NAMESPACE) and "share_id" in pattern.pattern.converters
]


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
    name,
    kwargs,
    world: World,
    owner: User,
    owner_client,
    outsider_client,
    coach_share,
    coach_client,
) -> None:
    ids = world.by_url_kwarg()
    unknown = [k for k in kwargs if k not in ids]
    assert not unknown, f"{name}: teach tests/conftest.World about {unknown}"
    url = reverse(name, kwargs={k: ids[k] for k in kwargs})

    # The outsider owns nothing here: a row they add shows in the counts, and only the
    # owner's rows can be changed.
    before = snapshot(owner)
    outsider_get = outsider_client.get(url).status_code
    assert snapshot(owner) == before, f"an outsider's GET {url} changed a row"
    # POST-only actions answer 405 to any GET, whoever asks: that reveals nothing.
    assert outsider_get == 404 or (outsider_get == 405 and owner_client.get(url).status_code == 405)
    assert (
        outsider_client.post(
            url, {"note-text": "x", "learning-text": "x", "to": "requested", "what": "x"}
        ).status_code
        == 404
    )
    assert snapshot(owner) == before, f"an outsider's POST {url} changed a row"

    # The owner's coach, who sees what the owner shared on the coach's own pages, is an
    # outsider everywhere else: the owner's own URLs answer them as they answer anyone.
    coach_get = coach_client.get(url).status_code
    assert coach_get == 404 or (coach_get == 405 and owner_client.get(url).status_code == 405)
    assert coach_client.post(url, {"note-text": "x", "to": "requested"}).status_code == 404
    assert snapshot(owner) == before, f"the coach's requests to {url} changed a row"

    # The owner reaches the same URL: the 404 above is about ownership, not a broken link.
    assert owner_client.get(url).status_code in (200, 405)


POST_ONLY = {"coach:comment"}


def test_coach_urls_are_discovered() -> None:
    assert {"coach:student", "coach:note", "coach:prep", "coach:comment"} <= {
        name for name, _ in COACH_PATTERNS
    }


@pytest.mark.parametrize(("name", "kwargs"), COACH_PATTERNS, ids=[n for n, _ in COACH_PATTERNS])
@pytest.mark.django_db
def test_a_coach_url_is_the_coachs_alone_and_ends_with_the_revoke(
    name,
    kwargs,
    world: World,
    owner: User,
    owner_client,
    outsider_client,
    coach_share: Share,
    coach_client,
    other_coach_client,
) -> None:
    ids = {
        **world.by_url_kwarg(),
        "share_id": coach_share.pk,
        # The conversation whose prep plan is shared.
        "conversation_id": world.prep_item.plan.conversation_id,
    }
    url = reverse(name, kwargs={k: ids[k] for k in kwargs})
    body = {"text": "A comment no one may leave"}
    before = snapshot()
    # Another coach, the student themselves and an outsider: 404, and nothing written (not
    # even a line of the access log).
    # POST-only actions answer 405 to any GET, whoever asks: that reveals nothing.
    refused_get = 405 if name in POST_ONLY else 404
    for client in (other_coach_client, owner_client, outsider_client):
        assert client.get(url).status_code == refused_get, url
        assert client.post(url, body).status_code == 404, url
    assert snapshot() == before, f"a request to {url} by someone not its coach wrote a row"

    # The coach reaches it: the 404s above are about the share, not a broken link.
    assert coach_client.get(url).status_code in (200, 405)

    share_revoke(share=coach_share)
    before = snapshot()
    assert coach_client.get(url).status_code == refused_get
    assert coach_client.post(url, body).status_code == 404
    assert snapshot() == before, f"the coach's requests to {url} after the revoke wrote a row"


@pytest.mark.django_db
def test_a_note_or_prep_plan_not_chosen_is_404_to_the_coach(
    world: World, owner: User, coach_share: Share, coach_client: Client
) -> None:
    unshared = Note.objects.create(owner=owner, contact=world.contact, text="Only mine.")
    assert (
        coach_client.get(reverse("coach:note", args=[coach_share.pk, world.note.pk])).status_code
        == 200
    )
    assert (
        coach_client.get(reverse("coach:note", args=[coach_share.pk, unshared.pk])).status_code
        == 404
    )
    # The share narrowed to progress only: its chosen items are out of reach too.
    progress_only = share_with(world, coach_share.coach)
    Share.objects.filter(pk=progress_only.pk).update(scope=Scope.PROGRESS)
    for url in (
        reverse("coach:note", args=[progress_only.pk, world.note.pk]),
        reverse("coach:prep", args=[progress_only.pk, world.conversation.pk]),
    ):
        assert coach_client.get(url).status_code == 404, url


# ---------------------------------------------------------------------------------------------
# The outsider's own world, with names that must never show on the owner's pages
# ---------------------------------------------------------------------------------------------

# build_world gives both users the same names ("Priya Raman"); the outsider's rows are renamed
# so that any of them on the owner's page is a leak. Lower case: the check ignores case.
MARK = "zorblaxoutsider"


def _mark(world: World) -> None:
    user = world.contact.owner
    Contact.objects.filter(owner=user).update(last_name=f"{MARK}-contact")
    Organization.objects.filter(owner=user).update(name=f"{MARK}-organization")
    Target.objects.filter(owner=user).update(name=f"{MARK}-target")
    Tag.objects.filter(owner=user).update(name=f"{MARK}-tag")
    MessageTemplate.objects.filter(owner=user).update(name=f"{MARK}-template")
    Learning.objects.filter(owner=user).update(text=f"{MARK}-learning")
    Note.objects.filter(owner=user).update(text=f"{MARK}-note")


@pytest.fixture
def outsider_world(outsider: User) -> World:
    world = build_world(outsider)
    _mark(world)
    return world


def _shows_outsider(response: Any) -> bool:
    return MARK in response.content.decode(errors="replace").lower()


@pytest.mark.django_db
def test_outsider_names_show_on_the_outsiders_own_pages(
    outsider_world: World, outsider_client: Client, owner_client: Client, world: World
) -> None:
    """The leak check below can fail: the marked names are on the outsider's own pages, and
    not on the owner's same pages."""
    for url_name, attribute in (
        ("contacts:detail", "contact"),
        ("targets:detail", "target"),
        ("conversations:detail", "conversation"),
    ):
        outsiders = getattr(outsider_world, attribute).pk
        assert _shows_outsider(outsider_client.get(reverse(url_name, args=[outsiders])))
        owners = getattr(world, attribute).pk
        assert not _shows_outsider(owner_client.get(reverse(url_name, args=[owners])))


def test_forms_fields_and_parameters_are_discovered() -> None:
    # Floors, so that a broken discovery cannot pass by finding nothing.
    assert len(FORMS) >= 25
    assert {
        "ContactForm.introduced_by",
        "ConversationForm.contact",
        "ConversationForm.targets",
        "FollowUpForm.contact",
        "KnowsForm.contact",
        "KnowsForm.other",
        "CiteForm.learnings",
        "CiteForm.notes",
    } <= {str(f) for f in ID_FIELDS}
    # Every id field is posted somewhere; a form bound outside its view's own code would need
    # teaching here.
    assert {str(f) for f in ID_FIELDS} == {str(f) for _, f in POSTED}
    assert {
        ("conversations:create", "contact"),
        ("conversations:create", "target"),
        ("outreach:draft", "template"),
        ("network:home", "organization"),
        ("network:home", "target"),
        ("followups:create", "contact"),
        ("contacts:list", "organization"),
        ("fit:compare", "target"),
    } <= {(url, param) for url, param, _ in QUERIED}
    assert ("prep:target_notes", "conversation") in {(url, p) for url, p, _ in POSTED_RAW}
    query_helpers_resolve()


# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("url_name", "field"), POSTED, ids=[f"{u}-{f}" for u, f in POSTED])
@pytest.mark.django_db
def test_a_form_refuses_the_outsiders_id_and_changes_nothing(
    url_name: str,
    field: IdField,
    world: World,
    outsider_world: World,
    owner: User,
    owner_client: Client,
) -> None:
    url = url_for(url_name, world)
    before = snapshot()
    response = owner_client.post(
        url,
        valid_body(field.form, owner, **{field.name: theirs(field.model, outsider_world)}),
        follow=True,
    )
    assert response.status_code < 500
    assert not _shows_outsider(response), f"{url} shows the outsider's {field.model.__name__}"
    assert snapshot() == before, f"{url} wrote with the outsider's id in {field}"

    # The same body with the owner's own id is accepted: the refusal above is about the id.
    response = owner_client.post(url, valid_body(field.form, owner))
    assert response.status_code < 400
    assert snapshot() != before, f"{url} refused the owner's own body too: teach valid_body"


@pytest.mark.parametrize(
    ("url_name", "param", "model"), POSTED_RAW, ids=[f"{u}-{p}" for u, p, _ in POSTED_RAW]
)
@pytest.mark.django_db
def test_an_id_posted_beside_a_form_refuses_the_outsiders_and_changes_nothing(
    url_name: str,
    param: str,
    model: type[models.Model],
    world: World,
    outsider_world: World,
    owner: User,
    owner_client: Client,
) -> None:
    url = url_for(url_name, world)
    body: dict[str, Any] = {}
    for cls in forms_used(PATTERNS[url_name]):
        body |= valid_body(cls, owner)
    before = snapshot()
    response = owner_client.post(url, {**body, param: theirs(model, outsider_world)}, follow=True)
    assert response.status_code < 500
    assert not _shows_outsider(response), f"{url} shows the outsider's {model.__name__}"
    assert snapshot() == before, f"{url} wrote with the outsider's id in {param}"

    response = owner_client.post(url, {**body, param: owners_ids(model, owner)[0]})
    assert response.status_code < 400


@pytest.mark.parametrize(
    ("url_name", "param", "model"), QUERIED, ids=[f"{u}-{p}" for u, p, _ in QUERIED]
)
@pytest.mark.django_db
def test_a_page_given_the_outsiders_id_in_its_query_shows_nothing_of_theirs(
    url_name: str,
    param: str,
    model: type[models.Model],
    world: World,
    outsider_world: World,
    owner_client: Client,
) -> None:
    url = f"{url_for(url_name, world)}?{param}={theirs(model, outsider_world)}"
    before = snapshot()
    response = owner_client.get(url)
    assert response.status_code < 500
    assert not _shows_outsider(response), f"{url} shows the outsider's {model.__name__}"
    assert snapshot() == before
