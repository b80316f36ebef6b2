"""What a draft quotes and signs, and the second step before logging a flagged draft."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.services import profile_for
from coffeechat.conversations.models import Learning, Status
from coffeechat.conversations.services import conversation_transition, learning_add
from coffeechat.outreach.models import Outreach
from tests.conftest import World

pytestmark = pytest.mark.django_db

NEGATIVE = "CRAs travel 60% of the time; hard with a family"
ADVICE = "Shadow a field rep before you decide"


def _held(world: World) -> None:
    conversation_transition(
        conversation=world.conversation, to=Status.SCHEDULED, starts_at=timezone.now()
    )
    conversation_transition(conversation=world.conversation, to=Status.HELD)


def _thanks_draft(owner_client, world: World, query: str = "") -> str:
    url = reverse("outreach:draft", args=[world.conversation.pk]) + "?kind=thanks" + query
    return owner_client.get(url).content.decode()


def test_thank_you_never_quotes_a_negative_learning(owner_client, world: World) -> None:
    _held(world)
    # The negative is the latest learning: the old rule quoted the latest one.
    learning_add(conversation=world.conversation, kind=Learning.Kind.NEGATIVE, text=NEGATIVE)
    html = _thanks_draft(owner_client, world)
    assert "CRAs travel 60%" not in html
    # Nothing positive or advice to quote: the gap stays visible for the user to fill.
    assert "[something specific the contact said" in html
    # And the negative is not even offered in the "Mention" list.
    assert 'id="pick-learning"' in html and f"{NEGATIVE[:20]}" not in html


def test_thank_you_quotes_advice_by_default_and_what_the_user_picks(
    owner_client, world: World
) -> None:
    _held(world)
    advice = learning_add(conversation=world.conversation, kind="advice", text=ADVICE + ".")
    learning_add(conversation=world.conversation, kind=Learning.Kind.NEGATIVE, text=NEGATIVE)
    html = _thanks_draft(owner_client, world)
    assert f"\u201c{ADVICE}\u201d" in html
    assert f'<input type="radio" name="learning" value="{advice.pk}" checked>' in html
    # world.learning is a "reality" learning: the user may choose it instead.
    picked = _thanks_draft(owner_client, world, f"&learning={world.learning.pk}")
    assert "\u201cTerritories are large\u201d" in picked
    # An id that is not a mentionable learning of this conversation falls back to the default.
    negative = Learning.objects.get(text=NEGATIVE)
    assert f"\u201c{ADVICE}\u201d" in _thanks_draft(owner_client, world, f"&learning={negative.pk}")


def test_thank_you_signs_with_the_name_not_the_username(
    owner_client, owner: User, world: World
) -> None:
    _held(world)
    profile = profile_for(owner)
    profile.display_name = ""
    profile.save()
    html = _thanks_draft(owner_client, world)
    assert "\nowner</textarea>" not in html
    assert "[your name]" in html and "Add it in settings" in html
    owner.first_name, owner.last_name = "Olivia", "Okafor"
    owner.save()
    assert "Olivia Okafor</textarea>" in _thanks_draft(owner_client, world)


def _post_draft(owner_client, world: World, **extra: str):
    data = {
        "kind": "request_email",
        "subject": "Hello",
        "body": "Hi Priya, we share a school. Could you refer me for the open associate job?",
        "channel": "email",
        "sent_on": timezone.localdate().isoformat(),
        **extra,
    }
    return owner_client.post(reverse("outreach:draft", args=[world.conversation.pk]), data)


def test_a_draft_that_asks_for_a_job_is_not_logged_without_a_second_step(
    owner_client, world: World
) -> None:
    before = Outreach.objects.count()
    response = _post_draft(owner_client, world)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The checker found an error in this draft" in html
    assert 'name="send_anyway"' in html
    # What was typed is still there to fix.
    assert "Could you refer me for the open associate job?" in html
    assert Outreach.objects.count() == before

    response = _post_draft(owner_client, world, send_anyway="on")
    assert response.status_code == 302
    assert Outreach.objects.count() == before + 1


def test_a_draft_posted_with_an_unknown_kind_is_refused_with_the_form(
    owner_client, world: World
) -> None:
    before = Outreach.objects.count()
    response = _post_draft(owner_client, world, kind="pwned")
    assert response.status_code == 200  # was a 500: the kind went to DraftKind() unchecked
    assert Outreach.objects.count() == before


def test_the_checker_praises_a_thank_you_for_what_it_checks(owner_client, world: World) -> None:
    _held(world)
    html = _thanks_draft(owner_client, world)
    assert "No findings: specific, about them, and no ask." in html
    assert "ending with a question" not in html
