from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.contacts.forms import parse_tags
from coffeechat.contacts.models import Contact
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization, organization_key

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Pfizer", "Pfizer Inc."),
        ("PFIZER INC", "pfizer"),
        ("Acme, LLC", "ACME"),
        ("The Foo Company", "foo"),
        ("Müller GmbH", "Muller"),
        ("Johnson & Johnson", "Johnson and Johnson"),
    ],
)
def test_organization_names_normalize_to_one_key(a: str, b: str) -> None:
    assert organization_key(a) == organization_key(b)


def test_tags_are_trimmed_lowercased_and_unique() -> None:
    assert parse_tags(" Pharma, alumni,pharma ,, Boston area ") == [
        "pharma",
        "alumni",
        "boston area",
    ]


def _contact_form(**overrides):
    data = {
        "first_name": "Dana",
        "last_name": "Okafor",
        "title": "Territory manager",
        "organization_name": "halvorsen biologics inc.",
        "email": "dana@example.org",
        "phone": "",
        "linkedin_url": "",
        "how_connected": "alumni",
        "connection_detail": "Same lab, 2019",
        "introduced_by": "",
        "tag_names": "Sales, alumni",
        "notes": "",
        "last_interaction": "",
    }
    return data | overrides


def test_create_contact_reuses_the_organization_and_sets_tags(world, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("contacts:create"), _contact_form(introduced_by=world.contact.pk)
    )
    assert response.status_code == 302
    dana = Contact.objects.get(first_name="Dana")
    assert dana.organization == world.organization
    assert sorted(t.name for t in dana.tags.all()) == ["alumni", "sales"]
    assert dana.introduced_by == world.contact
    assert Organization.objects.filter(owner=world.contact.owner).count() == 1


def test_bad_email_and_url_get_clear_messages_and_nothing_is_written(
    world, owner_client: Client
) -> None:
    response = owner_client.post(
        reverse("contacts:create"), _contact_form(email="not-an-email", linkedin_url="linkedin")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html and "Enter a valid URL." in html
    assert not Contact.objects.filter(first_name="Dana").exists()
    assert (
        not Organization.objects.filter(owner=world.contact.owner)
        .exclude(pk=world.organization.pk)
        .exists()
    )


def test_introductions_cannot_loop(world, owner_client: Client) -> None:
    # Priya was introduced by Ines; Ines cannot be introduced by Priya.
    response = owner_client.post(
        reverse("contacts:edit", args=[world.introducer.pk]),
        _contact_form(first_name="Ines", introduced_by=world.contact.pk),
    )
    assert "loop of introductions" in response.content.decode()
    world.introducer.refresh_from_db()
    assert world.introducer.introduced_by is None


def test_detail_shows_who_introduced_whom(world, owner_client: Client) -> None:
    html = owner_client.get(reverse("contacts:detail", args=[world.introducer.pk])).content.decode()
    assert "Priya Raman" in html
    html = owner_client.get(reverse("contacts:detail", args=[world.contact.pk])).content.decode()
    assert "Ines Alvarez" in html and "Prefers mornings." in html


def test_list_search_filters_and_paginates(world, owner, owner_client: Client) -> None:
    Contact.objects.bulk_create(
        [Contact(owner=owner, first_name=f"Person{i:03d}", last_name="Zed") for i in range(120)]
    )
    page1 = owner_client.get(reverse("contacts:list")).content.decode()
    assert "Page 1 of 3" in page1
    page3 = owner_client.get(reverse("contacts:list"), {"page": 3}).content.decode()
    assert "Person119" in page3
    found = owner_client.get(reverse("contacts:list"), {"q": "priya halvorsen"}).content.decode()
    assert "Priya Raman" in found and "Person001" not in found
    tagged = owner_client.get(
        reverse("contacts:list"), {"tag": world.contact.tags.get().pk}
    ).content.decode()
    assert "Priya Raman" in tagged and "Person001" not in tagged
    alumni = owner_client.get(reverse("contacts:list"), {"connection": "alumni"}).content.decode()
    assert "Priya Raman" in alumni and "Ines Alvarez" not in alumni
    # Nonsense parameters fall back to defaults instead of erroring.
    assert (
        owner_client.get(
            reverse("contacts:list"), {"page": "x", "tag": "y", "sort": "z"}
        ).status_code
        == 200
    )


def test_htmx_search_returns_only_the_results(world, owner_client: Client) -> None:
    response = owner_client.get(reverse("contacts:list"), {"q": "priya"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Priya Raman" in html and "<html" not in html and "<form" not in html


def test_contact_picker_searches_only_own_contacts(world, outsider, owner_client: Client) -> None:
    from tests.conftest import build_world

    build_world(outsider)
    html = owner_client.get(
        reverse("contacts:pick"), {"q": "priya", "name": "contact"}
    ).content.decode()
    assert html.count('name="contact"') == 1


def test_note_added_with_htmx_and_counts_as_interaction(world, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("notes:add_to_contact", args=[world.contact.pk]),
        {"note-text": "Loves trail running."},
        HTTP_HX_REQUEST="true",
    )
    assert "Loves trail running." in response.content.decode()
    world.contact.refresh_from_db()
    assert world.contact.last_interaction is not None


def test_empty_note_is_refused(world, owner_client: Client) -> None:
    owner_client.post(reverse("notes:add_to_contact", args=[world.contact.pk]), {"note-text": ""})
    assert Note.objects.filter(contact=world.contact).count() == 1


def test_deleting_a_contact_lists_consequences_then_cascades(world, owner_client: Client) -> None:
    url = reverse("contacts:delete", args=[world.contact.pk])
    html = owner_client.get(url).content.decode()
    # What goes with them, read from the cascade rules, in whole words.
    assert "1 conversation will be deleted with it." in html
    assert "1 note will be deleted with it." in html
    assert "1 contact stays, without an introducer." not in html  # Priya introduced nobody
    assert "(s)" not in html
    owner_client.post(url)
    assert not Contact.objects.filter(pk=world.contact.pk).exists()
    assert not Note.objects.filter(pk=world.note.pk).exists()
    assert Contact.objects.filter(pk=world.introducer.pk).exists()
