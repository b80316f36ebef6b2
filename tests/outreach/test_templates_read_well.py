"""The built-in templates as a user reads them once filled (issue 11 item 7): the target fitted
into the sentence whatever its kind, a line about the sender from their settings, something
specific for a cold contact instead of a vague compliment, and a request to shadow for a day."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Learning
from coffeechat.conversations.services import conversation_create, learning_add
from coffeechat.organizations.models import Organization
from coffeechat.outreach import checker, drafts
from coffeechat.outreach.models import CHECKER_KIND, DraftKind
from coffeechat.targets.models import Target
from tests.conftest import World

pytestmark = pytest.mark.django_db

BACKGROUND = "Biology graduate, two summers in a lab"


def _fill(conversation: Conversation, kind: str) -> tuple[str, str]:
    values = drafts.draft_values(conversation=conversation, profile=profile_for(conversation.owner))
    template = drafts.template_for(kind)
    return drafts.fill(template.subject, values), drafts.fill(template.body, values)


def _targets(owner: User, organization: Organization) -> dict[str, list[Target]]:
    other = Organization.objects.create(owner=owner, name="Meridian Health")
    return {
        "industry": [
            Target.objects.create(owner=owner, kind="industry", name="Pharmaceutical sales")
        ],
        "its own employer": [
            Target.objects.create(
                owner=owner, kind="organization", name=organization.name, organization=organization
            )
        ],
        "another employer": [
            Target.objects.create(
                owner=owner, kind="organization", name=other.name, organization=other
            )
        ],
        "role naming a person": [
            Target.objects.create(owner=owner, kind="role", name="Medical science liaison")
        ],
        "role naming a field": [
            Target.objects.create(owner=owner, kind="role", name="Clinical research")
        ],
        "no target": [],
    }


def test_every_template_reads_well_for_every_kind_of_target_and_connection(owner: User) -> None:
    """Filled as the draft page fills it: no placeholder left in braces, no error and no
    warning from the checker, a LinkedIn note within 300 characters, a request under 100
    words, and the contact's employer never named twice in one message."""
    profile = profile_for(owner)
    profile.background = BACKGROUND
    profile.save()
    organization = Organization.objects.create(
        owner=owner, name="Halvorsen Biologics", industry="Biotechnology"
    )
    introducer = Contact.objects.create(owner=owner, first_name="Ines", last_name="Alvarez")
    checked = 0
    for case, targets in _targets(owner, organization).items():
        for connection in Contact.Connection.values:
            for detail in ("", "UNC Biology, class of 2019"):
                contact = Contact.objects.create(
                    owner=owner,
                    first_name="Dana",
                    last_name="Whitfield",
                    organization=organization,
                    how_connected=connection,
                    connection_detail=detail,
                    introduced_by=introducer if connection == "referral" and detail else None,
                )
                conversation = conversation_create(owner=owner, contact=contact, targets=targets)
                learning_add(
                    conversation=conversation,
                    kind=Learning.Kind.ADVICE,
                    text="Learn the regulations before the science",
                )
                for kind in DraftKind.values:
                    subject, body = _fill(conversation, kind)
                    where = (case, connection, detail, kind, body)
                    assert "{" not in body + subject, where
                    assert not re.search(r"\s[,.;:]|  |\.\.", body), where
                    report = checker.check(body, CHECKER_KIND[DraftKind(kind)])
                    assert [
                        (f.rule, f.severity) for f in report.findings if f.severity != "notice"
                    ] == [], where
                    assert body.count("Halvorsen Biologics") <= 1, where
                    if kind == DraftKind.REQUEST_LINKEDIN_NOTE:
                        assert len(body) <= checker.LINKEDIN_NOTE_LIMIT, where
                    if kind in (DraftKind.REQUEST_EMAIL, DraftKind.SECOND_CONTACT):
                        assert report.words <= checker.REQUEST_WORDS_WARNING, where
                    checked += 1
    assert checked == 6 * len(Contact.Connection.values) * 2 * len(DraftKind.values)


@pytest.mark.parametrize(
    ("kind", "name", "reads"),
    [
        ("industry", "Pharmaceutical sales", "I am learning about pharmaceutical sales,"),
        ("organization", "Meridian Health", "I am learning about Meridian Health,"),
        (
            "role",
            "Medical science liaison",
            "I am learning about the work of a medical science liaison,",
        ),
        ("role", "Electrician", "I am learning about the work of an electrician,"),
        (
            "role",
            "Clinical research associates",
            "I am learning about the work of clinical research associates,",
        ),
        ("role", "Product management", "I am learning about product management,"),
        ("role", "VP of Product", "I am learning about the work of a VP of Product,"),
    ],
)
def test_the_target_is_fitted_into_the_sentence(
    world: World, kind: str, name: str, reads: str
) -> None:
    world.conversation.targets.set(
        [Target.objects.create(owner=world.target.owner, kind=kind, name=name)]
    )
    _, body = _fill(world.conversation, DraftKind.REQUEST_EMAIL)
    assert reads in body


def test_without_a_target_the_request_names_the_contacts_field_or_employer(world: World) -> None:
    world.conversation.targets.clear()
    _, body = _fill(world.conversation, DraftKind.REQUEST_EMAIL)
    assert "I am learning about biotechnology," in body
    world.organization.industry = ""
    world.organization.save()
    _, body = _fill(world.conversation, DraftKind.REQUEST_EMAIL)
    assert "I am learning about Halvorsen Biologics," in body


def test_a_request_carries_a_line_about_the_sender_from_their_settings(
    world: World, owner_client: Client
) -> None:
    _, body = _fill(world.conversation, DraftKind.REQUEST_EMAIL)
    assert "About me: [one line about you: your background, in Settings]." in body
    owner_client.post(
        reverse("accounts:settings"),
        {
            "display_name": "Olivia Owner",
            "stage": "recent_graduate",
            "background": BACKGROUND + ".",
            "time_zone": "UTC",
            "weekly_goal": 1,
            "country": "",
            "digest_hour": 7,
            "email": "",
        },
    )
    assert profile_for(world.contact.owner).background == BACKGROUND + "."
    html = owner_client.get(
        reverse("outreach:draft", args=[world.conversation.pk]), {"kind": "request_email"}
    ).content.decode()
    assert f"About me: {BACKGROUND}." in html
    for kind in (DraftKind.REQUEST_LINKEDIN_MESSAGE, DraftKind.SECOND_CONTACT):
        assert f"About me: {BACKGROUND}." in _fill(world.conversation, kind)[1]


def test_a_cold_request_asks_for_something_specific_not_a_vague_compliment(
    world: World, owner_client: Client
) -> None:
    world.contact.how_connected = Contact.Connection.COLD
    world.contact.introduced_by = None
    world.contact.save()
    for kind in (DraftKind.REQUEST_EMAIL, DraftKind.REQUEST_LINKEDIN_NOTE):
        _, body = _fill(world.conversation, kind)
        assert "I read about your work" not in body
        assert (
            "I found your [talk, article or project: name it, and what struck you in it]." in body
        )
    # The draft page says what is still the user's to write before sending.
    html = owner_client.get(
        reverse("outreach:draft", args=[world.conversation.pk]), {"kind": "request_email"}
    ).content.decode()
    gaps = re.search(r'<div class="gaps" role="note">(.*?)</div>', html, re.S)
    assert gaps and "[talk, article or project: name it, and what struck you in it]" in gaps[1]
    assert "replace" in gaps[1]
    # Once written, nothing is left to write.
    filled = owner_client.post(
        reverse("outreach:check"),
        {
            "kind": "request_email",
            "body": "Hi Priya, I found your talk on rural trials. Would you have 20 minutes?",
        },
    ).content.decode()
    assert 'class="gaps"' not in filled


def test_shadowing_request_passes_the_checker(world: World) -> None:
    learning_add(
        conversation=world.conversation,
        kind=Learning.Kind.ADVICE,
        text="Spend time with the customers before you decide",
    )
    subject, body = _fill(world.conversation, DraftKind.SHADOWING)
    assert subject == "Could I shadow you for a day?"
    assert "shadowing you for a day, or part of one" in body
    assert "customers" in body
    assert "please just say so" in body  # easy to decline
    assert "“Spend time with the customers before you decide”" in body
    assert "see Halvorsen Biologics up close" in body
    for text in (subject, body):
        report = checker.check(text, CHECKER_KIND[DraftKind.SHADOWING])
        assert report.findings == [], (text, report.findings)


def test_the_template_page_lists_the_shadowing_request_and_the_background_placeholder(
    owner_client: Client,
) -> None:
    html = owner_client.get(reverse("outreach:templates")).content.decode()
    assert "Shadowing request" in html
    assert "{background}" in html
