"""The demo's data, pinned. Built on a fixed day, the demo exports to the same data on SQLite and
PostgreSQL, build after build; the digest below was taken before the demo's literals moved from
Python into demo/data/*.toml, and held after it: the move changed nothing. It changed on purpose
when Maya's verdicts (fit.verdict) came in; without those three rows the export's digest is the
old one (ed502803...). It changed again when her leads and formal interviews came in (issue
14); without the leads tables it is the one before them (dfa465e0...).

What "the same" leaves aside is in tests/demo_account.demo_export: database ids (rows are
compared by position), and the two tables whose rows follow the planner's tie-breaks, which
hash each conversation's id. Dates are compared as they are: the build is on a fixed day.

Changing the demo on purpose changes the digest: update it, and the row counts, in the same
commit, and say why in its message."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from coffeechat.conversations.models import Status
from coffeechat.demo import dataset
from coffeechat.demo.dataset import DATA_DIR
from coffeechat.demo.services import demo_build
from tests.demo_account import TODAY, demo_export, export_digest, maya_account

EXPORT_DIGEST = "5c1343c327c189cfa79719f1c203e17c8feae6f640dbcd61a42754cb6c3f351b"
ROWS = {
    "contacts.contact": 150,
    "contacts.jobhistory": 4,
    "contacts.tag": 8,
    "conversations.conversation": 25,
    "conversations.learning": 32,
    "fit.fitline": 35,
    "fit.openquestion": 10,
    "fit.verdict": 3,
    "followups.followup": 65,
    "interview.interviewsession": 9,
    "interview.referral": 7,
    "interview.shadowing": 4,
    "leads.formalinterview": 6,
    "leads.lead": 6,
    "network.knows": 11,
    "notes.note": 42,
    "organizations.organization": 40,
    "outreach.keepintouch": 4,
    "outreach.messagetemplate": 3,
    "outreach.outreach": 30,
    "prep.prepplan": 13,
    "prep.researchitem": 119,
    "prep.targetresearch": 7,
    "questions.question": 10,
    "questions.questionmark": 4,
    "targets.target": 45,
}


@pytest.fixture
def export() -> dict:
    maya: User = maya_account()
    demo_build(user=maya, today=TODAY)
    return demo_export(maya)


def _one(rows: list[dict], **match: object) -> dict:
    found = [row for row in rows if all(row.get(k) == v for k, v in match.items())]
    assert len(found) == 1, match
    return found[0]


@pytest.mark.django_db
def test_the_demo_exports_the_data_it_always_did(export: dict) -> None:
    assert {label: len(rows) for label, rows in export.items()} == ROWS
    # A few rows read in full, so that a failure says where to look before the digest does.
    contacts = export["contacts.contact"]
    dana = _one(contacts, first_name="Dana", last_name="Kowalczyk")
    assert (dana["title"], dana["email"], dana["last_interaction"]) == (
        "Pharmaceutical sales representative",
        "dana.kowalczyk@corvane.example",
        "2026-02-19",
    )
    tomas = _one(contacts, first_name="Tomás")
    assert contacts[tomas["introduced_by"]] is dana
    priya = export["conversations.conversation"][
        _one(export["outreach.outreach"], subject="Dr. Osei's genetics course, a few years apart")[
            "conversation"
        ]
    ]
    assert (priya["starts_at"], priya["status"]) == ("2026-02-05T17:00:00+00:00", "thanked")
    shadowing = _one(export["interview.shadowing"], stage="done")
    assert shadowing["on_date"] == "2026-03-02" and shadowing["notes"].startswith("Ride-along")
    assert (shadowing["see_yourself"], shadowing["question_raised"]) == (
        "maybe",
        "How do reps keep going through a week of closed doors?",
    )
    devices = export["targets.target"].index(_one(export["targets.target"], name="Medical devices"))
    motivation = _one(export["fit.fitline"], kind="motivation", target=devices)
    assert motivation["rating"] == 5
    assert motivation["text"].startswith("Standing next to a cardiologist")
    assert len(motivation["learnings"]) == 2
    # Medical devices: the proposal confirmed; Pharmaceuticals: an override of it, and history.
    verdicts = [
        (export["targets.target"][row["target"]]["name"], row["verdict"], row["proposed"])
        for row in export["fit.verdict"]
    ]
    assert verdicts == [
        ("Pharmaceuticals", "keep_exploring", "keep_exploring"),
        ("Pharmaceuticals", "set_aside", "keep_exploring"),
        ("Medical devices", "try_it", "try_it"),
    ]
    assert export_digest(export) == EXPORT_DIGEST


def test_the_data_files_ship_with_the_package() -> None:
    """The demo reads its TOML at run time: an installed coffeechat must carry every file."""
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    files = sorted(path.name for path in DATA_DIR.glob("*.toml"))
    assert len(files) >= 8
    for name in files:
        assert any(fnmatch.fnmatch(f"data/{name}", pattern) for pattern in patterns), name


def test_a_mistake_in_the_data_names_the_file_and_the_value() -> None:
    with pytest.raises(ValueError, match=r"demo/data/conversations.toml: 'helt' is none of idea"):
        dataset._check("helt", Status, "conversations.toml")
    with pytest.raises(ValueError, match=r"notes.toml: 'dnaa' is none of"):
        dataset._handle("dnaa", "notes.toml")
