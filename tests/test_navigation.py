"""The top bar marks the section every page belongs to."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import World

CURRENT = re.compile(r'<a href="[^"]*" aria-current="page">([^<]+)</a>')

PAGES = {
    "/conversations/{conversation}/": "Conversations",
    "/interview/{conversation}/": "Conversations",
    "/interview/{conversation}/summary/": "Conversations",
    "/prep/{conversation}/": "Conversations",
    "/outreach/conversations/{conversation}/draft/": "Conversations",
    "/outreach/templates/": "Conversations",
    "/outreach/keep-in-touch/": "Follow-ups",
    "/interview/shadowing/{contact}/": "Contacts",
    "/notes/{note}/edit/": "Contacts",
    "/import/": "Contacts",
    "/fit/targets/{target}/": "Fit",
    "/": "This week",
}


@pytest.mark.parametrize("path", PAGES)
def test_the_top_bar_marks_the_section_of_every_page(
    owner_client: Client, world: World, path: str
) -> None:
    url = path.format(
        conversation=world.conversation.pk,
        contact=world.contact.pk,
        note=world.note.pk,
        target=world.target.pk,
    )
    response = owner_client.get(url)
    assert response.status_code == 200
    assert CURRENT.findall(response.content.decode()) == [PAGES[path]]


@pytest.mark.parametrize("path", ["/settings/", "/guide/", "/guide/glossary/"])
def test_the_account_pages_and_the_guide_mark_no_section(owner_client: Client, path: str) -> None:
    assert CURRENT.findall(owner_client.get(path).content.decode()) == []
