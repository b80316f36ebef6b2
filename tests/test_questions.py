"""The question bank: its coverage, its idempotent loading, and the bank browser."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from coffeechat.questions.bank import bank_file, sync_rows
from coffeechat.questions.models import (
    PHASE_ORDER,
    Audience,
    Phase,
    Question,
    QuestionMark,
    Topic,
    family_choices,
)
from coffeechat.questions.services import bank_sync, question_update

pytestmark = pytest.mark.django_db
TIARA = ("trends", "insights", "advice", "resources", "assignments")
REQUIRED_TOPICS = {
    "career_path",
    "day_to_day",
    "positives",
    "challenges",
    "culture",
    "skills",
    "industry_trends",
    "hiring_path",
    "lifestyle",
    "pay",
    "organization",
    "shadowing",
    "referrals",
}


def test_the_bank_has_the_coverage_the_planner_needs(bank) -> None:
    shipped = Question.objects.filter(owner__isnull=True, retired=False)
    assert shipped.count() >= 300
    phases = Counter(shipped.values_list("phase", flat=True))
    assert set(phases) == set(PHASE_ORDER)
    for phase in TIARA:
        assert phases[phase] >= 25, phase
    audiences = Counter(shipped.values_list("audience", flat=True))
    assert audiences[Audience.CAREER_CHANGER] >= 20
    # Students get the questions for anyone starting out too.
    assert audiences[Audience.RECENT_GRADUATE] + audiences[Audience.STUDENT] >= 20
    assert audiences[Audience.STUDENT] >= 5
    topics = set(shipped.values_list("topic", flat=True))
    assert REQUIRED_TOPICS <= topics and topics <= set(Topic.values)
    families = Counter(tag for q in shipped for tag in q.tag_list)
    assert set(families) == {key for key, _ in family_choices()}
    assert all(count >= 5 for count in families.values()), families
    assert shipped.count() >= 500
    for question in shipped:
        assert 1 <= question.minutes <= 5
        assert question.text.endswith("?") or question.text.endswith("."), question.text
    texts = [" ".join(q.text.lower().split()) for q in shipped]
    assert len(set(texts)) == len(texts), "a question twice"
    # Each role has its referral question to close with, and some research-first questions
    # exist for the checklist.
    assert shipped.filter(phase=Phase.CLOSING, topic=Topic.REFERRALS).count() >= 10
    assert shipped.filter(research_first=True).count() >= 8


def test_the_bank_file_keys_are_unique_and_stable() -> None:
    version, entries = bank_file()
    keys = [entry.key for entry in entries]
    assert version >= 1 and len(keys) == len(set(keys))
    prefixes = {
        "opening": "op-",
        "trends": "tr-",
        "insights": "in-",
        "advice": "ad-",
        "resources": "re-",
        "assignments": "as-",
        "closing": "cl-",
    }
    assert all(entry.key.startswith(prefixes[entry.phase]) for entry in entries)


def test_loading_twice_changes_nothing_and_never_touches_users_questions(bank, owner) -> None:
    own = Question.objects.create(owner=owner, text="My own question?", phase="advice")
    shipped = Question.objects.filter(owner__isnull=True).order_by("id").first()
    assert shipped is not None
    edited = question_update(
        question=shipped,
        user=owner,
        text="My wording of it?",
        phase=shipped.phase,
        topic=shipped.topic,
        audience=shipped.audience,
        minutes=2,
        research_first=False,
    )
    before = {q.pk: (q.text, q.updated_at) for q in Question.objects.all()}

    result = bank_sync()

    assert (result.created, result.updated, result.retired) == (0, 0, 0)
    assert {q.pk: (q.text, q.updated_at) for q in Question.objects.all()} == before
    shipped.refresh_from_db()
    own.refresh_from_db()
    edited.refresh_from_db()
    assert shipped.owner_id is None and shipped.text != "My wording of it?"
    assert (own.text, edited.text, edited.based_on_id) == (
        "My own question?",
        "My wording of it?",
        shipped.pk,
    )


def test_a_new_bank_version_updates_adds_and_retires_shipped_rows_only(
    bank, owner, tmp_path: Path
) -> None:
    own = Question.objects.create(owner=owner, text="Mine?", phase="advice", key="")
    (tmp_path / "bank.toml").write_text(
        "version = 2\n"
        "opening = [\n"
        '  { key = "op-002", topic = "rapport", min = 2, text = "Reworded opening?" },\n'
        '  { key = "op-900", topic = "rapport", min = 1, text = "A brand new one?" },\n'
        "]\n"
    )
    result = sync_rows(Question, tmp_path / "bank.toml")
    assert (result.version, result.created, result.updated) == (2, 1, 1)
    assert result.retired == Question.objects.filter(owner__isnull=True, retired=True).count()
    assert Question.objects.get(owner__isnull=True, key="op-002").text == "Reworded opening?"
    assert Question.objects.get(owner__isnull=True, key="op-003").retired
    own.refresh_from_db()
    assert own.text == "Mine?" and not own.retired


# --- The bank browser ---------------------------------------------------------------------------


def test_the_browser_filters_by_phase_topic_audience_tag_and_words(bank, owner_client) -> None:
    url = reverse("questions:list")
    page = owner_client.get(url, {"phase": "closing", "tag": "sales"})
    assert page.status_code == 200
    shown = list(page.context["page"])
    assert shown and all(q.phase == "closing" and "sales" in q.tag_list for q in shown)

    page = owner_client.get(url, {"audience": "career_changer", "topic": "hiring_path"})
    shown = list(page.context["page"])
    assert shown and all(q.audience == "career_changer" and q.topic == "hiring_path" for q in shown)

    page = owner_client.get(url, {"q": "ride along customer"})
    assert [q.key for q in page.context["page"]] == ["cl-013"]
    # htmx search-as-you-type gets the results only.
    partial = owner_client.get(url, {"q": "ride along customer"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"ride along" in partial.content


def test_star_and_hide_are_the_users_own_and_leave_the_shared_row_alone(
    bank, owner, outsider, owner_client
) -> None:
    question = Question.objects.get(owner__isnull=True, key="in-003")
    owner_client.post(reverse("questions:star", args=[question.pk]))
    owner_client.post(reverse("questions:hide", args=[question.pk]))
    mark = QuestionMark.objects.get(owner=owner, question=question)
    assert mark.starred and mark.hidden
    assert not QuestionMark.objects.filter(owner=outsider).exists()
    question.refresh_from_db()
    assert question.owner_id is None

    listed = owner_client.get(reverse("questions:list"), {"q": "most satisfying part"})
    assert question not in list(listed.context["page"])  # hidden
    listed = owner_client.get(
        reverse("questions:list"), {"q": "most satisfying part", "hidden": "1", "starred": "1"}
    )
    assert list(listed.context["page"]) == [question]

    # htmx toggles answer with the row only.
    row = owner_client.post(
        reverse("questions:star", args=[question.pk]), headers={"HX-Request": "true"}
    )
    assert b"Star" in row.content and b"<li" in row.content
    assert not QuestionMark.objects.get(owner=owner, question=question).starred


def test_adding_and_editing_questions(bank, owner, outsider_client, owner_client) -> None:
    response = owner_client.post(
        reverse("questions:create"),
        {
            "text": "  How did   the merger change your team? ",
            "phase": "insights",
            "topic": "organization",
            "audience": "anyone",
            "minutes": 3,
            "tags": ["corporate_finance"],
        },
    )
    assert response.status_code == 302
    own = Question.objects.get(owner=owner)
    assert (own.text, own.tags) == (
        "How did the merger change your team?",
        ",corporate_finance,",
    )
    # Another user cannot see, edit, star or delete it.
    assert outsider_client.get(reverse("questions:edit", args=[own.pk])).status_code == 404
    assert outsider_client.post(reverse("questions:star", args=[own.pk])).status_code == 404

    # Editing a shipped question makes the user's own version; the shared row stays.
    shipped = Question.objects.get(owner__isnull=True, key="ad-001")
    owner_client.post(
        reverse("questions:edit", args=[shipped.pk]),
        {
            "text": "Which skills matter most in your first year?",
            "phase": "advice",
            "topic": "skills",
            "audience": "anyone",
            "minutes": 2,
        },
    )
    copy = Question.objects.get(owner=owner, based_on=shipped)
    assert copy.text == "Which skills matter most in your first year?"
    shipped.refresh_from_db()
    assert shipped.text == "Which skills matter most for doing this job well?"
    listed = owner_client.get(reverse("questions:list"), {"phase": "advice", "topic": "skills"})
    assert copy in listed.context["page"].object_list
    assert shipped not in listed.context["page"].object_list
    # Shipped questions cannot be deleted, one's own can.
    assert owner_client.post(reverse("questions:delete", args=[shipped.pk])).status_code == 404
    owner_client.post(reverse("questions:delete", args=[own.pk]))
    assert not Question.objects.filter(pk=own.pk).exists()


def test_the_bank_is_linked_from_the_main_navigation(owner_client) -> None:
    page = owner_client.get(reverse("dashboard:home"))
    assert f'href="{reverse("questions:list")}"'.encode() in page.content


# --- The command --------------------------------------------------------------------------------


def _questions(*args: str) -> str:
    out = io.StringIO()
    call_command("questions", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_questions_command_lists_the_bank_filtered_as_json(bank, owner) -> None:
    rows = json.loads(
        _questions("--phase", "advice", "--audience", "career_changer", "--format", "json")
    )
    assert rows and {(r["phase"], r["audience"]) for r in rows} == {("advice", "career_changer")}
    assert set(rows[0]) >= {"id", "text", "phase", "topic", "minutes", "tags"}
    text = _questions("--topic", "referrals")
    assert "Who else would you suggest I talk to" in text
    everything = json.loads(_questions("--format", "json"))
    assert [r["phase"] for r in everything] == sorted(
        (r["phase"] for r in everything), key=PHASE_ORDER.index
    )


def test_the_commands_need_a_user_named_when_there_are_several(bank, owner, outsider) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="several accounts"):
        _questions()
    assert "Who else" in _questions("--user", "owner", "--topic", "referrals")


def test_starring_does_not_redirect_off_site(bank, owner, owner_client) -> None:
    question = Question.objects.filter(owner__isnull=True).first()
    url = reverse("questions:star", args=[question.pk])
    response = owner_client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("questions:list")
    back = owner_client.post(url, {"next": "/questions/?phase=advice"})
    assert back["Location"] == "/questions/?phase=advice"
