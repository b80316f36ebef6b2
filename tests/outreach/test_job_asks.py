"""The asks-for-job decision of the checker (checker v2, issue 11 item 1): what it flags and
why, what it leaves alone, the corpus it learns from, the shipped model, and its figures on
the frozen evaluation set and on the development set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from coffeechat.outreach import jobask
from coffeechat.outreach.checker import check
from coffeechat.outreach.evaluate import evaluate, read_rows

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
CORPUS = DATA / "job_ask_corpus.jsonl"
FROZEN = DATA / "eval" / "job_asks_eval.jsonl"
DEV = DATA / "job_asks_dev.jsonl"
BANK = ROOT / "src" / "coffeechat" / "questions" / "data" / "bank.toml"


def asks(text: str, kind: str = "request") -> list[tuple[str, str]]:
    """(flagged text, message) of every asks-for-job finding."""
    return [
        (text[f.start : f.end], f.message)
        for f in check(text, kind).findings
        if f.rule == "asks-for-job"
    ]


# ---------------------------------------------------------------- what it flags


@pytest.mark.parametrize(
    "sentence",
    [
        # The four misses of checker v1.
        "Do you know if your group has budget for another associate next year?",
        "Would you be comfortable introducing me to the person who decides on next year's "
        "associate class?",
        "I saw the Product Manager opening on your team last week. Could you tell me who is "
        "handling it, so I can reach out directly?",
        "Would you be open to forwarding my LinkedIn profile to your manager?",
    ],
)
def test_the_asks_the_old_rules_missed_are_flagged(sentence: str) -> None:
    text = "Hi Dana, we both studied chemistry at Oberlin. " + sentence
    assert asks(text), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # The two false alarms of checker v1.
        "What do you look for when you hire new analysts?",
        "I'd love to hear which entry-level roles you think are the best launching pads.",
    ],
)
def test_questions_about_hiring_are_not_flagged(sentence: str) -> None:
    text = "Hi Dana, we both studied chemistry at Oberlin. " + sentence
    assert asks(text) == []


def test_a_short_sentence_after_the_greeting_is_still_read() -> None:
    """The greeting bug: "Hi Ella," used to swallow the whole short sentence it opened."""
    flagged = asks("Hi Ella, I'd love to be your next hire!")
    assert [span for span, _ in flagged] == ["I'd love to be your next hire!"]
    assert "hire you or consider you" in flagged[0][1]
    assert asks("Hi Ella,\n\nWe met at the mixer. Would you have 20 minutes?") == []


@pytest.mark.parametrize(
    ("sentence", "kind_of_ask"),
    [
        ("Would you be willing to refer me for the analyst opening?", "a referral"),
        ("Could you pass my résumé along to your director?", "résumé, profile or application"),
        ("Who decides on new hires in your unit, and could you introduce us?", "whoever hires"),
        ("Is your team planning to add another coordinator this spring?", "an opening"),
        ("Could I do my summer internship in your lab?", "internship"),
        ("Would you send some freelance editing work my way?", "freelance"),
        ("I'd happily do an unpaid trial week to show what I can do.", "unpaid or trial"),
        ("Would you be a reference for my application to the county?", "a reference"),
        ("Would you consider me for the junior role on your team?", "hire you or consider"),
    ],
)
def test_the_finding_says_what_kind_of_ask_it_is(sentence: str, kind_of_ask: str) -> None:
    text = "Hi Dana, we both went to Oberlin. " + sentence
    flagged = asks(text)
    assert len(flagged) == 1, flagged
    span, message = flagged[0]
    assert span and span in sentence
    assert kind_of_ask in message
    assert "instead" in message


def test_a_denial_then_an_ask_points_at_the_ask() -> None:
    text = "Hi Sara, I'm not asking for a job, but could you pass my CV on to your manager?"
    [(span, message)] = asks(text)
    assert span.startswith("could you pass my CV on")
    assert "résumé" in message


def test_a_denial_alone_is_no_ask_but_a_warning() -> None:
    text = "Hi Sara, I'm not asking for a job, only for your view of oncology sales."
    assert asks(text) == []
    assert "mentions-job-search" in {f.rule for f in check(text).findings}


def test_the_ask_in_one_clause_of_a_long_sentence_is_found() -> None:
    text = (
        "Hi Yara, I want to understand how clinical trials run at a site like yours, and I'm "
        "also hoping you can tell me about any coordinator openings there."
    )
    [(span, _)] = asks(text)
    assert "coordinator openings" in span and "clinical trials" not in span


def test_thanks_for_a_favour_already_done_is_no_ask_but_an_open_one_is() -> None:
    done = "Hi Priya, thank you for introducing me to your recruiter last month; I start Monday."
    assert asks(done, "thanks") == []
    still_open = "Hi Priya, just checking: were you able to pass my résumé to your manager?"
    assert asks(still_open, "followup")


@pytest.mark.parametrize(
    "text",
    [
        "Hi Job,\n\nWe both studied nursing at Emory. How did you move into informatics? "
        "Would you have 20 minutes next week?\n\nThanks,\nGrant",
        "Dear Hope, I loved your talk. Will suggested I write to you. Could we talk for 20 "
        "minutes?",
    ],
)
def test_names_that_are_also_words_are_read_as_names(text: str) -> None:
    assert asks(text) == []


def test_the_explanation_and_the_decision_need_no_network_and_no_django() -> None:
    """The model is a data file of the package, read by pure Python."""
    assert jobask.MODEL_PATH.is_file()
    assert jobask.MODEL_PATH.is_relative_to(Path(jobask.__file__).parent)
    code = (
        "import sys, socket\n"
        "socket.socket = None\n"
        "from coffeechat.outreach.checker import check\n"
        "assert any(f.rule == 'asks-for-job' for f in check('Could you refer me?').findings)\n"
        "assert 'django' not in sys.modules, 'the checker must stay a pure module'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# ---------------------------------------------------------------- what it leaves alone


def bank_questions() -> list[str]:
    data = tomllib.loads(BANK.read_text(encoding="utf-8"))
    return [q["text"] for v in data.values() if isinstance(v, list) for q in v]


def test_no_bank_question_is_flagged() -> None:
    questions = bank_questions()
    assert len(questions) >= 326
    flagged = [
        q
        for q in questions
        if {f.rule for f in check(q, "request").findings} & {"asks-for-job", "mentions-job-search"}
    ]
    assert flagged == []


@pytest.mark.django_db
def test_no_built_in_template_is_flagged_as_the_draft_page_fills_it(owner) -> None:
    from coffeechat.accounts.services import profile_for
    from coffeechat.contacts.models import Contact
    from coffeechat.conversations.models import Learning
    from coffeechat.conversations.services import conversation_create, learning_add
    from coffeechat.organizations.models import Organization
    from coffeechat.outreach import drafts
    from coffeechat.outreach.models import CHECKER_KIND, DraftKind
    from coffeechat.targets.models import Target

    organization = Organization.objects.create(
        owner=owner, name="Halvorsen Biologics", industry="Pharmaceutical sales"
    )
    target = Target.objects.create(owner=owner, kind=Target.Kind.ROLE, name="Clinical research")
    introducer = Contact.objects.create(owner=owner, first_name="Ines", last_name="Alvarez")
    checked = 0
    for index, connection in enumerate(Contact.Connection.values):
        for detail in ("", "the 2019 biology class"):
            contact = Contact.objects.create(
                owner=owner,
                first_name="Dana",
                last_name=f"Whitfield{index}{len(detail)}",
                organization=organization,
                how_connected=connection,
                connection_detail=detail,
                introduced_by=introducer if connection == "referral" and detail else None,
            )
            conversation = conversation_create(owner=owner, contact=contact, targets=[target])
            learning_add(
                conversation=conversation,
                kind=Learning.Kind.ADVICE,
                text="Learn the regulations before the science",
            )
            values = drafts.draft_values(
                conversation=conversation, profile=profile_for(owner)
            )
            for kind in DraftKind.values:
                template = drafts.template_for(kind)
                for text in (drafts.fill(template.body, values), drafts.fill(template.subject,
                                                                              values)):
                    report = check(text, CHECKER_KIND[DraftKind(kind)])
                    rules = {f.rule for f in report.findings}
                    assert not rules & {"asks-for-job", "mentions-job-search"}, text
                    assert not report.has_errors, text
                    checked += 1
    assert checked == len(Contact.Connection.values) * 2 * len(DraftKind.values) * 2


# ---------------------------------------------------------------- the corpus and the model


def corpus() -> list[dict[str, object]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def test_the_corpus_is_large_varied_and_every_row_says_why() -> None:
    rows = corpus()
    assert len(rows) >= 2000
    asks_share = sum(bool(r["label"]) for r in rows) / len(rows)
    assert 0.3 <= asks_share <= 0.5
    for row in rows:
        assert set(row) <= {"text", "label", "reason", "ask", "context"}, row
        assert isinstance(row["label"], bool) and str(row["reason"]).strip(), row
        assert ("ask" in row) == row["label"], row
    texts = [str(r["text"]).lower() for r in rows]
    assert len(set(texts)) == len(texts), "duplicate rows"
    negatives = [str(r["text"]).lower() for r in rows if not r["label"]]
    job_words = ("job", "hire", "hiring", "role", "opening", "position", "intern", "referr",
                 "résumé", "cv", "apply", "applied", "recruit")
    # Hard negatives: jobs and hiring talked about, no ask.
    assert sum(any(w in t for w in job_words) for t in negatives) >= 400
    assert sum(("not " in t or "n't" in t) for t in negatives) >= 40
    assert sum(("not " in t or "n't" in t) for t in texts if t not in negatives) >= 8
    industries = {
        "healthcare": ("nurse", "hospital", "clinic"),
        "law": ("law", "paralegal", "attorney"),
        "software": ("software", "developer", "engineer"),
        "ux": ("ux", "design"),
        "finance": ("finance", "bank", "analyst", "audit"),
        "nonprofit": ("nonprofit", "foundation", "grant"),
        "government": ("government", "county", "policy", "city"),
        "teaching": ("teach", "school", "classroom"),
        "trades": ("electrician", "plumb", "welder", "apprentice"),
        "manufacturing": ("plant", "manufactur", "operator"),
        "media": ("newsroom", "editor", "reporter", "magazine"),
        "research": ("lab", "research"),
        "hospitality": ("restaurant", "hotel", "kitchen"),
        "consulting": ("consult",),
        "pharma": ("pharma", "drug"),
    }
    for industry, words in industries.items():
        assert sum(any(w in t for w in words) for t in texts) >= 15, industry
    kinds = {r["ask"] for r in rows if r["label"]}
    assert kinds == {"hire", "referral", "intro-hirer", "cv", "opening", "internship",
                     "contract", "unpaid", "reference"}


def test_the_corpus_holds_no_sentence_of_the_frozen_set() -> None:
    frozen = {" ".join(str(r["text"]).lower().split()) for r in read_rows(FROZEN)}
    rows = {" ".join(str(r["text"]).lower().split()) for r in corpus()}
    assert not any(r in f for r in rows for f in frozen if len(r) > 40)


def test_the_shipped_weights_are_what_the_training_script_builds(tmp_path: Path) -> None:
    """Deterministic training: the script rebuilds the shipped file byte for byte."""
    out = tmp_path / "model.json"
    env = os.environ | {"COFFEECHAT_DATA_DIR": str(tmp_path)}
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_job_ask.py"), "--no-cv", "--output",
         str(out)],
        check=True,
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert out.read_bytes() == jobask.MODEL_PATH.read_bytes()


# ---------------------------------------------------------------- the figures

# Measured at the end of the work on checker v2 with
# `.venv/bin/python -m coffeechat.outreach.evaluate` (docs/checker.md). First run, commit
# 00d6334: precision 0.979, recall 0.979. Three short corpus rows then turned out to occur word
# for word inside frozen messages (written independently); they were removed and the weights
# rebuilt, and the second and last run, commit 497cfc4, gave 143 of 145 asks found and 4 false
# alarms in 199 messages without one. Nothing was changed after it.
# Run 3, after the templates of issue 11 item 7 (more and new template sentences taught as
# non-asks) and the weights rebuilt from them: 142 of 145 asks found, 5 false alarms
# (docs/checker.md says which messages moved).
# Run 4, after the bank grew to 543 questions for the planner (issue 11 item 3) and the
# weights were rebuilt with every question of the current bank as a non-ask, nothing else
# changed: 141 of 145 asks found, 5 false alarms. These floors are those figures, so that a
# regression fails.
FROZEN_PRECISION = 141 / 146
FROZEN_RECALL = 141 / 145
# The development set (the old hand-labelled messages, relabelled by the frozen set's rule)
# was looked at while the corpus was written: its figures are optimistic.
DEV_PRECISION = 1.0
DEV_RECALL = 116 / 117


def test_figures_on_the_frozen_evaluation_set() -> None:
    scores = evaluate(read_rows(FROZEN))["all"]
    print(f"frozen set: {scores.line()}")
    assert scores.precision >= FROZEN_PRECISION - 1e-9
    assert scores.recall >= FROZEN_RECALL - 1e-9


def test_figures_on_the_development_set() -> None:
    scores = evaluate(read_rows(DEV))["all"]
    print(f"development set: {scores.line()}")
    assert scores.precision >= DEV_PRECISION - 1e-9, scores.misses
    assert scores.recall >= DEV_RECALL - 1e-9, scores.misses
