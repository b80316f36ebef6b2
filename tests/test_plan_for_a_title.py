"""A plan for a title alone, saving nothing: `coffeechat plan` and the "Try a plan" page; and
how the profile (stage, background) and a fit assessment's open questions reach the plans."""

from __future__ import annotations

import io
import json

import pypdf
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.models import Profile
from coffeechat.contacts.models import Contact
from coffeechat.conversations.services import conversation_create
from coffeechat.fit.services import open_question_add
from coffeechat.organizations.models import Organization
from coffeechat.prep import services
from coffeechat.prep.models import PrepItem, PrepPlan, ResearchItem
from coffeechat.questions.models import Question
from coffeechat.targets.models import Target
from tests.conftest import World
from tests.test_prep import check_sheet_json

pytestmark = pytest.mark.django_db


def _plan_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("plan", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _counts() -> tuple[int, ...]:
    return (
        PrepPlan.objects.count(),
        PrepItem.objects.count(),
        ResearchItem.objects.count(),
        Question.objects.count(),
    )


def _set_profile(user: User, **fields: str) -> None:
    Profile.objects.filter(user=user).update(**fields)


# --- The command --------------------------------------------------------------------------------


def test_plan_command_prints_the_prep_json_for_a_title_and_saves_nothing(bank, owner) -> None:
    _set_profile(owner, stage="career_changer", background="Seven years teaching science")
    before = _counts()
    data = _plan_json("--title", "Sr. UX designer", "--minutes", "25")
    assert _counts() == before
    check_sheet_json(data, None)
    assert data["minutes"] == 25
    assert data["family"]["key"] == "ux_design"
    # The user's profile words the introduction and the career changer's question.
    assert "Olivia Owner" in data["opening"][1]["text"]
    assert any(
        q["must_ask"] and q["text"].startswith("Given my background (Seven years teaching science)")
        for q in data["questions"]
    )


def test_plan_command_takes_the_stage_industry_and_organization(bank, owner) -> None:
    data = _plan_json(
        "--title",
        "Sales representative",
        "--industry",
        "Pharmaceuticals",
        "--organization",
        "Bluestem",
        "--stage",
        "student",
    )
    assert data["family"]["key"] == "medical_sales"
    assert "still studying" in data["opening"][1]["text"]
    assert any("Bluestem" in r["text"] for r in data["research"])


def test_plan_command_reads_the_family_never_from_the_organizations_name(bank, owner) -> None:
    data = _plan_json("--title", "Account executive", "--organization", "Halvorsen Life Sciences")
    assert data["family"]["key"] == "sales"


def test_plan_command_says_when_it_uses_general_questions_only(bank, owner) -> None:
    data = _plan_json("--title", "Associate")
    assert data["family"] == {
        "key": None,
        "label": None,
        "note": data["family"]["note"],
    }
    assert data["family"]["note"].startswith("General questions only")
    out = io.StringIO()
    call_command("plan", "--title", "Associate", stdout=out)
    markdown = out.getvalue()
    assert markdown.startswith("# Trial plan: Associate")
    assert "General questions only" in markdown
    assert "## Start: thanks and your introduction" in markdown
    assert "## End: who else, and thanks" in markdown


def test_plan_command_works_on_an_installation_without_accounts(bank) -> None:
    assert not User.objects.exists()
    data = _plan_json("--title", "Journeyman electrician")
    assert data["family"]["key"] == "skilled_trades"
    assert "[your name]" in data["opening"][1]["text"]


def test_plan_command_refuses_bad_minutes_and_needs_a_user_among_several(
    bank, owner, outsider
) -> None:
    with pytest.raises(CommandError, match="20 to 60"):
        call_command("plan", "--title", "Nurse", "--minutes", "90", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--user"):
        call_command("plan", "--title", "Nurse", stdout=io.StringIO())
    data = _plan_json("--title", "Nurse", "--user", "outsider")
    assert "Oscar Outsider" in data["opening"][1]["text"]


# --- Try a plan on the web -------------------------------------------------------------------


def test_try_a_plan_shows_the_plan_on_the_same_page_and_saves_nothing(
    bank, owner_client: Client
) -> None:
    url = reverse("prep:try")
    empty = owner_client.get(url)
    assert empty.status_code == 200 and b"Type a title above" in empty.content
    before = _counts()
    page = owner_client.get(url, {"title": "VP of Product", "stage": "student", "minutes": 20})
    assert _counts() == before
    html = page.content.decode()
    assert "A 20-minute plan for “VP of Product”" in html
    assert "Tailored to product management" in html
    assert "Thanks and a time check" in html and "Your 30-second introduction" in html
    assert "Permission to use their name" in html
    assert "must ask" in html
    # htmx gets the result only, and the address keeps the title (shareable, reloadable).
    partial = owner_client.get(url, {"title": "CRC"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"clinical research" in partial.content


def test_try_a_plan_explains_a_missing_title(bank, owner_client: Client) -> None:
    page = owner_client.get(reverse("prep:try"), {"title": "", "minutes": 99})
    html = page.content.decode()
    assert page.status_code == 200 and 'role="alert"' in html
    assert "Their job title" in html and "Minutes" in html


def test_try_a_plan_is_linked_from_the_questions_page_and_the_prep_page(
    bank, world: World, owner_client: Client
) -> None:
    link = f'href="{reverse("prep:try")}"'
    assert link in owner_client.get(reverse("questions:list")).content.decode()
    prep = owner_client.get(reverse("prep:page", args=[world.conversation.pk]))
    assert link in prep.content.decode()


def test_try_a_plan_uses_the_users_bank_but_never_an_open_question(
    bank, owner, world: World, owner_client: Client
) -> None:
    html = owner_client.get(reverse("prep:try"), {"title": "Medical science liaison"}).content
    assert world.open_question.question.text.encode() not in html


# --- The profile reaches the plans --------------------------------------------------------------


def test_the_settings_page_saves_the_student_stage_and_the_background(
    owner, owner_client: Client
) -> None:
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert 'value="student"' in page and "Your background" in page
    response = owner_client.post(
        reverse("accounts:settings"),
        {
            "display_name": "Olivia Owner",
            "stage": "student",
            "background": "Third-year economics student, treasurer of the debate club",
            "time_zone": "UTC",
            "weekly_goal": 1,
            "country": "",
            "digest_hour": 7,
            "email": "",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=owner)
    assert (profile.stage, profile.background) == (
        "student",
        "Third-year economics student, treasurer of the debate club",
    )


def test_a_career_changers_plan_words_the_must_ask_with_their_background_and_keeps_it(
    bank, owner, world: World
) -> None:
    _set_profile(owner, stage="career_changer", background="Seven years teaching science")
    PrepPlan.objects.filter(conversation=world.conversation).delete()
    plan = services.prep_plan_generate(conversation=world.conversation, minutes=30)
    worded = [item for item in plan.items.select_related("question") if item.text]
    assert len(worded) == 1
    item = worded[0]
    assert item.must_ask and item.text.startswith("Given my background (Seven years teaching")
    assert item.question.text != item.text  # the shared question keeps its words
    assert "teaching skills count here" in item.reason
    assert plan.family == "medical_affairs" and plan.tailoring.startswith("Tailored to")


def test_the_prep_page_shows_the_opening_the_tailoring_and_the_close(
    bank, owner, world: World, owner_client: Client
) -> None:
    _set_profile(owner, stage="career_changer", background="Seven years teaching science")
    world.target.why = "I want to explain science to the people who use it"
    world.target.save()
    services.prep_plan_generate(conversation=world.conversation, minutes=30, discard_edits=True)
    html = owner_client.get(reverse("prep:page", args=[world.conversation.pk])).content.decode()
    assert "Tailored to medical affairs" in html
    assert "Thank you for making the time, Priya." in html
    assert "I&#x27;m Olivia Owner." in html
    assert "Seven years teaching science" in html
    assert "I want to explain science to the people who use it" in html
    assert "May I mention your name" in html
    assert html.index("Your 30-second introduction") < html.index("Who else to talk to")
    # The close's question is shown once, in the close.
    referral = PrepItem.objects.filter(
        plan__conversation=world.conversation, question__topic="referrals"
    ).last()
    assert html.count(f'data-question="{referral.question_id}"') == 1


def test_print_view_markdown_and_pdf_carry_the_opening_and_the_close(
    bank, owner, world: World, owner_client: Client
) -> None:
    _set_profile(owner, background="Biology graduate, two summers in a lab")
    services.prep_plan_generate(conversation=world.conversation, minutes=30, discard_edits=True)
    conversation = world.conversation.pk
    printed = owner_client.get(reverse("prep:print", args=[conversation])).content.decode()
    markdown = owner_client.get(reverse("prep:markdown", args=[conversation])).content.decode()
    pdf = owner_client.get(reverse("prep:pdf", args=[conversation])).content
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for document in (printed, markdown, " ".join(text.split())):
        assert "Start: thanks and your introduction" in document
        assert "End: who else, and thanks" in document
        assert "Biology graduate, two summers in a lab" in document
        assert "mention your name" in document
        assert "Tailored to medical affairs" in document


def test_interview_mode_shows_the_opening_and_the_close_around_the_questions(
    bank, owner, world: World, owner_client: Client
) -> None:
    services.prep_plan_generate(conversation=world.conversation, minutes=30, discard_edits=True)
    html = owner_client.get(reverse("interview:page", args=[world.conversation.pk])).content
    page = html.decode()
    assert page.index("Your 30-second introduction") < page.index("interview-questions")
    assert page.index("interview-questions") < page.index("Permission to use their name")


# --- Open questions stay with their target ------------------------------------------------------


def test_open_questions_of_a_fit_assessment_come_only_into_plans_about_their_target(
    bank, owner
) -> None:
    devices = Target.objects.create(owner=owner, name="Medical devices", kind="industry")
    pharma = Target.objects.create(owner=owner, name="Pharmaceuticals", kind="industry")
    question = open_question_add(
        owner=owner,
        target=devices,
        text="How long do device sales cycles with hospital committees take?",
    ).question
    bluestem = Organization.objects.create(owner=owner, name="Bluestem", industry="Pharma")
    rep = Contact.objects.create(
        owner=owner, first_name="Marcus", title="Sales representative", organization=bluestem
    )
    about_pharma = conversation_create(owner=owner, contact=rep, targets=[pharma])
    about_devices = conversation_create(owner=owner, contact=rep, targets=[devices])

    pharma_plan = services.prep_plan_generate(conversation=about_pharma, minutes=60)
    devices_plan = services.prep_plan_generate(conversation=about_devices, minutes=20)
    assert not pharma_plan.items.filter(question=question).exists()
    item = devices_plan.items.get(question=question)
    assert "open question in your fit assessment" in item.reason
