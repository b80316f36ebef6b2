"""Fit assessment, evidence both ways, open questions into the planner, compare, insights."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.conversations.services import conversation_create
from coffeechat.core.language import terms
from coffeechat.fit.insights import Said, themes
from coffeechat.fit.models import FitLine, OpenQuestion
from coffeechat.prep.models import PrepItem
from coffeechat.prep.services import prep_plan_generate
from coffeechat.targets.models import Target
from tests.conftest import World


def test_an_open_question_appears_in_the_next_prep_plan_for_that_target(
    owner: User, owner_client: Client, world: World, bank
) -> None:
    response = owner_client.post(
        f"/fit/targets/{world.target.pk}/open-questions/",
        {"text": "Do liaisons keep a home office?"},
    )
    assert response.status_code == 302
    open_question = OpenQuestion.objects.get(question__text="Do liaisons keep a home office?")
    assert open_question.question.owner == owner

    someone = Contact.objects.create(owner=owner, first_name="Noor", title="Field manager")
    following = conversation_create(owner=owner, contact=someone, targets=[world.target])
    plan = prep_plan_generate(conversation=following)
    item = PrepItem.objects.get(plan=plan, question=open_question.question)
    assert "open question in your fit assessment" in item.reason
    page = owner_client.get(f"/prep/{following.pk}/").content.decode()
    assert "Do liaisons keep a home office?" in page

    # Answered: no longer brought as an open question (it stays in the user's own bank).
    owner_client.post(f"/fit/open-questions/{open_question.pk}/toggle/")
    again = conversation_create(owner=owner, contact=someone, targets=[world.target])
    later = prep_plan_generate(conversation=again)
    assert not any(
        "open question" in item.reason
        for item in later.items.filter(question=open_question.question)
    )


def test_rate_a_dimension_and_cite_a_learning_which_shows_where_it_is_cited(
    owner_client: Client, world: World
) -> None:
    owner_client.post(
        f"/fit/targets/{world.target.pk}/dimensions/",
        {"skills_rating": "4", "skills_text": "My lab years count.", "at": "skills"},
    )
    line = FitLine.objects.get(target=world.target, kind="skills")
    assert line.rating == 4
    owner_client.post(f"/fit/lines/{line.pk}/cite/", {"learnings": [world.learning.pk]})
    assert list(line.learnings.all()) == [world.learning]
    assert list(world.learning.fit_lines.order_by("id")) == [world.fit_line, line]

    conversation_page = owner_client.get(f"/conversations/{world.conversation.pk}/")
    assert "Cited in" in conversation_page.content.decode()
    assert f"/fit/targets/{world.target.pk}/#skills" in conversation_page.content.decode()
    assessment = owner_client.get(f"/fit/targets/{world.target.pk}/").content.decode()
    assert world.learning.text in assessment and "My lab years count." in assessment


def test_saving_the_fit_page_writes_every_dimension_typed_and_keeps_cited_evidence(
    owner_client: Client, world: World
) -> None:
    lifestyle = world.fit_line  # rated 3, "Travel is heavy.", citing the world's learning
    response = owner_client.post(
        f"/fit/targets/{world.target.pk}/dimensions/",
        {
            "motivation_rating": "5",
            "motivation_text": "I want to be in the field.",
            "skills_rating": "",
            "skills_text": "  Assays, every day.  ",
            "lifestyle_rating": "2",
            "lifestyle_text": "Travel is heavy.",
            "at": "skills",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fit/targets/{world.target.pk}/#skills"
    lines = {line.kind: line for line in FitLine.objects.filter(target=world.target)}
    assert (lines["motivation"].rating, lines["motivation"].text) == (
        5,
        "I want to be in the field.",
    )
    assert (lines["skills"].rating, lines["skills"].text) == (None, "Assays, every day.")
    assert lines["lifestyle"].pk == lifestyle.pk and lines["lifestyle"].rating == 2
    assert list(lines["lifestyle"].learnings.all()) == [world.learning]
    # Dimensions left empty get no line.
    assert "interests" not in lines and "goals" not in lines


def test_a_fit_page_save_with_a_bad_rating_saves_nothing_and_shows_what_was_typed(
    owner_client: Client, world: World
) -> None:
    response = owner_client.post(
        f"/fit/targets/{world.target.pk}/dimensions/",
        {"motivation_rating": "4", "motivation_text": "Science with people.", "goals_rating": "9"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "Science with people." in html and '<option value="4" selected>' in html
    assert not FitLine.objects.filter(target=world.target, kind="motivation").exists()


def test_the_fit_page_gives_every_field_its_own_label(owner_client: Client, world: World) -> None:
    html = owner_client.get(f"/fit/targets/{world.target.pk}/").content.decode()
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for field in re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', html):
        assert f'for="{field}"' in html, field


def test_citing_evidence_with_htmx_swaps_only_that_lines_evidence(
    owner_client: Client, world: World
) -> None:
    response = owner_client.post(
        f"/fit/lines/{world.fit_line.pk}/cite/",
        {"learnings": [world.learning.pk]},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<div class="evidence-block" id="evidence-{world.fit_line.pk}">'
    )
    assert "Evidence saved." in html and world.learning.text in html
    assert "<html" not in html


def test_a_learning_about_another_target_cannot_be_cited(
    owner: User, owner_client: Client, world: World
) -> None:
    other = Target.objects.create(owner=owner, name="Elsewhere")
    line = FitLine.objects.create(owner=owner, target=other, kind="strength", text="x")
    owner_client.post(f"/fit/lines/{line.pk}/cite/", {"learnings": [world.learning.pk]})
    assert not line.learnings.exists()


def test_compare_matrix_links_evidence_to_the_conversations_and_sorts(
    owner: User, owner_client: Client, world: World
) -> None:
    Target.objects.create(owner=owner, name="Aalto Diagnostics", motivation=0)
    html = owner_client.get("/fit/").content.decode()
    link = f'href="/conversations/{world.conversation.pk}/"'
    assert link in html
    conversation = owner_client.get(f"/conversations/{world.conversation.pk}/")
    assert conversation.status_code == 200
    assert world.learning.text in conversation.content.decode()

    def order(sort: str) -> list[str]:
        page = owner_client.get(f"/fit/?sort={sort}").content.decode()
        return re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a>', page)

    assert order("name") == ["Aalto Diagnostics", "Halvorsen Biologics"]
    assert order("evidence") == ["Halvorsen Biologics", "Aalto Diagnostics"]
    assert order("lamp") == ["Halvorsen Biologics", "Aalto Diagnostics"]
    assert order("bogus") == order("lamp")


def test_insights_find_themes_said_in_several_held_conversations(
    owner: User, owner_client: Client, world: World
) -> None:
    second = conversation_create(
        owner=owner,
        contact=Contact.objects.create(owner=owner, first_name="Karin"),
        targets=[world.target],
    )
    Conversation.objects.filter(pk__in=[world.conversation.pk, second.pk]).update(
        status=Status.HELD, held_at=timezone.now()
    )
    Learning.objects.create(
        owner=owner, conversation=world.conversation, text="Expect a lot of windshield time."
    )
    Learning.objects.create(
        owner=owner, conversation=second, kind="negative", text="Windshield time wears you down."
    )
    html = owner_client.get(f"/fit/targets/{world.target.pk}/insights/").content.decode()
    assert "“windshield time”" in html
    assert f'href="/conversations/{second.pk}/#learnings"' in html


@given(st.lists(st.tuples(st.integers(1, 4), st.text(max_size=40)), max_size=12))
def test_every_theme_comes_from_several_conversations(rows: list[tuple[int, str]]) -> None:
    said = [Said(cid, f"c{cid}", text, "/") for cid, text in rows]
    for theme in themes(said):
        assert theme.conversations >= 2
        assert all(theme.key in {key for key, _ in terms(place.text)} for place in theme.places)
