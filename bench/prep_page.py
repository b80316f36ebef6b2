"""The prep plan end to end, with a 10,000-question bank in the database.

    .venv/bin/python bench/prep_page.py [--runs N] [--questions 10000]
                                        [--database-url postgresql://postgres@127.0.0.1:5432/NAME]

bench/prep.py times the planner alone, on a bank built in memory. This one loads a bank of
``--questions`` shipped questions into the database through the bank's own sync (the shipped
bank file repeated under fresh keys, so the mix of phases, families and audiences is the real
one), with one user who has their own questions, stars and hides, a contact with a title, two
targets and earlier conversations at the same organization whose plans were asked. Then it
times, in this process (Django's test client, no HTTP server):

- the bank as the planner reads it (``planner_bank``), the first time after a sync and again;
- ``plan_fresh``: the plan for the conversation, every read included, nothing saved;
- the print view of the unsaved plan (``GET /prep/<id>/print/``: the plan and its page);
- "Try a plan" for a title (``GET /prep/try/?title=...``);
- generating and saving the plan (``POST /prep/<id>/generate/``, its redirect not followed).

Without ``--database-url`` the database is a fresh SQLite file in a temporary folder. With it,
the database NAME of the URL is dropped and created again on that server, and dropped at the
end: give it a name of its own. Medians over ``--runs`` (after one warm-up each).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import tomllib
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

BUDGET_MS = 30.0


def _toml_string(text: str) -> str:
    # A TOML basic string: JSON's escapes are valid TOML ones once non-ASCII stays as it is.
    return json.dumps(text, ensure_ascii=False)


def write_bank(path: Path, size: int) -> None:
    """The shipped bank file repeated under fresh keys up to ``size`` questions."""
    from coffeechat.questions.bank import BANK_FILE

    data = tomllib.loads(BANK_FILE.read_text())
    phases = [name for name, rows in data.items() if isinstance(rows, list)]
    shipped = [(phase, row) for phase in phases for row in data[phase]]
    rows_by_phase: dict[str, list[dict[str, Any]]] = {phase: [] for phase in phases}
    for index in range(size):
        phase, row = shipped[index % len(shipped)]
        copy = dict(row)
        if index >= len(shipped):
            copy["key"] = f"b{index // len(shipped)}-{row['key']}"
        rows_by_phase[phase].append(copy)
    lines = [f"version = {data['version']}", ""]
    for phase, rows in rows_by_phase.items():
        lines.append(f"{phase} = [")
        for row in rows:
            fields = []
            for name, value in row.items():
                if isinstance(value, bool):
                    fields.append(f"{name} = {'true' if value else 'false'}")
                elif isinstance(value, int):
                    fields.append(f"{name} = {value}")
                elif isinstance(value, list):
                    fields.append(f"{name} = [{', '.join(_toml_string(v) for v in value)}]")
                else:
                    fields.append(f"{name} = {_toml_string(value)}")
            lines.append("  { " + ", ".join(fields) + " },")
        lines.append("]")
    path.write_text("\n".join(lines) + "\n")


def postgres_reset(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    if not name or name in ("postgres", "template0", "template1"):
        raise SystemExit("Give the database a name of its own: it is dropped and created.")
    admin = urllib.parse.urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup(database_url: str | None) -> None:
    os.environ["COFFEECHAT_DATA_DIR"] = tempfile.mkdtemp(prefix="coffeechat-bench-prep-")
    os.environ["COFFEECHAT_TESTING"] = "0"
    os.environ["COFFEECHAT_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "coffeechat.settings"
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        postgres_reset(database_url)
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_world(bank_path: Path) -> tuple[Any, Any]:
    """One user with a busy history at one organization, and the conversation to plan."""
    from django.utils import timezone

    from coffeechat.accounts.models import Profile
    from coffeechat.accounts.services import user_create
    from coffeechat.contacts.models import Contact
    from coffeechat.contacts.services import contact_save
    from coffeechat.conversations.models import Conversation, Status
    from coffeechat.prep.models import PrepItem, PrepPlan
    from coffeechat.questions.bank import sync_rows
    from coffeechat.questions.models import Question, QuestionMark
    from coffeechat.questions.services import question_create
    from coffeechat.targets.models import Target

    sync_rows(Question, bank_path)
    user = user_create(username="bench", password="bench-password-123", display_name="Bench")
    Profile.objects.filter(user=user).update(
        stage=Profile.Stage.CAREER_CHANGER,
        background="Seven years teaching middle-school science",
        settings_saved=True,
    )
    shipped = list(
        Question.objects.filter(owner__isnull=True).order_by("id").values_list("id", flat=True)
    )
    for index in range(20):
        question_create(
            owner=user,
            text=f"What would you tell someone in my shoes, question {index}?",
            phase=["insights", "advice", "trends"][index % 3],
        )
    QuestionMark.objects.bulk_create(
        [QuestionMark(owner=user, question_id=qid, starred=True) for qid in shipped[7::197]]
        + [QuestionMark(owner=user, question_id=qid, hidden=True) for qid in shipped[11::499]]
    )
    targets = [
        Target.objects.create(owner=user, name="Pharmaceuticals", kind=Target.Kind.INDUSTRY),
        Target.objects.create(owner=user, name="Medical sales", kind=Target.Kind.ROLE),
    ]
    now = timezone.now()
    contact = contact_save(
        owner=user,
        contact=Contact(first_name="Priya", last_name="Natarajan", title="Sales Representative"),
        organization_name="Bluestem Pharmaceuticals",
    )
    contact.organization.industry = "Pharmaceuticals"
    contact.organization.save()
    # Earlier conversations held at the organization, their plans asked: the planner's
    # "not yet asked here" and "asked of this contact" read them.
    for index in range(6):
        colleague = contact_save(
            owner=user,
            contact=Contact(first_name=f"Colleague{index}", last_name="Smith", title="Manager"),
            organization_name="Bluestem Pharmaceuticals",
        )
        held = Conversation.objects.create(
            owner=user,
            contact=contact if index == 0 else colleague,
            status=Status.THANKED,
            held_at=now - timezone.timedelta(days=30 + index),
        )
        plan = PrepPlan.objects.create(owner=user, conversation=held, minutes=30, generated_at=now)
        PrepItem.objects.bulk_create(
            [
                PrepItem(owner=user, plan=plan, question_id=qid, position=(i + 1) * 10)
                for i, qid in enumerate(shipped[index * 40 : index * 40 + 18])
            ]
        )
    conversation = Conversation.objects.create(
        owner=user, contact=contact, status=Status.SCHEDULED, planned_minutes=30
    )
    conversation.targets.set(targets)
    return user, conversation


Times = tuple[list[float], list[float]]  # wall and CPU of this process, in ms


def timed(fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> Times:
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


def line(label: str, times: Times) -> float:
    wall, cpu = times
    median = statistics.median(wall)
    p90 = statistics.quantiles(wall, n=10)[-1] if len(wall) > 1 else median
    print(
        f"  {label:<52} median {median:7.2f} ms  p90 {p90:7.2f} ms  "
        f"CPU median {statistics.median(cpu):7.2f} ms  ({len(wall)} runs)"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--database-url", metavar="URL")
    args = parser.parse_args()
    load = os.getloadavg()
    setup(args.database_url)
    try:
        run(args, load)
    finally:
        if args.database_url:
            from django.db import connections

            connections.close_all()
            postgres_reset(args.database_url, drop_only=True)


def run(args: argparse.Namespace, load: tuple[float, float, float]) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.urls import reverse

    from coffeechat.prep.models import PrepPlan
    from coffeechat.prep.selectors import plan_fresh
    from coffeechat.questions import selectors
    from coffeechat.questions.models import Question
    from coffeechat.questions.selectors import planner_bank

    bank_path = Path(os.environ["COFFEECHAT_DATA_DIR"]) / "bank.toml"
    write_bank(bank_path, args.questions)
    user, conversation = build_world(bank_path)
    shipped = Question.objects.filter(owner__isnull=True, retired=False).count()
    database = (
        f"{connection.vendor} {connection.Database.sqlite_version}"
        if (connection.vendor == "sqlite")
        else f"PostgreSQL {connection.cursor().connection.info.server_version}"
    )
    print(
        f"Prep plan end to end: {shipped:,} shipped questions in the database, 20 own, "
        f"{len(planner_bank(user=user))} in the user's bank after hides; {database}; "
        f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} on {os.cpu_count()} CPUs"
    )

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    print_url = reverse("prep:print", args=[conversation.pk])
    try_url = reverse("prep:try") + "?title=Clinical+research+associate&industry=Biotechnology"
    generate_url = reverse("prep:generate", args=[conversation.pk])

    def get(url: str) -> Callable[[], object]:
        def fetch() -> object:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return fetch

    def generate() -> object:
        response = client.post(generate_url, {"minutes": "30", "discard_edits": "1"})
        assert response.status_code == 302, response.status_code
        return response

    results: dict[str, float] = {}

    # The first read after a sync: what a cache pays once per process and per bank change.
    def forget() -> None:
        clear = getattr(selectors, "bank_cache_clear", None)  # where there is a cache
        if clear is not None:
            clear()

    results["bank, first read"] = line(
        "planner_bank, first read in the process",
        timed(lambda: planner_bank(user=user), max(5, args.runs // 3), before=forget),
    )
    results["bank"] = line("planner_bank, again", timed(lambda: planner_bank(user=user), args.runs))
    results["plan_fresh"] = line(
        "plan_fresh (every read, the planner, nothing saved)",
        timed(lambda: plan_fresh(conversation=conversation), args.runs),
    )
    PrepPlan.objects.filter(conversation=conversation).delete()
    results["print"] = line(
        "GET /prep/<id>/print/ (unsaved plan)", timed(get(print_url), args.runs)
    )
    results["try"] = line("GET /prep/try/?title=... (Try a plan)", timed(get(try_url), args.runs))
    results["generate"] = line("POST /prep/<id>/generate/ (plan saved)", timed(generate, args.runs))
    reset_queries()
    worst = max(results["plan_fresh"], results["print"], results["try"])
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"Slowest read median {worst:.2f} ms: {verdict} the {BUDGET_MS:.0f} ms budget.")


if __name__ == "__main__":
    main()
