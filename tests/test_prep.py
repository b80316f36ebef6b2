"""Prep plans saved on a conversation: generating, editing, regenerating, the research
checklist, the print view, the PDF and Markdown files, and `coffeechat prep`."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pypdf
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import user_create
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.conversations.services import conversation_create
from coffeechat.demo.services import demo_build
from coffeechat.prep import services
from coffeechat.prep.models import PrepItem, PrepPlan, ResearchItem, TargetResearch
from coffeechat.prep.selectors import prep_sheet
from coffeechat.questions.models import Question
from coffeechat.questions.planner import PHASES, bounds
from tests.conftest import World
from tests.held import first_held_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(bank, world: World) -> Conversation:
    """The world's conversation without the plan the ownership test gives it."""
    PrepPlan.objects.filter(conversation=world.conversation).delete()
    ResearchItem.objects.filter(conversation=world.conversation).delete()
    return world.conversation


def _items(conversation: Conversation) -> list[PrepItem]:
    return list(PrepItem.objects.filter(plan__conversation=conversation).select_related("question"))


# The keys `coffeechat prep --format json` printed before issue 11: later versions only add.
FIRST_KEYS = {"conversation", "minutes", "total_minutes", "questions", "research"}
ADDED_KEYS = {"must_ask_minutes", "must_ask_limit", "family", "opening", "close"}


def check_sheet_json(data: dict, conversation_id: int | None) -> None:
    """The properties of `coffeechat prep ID --format json` (and `coffeechat plan`): the shape
    the issue gives, TIARA order, no duplicates, 1.5-2x the slot, must-ask within 75% of the
    slot, the opening first and a close with the referral ask and permission to use the name."""
    assert set(data) == FIRST_KEYS | ADDED_KEYS
    assert data["conversation"] == conversation_id
    questions = data["questions"]
    for question in questions:
        assert set(question) == {"id", "text", "phase", "topic", "minutes", "must_ask", "reason"}
        assert question["reason"]
    order = [PHASES.index(q["phase"]) for q in questions]
    assert order == sorted(order)
    assert len({q["id"] for q in questions}) == len(questions)
    low, high = bounds(data["minutes"])
    assert data["total_minutes"] == sum(q["minutes"] for q in questions)
    assert low <= data["total_minutes"] <= high
    must = sum(q["minutes"] for q in questions if q["must_ask"])
    assert must == data["must_ask_minutes"] <= data["must_ask_limit"] == data["minutes"] * 3 // 4
    assert any(q["must_ask"] and q["topic"] == "challenges" for q in questions)
    assert questions[-1]["topic"] == "referrals"
    assert [line["kind"] for line in data["opening"]] == ["thanks", "introduction"]
    assert [line["kind"] for line in data["close"]] == ["referral", "permission", "thanks"]
    assert data["close"][0]["question"] == questions[-1]["id"]
    for line in data["opening"] + data["close"]:
        assert set(line) == {"kind", "label", "text", "minutes", "why", "question"}
        assert line["why"] and line["label"]
    assert set(data["family"]) == {"key", "label", "note"} and data["family"]["note"]
    assert data["research"] and all({"text", "kind", "done"} == set(r) for r in data["research"])


def _prep_json(conversation_id: int, *args: str) -> dict:
    out = io.StringIO()
    call_command("prep", str(conversation_id), "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


# --- Generating and editing ---------------------------------------------------------------------


def test_generating_saves_the_plan_and_the_research_checklist(conversation, owner) -> None:
    plan = services.prep_plan_generate(conversation=conversation, minutes=30)

    items = _items(conversation)
    total = sum(item.question.minutes for item in items)
    assert 45 <= total <= 60 and plan.minutes == 30 and not plan.edited
    assert sum(i.question.minutes for i in items if i.must_ask) <= 30
    assert items[-1].question.topic == "referrals"
    assert all(item.reason and item.owner == owner for item in items)
    kinds = list(conversation.research_items.values_list("kind", flat=True))
    assert kinds[:4] == ["products", "competitors", "contact_path", "trends"]
    assert "search" in kinds  # questions a search would answer, listed to look up
    texts = " ".join(conversation.research_items.values_list("text", flat=True))
    assert "Halvorsen Biologics" in texts and "Priya Raman" in texts


def test_edits_persist_and_regenerating_asks_before_discarding_them(conversation) -> None:
    services.prep_plan_generate(conversation=conversation, minutes=30)
    items = _items(conversation)
    pinned, removed = items[3], items[5]
    services.prep_item_pin(item=pinned, pinned=True)
    services.prep_item_remove(item=removed)
    assert PrepPlan.objects.get(conversation=conversation).edited

    with pytest.raises(services.PlanHasEdits):
        services.prep_plan_generate(conversation=conversation, minutes=30)
    # Nothing changed by the refusal.
    assert [i.pk for i in _items(conversation)] == [i.pk for i in items if i != removed]

    services.prep_plan_generate(conversation=conversation, minutes=40, discard_edits=True)
    fresh = _items(conversation)
    plan = PrepPlan.objects.get(conversation=conversation)
    assert (plan.minutes, plan.edited) == (40, False)
    # The pin is the planner's input: it stays, marked and must-ask.
    kept = next(i for i in fresh if i.question_id == pinned.question_id)
    assert kept.pinned and kept.must_ask and kept.reason.startswith("You pinned it.")


def test_moving_stays_inside_the_phase(conversation) -> None:
    services.prep_plan_generate(conversation=conversation, minutes=30)
    items = _items(conversation)
    second = next(i for i in items[1:] if i.question.phase == items[0].question.phase)
    services.prep_item_move(item=second, offset=-1)
    after = _items(conversation)
    assert after[0].pk == second.pk
    # The first question of a phase cannot move up into the phase before it.
    first_trends = next(i for i in after if i.question.phase == "trends")
    services.prep_item_move(item=first_trends, offset=-1)
    phases = [PHASES.index(i.question.phase) for i in _items(conversation)]
    assert phases == sorted(phases)


def test_the_users_own_question_joins_the_bank_and_the_plan_in_its_phase(
    conversation, owner
) -> None:
    plan = services.prep_plan_generate(conversation=conversation, minutes=30)
    item = services.prep_item_add_own(
        plan=plan, text="How did the merger change your team?", phase="trends", minutes=3
    )
    assert Question.objects.get(pk=item.question_id).owner == owner
    phases = [PHASES.index(i.question.phase) for i in _items(conversation)]
    assert phases == sorted(phases)
    assert item.reason == "You wrote this question."


# --- Pages --------------------------------------------------------------------------------------


def test_the_conversation_page_links_to_its_prep_page(conversation, owner_client) -> None:
    page = owner_client.get(reverse("conversations:detail", args=[conversation.pk]))
    assert f'href="{reverse("prep:page", args=[conversation.pk])}"'.encode() in page.content


def test_the_prep_page_generates_pins_reorders_and_confirms_regeneration(
    conversation, owner_client
) -> None:
    url = reverse("prep:page", args=[conversation.pk])
    assert b"No plan yet" in owner_client.get(url).content
    response = owner_client.post(reverse("prep:generate", args=[conversation.pk]), {"minutes": 30})
    assert response.status_code == 302
    page = owner_client.get(url)
    items = _items(conversation)
    assert items[0].question.text.encode() in page.content.replace(b"&#x27;", b"'")

    # The second question of the first phase: pinned, then moved above the first.
    first, target = items[0], items[1]
    assert first.question.phase == target.question.phase
    partial = owner_client.post(
        reverse("prep:item_pin", args=[target.pk]), headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200 and b"<html" not in partial.content
    assert b"Unpin" in partial.content
    owner_client.post(reverse("prep:item_move", args=[target.pk]), {"direction": "up"})
    order = [i.pk for i in _items(conversation)]
    assert order.index(target.pk) < order.index(first.pk)
    target.refresh_from_db()
    assert target.pinned and target.must_ask

    # Regenerating an edited plan shows what would be lost, and changes nothing yet.
    ask = owner_client.post(reverse("prep:generate", args=[conversation.pk]), {"minutes": 30})
    assert ask.status_code == 200 and b"Replace your edited plan?" in ask.content
    assert [i.pk for i in _items(conversation)] == order
    owner_client.post(
        reverse("prep:generate", args=[conversation.pk]),
        {"minutes": 30, "discard_edits": "1"},
    )
    assert not PrepPlan.objects.get(conversation=conversation).edited


def test_research_checklist_and_target_notes_reach_the_print_view(
    conversation, world: World, owner_client
) -> None:
    owner_client.get(reverse("prep:page", args=[conversation.pk]))
    # The first tick on the page saves the checklist (a GET writes nothing).
    owner_client.post(reverse("prep:research_default_toggle", args=[conversation.pk, 0]))
    item = conversation.research_items.get(position=0)
    owner_client.post(
        reverse("prep:research_add", args=[conversation.pk]), {"text": "Watch their webinar"}
    )
    owner_client.post(
        reverse("prep:target_notes", args=[world.target.pk]),
        {
            f"target-{world.target.pk}-notes": "Three launches in 2025.",
            "conversation": conversation.pk,
        },
    )
    item.refresh_from_db()
    assert item.done
    assert TargetResearch.objects.get(target=world.target).notes == "Three launches in 2025."

    sheet = owner_client.get(reverse("prep:print", args=[conversation.pk]))
    html = sheet.content.decode()
    assert "Watch their webinar" in html and "Three launches in 2025." in html
    assert "☑" in html and "Not saved yet" in html  # no plan saved: a fresh proposal


def test_target_notes_sent_back_to_someone_elses_conversation_are_not_saved(
    world: World, outsider, owner_client
) -> None:
    """The conversation to go back to is another user's: 404, and the notes are not saved
    behind that 404."""
    theirs = conversation_create(
        owner=outsider, contact=Contact.objects.create(owner=outsider, first_name="Oscar")
    )
    response = owner_client.post(
        reverse("prep:target_notes", args=[world.target.pk]),
        {f"target-{world.target.pk}-notes": "Three launches in 2025.", "conversation": theirs.pk},
    )
    assert response.status_code == 404
    assert not TargetResearch.objects.filter(target=world.target).exists()


def test_pdf_of_a_30_minute_plan_fits_two_pages_on_a4_and_letter(
    conversation, owner_client
) -> None:
    services.prep_plan_generate(conversation=conversation, minutes=30)
    for paper in ("a4", "letter"):
        response = owner_client.get(reverse("prep:pdf", args=[conversation.pk]), {"paper": paper})
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        reader = pypdf.PdfReader(io.BytesIO(response.content))
        assert 1 <= len(reader.pages) <= 2, paper
        text = "".join(page.extract_text() for page in reader.pages)
        assert "Research first" in text and "Priya Raman" in text


def test_pdf_prints_names_beyond_latin_1(conversation, owner_client) -> None:
    # The PDF core fonts would print "Jovanovi?" and "?ukasz".
    contact = conversation.contact
    contact.first_name, contact.last_name = "Łukasz", "Jovanović"
    contact.title = "Nguyễn lab manager — “clinical” ★"
    contact.save()
    services.prep_plan_generate(conversation=conversation, minutes=30)
    response = owner_client.get(reverse("prep:pdf", args=[conversation.pk]))
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Łukasz Jovanović" in text
    assert "Nguyễn lab manager — “clinical” ★" in text
    assert "?" not in text.split("Research first")[0]
    # Only the glyphs used are embedded: the sheet stays small.
    assert len(response.content) < 150_000


def test_markdown_export(conversation, owner_client) -> None:
    services.prep_plan_generate(conversation=conversation, minutes=30)
    response = owner_client.get(reverse("prep:markdown", args=[conversation.pk]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert text.startswith("# Prep sheet: Priya Raman")
    assert "## Research first" in text and "## Closing" in text and "**must ask**" in text
    first = _items(conversation)[0].question.text
    assert f"1. {first}" in text


# --- The command --------------------------------------------------------------------------------


def test_prep_command_prints_the_saved_plan_or_a_fresh_one(conversation, owner, tmp_path) -> None:
    fresh = _prep_json(conversation.pk)
    check_sheet_json(fresh, conversation.pk)
    assert not PrepPlan.objects.filter(conversation=conversation).exists()  # nothing saved

    services.prep_plan_generate(conversation=conversation, minutes=30)
    item = _items(conversation)[0]
    services.prep_item_remove(item=item)
    saved = _prep_json(conversation.pk)
    assert item.question_id not in {q["id"] for q in saved["questions"]}  # the edit shows

    longer = _prep_json(conversation.pk, "--minutes", "60")
    check_sheet_json(longer, conversation.pk)
    assert longer["minutes"] == 60

    call_command(
        "prep", str(conversation.pk), "--format", "pdf", "--output", str(tmp_path / "sheet.pdf")
    )
    assert len(pypdf.PdfReader(tmp_path / "sheet.pdf").pages) <= 2
    out = io.StringIO()
    call_command("prep", str(conversation.pk), stdout=out)
    assert out.getvalue().startswith("# Prep sheet: Priya Raman")


def test_prep_command_refuses_other_users_conversations(conversation, outsider) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no conversation"):
        call_command("prep", str(conversation.pk), "--user", "outsider", stdout=io.StringIO())


# --- Acceptance on the demo account -------------------------------------------------------------


def test_every_demo_conversation_gets_a_plan_with_the_properties(bank) -> None:
    maya = user_create(
        username="demo",
        password="demo",
        display_name="Maya Chen",
        stage=Profile.Stage.RECENT_GRADUATE,
        time_zone="America/New_York",
    )
    demo_build(user=maya, today=dt.date(2026, 3, 11))
    plans = {}
    for conversation in Conversation.objects.filter(owner=maya).select_related("contact"):
        data = _prep_json(conversation.pk)  # the only user: --user may be left out
        check_sheet_json(data, conversation.pk)
        assert data == _prep_json(conversation.pk, "--user", "demo")  # deterministic
        plans[conversation.contact.title] = {q["id"] for q in data["questions"]}

    sales = plans["Pharmaceutical sales representative"]
    research = plans["Clinical research associate"]
    assert len(sales ^ research) >= (len(sales) + len(research)) // 3


def test_a_second_conversation_with_a_contact_skips_what_was_asked_and_asks_to_shadow(
    conversation, owner
) -> None:
    services.prep_plan_generate(conversation=conversation, minutes=30)
    asked = {i.question_id for i in _items(conversation) if i.question.topic != "referrals"}
    Conversation.objects.filter(pk=conversation.pk).update(
        status="held", held_at=conversation.created_at
    )
    second = conversation_create(owner=owner, contact=conversation.contact)
    data = _prep_json(second.pk)
    assert not asked & {q["id"] for q in data["questions"]}
    assert [q["topic"] for q in data["questions"][-2:]] == ["shadowing", "referrals"]

    colleague = Contact.objects.create(
        owner=owner,
        first_name="Ana",
        last_name="Ruiz",
        title="Medical science liaison",
        organization=conversation.contact.organization,
    )
    third = conversation_create(owner=owner, contact=colleague)
    reasons = [q["reason"] for q in _prep_json(third.pk)["questions"]]
    assert any("No one at Halvorsen Biologics has answered it yet." in r for r in reasons)


def test_sheet_selector_without_a_plan_proposes_without_saving(conversation) -> None:
    sheet = prep_sheet(conversation=conversation)
    assert not sheet.saved and sheet.questions
    assert (
        not PrepPlan.objects.exists()
        or not PrepPlan.objects.filter(conversation=conversation).exists()
    )


def test_every_field_of_the_prep_page_has_its_own_label(owner_client, world: World) -> None:
    # The slot's minutes and the own question's minutes once shared an id: the second field
    # had no label, and screen readers read nothing for it.
    services.prep_plan_generate(conversation=world.conversation, minutes=30, discard_edits=True)
    html = owner_client.get(f"/prep/{world.conversation.pk}/").content.decode()
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for field in re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', html):
        assert f'for="{field}"' in html, field


def test_opening_the_prep_page_writes_nothing_and_the_first_tick_saves_the_checklist(
    conversation, owner_client
) -> None:
    page = owner_client.get(reverse("prep:page", args=[conversation.pk]))
    assert page.status_code == 200
    assert not conversation.research_items.exists()  # a GET writes nothing
    html = page.content.decode()
    first = reverse("prep:research_default_toggle", args=[conversation.pk, 0])
    assert f'action="{first}"' in html
    owner_client.post(first)
    items = list(conversation.research_items.order_by("position"))
    assert len(items) >= 4 and items[0].done and not any(item.done for item in items[1:])
    # The user's own item comes after the defaults.
    owner_client.post(
        reverse("prep:research_add", args=[conversation.pk]), {"text": "Read their 10-K"}
    )
    assert conversation.research_items.order_by("-position").first().text == "Read their 10-K"


# PostgreSQL only, as the review's two clicks (tests/test_review.py says why).
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once")
@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_write_the_checklist_once() -> None:
    """The first two boxes ticked in quick succession: htmx sends both at once, and each
    would write the default checklist if neither saw the other's."""
    owner = user_create(username="ticker", password="a long enough password")
    contact = Contact.objects.create(owner=owner, first_name="Ana", last_name="Ortiz")
    conversation = conversation_create(owner=owner, contact=contact)

    def tick(position: int) -> object:
        return services.research_default_toggle(conversation=conversation, position=position)

    first_held_open(lambda: tick(0), lambda: tick(1))
    items = list(conversation.research_items.order_by("position"))
    assert len(items) == len({item.position for item in items}) >= 4
    assert [item.done for item in items[:2]] == [True, True]
    assert not any(item.done for item in items[2:])
