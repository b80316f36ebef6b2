from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Status
from coffeechat.conversations.services import conversation_transition
from coffeechat.dashboard.selectors import week_bounds
from coffeechat.targets.models import Target

pytestmark = pytest.mark.django_db


def test_targets_sort_by_motivation_then_posting_then_advocacy(owner, owner_client: Client) -> None:
    for name, m, p, a in [
        ("C", 2, 3, True),
        ("A", 3, 1, False),
        ("B", 2, 3, False),
        ("D", 2, 1, True),
        ("E", 3, 1, True),
    ]:
        Target.objects.create(owner=owner, name=name, motivation=m, posting=p, advocacy=a)
    response = owner_client.get(reverse("targets:list"))
    assert [t.name for t in response.context["targets"]] == ["E", "A", "C", "B", "D"]


def test_target_form_links_the_organization_by_name(owner, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("targets:create"),
        {
            "kind": "organization",
            "name": "Larkspur Medical",
            "organization_name": "",
            "motivation": 3,
            "posting": 2,
            "advocacy": "on",
            "why": "Devices for rural clinics.",
            "status": "active",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(name="Larkspur Medical")
    assert target.organization.name == "Larkspur Medical" and target.advocacy


def test_target_motivation_out_of_range_is_refused(owner, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("targets:create"),
        {"kind": "industry", "name": "Biotech", "motivation": 7, "posting": 0, "status": "active"},
    )
    assert response.status_code == 200
    assert not Target.objects.exists()


def test_target_detail_lists_people_at_its_organization(world, owner_client: Client) -> None:
    html = owner_client.get(reverse("targets:detail", args=[world.target.pk])).content.decode()
    assert "Priya Raman" in html


def test_week_starts_on_monday() -> None:
    assert week_bounds(today=dt.date(2026, 11, 25)) == (
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 30),
    )


def test_dashboard_shows_goal_upcoming_thanks_and_followups(
    world, owner, owner_client: Client
) -> None:
    conversation_transition(conversation=world.conversation, to=Status.REQUESTED)
    conversation_transition(
        conversation=world.conversation,
        to=Status.SCHEDULED,
        starts_at=timezone.now() + dt.timedelta(days=2),
    )
    other = Conversation.objects.create(
        owner=owner,
        contact=world.introducer,
        status=Status.HELD,
        held_at=timezone.now() - dt.timedelta(hours=30),
    )
    response = owner_client.get(reverse("dashboard:home"))
    html = response.content.decode()
    assert response.context["progress"].scheduled == 1 and response.context["progress"].met
    assert "Priya Raman" in html  # upcoming
    assert list(response.context["thanks"]) == [other]
    assert "over 24 h" in html
    assert "Send the article" in html


def test_quick_add_creates_contact_and_idea(owner, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("dashboard:quick_add"),
        {
            "name": "Sam de Vries",
            "organization_name": "Northwind Labs",
            "title": "QA engineer",
            "as_idea": "on",
        },
    )
    assert response.status_code == 302
    sam = Contact.objects.get(first_name="Sam")
    assert sam.last_name == "de Vries" and sam.organization.name == "Northwind Labs"
    assert sam.conversations.get().status == Status.IDEA


def test_quick_add_without_a_name_shows_the_error(owner, owner_client: Client) -> None:
    response = owner_client.post(reverse("dashboard:quick_add"), {"name": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Contact.objects.exists()


def test_followup_toggle_with_htmx(world, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("followups:toggle", args=[world.followup.pk]), HTTP_HX_REQUEST="true"
    )
    assert "✓ Done" in response.content.decode()
    world.followup.refresh_from_db()
    assert world.followup.done_at is not None


def test_followup_toggle_does_not_redirect_off_site(world, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("followups:toggle", args=[world.followup.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("followups:list")


def test_target_contacts_gathers_every_reason_once_in_name_order(owner, outsider) -> None:
    """The people a target's page lists: at its organization, in a conversation about it, in
    its industry (industry target) or with the role in their title (role target); each once,
    by name, up to the limit, and never another user's."""
    from coffeechat.conversations.services import conversation_create
    from coffeechat.organizations.models import Organization
    from coffeechat.targets.selectors import target_contacts

    lab = Organization.objects.create(owner=owner, name="Kestrel Labs", industry="Biotechnology")
    elsewhere = Organization.objects.create(owner=owner, name="Wren Bio", industry="Biotechnology")
    theirs = Organization.objects.create(owner=outsider, name="Kestrel Labs", industry="Bio")

    def person(first: str, last: str, **fields) -> Contact:
        return Contact.objects.create(owner=owner, first_name=first, last_name=last, **fields)

    at_lab = person("Ada", "Zeller", organization=lab)
    talked = person("Bo", "Young", title="Medical science liaison")
    both = person("Cy", "Xu", organization=lab)
    in_industry = person("Di", "Webb", organization=elsewhere)
    nobody = person("Ed", "Vance")
    Contact.objects.create(owner=outsider, first_name="Oz", last_name="Zeller", organization=theirs)

    target = Target.objects.create(owner=owner, name="Kestrel Labs", organization=lab)
    conversation_create(owner=owner, contact=talked, targets=[target])
    conversation_create(owner=owner, contact=both, targets=[target])
    assert list(target_contacts(target=target)) == [both, talked, at_lab]
    assert list(target_contacts(target=target, limit=2)) == [both, talked]

    industry = Target.objects.create(owner=owner, name="biotechnology", kind=Target.Kind.INDUSTRY)
    assert list(target_contacts(target=industry)) == [in_industry, both, at_lab]

    role = Target.objects.create(owner=owner, name="science liaison", kind=Target.Kind.ROLE)
    assert list(target_contacts(target=role)) == [talked]
    assert nobody not in target_contacts(target=role)
