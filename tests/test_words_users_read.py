"""What users read: sentences that are right whatever the data (issue 10's wording list), and
the small paths that said nothing before (a duplicate e-mail, "Log reply" after the fact)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Status
from coffeechat.conversations.services import conversation_transition
from coffeechat.core.text import plural
from coffeechat.outreach import drafts
from coffeechat.outreach.models import DraftKind
from coffeechat.outreach.services import outreach_log
from coffeechat.prep.selectors import default_research
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_plural_counts_read_as_words() -> None:
    assert plural(1, "note") == "1 note"
    assert plural(0, "note") == "0 notes"
    assert plural(29690, "contact") == "29,690 contacts"
    assert plural(2, "person") == "2 people"


def test_research_checklist_reads_well_without_an_industry(world: World) -> None:
    world.organization.industry = ""
    world.organization.save()
    texts = [text for _, text in default_research(world.conversation)]
    assert "Two or three changes people in their field are talking about" in texts
    assert not any(text.startswith("the industry") for text in texts)
    world.organization.industry = "Biotechnology"
    world.organization.save()
    texts = [text for _, text in default_research(world.conversation)]
    assert "Biotechnology: two or three changes people in the field are talking about" in texts


def test_the_find_online_tag_comes_before_the_question_it_marks(
    world: World, owner_client: Client, bank
) -> None:
    html = owner_client.get(reverse("prep:page", args=[world.conversation.pk])).content.decode()
    assert "look it up" not in html
    assert not re.search(r"\?\s*<span class=\"tag\">", html)


def test_import_formats_are_spelled_as_the_brands_spell_them(owner_client: Client) -> None:
    html = owner_client.get(reverse("imports:upload")).content.decode()
    assert ">LinkedIn</option>" in html and ">vCard</option>" in html
    assert "Linkedin" not in html and "Vcard" not in html


def test_no_page_says_s_in_brackets(world: World, owner_client: Client) -> None:
    for url in (
        reverse("contacts:delete", args=[world.contact.pk]),
        reverse("conversations:delete", args=[world.conversation.pk]),
        reverse("targets:delete", args=[world.target.pk]),
        reverse("organizations:delete", args=[world.organization.pk]),
        reverse("contacts:merge", args=[world.contact.pk, world.introducer.pk]),
    ):
        html = owner_client.get(url).content.decode()
        assert "(s)" not in html, url


def test_the_request_does_not_glue_a_long_title_into_the_sentence(world: World) -> None:
    world.contact.title = "Territory manager, Southeast"
    world.contact.save()
    body = drafts.fill(
        drafts.BUILTIN[DraftKind.REQUEST_EMAIL].body,
        drafts.draft_values(conversation=world.conversation, profile=world.contact.owner.profile),
    )
    assert "as Territory manager, Southeast at" not in body
    assert "Halvorsen Biologics" in body


def test_an_industry_target_reads_in_lower_case_inside_a_sentence() -> None:
    assert drafts.in_sentence("Pharmaceutical sales") == "pharmaceutical sales"
    assert drafts.in_sentence("CRO operations") == "CRO operations"
    assert drafts.in_sentence("Pfizer", proper=True) == "Pfizer"
    assert drafts.in_sentence("iOS development") == "iOS development"


def test_one_advice_about_the_length_of_a_conversation(world: World, owner_client: Client) -> None:
    pages = [
        owner_client.get(reverse("conversations:create")).content.decode(),
        owner_client.get(
            reverse("conversations:edit", args=[world.conversation.pk])
        ).content.decode(),
    ]
    for html in pages:
        assert "15-30" not in html and "20-30" not in html
        assert "20 to 30" in html


def test_a_new_contact_with_an_email_already_on_file_asks_first(
    world: World, owner_client: Client
) -> None:
    world.contact.email = "priya@halvorsen.example"
    world.contact.save()
    data = {
        "first_name": "Priya",
        "last_name": "R.",
        "email": "Priya@Halvorsen.example",
        "how_connected": "cold",
        "organization_name": "",
        "tag_names": "",
    }
    response = owner_client.post(reverse("contacts:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Priya Raman already has this e-mail." in html
    assert 'name="save_anyway"' in html
    assert Contact.objects.filter(first_name="Priya").count() == 1
    # A shared inbox is real: ticking the box saves the second person.
    response = owner_client.post(reverse("contacts:create"), data | {"save_anyway": "on"})
    assert response.status_code == 302
    assert Contact.objects.filter(first_name="Priya").count() == 2
    # Editing the contact who has the e-mail does not trip over itself.
    edit = owner_client.post(
        reverse("contacts:edit", args=[world.contact.pk]),
        data | {"first_name": "Priya", "last_name": "Raman", "save_anyway": ""},
    )
    assert "already has this e-mail" in edit.content.decode()  # the second Priya has it now


def test_log_reply_is_gone_once_the_conversation_is_scheduled(
    world: World, owner_client: Client
) -> None:
    outreach_log(
        conversation=world.conversation,
        kind=DraftKind.REQUEST_EMAIL,
        channel="email",
        sent_on=timezone.localdate(),
    )
    url = reverse("conversations:detail", args=[world.conversation.pk])
    assert "Log reply" in owner_client.get(url).content.decode()
    conversation_transition(
        conversation=world.conversation, to=Status.SCHEDULED, starts_at=timezone.now()
    )
    conversation_transition(conversation=world.conversation, to=Status.HELD)
    assert "Log reply" not in owner_client.get(url).content.decode()


def test_an_email_with_a_nul_byte_is_refused_by_the_form_not_by_the_database(
    world: World, owner_client: Client
) -> None:
    """The "already has this e-mail" lookup runs before the form is validated: it must not
    send PostgreSQL a value it refuses (a NUL byte was an error page there, found by the fuzz)."""
    data = {
        "first_name": "Priya",
        "last_name": "Raman",
        "email": "\x00",
        "how_connected": "cold",
        "organization_name": "",
        "tag_names": "",
    }
    response = owner_client.post(reverse("contacts:edit", args=[world.contact.pk]), data)
    assert response.status_code == 200
    world.contact.refresh_from_db()
    assert "\x00" not in world.contact.email
