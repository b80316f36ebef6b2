"""Pages run a fixed number of queries, however much data the account holds (no N+1).

Each page is measured once on a small account and again after the account has grown; the
counts must be equal. Seconds are measured in bench/, never here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coffeechat.contacts.models import Contact, Tag
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.followups.models import FollowUp
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization

pytestmark = pytest.mark.django_db


def grow(world, owner, n: int = 60) -> None:
    """Adds n contacts, each with an organization, tags, a conversation, notes, learnings and a
    follow-up, spread over every status."""
    now = timezone.now()
    orgs = Organization.objects.bulk_create(
        [Organization(owner=owner, name=f"Org {i}", key=f"org {i}") for i in range(n)]
    )
    tags = Tag.objects.bulk_create([Tag(owner=owner, name=f"tag{i}") for i in range(5)])
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                owner=owner,
                first_name=f"P{i}",
                last_name="Many",
                organization=orgs[i],
                introduced_by=world.contact,
                how_connected="alumni",
                last_interaction=timezone.localdate(),
            )
            for i in range(n)
        ]
    )
    for i, contact in enumerate(contacts):
        contact.tags.add(tags[i % 5], tags[(i + 1) % 5])
    statuses = list(Status)
    conversations = Conversation.objects.bulk_create(
        [
            Conversation(
                owner=owner,
                contact=c,
                status=statuses[i % len(statuses)],
                scheduled_at=now,
                starts_at=now + dt.timedelta(days=1),
                held_at=now - dt.timedelta(hours=2),
            )
            for i, c in enumerate(contacts)
        ]
        + [
            Conversation(
                owner=owner, contact=world.contact, status=s, starts_at=now + dt.timedelta(days=1)
            )
            for s in statuses
        ]
    )
    for conversation in conversations:
        conversation.targets.add(world.target)
    Note.objects.bulk_create(
        [Note(owner=owner, contact=world.contact, text=f"note {i}") for i in range(n)]
        + [Note(owner=owner, conversation=c, text="conv note") for c in conversations]
    )
    Learning.objects.bulk_create(
        [Learning(owner=owner, conversation=c, text="x") for c in conversations]
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(owner=owner, contact=c, due_on=timezone.localdate(), what="ping")
            for c in contacts
        ]
        + [FollowUp(owner=owner, contact=world.contact, due_on=timezone.localdate(), what="ping")]
        * 1
    )


def _count(client: Client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


PAGES = [
    ("dashboard:home", None, {}),
    ("contacts:list", None, {}),
    ("contacts:list", None, {"page": 2}),
    ("contacts:list", None, {"q": "priya", "sort": "recent"}),
    ("contacts:list", None, {"tag": "first", "connection": "alumni", "sort": "added"}),
    ("contacts:detail", "contact", {}),
    ("conversations:board", None, {}),
    ("conversations:detail", "conversation", {}),
    ("targets:list", None, {}),
    ("targets:detail", "target", {}),
    ("followups:list", None, {}),
    ("organizations:list", None, {}),
]


def _url(world, name: str, obj: str | None) -> str:
    return reverse(name, args=[getattr(world, obj).pk]) if obj else reverse(name)


def test_query_counts_do_not_grow_with_the_data(world, owner, owner_client: Client) -> None:
    def params_for(p: dict) -> dict:
        tag = Tag.objects.filter(owner=owner).order_by("id").first()
        return {k: (tag.pk if v == "first" else v) for k, v in p.items()}

    owner_client.get("/")  # The first request of a session stores the user's time zone in it.
    # Page 2 needs more than one page of data to exist in both runs.
    Contact.objects.bulk_create([Contact(owner=owner, first_name=f"Seed{i}") for i in range(60)])
    small = {
        (n, o, str(p)): _count(owner_client, _url(world, n, o), params_for(p)) for n, o, p in PAGES
    }
    grow(world, owner)
    large = {
        (n, o, str(p)): _count(owner_client, _url(world, n, o), params_for(p)) for n, o, p in PAGES
    }
    assert large == small
    # And stay small in absolute terms.
    assert max(large.values()) <= 15, large
