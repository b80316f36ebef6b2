"""The message checker: each rule on its own, its spans and the CLI. The asks-for-job decision
has its own file, test_job_asks.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.outreach.checker import KINDS, check


def rules(text: str, kind: str = "request") -> dict[str, str]:
    return {f.rule: f.severity for f in check(text, kind).findings}


GOOD = (
    "Hi Dana, we both studied chemistry at Oberlin. I'm curious how you moved into medical "
    "affairs. Would you have 20 minutes next week to tell me about your work?"
)


def test_a_good_request_has_no_findings() -> None:
    assert check(GOOD).findings == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Could you keep me in mind for any openings on your team?",
        "Is your department hiring this year?",
        "Would you be willing to put in a good word for me?",
        "Could you pass my résumé to your manager?",
        "I'd be grateful for an internal referral for the posting.",
        "If anything opens up, I hope you'll think of me.",
    ],
)
def test_asks_for_job_is_an_error_pointing_at_the_ask(sentence: str) -> None:
    text = "Hi Dana, we both went to Oberlin. " + sentence
    findings = [f for f in check(text).findings if f.rule == "asks-for-job"]
    assert [f.severity for f in findings] == ["error"]
    assert text.index(sentence) <= findings[0].start < findings[0].end <= len(text)
    assert "instead" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Hi Jenna, we met at the mixer. What is your job as a rep like? Could we talk for 20 "
        "minutes?",
        "Hi Tom, we both went to Penn State. How did you land your first job? Could I have 20 "
        "minutes of your time?",
    ],
)
def test_a_mere_mention_of_a_job_is_no_ask(text: str) -> None:
    assert "asks-for-job" not in rules(text)
    assert "mentions-job-search" not in rules(text)


def test_a_denial_is_no_ask_but_a_mentions_job_search_warning() -> None:
    text = (
        "Hi Sara, I'm not asking for a job. As a fellow Wildcat, I'd love to hear how you "
        "chose oncology sales. Would you have 20 minutes?"
    )
    found = rules(text)
    assert "asks-for-job" not in found
    assert found["mentions-job-search"] == "warning"
    finding = next(f for f in check(text).findings if f.rule == "mentions-job-search")
    assert text[finding.start : finding.end] == "not asking for a job"


def test_a_denial_does_not_hide_an_ask_beside_it() -> None:
    text = "Hi Sara, we both went to Duke. I'm not asking for a job, but are you hiring?"
    assert rules(text)["asks-for-job"] == "error"


def test_length_notice_over_75_words_and_warning_over_100() -> None:
    filler = " Your work on rural clinics interests me a great deal, you see."
    base = GOOD
    seventy_six = base + filler * ((76 - 28) // 11 + 1)
    words = check(seventy_six).words
    assert 75 < words <= 100
    assert rules(seventy_six)["length"] == "notice"
    long = base + filler * 7
    assert check(long).words > 100
    assert rules(long)["length"] == "warning"
    finding = next(f for f in check(long).findings if f.rule == "length")
    assert finding.end == len(long) and finding.start > 0


def test_linkedin_note_over_300_characters_is_an_error() -> None:
    note = GOOD + " " + "I admire your work on patient education. " * 5
    assert len(note) > 300
    finding = next(f for f in check(note, "linkedin-note").findings if f.rule == "length")
    assert (finding.severity, finding.start, finding.end) == ("error", 300, len(note))
    assert "length" not in rules(GOOD, "linkedin-note")


def test_connection_must_come_in_the_first_two_sentences() -> None:
    late = (
        "Hi Dana, I am a chemistry graduate. I am exploring medical affairs. My professor "
        "suggested you. Would you have 20 minutes?"
    )
    assert rules(late)["connection-first"] == "warning"
    assert "connection-first" not in rules(GOOD)


def test_no_clear_ask_without_question_mark_or_without_time() -> None:
    no_question = "Hi Dana, we both went to Oberlin. I'd love 20 minutes of your time."
    assert rules(no_question)["no-clear-ask"] == "warning"
    unbounded = "Hi Dana, we both went to Oberlin. Could we talk about your work sometime?"
    finding = next(f for f in check(unbounded).findings if f.rule == "no-clear-ask")
    assert "20 minutes" in finding.message


def test_about_me_when_first_person_outweighs_second_person() -> None:
    text = (
        "Hi Dana, we both went to Oberlin. I am a graduate and I love science, my lab work "
        "and my research. Would you have 20 minutes?"
    )
    assert rules(text)["about-me"] == "warning"
    assert "about-me" not in rules(text, "thanks")


def test_attachment_is_flagged() -> None:
    text = "Hi Dana, we both went to Oberlin. I attached a short note. Would you have 20 minutes?"
    finding = next(f for f in check(text).findings if f.rule == "attachment")
    assert text[finding.start : finding.end] == "attached"


@given(st.text(max_size=400), st.sampled_from(KINDS))
@settings(max_examples=150, deadline=None)
def test_every_finding_points_inside_the_text_and_has_a_reason(text: str, kind: str) -> None:
    report = check(text, kind)
    assert report.words >= 0
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.severity in ("error", "warning", "notice")
        assert finding.message and "\n" not in finding.message


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = os.environ | {"COFFEECHAT_TESTING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "coffeechat", "check-message", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_cli_prints_json_and_exits_1_on_an_error(tmp_path: Path) -> None:
    asking = "Hi Dana, we both went to Oberlin. Is your team hiring? Could we talk 20 minutes?"
    result = _cli("--json", stdin=asking)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["words"] == len(asking.split())
    assert data["findings"][0]["rule"] == "asks-for-job"
    assert set(data["findings"][0]) == {"rule", "severity", "start", "end", "message"}

    note = tmp_path / "note.txt"
    note.write_text(GOOD)
    clean = _cli(str(note), "--kind", "linkedin-note")
    assert clean.returncode == 0
    assert "0 findings" in clean.stdout

    warned = _cli("-", "--kind", "request", stdin="Hi Dana. I'd love 20 minutes.")
    assert warned.returncode == 0  # warnings only
    assert "warning: no-clear-ask" in warned.stdout


def test_batch_checks_every_line_and_exits_1_when_one_asks_for_a_job(tmp_path: Path) -> None:
    lines = [
        {"id": "good", "kind": "request", "text": GOOD},
        {"id": 7, "kind": "linkedin-note", "text": "Hi Dana, fellow Oberlin alum. Could you "
         "refer me for the analyst opening?"},
        {"id": "thanks", "kind": "thanks", "text": "Thank you for Tuesday, Dana."},
    ]
    batch = tmp_path / "drafts.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = _cli("--jsonl", str(batch))
    assert result.returncode == 1, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["good", 7, "thanks"]
    assert out[0] == {"id": "good", **check(GOOD).as_dict()}
    assert out[1]["words"] == 13
    assert out[1]["findings"][0]["rule"] == "asks-for-job"
    assert set(out[1]["findings"][0]) == {"rule", "severity", "start", "end", "message"}
    assert all("asks-for-job" != f["rule"] for f in out[2]["findings"])


def test_batch_from_stdin_exits_0_with_warnings_only() -> None:
    stdin = json.dumps({"id": "a", "text": "Hi Dana. I'd love 20 minutes."}) + "\n\n"
    result = _cli("--jsonl", "-", stdin=stdin)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()  # the blank line is skipped
    assert "no-clear-ask" in {f["rule"] for f in json.loads(line)["findings"]}


def test_batch_kind_defaults_to_the_kind_option() -> None:
    note = "Hi Dana, " + "we both went to Oberlin and I admire your work. " * 8
    stdin = json.dumps({"id": "n", "text": note})
    result = _cli("--jsonl", "-", "--kind", "linkedin-note", stdin=stdin)
    rules = [f["rule"] for f in json.loads(result.stdout)["findings"]]
    assert "length" in rules and result.returncode == 1  # over 300 characters is an error


def test_batch_names_each_bad_line_by_number_without_a_traceback() -> None:
    stdin = "\n".join(
        [
            json.dumps({"id": "ok", "text": GOOD}),
            "{not json",
            json.dumps({"id": "no-text", "kind": "request"}),
            json.dumps({"id": "odd-kind", "kind": "memo", "text": "Hello"}),
            json.dumps(["a", "list"]),
            json.dumps({"id": "number", "text": 42}),
        ]
    )
    result = _cli("--jsonl", "-", stdin=stdin)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr == ""
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 6 and "findings" in out[0]
    assert out[1] == {"id": None, "line": 2, "error": out[1]["error"]}
    assert out[1]["error"].startswith("line 2: not JSON")
    assert out[2] == {"id": "no-text", "line": 3, "error": "line 3: text is missing"}
    assert out[3]["line"] == 4 and "unknown kind 'memo'" in out[3]["error"]
    assert out[4]["line"] == 5 and "not a JSON object" in out[4]["error"]
    assert out[5]["line"] == 6 and "text is not a string" in out[5]["error"]


def test_batch_refuses_a_file_and_jsonl_together_and_a_missing_file(tmp_path: Path) -> None:
    both = _cli("message.txt", "--jsonl", "-")
    assert both.returncode != 0 and "not both" in both.stderr
    missing = _cli("--jsonl", str(tmp_path / "nope.jsonl"))
    assert missing.returncode != 0 and "Cannot read" in missing.stderr
    assert "Traceback" not in missing.stderr
