"""Long lists: "Next →" leads to the next rows, with the list's filters kept."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.services import conversation_create
from coffeechat.followups.models import FollowUp
from coffeechat.organizations.models import Organization, organization_key
from coffeechat.questions.models import Question

pytestmark = pytest.mark.django_db

ROWS = 55  # a page holds 50
MARK = re.compile(r"Row \d{3}")
NEXT = re.compile(r'<a [^>]*href="([^"]*)" rel="next">Next →</a>')


def _names() -> list[str]:
    return [f"Row {n:03}" for n in range(1, ROWS + 1)]


def _contacts(owner: User) -> None:
    Contact.objects.bulk_create(
        Contact(owner=owner, first_name="Ada", last_name=name) for name in _names()
    )


def _organizations(owner: User) -> None:
    Organization.objects.bulk_create(
        Organization(owner=owner, name=name, key=organization_key(name)) for name in _names()
    )


def _questions(owner: User) -> None:
    Question.objects.bulk_create(Question(owner=owner, text=f"{name}?") for name in _names())


def _ideas(owner: User) -> None:
    for name in _names():
        contact = Contact.objects.create(owner=owner, first_name="Ada", last_name=name)
        conversation_create(owner=owner, contact=contact)


def _followups(owner: User, *, done: bool = False) -> None:
    contact = Contact.objects.create(owner=owner, first_name="Ada", last_name="Lovelace")
    now = timezone.now()
    FollowUp.objects.bulk_create(
        FollowUp(
            owner=owner,
            contact=contact,
            due_on=timezone.localdate(),
            what=name,
            # Done at one moment: rows that tie on the list's order must not repeat on page 2.
            done_at=now if done else None,
        )
        for name in _names()
    )


LISTS: dict[str, tuple[str, Callable[[User], None]]] = {
    "contacts": ("/contacts/", _contacts),
    "contacts sorted by recent interaction": ("/contacts/?sort=recent", _contacts),
    "organizations": ("/organizations/", _organizations),
    "your own questions": ("/questions/?mine=1", _questions),
    "idea conversations": ("/conversations/?status=idea", _ideas),
    "open follow-ups": ("/followups/", _followups),
    "done follow-ups": ("/followups/?show=done", lambda owner: _followups(owner, done=True)),
}


@pytest.mark.parametrize("name", LISTS)
def test_next_on_a_long_list_shows_the_next_rows_with_the_same_filters(
    owner: User, owner_client: Client, name: str
) -> None:
    url, build = LISTS[name]
    build(owner)
    first = owner_client.get(url).content.decode()
    link = NEXT.search(first)
    assert link, f"{name}: no 'Next →' link"
    href = link.group(1).replace("&amp;", "&")
    assert "??" not in href
    second_url = urljoin(url, href)
    # The filters of the first page stay (?mine=1, ?status=idea, ?show=done, ?sort=recent).
    assert set(parse_qsl(urlsplit(url).query)) <= set(parse_qsl(urlsplit(second_url).query))
    second = owner_client.get(second_url).content.decode()
    assert f"Page 2 of 2 · {ROWS} in all" in second
    on_first, on_second = set(MARK.findall(first)), set(MARK.findall(second))
    assert len(on_first) == 50 and len(on_second) == ROWS - 50
    assert not on_first & on_second
