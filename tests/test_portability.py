"""Export, restore and erasure: everything of an account out, back in exactly, and gone."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.accounts.services import account_delete, user_create
from coffeechat.contacts.models import Contact, JobHistory, Tag
from coffeechat.conversations.models import Conversation
from coffeechat.core.owned import owned_models
from coffeechat.demo.services import demo_build
from coffeechat.imports.services import import_file
from coffeechat.network.models import Knows
from coffeechat.network.services import knows_create
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization, organization_key
from coffeechat.portability.selectors import account_export, exported_models
from coffeechat.portability.services import RestoreError, account_restore
from coffeechat.prep.services import prep_plan_generate
from coffeechat.search.selectors import search
from tests.conftest import build_world
from tests.test_imports import sample

pytestmark = pytest.mark.django_db


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """An export with ids replaced by each row's position, so that two accounts holding the
    same things compare equal whatever ids the database gave them."""
    positions = {
        label: {row["id"]: index for index, row in enumerate(rows)}
        for label, rows in data["models"].items()
    }
    out: dict[str, Any] = {"profile": data["profile"], "models": {}}
    for label, rows in data["models"].items():
        links = data["relations"][label]
        converted = []
        for row in rows:
            new = {}
            for key, value in row.items():
                if key == "id":
                    continue
                target = links.get(key)
                if target and isinstance(value, list):
                    value = sorted(positions[target][v] for v in value)
                elif target and value is not None:
                    # A shared row (a shipped bank question) keeps its id: no account owns it.
                    value = positions[target].get(value, f"shared:{value}")
                new[key] = value
            converted.append(new)
        out["models"][label] = converted
    return out


def round_trip(user: User, username: str) -> tuple[dict[str, Any], dict[str, Any]]:
    before = account_export(user=user)
    copy = user_create(username=username, password="x" * 12)
    account_restore(user=copy, data=json.loads(json.dumps(before)))
    return canonical(before), canonical(account_export(user=copy))


def test_every_owned_model_is_exported() -> None:
    labels = {m._meta.label_lower for m in exported_models()}
    assert {
        "contacts.contact",
        "contacts.tag",
        "contacts.jobhistory",
        "network.knows",
        "notes.note",
        "conversations.conversation",
        "conversations.learning",
        "followups.followup",
        "targets.target",
        "organizations.organization",
        "imports.importbatch",
    } <= labels


def test_demo_account_export_then_restore_is_exact() -> None:
    maya = user_create(username="demo", password="demo-password", time_zone="America/New_York")
    demo_build(user=maya, today=dt.date(2026, 3, 11))
    contacts = list(Contact.objects.filter(owner=maya).order_by("id")[:3])
    Knows.objects.create(owner=maya, contact=contacts[0], other=contacts[1], how="Same lab")
    JobHistory.objects.create(owner=maya, contact=contacts[2], title="Intern", source="manual")
    # A saved prep plan points at shared bank questions, which belong to no account.
    prep_plan_generate(conversation=Conversation.objects.filter(owner=maya).first())
    before, after = round_trip(maya, "restored")
    assert before == after
    assert sum(len(rows) for rows in before["models"].values()) > 300
    assert before["profile"]["time_zone"] == "America/New_York"


def test_world_with_imports_round_trips(owner) -> None:
    build_world(owner)
    import_file(owner=owner, data=sample("google-contacts.csv"))
    before, after = round_trip(owner, "copy")
    assert before == after


def test_restore_refuses_a_non_empty_account_and_other_files(owner) -> None:
    world = build_world(owner)
    data = account_export(user=owner)
    with pytest.raises(RestoreError, match="already holds data"):
        account_restore(user=owner, data=data)
    other = user_create(username="other", password="x" * 12)
    with pytest.raises(RestoreError, match="not a coffeechat export"):
        account_restore(user=other, data={"hello": 1})
    with pytest.raises(RestoreError, match="version"):
        account_restore(user=other, data=data | {"version": 99})
    assert not Contact.objects.filter(owner=other).exists()
    assert world.contact.pk


def test_cli_export_every_format_and_restore(owner, tmp_path, capsys) -> None:
    build_world(owner)
    for fmt, marker in (
        ("json", '"coffeechat-export"'),
        ("csv", "First Name"),
        ("vcard", "BEGIN:VCARD"),
        ("markdown", "# coffeechat export"),
    ):
        out = tmp_path / f"export.{fmt}"
        call_command("export", "--format", fmt, "--output", str(out), "--user", "owner")
        assert marker in out.read_text()
    # The CSV export is a Google Contacts CSV: coffeechat (and Google) import it again.
    fresh = user_create(username="fresh", password="x" * 12)
    plan = import_file(owner=fresh, data=(tmp_path / "export.csv").read_bytes())
    assert plan.format == "google" and len(plan.new) == 2
    vcard = import_file(owner=fresh, data=(tmp_path / "export.vcard").read_bytes())
    assert vcard.format == "vcard" and len(vcard.new) == 0
    empty = user_create(username="empty", password="x" * 12)
    call_command("restore", str(tmp_path / "export.json"), "--user", "empty")
    assert Contact.objects.filter(owner=empty).count() == 2
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(tmp_path / "export.json"), "--user", "empty")


def test_settings_page_exports(owner, owner_client) -> None:
    build_world(owner)
    page = owner_client.get(reverse("accounts:settings"))
    assert b"Export" in page.content
    response = owner_client.get(reverse("portability:export"), {"format": "json"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert len(data["models"]["contacts.contact"]) == 2
    vcard = owner_client.get(reverse("portability:export"), {"format": "vcard"})
    assert vcard.content.startswith(b"BEGIN:VCARD")


def test_deleting_the_account_erases_new_kinds_and_spares_others(owner, outsider) -> None:
    for user in (owner, outsider):
        world = build_world(user)
        import_file(owner=user, data=sample("linkedin-connections.csv"))
        JobHistory.objects.create(owner=user, contact=world.contact, title="Intern")
    outsider_before = account_export(user=outsider)
    owner_id = owner.pk
    counts = account_delete(user=owner)
    assert counts["contacts.contact"] > 2 and not User.objects.filter(pk=owner_id).exists()
    # The search index forgets the owner and still serves the outsider.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts WHERE owner_id = %s", [owner_id])
            assert cursor.fetchone()[0] == 0
    assert [hit.title for hit in search(user=outsider, q="Priya")] == ["Priya Raman"]
    for model in owned_models():  # exported or not: every kind of row the account owns
        # Rows without an owner (the shipped question bank) belong to nobody and stay.
        leftover = model._default_manager.filter(owner__isnull=False).exclude(owner=outsider)
        assert not leftover.exists(), model
    assert canonical(account_export(user=outsider)) == canonical(outsider_before)


def test_deleting_a_contact_lists_and_removes_their_rows(owner, owner_client) -> None:
    world = build_world(owner)
    JobHistory.objects.create(owner=owner, contact=world.contact, title="Intern")
    url = reverse("contacts:delete", args=[world.contact.pk])
    page = owner_client.get(url).content.decode()
    assert "1 conversation will be deleted" in page and "1 note will be deleted" in page
    assert "1 earlier job will be" in page and "1 “knows” link will be" in page
    owner_client.post(url)
    assert not Contact.objects.filter(pk=world.contact.pk).exists()
    assert not Note.objects.filter(owner=owner).exists()
    assert not Knows.objects.filter(owner=owner).exists()
    assert not JobHistory.objects.filter(owner=owner).exists()
    assert Contact.objects.filter(pk=world.introducer.pk).exists()


names = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"]),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def accounts(draw: st.DrawFn) -> dict[str, Any]:
    return {
        # Unique as the database sees them: "þë" and "Ē" normalize to one organization key.
        "orgs": draw(st.lists(names, max_size=4, unique_by=organization_key)),
        "contacts": draw(
            st.lists(
                st.tuples(
                    names,
                    st.text(
                        alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
                        max_size=40,
                    ),
                    st.integers(0, 3),
                    st.integers(-1, 6),
                    st.lists(st.integers(0, 2), max_size=3),
                ),
                max_size=7,
            )
        ),
        "knows": draw(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=5)),
        "notes": draw(
            st.lists(
                st.tuples(
                    st.integers(0, 6),
                    st.text(
                        alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
                        min_size=1,
                        max_size=60,
                    ),
                ),
                max_size=6,
            )
        ),
    }


def id_of(contact: Contact) -> int:
    return contact.pk


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=accounts())
def test_random_accounts_round_trip(spec: dict[str, Any]) -> None:
    User.objects.filter(username__in=["random", "randomcopy"]).delete()
    user = user_create(username="random", password="x" * 12)
    orgs = []
    for name in spec["orgs"]:
        org = Organization(owner=user, name=name)
        org.save()
        orgs.append(org)
    orgs = [o for o in orgs if o.key] or []
    tags = [Tag.objects.create(owner=user, name=f"t{i}") for i in range(3)]
    contacts: list[Contact] = []
    for first, notes, org_index, introducer, tag_indexes in spec["contacts"]:
        contact = Contact.objects.create(
            owner=user,
            first_name=first,
            notes=notes,
            organization=orgs[org_index % len(orgs)] if orgs else None,
            introduced_by=contacts[introducer] if 0 <= introducer < len(contacts) else None,
        )
        contact.tags.set([tags[i] for i in tag_indexes])
        contacts.append(contact)
    if contacts:
        for a, b in spec["knows"]:
            # One link per pair, whichever way round (the database's rule).
            x, y = sorted((contacts[a % len(contacts)], contacts[b % len(contacts)]), key=id_of)
            if x != y:
                # Once per pair, whichever way round: the rule the database keeps.
                knows_create(owner=user, contact=x, other=y)
        for index, text in spec["notes"]:
            Note.objects.create(owner=user, contact=contacts[index % len(contacts)], text=text)
    before, after = round_trip(user, "randomcopy")
    assert before == after


def test_restore_refuses_text_with_nul_and_writes_nothing(owner) -> None:
    build_world(owner)
    data = json.loads(json.dumps(account_export(user=owner)))
    data["models"]["notes.note"][0]["text"] = "bad\x00text"
    copy = user_create(username="copy", password="x" * 12)
    with pytest.raises(RestoreError, match="NUL"):
        account_restore(user=copy, data=data)
    assert not Contact.objects.filter(owner=copy).exists()
