"""The fit verdict on its pages: proposed with reasons and a next step, confirmed or overridden
through the form (the override stands when the proposal moves), exported and restored; the
radar on the fit page and in compare (two or three targets picked); themes from held
conversations only; query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coffeechat.accounts.services import user_create
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.conversations.services import conversation_create
from coffeechat.fit import radar
from coffeechat.fit.models import DIMENSIONS, Choice, Verdict
from coffeechat.fit.services import fit_dimensions_save, fit_line_cite
from coffeechat.interview.models import QuestionNote, Shadowing
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization
from coffeechat.portability.selectors import account_export
from coffeechat.portability.services import RestoreError, account_restore
from coffeechat.questions.models import Question
from coffeechat.targets.models import Target
from tests.test_portability import round_trip

pytestmark = pytest.mark.django_db


@dataclass
class Field:
    """A target the user rates well, heard of from two people at two employers: the app
    proposes "try it" and asks the warmer of them (Dana) for a day."""

    target: Target
    dana: Contact
    aisha: Contact
    held: list[Conversation]


def _held(owner: User, contact: Contact, target: Target) -> Conversation:
    return conversation_create(owner=owner, contact=contact, targets=[target], status=Status.HELD)


def build_field(owner: User, name: str = "Pharmaceutical sales", ratings=(4, 4, 4, 3, 4)) -> Field:
    target = Target.objects.create(owner=owner, name=name, kind=Target.Kind.ROLE, motivation=3)
    corvane = Organization.objects.create(owner=owner, name=f"Corvane {name}", key=f"c {name}")
    bluestem = Organization.objects.create(owner=owner, name=f"Bluestem {name}", key=f"b {name}")
    dana = Contact.objects.create(
        owner=owner, first_name="Dana", last_name="Kowalczyk", organization=corvane
    )
    aisha = Contact.objects.create(
        owner=owner, first_name="Aisha", last_name="Bello", organization=bluestem
    )
    first, second = _held(owner, aisha, target), _held(owner, dana, target)
    said = [
        (first, Learning.Kind.POSITIVE, "Oncology customers want to talk about trial data."),
        (second, Learning.Kind.POSITIVE, "She sets her own schedule."),
        (second, Learning.Kind.POSITIVE, "A company car and flexible days."),
        (second, Learning.Kind.NEGATIVE, "Quota pressure never lets up."),
        (first, Learning.Kind.REALITY, "Every claim comes from the approved label."),
    ]
    learnings = [
        Learning.objects.create(owner=owner, conversation=c, kind=kind, text=text)
        for c, kind, text in said
    ]
    lines = fit_dimensions_save(
        owner=owner,
        target=target,
        dimensions={kind: (rating, "") for kind, rating in zip(DIMENSIONS, ratings, strict=True)},
    )
    for line in lines:
        fit_line_cite(line=line, learning_ids=[learnings[0].pk, learnings[3].pk], note_ids=[])
    return Field(target, dana, aisha, [first, second])


@pytest.fixture
def field(owner: User) -> Field:
    return build_field(owner)


def _page(client: Client, target: Target) -> str:
    response = client.get(f"/fit/targets/{target.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _checked(html: str) -> str:
    """The verdict the form starts from."""
    return re.search(r'name="verdict" value="(\w+)"[^>]* checked', html)[1]  # type: ignore[index]


def _shown_proposal(html: str) -> str:
    return re.search(r'<input type="hidden" name="proposed" value="(\w+)">', html)[1]  # type: ignore[index]


# --- The verdict on the fit page -----------------------------------------------------------------


def test_the_fit_page_proposes_a_verdict_with_reasons_and_the_next_step(
    owner_client: Client, field: Field
) -> None:
    html = _page(owner_client, field.target)
    assert 'The app proposes <strong class="verdict-badge verdict-try_it">Try it</strong>' in html
    assert "5 of 5 dimensions rated, average 3.8." in html
    assert "2 conversations held, at 2 organizations." in html
    assert "Heard: 3 positives, 1 negative, 1 reality of the job." in html
    assert "You have not shadowed anyone in this field: ask Dana Kowalczyk for a day." in html
    # What was heard, for and against, each line with the conversation it comes from.
    assert re.search(r"For <span class=\"badge\">3</span>", html)
    assert re.search(r"Against <span class=\"badge\">1</span>", html)
    assert f'href="/conversations/{field.held[1].pk}/#learnings">Dana Kowalczyk</a>' in html
    assert _shown_proposal(html) == "try_it"
    assert _checked(html) == "try_it"


def test_one_conversation_is_not_enough_to_decide(owner: User, owner_client: Client) -> None:
    field = build_field(owner)
    Conversation.objects.filter(pk=field.held[1].pk).update(status=Status.CANCELLED)
    html = _page(owner_client, field.target)
    assert "verdict-keep_exploring\">Keep exploring" in html
    assert "One conversation is not enough to decide." in html


def test_shadowing_at_the_targets_people_counts_and_shows(
    owner: User, owner_client: Client, field: Field
) -> None:
    Shadowing.objects.create(
        owner=owner,
        contact=field.dana,
        stage=Shadowing.Stage.DONE,
        on_date=timezone.localdate() - dt.timedelta(days=3),
    )
    html = _page(owner_client, field.target)
    assert "verdict-pursue\">Pursue" in html
    assert "you shadowed Dana Kowalczyk" in html
    assert f'href="/interview/shadowing/{field.dana.pk}/">Dana Kowalczyk</a>: done' in html


def test_confirming_the_proposal_through_the_page_stores_it_with_the_date(
    owner_client: Client, field: Field
) -> None:
    html = _page(owner_client, field.target)
    response = owner_client.post(
        f"/fit/targets/{field.target.pk}/verdict/",
        {"verdict": "try_it", "proposed": _shown_proposal(html), "note": "Asking Dana today."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fit/targets/{field.target.pk}/#verdict"
    verdict = Verdict.objects.get(target=field.target)
    assert (verdict.verdict, verdict.proposed, verdict.note, verdict.decided_on) == (
        "try_it",
        "try_it",
        "Asking Dana today.",
        timezone.localdate(),
    )
    html = _page(owner_client, field.target)
    assert "the proposal confirmed on" in html and "<q>Asking Dana today.</q>" in html


def test_an_override_stays_when_the_proposal_changes(
    owner: User, owner_client: Client, field: Field
) -> None:
    owner_client.post(
        f"/fit/targets/{field.target.pk}/verdict/",
        {"verdict": "set_aside", "proposed": "try_it", "note": "The quota scares me."},
    )
    # Then Dana takes the user along for a day: the app now proposes "pursue".
    Shadowing.objects.create(owner=owner, contact=field.dana, stage=Shadowing.Stage.DONE)
    html = _page(owner_client, field.target)
    assert _shown_proposal(html) == "pursue"
    standing = '<strong class="verdict-badge verdict-set_aside">Set aside</strong>'
    assert f"Your verdict: {standing}" in html
    assert "your own call over the proposal “try it”" in html
    assert "proposes “pursue” now; your verdict stands until you change it." in html
    # The form starts from the standing verdict, not the new proposal.
    assert _checked(html) == "set_aside"
    assert list(Verdict.objects.values_list("verdict", "proposed")) == [("set_aside", "try_it")]

    # A new decision adds a row; the first stays as history.
    owner_client.post(
        f"/fit/targets/{field.target.pk}/verdict/",
        {"verdict": "pursue", "proposed": "pursue"},
    )
    assert Verdict.objects.filter(target=field.target).count() == 2
    html = _page(owner_client, field.target)
    assert "Earlier verdicts (1)" in html and "<q>The quota scares me.</q>" in html


def test_saving_the_same_verdict_twice_a_day_keeps_one_row_with_the_latest_note(
    owner_client: Client, field: Field
) -> None:
    url = f"/fit/targets/{field.target.pk}/verdict/"
    owner_client.post(url, {"verdict": "try_it", "proposed": "try_it", "note": "First"})
    owner_client.post(url, {"verdict": "try_it", "proposed": "try_it", "note": "Second"})
    assert list(Verdict.objects.values_list("note", flat=True)) == ["Second"]


def test_a_verdict_that_is_none_of_the_four_saves_nothing_and_says_so(
    owner_client: Client, field: Field
) -> None:
    response = owner_client.post(
        f"/fit/targets/{field.target.pk}/verdict/",
        {"verdict": "maybe", "proposed": "try_it", "note": "Kept as typed"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved: choose one of the four verdicts" in html
    assert "Kept as typed" in html
    assert not Verdict.objects.exists()


def test_a_verdict_travels_in_the_export_and_comes_back_with_a_restore(
    owner: User, owner_client: Client, field: Field
) -> None:
    owner_client.post(
        f"/fit/targets/{field.target.pk}/verdict/",
        {"verdict": "set_aside", "proposed": "try_it", "note": "Not for me."},
    )
    before, after = round_trip(owner, "restored")
    assert before == after
    [row] = after["models"]["fit.verdict"]
    assert (row["verdict"], row["proposed"], row["note"]) == ("set_aside", "try_it", "Not for me.")
    assert after["models"]["targets.target"][row["target"]]["name"] == "Pharmaceutical sales"
    restored = Verdict.objects.get(owner__username="restored")
    assert restored.decided_on == timezone.localdate() and restored.target.name == field.target.name


# --- Radar ---------------------------------------------------------------------------------------


def _distance(x: float, y: float) -> float:
    return math.hypot(x - radar.CENTRE_X, y - radar.CENTRE_Y)


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_a_rating_lands_on_its_ring(rating: int) -> None:
    labels = ["Motivation", "Skills", "Interests", "Lifestyle", "Goals"]
    chart = radar.radar(labels, [("T", [rating] * 5)])
    for dot in chart.outlines[0].dots:
        assert _distance(dot.x, dot.y) == pytest.approx(radar.RADIUS * rating / 5, abs=0.1)
    # Motivation straight up, the others clockwise at 72° steps.
    top = chart.outlines[0].dots[0]
    assert top.x == radar.CENTRE_X and top.y < radar.CENTRE_Y
    ring = chart.rings[rating - 1][1].split()
    assert ring[0] == f"{top.x:g},{top.y:g}"


def test_a_missing_rating_is_drawn_at_the_centre_and_said_so_in_the_table(
    owner: User, owner_client: Client
) -> None:
    chart = radar.radar(["A", "B", "C", "D", "E"], [("T", [4, None, 3, None, 5])])
    outline = chart.outlines[0]
    points = [tuple(map(float, p.split(","))) for p in outline.points.split()]
    assert points[1] == points[3] == (radar.CENTRE_X, radar.CENTRE_Y)
    assert len(outline.dots) == 3 and outline.missing == ("B", "D")

    field = build_field(owner, ratings=(4, None, 3, None, 5))
    html = _page(owner_client, field.target)
    svg = re.search(r'<svg class="radar-chart".*?</svg>', html, re.S)[0]  # type: ignore[index]
    assert 'role="img"' in svg and "<title id=\"fit-radar-title\">Fit ratings of" in svg
    assert svg.count("<circle") == 3
    rows = re.findall(r'<th scope="row">(\w+)</th>\s*<td>(.*?)</td>', html)
    assert ("Skills", '<span class="subtle">not rated (at the centre)</span>') in rows
    assert ("Goals", '5<span class="subtle"> of 5</span>') in rows


def test_a_radar_refuses_a_fourth_outline() -> None:
    with pytest.raises(ValueError):
        radar.radar(["A"], [("1", [1]), ("2", [2]), ("3", [3]), ("4", [4])])


# --- Compare -------------------------------------------------------------------------------------


def test_compare_shows_the_best_known_targets_on_one_radar_by_default(
    owner: User, owner_client: Client
) -> None:
    fields = [build_field(owner, name) for name in ("Sales", "Devices", "Biotech", "Quality")]
    # Quality has the least evidence: left off the default three.
    for line in fields[3].target.fit_lines.all():
        line.learnings.clear()
    html = owner_client.get("/fit/").content.decode()
    svg = re.search(r'<svg class="radar-chart".*?</svg>', html, re.S)[0]  # type: ignore[index]
    assert svg.count('<g class="radar-outline') == 3
    legend = re.search(r'<ul class="radar-legend".*?</ul>', html, re.S)[0]  # type: ignore[index]
    assert [n for n in ("Sales", "Devices", "Biotech", "Quality") if n in legend] == [
        "Sales",
        "Devices",
        "Biotech",
    ]
    checked = re.findall(r'value="(\d+)" id="pick-\d+" checked', html)
    assert sorted(map(int, checked)) == sorted(f.target.pk for f in fields[:3])


def test_compare_puts_the_two_picked_targets_on_the_radar(
    owner: User, owner_client: Client
) -> None:
    fields = [build_field(owner, name) for name in ("Sales", "Devices", "Biotech")]
    picks = [fields[0].target.pk, fields[2].target.pk]
    html = owner_client.get("/fit/", {"target": picks, "sort": "name"}).content.decode()
    svg = re.search(r'<svg class="radar-chart".*?</svg>', html, re.S)[0]  # type: ignore[index]
    assert svg.count('<g class="radar-outline') == 2
    # In the matrix's order (by name here).
    assert "Fit ratings compared: Biotech and Sales" in svg
    # Sorting the matrix keeps the picks.
    assert f'href="?sort=held&amp;target={picks[1]}&amp;target={picks[0]}"' in html


@pytest.mark.parametrize("count", [1, 4])
def test_compare_refuses_one_or_four_targets_with_a_sentence(
    owner: User, owner_client: Client, count: int
) -> None:
    fields = [build_field(owner, name) for name in ("Sales", "Devices", "Biotech", "Quality")]
    picks = [f.target.pk for f in fields[:count]]
    html = owner_client.get("/fit/", {"target": picks}).content.decode()
    assert f"Pick two or three targets to compare on the chart: you picked {count}." in html
    assert '<svg class="radar-chart"' not in html
    assert html.count('<th scope="row"><a href="/fit/targets/') == 4  # the matrix stays


def test_compare_shows_each_targets_verdict(owner_client: Client, field: Field) -> None:
    owner_client.post(
        f"/fit/targets/{field.target.pk}/verdict/", {"verdict": "pursue", "proposed": "try_it"}
    )
    html = owner_client.get("/fit/").content.decode()
    assert f'href="/fit/targets/{field.target.pk}/#verdict">Pursue</a>' in html


# --- Themes --------------------------------------------------------------------------------------


def test_themes_come_from_held_conversations_only_and_skip_stop_words_and_names(
    owner: User, owner_client: Client, field: Field
) -> None:
    planned = conversation_create(
        owner=owner,
        contact=Contact.objects.create(owner=owner, first_name="Marcus"),
        targets=[field.target],
        status=Status.SCHEDULED,
        starts_at=timezone.now() + dt.timedelta(days=2),
    )
    # Said in both held conversations, in different forms; noise words in each.
    Learning.objects.create(
        owner=owner, conversation=field.held[0], text="Two days of travelling every week, she said."
    )
    Note.objects.create(
        owner=owner, conversation=field.held[1], text="Asked twice: the travel never stops."
    )
    # Interview mode's note under a question counts too.
    question = Question.objects.filter(owner__isnull=True).first() or Question.objects.create(
        text="What is a typical week?", phase="insights", topic="day_to_day", minutes=3
    )
    QuestionNote.objects.create(
        owner=owner, conversation=field.held[1], question=question, note="Windshield time."
    )
    Learning.objects.create(owner=owner, conversation=field.held[0], text="Windshield time.")
    # The names of the people met are no theme, however often they come up.
    Note.objects.create(owner=owner, conversation=field.held[0], text="Bello and Kowalczyk.")
    Note.objects.create(owner=owner, conversation=field.held[1], text="Kowalczyk's pick.")
    # Only in a conversation not held yet, twice over: no theme.
    Note.objects.create(owner=owner, conversation=planned, text="Ask about sample closets.")
    Learning.objects.create(owner=owner, conversation=planned, text="Sample closets matter.")
    Note.objects.create(owner=owner, conversation=field.held[0], text="Sample closets?")
    planned.notes = "Sample closets, again."
    planned.save()

    html = owner_client.get(f"/fit/targets/{field.target.pk}/insights/").content.decode()
    themes = re.findall(r'<h3 class="theme">“([^”]+)”', html)
    assert "travelling" in themes or "travel" in themes
    assert "windshield time" in themes
    for noise in ("two", "days", "ask", "asked", "said", "week"):
        assert noise not in themes
    assert not any("closet" in theme or "kowalczyk" in theme for theme in themes)
    # Each theme names the conversations it comes from, with links.
    sources = re.search(r"From (.*?)</p>", html)[1]  # type: ignore[index]
    assert f'href="/conversations/{field.held[0].pk}/">Aisha Bello</a>' in sources
    assert f'href="/conversations/{field.held[1].pk}/">Dana Kowalczyk</a>' in sources


# --- Queries -------------------------------------------------------------------------------------


def _count(client: Client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_fit_pages_run_as_many_queries_for_a_large_account_as_a_small_one(
    owner: User, owner_client: Client
) -> None:
    owner_client.get("/")  # the first request of a session stores its time zone
    small = build_field(owner, "Small")
    other = build_field(owner, "Other")
    urls = [
        (f"/fit/targets/{small.target.pk}/", None),
        (f"/fit/targets/{small.target.pk}/insights/", None),
        ("/fit/", None),
        ("/fit/", {"target": [small.target.pk, other.target.pk]}),
    ]
    before = [_count(owner_client, url, params) for url, params in urls]
    # More of everything: targets, people, held conversations, learnings, notes, shadowing,
    # verdicts.
    for index in range(12):
        grown = build_field(owner, f"Grown {index}")
        Shadowing.objects.create(owner=owner, contact=grown.dana, stage=Shadowing.Stage.ASKED)
        Verdict.objects.create(
            owner=owner,
            target=grown.target,
            verdict=Choice.TRY_IT,
            proposed=Choice.TRY_IT,
            decided_on=timezone.localdate(),
        )
        for conversation in grown.held:
            conversation.targets.add(small.target)
            Note.objects.create(owner=owner, conversation=conversation, text="Travel, again.")
    Verdict.objects.create(
        owner=owner,
        target=small.target,
        verdict=Choice.PURSUE,
        proposed=Choice.TRY_IT,
        decided_on=timezone.localdate(),
    )
    after = [_count(owner_client, url, params) for url, params in urls]
    assert after == before
    assert max(after) <= 16, after


def test_compare_given_ids_that_name_no_target_of_the_user_says_none_was_picked(
    owner: User, owner_client: Client, field: Field
) -> None:
    junk = ["abc", "²", "9" * 30, "0", str(field.target.pk + 10_000)]
    html = owner_client.get("/fit/", {"target": junk}).content.decode()
    assert "Pick two or three targets to compare on the chart: you picked none." in html


@pytest.mark.parametrize(
    ("column", "value"),
    [("verdict", "maybe"), ("proposed", ""), ("decided_on", "1066-10-14"), ("note", "x" * 2001)],
)
def test_a_restore_refuses_a_verdict_the_page_could_not_have_saved(
    owner: User, owner_client: Client, field: Field, column: str, value: str
) -> None:
    owner_client.post(
        f"/fit/targets/{field.target.pk}/verdict/", {"verdict": "pursue", "proposed": "try_it"}
    )
    data = json.loads(json.dumps(account_export(user=owner)))
    data["models"]["fit.verdict"][0][column] = value
    copy = user_create(username="copy", password="x" * 12)
    with pytest.raises(RestoreError, match=column):
        account_restore(user=copy, data=data)
    assert not Verdict.objects.filter(owner=copy).exists()
