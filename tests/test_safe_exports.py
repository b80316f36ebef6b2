"""Exports that cannot be turned against their reader, and links only to web addresses.

Every file is read back with a parser (csv, vobject, icalendar), as the program that opens
it would."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import vobject
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from coffeechat.contacts.forms import ContactForm
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.organizations.models import Organization
from coffeechat.portability.selectors import contacts_csv, contacts_vcard
from tests.conftest import World
from tests.discovery import valid_body

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("https://evil.example")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


def test_csv_cells_that_start_like_a_formula_are_written_as_text(world: World, owner: User) -> None:
    Contact.objects.filter(pk=world.contact.pk).update(
        first_name=FORMULAS[0],
        last_name=FORMULAS[1],
        title=FORMULAS[2],
        notes=FORMULAS[3],
        phone=FORMULAS[4],
        email="",
        linkedin_url=FORMULAS[5],
    )
    Organization.objects.filter(pk=world.organization.pk).update(name="=1+2")
    rows = list(csv.DictReader(io.StringIO(contacts_csv(user=owner), newline="")))
    row = next(r for r in rows if r["First Name"].endswith(FORMULAS[0]))
    for column, value in [
        ("First Name", FORMULAS[0]),
        ("Last Name", FORMULAS[1]),
        ("Organization Title", FORMULAS[2]),
        ("Notes", FORMULAS[3]),
        ("Phone 1 - Value", FORMULAS[4]),
        ("Website 1 - Value", FORMULAS[5]),
        ("Organization Name", "=1+2"),
    ]:
        assert row[column] == "'" + value, column
    # Everything else is left as typed.
    other = next(r for r in rows if r["First Name"] == "Ines")
    assert other["Last Name"] == "Alvarez"


def test_the_csv_download_from_the_settings_page_is_neutralized_too(
    world: World, owner_client: Client
) -> None:
    Contact.objects.filter(pk=world.contact.pk).update(first_name="=2+5")
    response = owner_client.get(reverse("portability:export") + "?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode(), newline="")))
    assert ["'=2+5"] == [r[0] for r in rows if r[0].endswith("=2+5")]


def test_vcard_values_with_line_breaks_stay_inside_their_own_property(
    world: World, owner: User
) -> None:
    Contact.objects.filter(pk=world.contact.pk).update(
        first_name="Priya\r\nEMAIL:attacker@evil.example",
        last_name="Raman;\nTEL:+1 555 0199",
        title="Liaison\rX-EVIL:1",
        notes="Line one\nLine two, with; punctuation\\",
        linkedin_url="https://example.com/in/priya\r\nURL:javascript:alert(1)",
        email="priya@example.com",
    )
    text = contacts_vcard(user=owner)
    cards = list(vobject.readComponents(text))
    assert len(cards) == 2
    card = next(c for c in cards if c.n.value.given.startswith("Priya"))
    assert [e.value for e in card.contents["email"]] == ["priya@example.com"]
    assert "tel" not in card.contents and "x-evil" not in card.contents
    assert len(card.contents["url"]) == 1
    assert card.n.value.given == "Priya\nEMAIL:attacker@evil.example"
    assert card.n.value.family == "Raman;\nTEL:+1 555 0199"
    assert card.title.value == "Liaison\nX-EVIL:1"
    assert card.note.value == "Line one\nLine two, with; punctuation\\"
    assert card.url.value == "https://example.com/in/priya\nURL:javascript:alert(1)"
    # Folded by the writer: no line over 75 octets.
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_the_vcard_export_reads_back_into_coffeechat_the_same(world: World, owner: User) -> None:
    from coffeechat.imports.parsers import parse

    text = contacts_vcard(user=owner)
    parsed = parse(text.encode(), family="vcard")
    names = sorted((p.first_name, p.last_name) for p in parsed.people)
    assert names == [("Ines", "Alvarez"), ("Priya", "Raman")]


def test_a_calendar_file_is_written_by_icalendar_and_reads_back_whole(
    world: World, owner_client: Client
) -> None:
    Contact.objects.filter(pk=world.contact.pk).update(first_name="Priya;\r\nBEGIN:VEVENT")
    Conversation.objects.filter(pk=world.conversation.pk).update(
        status=Status.SCHEDULED,
        starts_at=dt.datetime(2030, 1, 7, 10, tzinfo=dt.UTC),
        notes="Ask about\r\nEND:VCALENDAR",
    )
    response = owner_client.get(reverse("calendar:conversation_ics", args=[world.conversation.pk]))
    calendar = Calendar.from_ical(response.content)
    assert len(calendar.walk("VEVENT")) == 1
    (event,) = calendar.walk("VEVENT")
    assert "Priya;\nBEGIN:VEVENT" in str(event["summary"])
    assert str(event["description"]).endswith("Ask about\nEND:VCALENDAR")


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:x",
        "ftp://example.com/x",
    ],
)
def test_only_web_addresses_become_links(address: str, world: World, owner_client: Client) -> None:
    # As an import or an older version may have stored them.
    Contact.objects.filter(pk=world.contact.pk).update(linkedin_url=address)
    Organization.objects.filter(pk=world.organization.pk).update(website=address)
    for url in (
        reverse("contacts:detail", args=[world.contact.pk]),
        reverse("organizations:detail", args=[world.organization.pk]),
    ):
        html = owner_client.get(url).content.decode()
        assert f'href="{address.strip()}' not in html and 'href="javascript' not in html.lower()
        assert address.strip().split(":")[0] in html  # still shown, as text


def test_web_addresses_stay_links(world: World, owner_client: Client) -> None:
    Contact.objects.filter(pk=world.contact.pk).update(linkedin_url="https://www.linkedin.com/in/p")
    html = owner_client.get(reverse("contacts:detail", args=[world.contact.pk])).content.decode()
    assert 'href="https://www.linkedin.com/in/p"' in html


def test_a_place_that_is_a_script_address_is_not_linked(world: World, owner_client: Client) -> None:
    Conversation.objects.filter(pk=world.conversation.pk).update(place="javascript:alert(1)")
    html = owner_client.get(reverse("conversations:detail", args=[world.conversation.pk]))
    assert 'href="javascript' not in html.content.decode().lower()


def test_the_contact_form_refuses_an_address_that_is_not_a_web_one(
    world: World, owner: User
) -> None:
    for address in ("javascript:alert(1)", "ftp://example.com/x"):
        data = valid_body(ContactForm, owner, linkedin_url=address)
        form = ContactForm(data, owner=owner, instance=Contact(owner=owner))
        assert not form.is_valid() and "linkedin_url" in form.errors
