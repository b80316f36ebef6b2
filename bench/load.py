"""Load test: many students (and coaches) using one coffeechat server at once (issue 15).

Builds ``--accounts`` job seekers (500) of realistic sizes with bench/pagedata.py (the
``--server-users`` accounts of bench/pages.py: log-normal sizes, contacts, notes, knows links,
conversations, follow-ups), all with one known password (one real Argon2 hash, computed once
and stored for every account: hashing 500 times would cost minutes and change nothing a login
measures). Each run gets a fresh copy of that data (a copied SQLite folder, or a PostgreSQL
database made from the built one as a template), starts the real server (``coffeechat serve``,
waitress with ``--workers 1``, gunicorn above) on a free port of 127.0.0.1, and lets
``--students`` simulated students (50) work for ``--duration`` seconds (60), each with its own
session:

- logs in once (login page, CSRF token, the form), then loops, with ``--think`` seconds (0.5-2)
  between steps: the dashboard, the contact list, its page 2, a search, a contact page, a
  conversation page, interview mode (the page, then the notes box autosaved every 2-4 s, each
  save a new line with a marker of its own, read back at once), a request drafted and checked
  twice as it is edited (the draft page and its check endpoint);
- once per run, at a random moment, imports a LinkedIn Connections.csv of ``--import-rows`` rows
  (500) through the web flow (upload, preview, confirm) and searches one of its names.

A response outside 2xx/3xx (after redirects) or an exception is an error; an autosave whose text
is not on the page when read back (at once, and again after the run) is a lost write; an import
whose message or search does not show its rows is a lost import. ``--coaches 3`` adds coaches
reading their students' progress (``/coach/``, ``/coach/students/<id>/``) when the server has
the coaching app; otherwise a sentence says they were skipped.

    .venv/bin/python bench/load.py [--students 50] [--duration 60] [--workers 1]
    .venv/bin/python bench/load.py --students 10,25,50,100      # a sweep: one run each
    .venv/bin/python bench/load.py --workers 1,4 --keep /tmp/cc-load \\
        --database-url postgresql://postgres@127.0.0.1:5432/postgres --db-name coffeechat_load

Prints one Markdown table per run (per kind of request: count, requests/s, p50/p95/p99 ms,
errors) and a summary across runs, with the machine and the load average before and after
each run. Nothing here talks to anything but 127.0.0.1. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import importlib.util
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from import_contacts import connections_csv
from pagedata import LAST_NAMES, PASSWORD, Plan
from pages import (
    HOST,
    Setup,
    _exit_on_sigterm,
    check_postgres_url,
    coffeechat_bin,
    die_with_parent,
    free_port,
    loads,
    machine_facts,
    postgres_admin,
    postgres_version,
    prepare,
    setup_env,
    stop,
    tail,
    wait_until_up,
)

LOAD_DB = "coffeechat_load"
# A step slower than this is still waited for (then counted), but never forever.
REQUEST_TIMEOUT = 60.0
# The text a student's session types into the interview notes box is replaced by a new one
# past this length, as a new conversation's notes would be.
NOTES_MAX = 3000

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
CONTACT_LINK = re.compile(r'href="/contacts/(\d+)/"')
CONVERSATION_LINK = re.compile(r'href="/conversations/(\d+)/"')
COACH_STUDENT_LINK = re.compile(r'href="/coach/students/(\d+)/"')
BODY_TEXTAREA = re.compile(r'<textarea name="body"[^>]*>(.*?)</textarea>', re.S)
IMPORTED = re.compile(r"Imported (\d+) new contacts?")


# --------------------------------------------------------------------------------------
# What was measured
# --------------------------------------------------------------------------------------


@dataclass
class Failure:
    kind: str
    method: str
    url: str
    status: int | str
    detail: str


@dataclass
class Stats:
    ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[Failure] = field(default_factory=list)
    autosaves: int = 0
    lost_at_once: int = 0
    lost_at_end: int = 0
    imports: int = 0
    import_rows: int = 0
    lost_imports: int = 0
    import_retries: int = 0
    resent: int = 0
    notes: list[str] = field(default_factory=list)

    def fail(self, failure: Failure) -> None:
        # A lost write or import is counted as such (and printed), not as an HTTP error.
        if not failure.kind.startswith("lost"):
            self.errors[failure.kind] += 1
        self.failures.append(failure)


class StepError(Exception):
    """A request that failed: already counted, the student goes on with the next step."""


class Student:
    """One person in a browser: a cookie jar, the CSRF token of the pages, what it wrote."""

    def __init__(self, base: str, username: str, rng: random.Random, stats: Stats) -> None:
        self.client = httpx.AsyncClient(
            base_url=base, follow_redirects=True, timeout=REQUEST_TIMEOUT
        )
        self.base = base
        self.username = username
        self.rng = rng
        self.stats = stats
        self.token = ""
        self.contacts: list[int] = []
        self.conversations: list[int] = []
        # conversation id -> the notes text the server last acknowledged
        self.notes: dict[int, str] = {}
        self.saves = 0

    async def request(
        self,
        kind: str,
        method: str,
        url: str,
        *,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        started = time.perf_counter()
        try:
            try:
                response = await self.client.request(
                    method, url, data=data, files=files, headers=headers
                )
            except (httpx.ReadError, httpx.RemoteProtocolError):
                # The server closed a kept-alive connection as this request went out on it
                # (gunicorn closes them after 2 s idle) and no answer came: a browser sends
                # the request again on a new connection (Chromium does for any method when the
                # connection was reused and no response header came), so this does too, once,
                # and counts it. The lost-write checks would see a write done twice or not.
                self.stats.resent += 1
                response = await self.client.request(
                    method, url, data=data, files=files, headers=headers
                )
        except httpx.HTTPError as exc:
            self.stats.fail(Failure(kind, method, url, type(exc).__name__, str(exc)[:200]))
            raise StepError from exc
        self.stats.ms[kind].append((time.perf_counter() - started) * 1000)
        bad = [r for r in (*response.history, response) if r.status_code >= 400]
        if bad:
            first = bad[0]
            detail = " ".join(first.text[:300].split())
            self.stats.fail(Failure(kind, method, str(first.url), first.status_code, detail))
            raise StepError
        return response

    def fail(self, kind: str, method: str, url: str, detail: str) -> None:
        self.stats.fail(Failure(kind, method, url, "check", detail))
        raise StepError

    def take_token(self, page: str) -> None:
        found = CSRF_HEADER.search(page) or CSRF_INPUT.search(page)
        if found:
            self.token = found.group(1)

    async def think(self, spread: tuple[float, float]) -> None:
        await asyncio.sleep(self.rng.uniform(*spread))

    # -- steps ---------------------------------------------------------------------------

    async def login(self) -> None:
        page = await self.request("login", "GET", "/login/")
        self.take_token(page.text)
        done = await self.request(
            "login",
            "POST",
            "/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.token,
            },
            headers={"Referer": self.base + "/login/"},
        )
        if done.url.path.startswith("/login"):
            self.fail("login", "POST", "/login/", "still on the login page after posting it")
        self.take_token(done.text)  # the token changes at login

    async def dashboard(self) -> None:
        page = await self.request("dashboard", "GET", "/")
        self.take_token(page.text)

    async def contact_lists(self) -> None:
        page = await self.request("contacts, page 1", "GET", "/contacts/")
        self.contacts = [int(i) for i in CONTACT_LINK.findall(page.text)] or self.contacts
        if "page=2" in page.text:
            await self.request("contacts, page 2", "GET", "/contacts/?page=2")
        surname = self.rng.choice(LAST_NAMES[:30])
        await self.request("contacts, search", "GET", f"/contacts/?q={surname}")

    async def contact_page(self) -> None:
        if self.contacts:
            await self.request(
                "contact page", "GET", f"/contacts/{self.rng.choice(self.contacts)}/"
            )

    async def conversation_page(self) -> None:
        if not self.conversations:
            board = await self.request("conversation board", "GET", "/conversations/")
            self.conversations = sorted({int(i) for i in CONVERSATION_LINK.findall(board.text)})
        if self.conversations:
            await self.request(
                "conversation page", "GET", f"/conversations/{self.rng.choice(self.conversations)}/"
            )

    async def interview(self, autosaves: int) -> None:
        """The interview page, then the notes box saved as it is typed: a new line each time,
        with a marker no other save has; each save is read back on the page at once."""
        if not self.conversations:
            return
        conversation = self.rng.choice(self.conversations[:5])
        url = f"/interview/{conversation}/"
        page = await self.request("interview page", "GET", url)
        self.take_token(page.text)
        for _ in range(autosaves):
            await self.think((2.0, 4.0))
            self.saves += 1
            text = self.notes.get(conversation, "")
            if len(text) > NOTES_MAX:
                text = ""
            line = (
                f"Save {self.saves} by {self.username}: asked about the first year, "
                f"territory size and who to talk to next (marker {self.rng.getrandbits(48):x})."
            )
            text = f"{text}\n{line}" if text else line
            saved = await self.request(
                "interview notes autosave",
                "POST",
                f"{url}notes/",
                data={"note": text},
                headers={"X-CSRFToken": self.token},
            )
            if saved.json().get("saved") is not True:
                self.fail("interview notes autosave", "POST", f"{url}notes/", saved.text[:200])
            self.notes[conversation] = text
            self.stats.autosaves += 1
        back = await self.request("interview page (read back)", "GET", url)
        if self.notes.get(conversation) and self.notes[conversation] not in back.text:
            self.stats.lost_at_once += 1
            self.fail("lost write", "GET", url, "the last saved notes are not on the page")

    async def draft(self) -> None:
        """A request drafted from its template, then checked twice as it is edited."""
        if not self.conversations:
            return
        conversation = self.rng.choice(self.conversations)
        url = f"/outreach/conversations/{conversation}/draft/?kind=request_email"
        page = await self.request("draft page", "GET", url)
        self.take_token(page.text)
        found = BODY_TEXTAREA.search(page.text)
        if not found:
            self.fail("draft page", "GET", url, "no message body on the draft page")
        body = html.unescape(found.group(1)) if found else ""
        for extra in (
            " I would be grateful for 20 minutes of your time.",
            " I am happy to work around your schedule.",
        ):
            await self.think((1.0, 3.0))
            body += extra
            checked = await self.request(
                "draft check",
                "POST",
                "/outreach/check/",
                data={"kind": "request_email", "body": body},
                headers={"X-CSRFToken": self.token, "HX-Request": "true"},
            )
            if "checker-count" not in checked.text:
                self.fail("draft check", "POST", "/outreach/check/", "no checker findings")

    async def import_file(self, rows: int, seed: int) -> None:
        """The web import: upload a LinkedIn Connections.csv, see the preview, confirm,
        then find one of its people with the search."""
        data = connections_csv(rows, seed=seed)
        page = await self.request("import: upload page", "GET", "/import/")
        self.take_token(page.text)
        for _ in range(4):
            preview = await self.request(
                "import: upload + preview",
                "POST",
                "/import/",
                data={"csrfmiddlewaretoken": self.token, "format": "auto"},
                files={"file": ("Connections.csv", data, "text/csv")},
            )
            if "Upload the file again in a moment" not in preview.text:
                break
            # SQLite: other imports held the database; a person uploads again.
            self.stats.import_retries += 1
            await self.think((1.0, 2.0))
        batch = re.fullmatch(r"/import/(\d+)/", preview.url.path)
        if not batch:
            self.fail("import: upload + preview", "POST", "/import/", _message(preview.text))
        assert batch is not None
        confirm_url = f"/import/{batch.group(1)}/confirm/"
        self.take_token(preview.text)
        done = None
        for _ in range(4):
            done = await self.request(
                "import: confirm", "POST", confirm_url, data={"csrfmiddlewaretoken": self.token}
            )
            if "Confirm again in a moment" not in done.text:
                break
            # SQLite: another import held the database; a person clicks again.
            self.stats.import_retries += 1
            await self.think((1.0, 2.0))
        assert done is not None
        self.stats.imports += 1
        imported = IMPORTED.search(done.text)
        expected = rows - len(range(0, rows, 97))  # every 97th row is a hidden profile
        if not imported or int(imported.group(1)) != expected:
            self.stats.lost_imports += 1
            self.fail("lost import", "POST", confirm_url, _message(done.text))
        assert imported is not None
        self.stats.import_rows += int(imported.group(1))
        # The file's row 1 has a last name of its own ("<name>-1"): the search finds it.
        name = _row_one_last_name(data)
        found = await self.request("import: search a name", "GET", f"/contacts/?q={name}")
        if name not in found.text:
            self.stats.lost_imports += 1
            self.fail("lost import", "GET", f"/contacts/?q={name}", "an imported name not found")

    async def read_back_all(self) -> None:
        """After the run: every conversation's notes are what the server last acknowledged."""
        for conversation, text in self.notes.items():
            url = f"/interview/{conversation}/"
            try:
                page = await self.request(FINAL, "GET", url)
            except StepError:
                continue
            if text not in page.text:
                self.stats.lost_at_end += 1
                self.stats.fail(
                    Failure("lost write", "GET", url, "check", "notes differ after the run")
                )


def _message(page: str) -> str:
    """The page's flash messages, for an error line."""
    box = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', page, re.S)
    found = re.findall(r"<li[^>]*>(.*?)</li>", box.group(1), re.S) if box else []
    text = " ".join(" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in found)
    return text[:300] or "(no message on the page)"


def _row_one_last_name(data: bytes) -> str:
    lines = data.decode("utf-8-sig").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("First Name"))
    return lines[header + 2].split(",")[1]


async def student_session(
    student: Student,
    *,
    start_at: float,
    deadline: float,
    think: tuple[float, float],
    import_at: float | None,
    import_rows: int,
    import_seed: int,
) -> None:
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    try:
        await student.login()
    except StepError:
        await student.client.aclose()
        return
    steps = [
        student.dashboard,
        student.contact_lists,
        student.contact_page,
        student.conversation_page,
        lambda: student.interview(autosaves=3),
        student.draft,
    ]
    while time.monotonic() < deadline:
        for step in steps:
            if time.monotonic() >= deadline:
                break
            if import_at is not None and time.monotonic() >= import_at:
                import_at = None
                try:
                    await student.import_file(import_rows, import_seed)
                except StepError:
                    pass
                await student.think(think)
            try:
                await step()
            except StepError:
                pass
            await student.think(think)


class Coach(Student):
    """A career coach reading the progress of the students who shared it with them."""

    async def coach_session(
        self, *, start_at: float, deadline: float, think: tuple[float, float]
    ) -> None:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        try:
            await self.login()
        except StepError:
            return
        while time.monotonic() < deadline:
            try:
                page = await self.request("coach: students", "GET", "/coach/")
                shares = COACH_STUDENT_LINK.findall(page.text)
                for share in self.rng.sample(shares, min(3, len(shares))):
                    await self.think(think)
                    await self.request("coach: one student", "GET", f"/coach/students/{share}/")
            except StepError:
                pass
            await self.think(think)


# --------------------------------------------------------------------------------------
# Coaches: set up through the coaching app's services when the server has them
# --------------------------------------------------------------------------------------

COACH_SETUP = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "coffeechat.settings"
django.setup()
from django.contrib.auth.models import User
from coffeechat.accounts.services import user_create
from coffeechat.coaching.models import Scope
from coffeechat.coaching.services import invite_accept, invite_create

coaches, students = int(sys.argv[1]), sys.argv[2].split(",")
encoded = User.objects.get(username=students[0]).password
for index in range(coaches):
    name = f"coach-{index + 1:02d}"
    coach = User.objects.filter(username=name).first() or user_create(
        username=name, password="a long coach password", is_coach=True
    )
    User.objects.filter(pk=coach.pk).update(password=encoded)
    for username in students[index::coaches]:
        # The student's invitation and the coach's acceptance, as the two pages make them.
        invitation = invite_create(owner=User.objects.get(username=username), scope=Scope.PROGRESS)
        invite_accept(share=invitation.share, coach=coach)
    print(name)
"""


def coach_setup(env: dict[str, str], coaches: int, students: list[str]) -> tuple[list[str], str]:
    """Coach accounts, each shared by a slice of the students: (usernames, "") when done, or
    ([], the reason they are skipped). The shares are made by the coaching app's own service
    (``share_create(owner=, coach=)``); a server without the app, or with another service,
    runs without coaches and says so."""
    if not coaches:
        return [], ""
    if importlib.util.find_spec("coffeechat.coaching") is None:
        return [], (
            f"The {coaches} coaches were skipped: this server has no coaching app "
            "(coffeechat.coaching), so there is no /coach/ page to load."
        )
    done = subprocess.run(
        [sys.executable, "-c", COACH_SETUP, str(coaches), ",".join(students)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return [], (
            f"The {coaches} coaches were skipped: the coaching app is there, but setting up its "
            f"shares failed ({last}); coach_setup in bench/load.py names the service it calls."
        )
    return done.stdout.split(), ""


# --------------------------------------------------------------------------------------
# Data and server
# --------------------------------------------------------------------------------------

SET_PASSWORDS = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "coffeechat.settings"
import django
django.setup()
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
import sys
encoded = make_password(sys.argv[1])
print(User.objects.filter(username__startswith="server-").update(password=encoded))
"""


def build_data(args: argparse.Namespace, root: Path) -> tuple[Setup, dict[str, Any]]:
    """The accounts, built once (or reused with --keep), with one real password hash."""
    plan = Plan(
        measured=(),
        server_users=args.accounts,
        server_contacts=args.accounts * args.contacts_per_account,
        seed=args.seed,
    )
    setup = Setup(root / "built", f"{args.db_name}_built" if args.database_url else None, plan)
    meta = prepare(setup, args.database_url)
    done = subprocess.run(
        [sys.executable, "-c", SET_PASSWORDS, PASSWORD],
        env=setup_env(setup, args.database_url),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    print(f"One Argon2 hash set as the password of {done.stdout.strip()} accounts.", flush=True)
    return setup, meta


def clone(built: Setup, args: argparse.Namespace, label: str) -> Setup:
    """A fresh copy of the built data for one run, so that every run starts from the same
    rows (a run adds imports, notes and sessions)."""
    run_dir = built.data_dir.parent / f"run-{label}"
    shutil.rmtree(run_dir, ignore_errors=True)
    if built.db_name:
        db = f"{args.db_name}_run"
        postgres_admin(args.database_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        postgres_admin(args.database_url, f"CREATE DATABASE {db} TEMPLATE {built.db_name}")
        run_dir.mkdir(parents=True)
        for name in os.listdir(built.data_dir):  # the secret key and such, not the database
            if (built.data_dir / name).is_file():
                shutil.copy2(built.data_dir / name, run_dir / name)
        return Setup(run_dir, db, built.plan)
    shutil.copytree(built.data_dir, run_dir)
    return Setup(run_dir, None, built.plan)


def drop_clone(setup: Setup, args: argparse.Namespace) -> None:
    if setup.db_name:
        postgres_admin(args.database_url, f"DROP DATABASE IF EXISTS {setup.db_name} WITH (FORCE)")
    shutil.rmtree(setup.data_dir, ignore_errors=True)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children (gunicorn's processes),
    from /proc; the database server's own processes are not counted."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


@dataclass
class Run:
    label: str
    workers: int
    students: int
    coaches: int
    stats: Stats
    seconds: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    server_errors: int
    locked: int
    log_tail: str
    client_cpu: float = 0.0
    server_cpu: float = 0.0


async def drive(
    base: str, args: argparse.Namespace, students: int, coaches: list[str], stats: Stats
) -> float:
    rng = random.Random(args.seed)
    accounts = [f"server-{i + 1:04d}" for i in rng.sample(range(args.accounts), students)]
    now = time.monotonic()
    ramp = min(10.0, args.duration / 6)
    deadline = now + args.duration
    people = []
    tasks = []
    for index, username in enumerate(accounts):
        student = Student(base, username, random.Random(f"{args.seed}-{username}"), stats)
        people.append(student)
        start_at = now + rng.uniform(0, ramp)
        import_at = (
            now + rng.uniform(ramp, max(ramp, args.duration * 0.8)) if args.import_rows else None
        )
        tasks.append(
            student_session(
                student,
                start_at=start_at,
                deadline=deadline,
                think=args.think,
                import_at=import_at,
                import_rows=args.import_rows,
                import_seed=args.seed + index,
            )
        )
    for username in coaches:
        coach = Coach(base, username, random.Random(f"{args.seed}-{username}"), stats)
        people.append(coach)
        tasks.append(
            coach.coach_session(
                start_at=now + rng.uniform(0, ramp), deadline=deadline, think=args.think
            )
        )
    await asyncio.gather(*tasks)
    seconds = time.monotonic() - now
    # After the run, every student reads its notes back once more.
    await asyncio.gather(*(p.read_back_all() for p in people))
    await asyncio.gather(*(p.client.aclose() for p in people))
    return seconds


def one_run(built: Setup, args: argparse.Namespace, workers: int, students: int) -> Run:
    label = f"w{workers}-s{students}"
    setup = clone(built, args, label)
    env = setup_env(setup, args.database_url)
    port = free_port()
    base = f"http://{HOST}:{port}"
    log_path = setup.data_dir / "load-server.log"
    stats = Stats()
    rng = random.Random(args.seed)
    sample = [f"server-{i + 1:04d}" for i in rng.sample(range(args.accounts), students)]
    coaches, skipped = coach_setup(env, args.coaches, sample)
    if skipped:
        print(skipped, flush=True)
        stats.notes.append(skipped)
    command = [coffeechat_bin(), "serve", "--host", HOST, "--port", str(port), "--no-migrate"]
    command += ["--workers", str(workers)]
    try:
        with open(log_path, "w") as log_file:
            proc = subprocess.Popen(
                command,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent,
            )
            try:
                wait_until_up(proc, base, log_path)
                print(
                    f"\n{label}: {students} students"
                    + (f" and {len(coaches)} coaches" if coaches else "")
                    + f" for {args.duration:.0f} s against {base} ({workers} process"
                    + ("es)" if workers > 1 else ")"),
                    flush=True,
                )
                load_before = os.getloadavg()
                server_before = tree_cpu(proc.pid)
                client_before = time.process_time()
                seconds = asyncio.run(drive(base, args, students, coaches, stats))
                client_cpu = time.process_time() - client_before
                server_cpu = tree_cpu(proc.pid) - server_before
                load_after = os.getloadavg()
            finally:
                stop(proc)
        log = log_path.read_text(errors="replace")
        return Run(
            label,
            workers,
            students,
            len(coaches),
            stats,
            seconds,
            load_before,
            load_after,
            log.count("Traceback"),
            log.count("database is locked"),
            tail(log_path, 40) if "Traceback" in log else "",
            client_cpu,
            server_cpu,
        )
    finally:
        # The server's log outlives the run's copy of the data: DIR/logs/LABEL.log.
        if log_path.exists():
            (built.data_dir.parent / "logs").mkdir(exist_ok=True)
            shutil.copy2(log_path, built.data_dir.parent / "logs" / f"{label}.log")
        if not args.keep_runs:
            drop_clone(setup, args)


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------

# The read-back after the run is a check, not part of the load: left out of the tables.
FINAL = "interview page (final read back)"
KIND_ORDER = [
    "login",
    "dashboard",
    "contacts, page 1",
    "contacts, page 2",
    "contacts, search",
    "contact page",
    "conversation board",
    "conversation page",
    "interview page",
    "interview notes autosave",
    "interview page (read back)",
    "draft page",
    "draft check",
    "import: upload page",
    "import: upload + preview",
    "import: confirm",
    "import: search a name",
    "coach: students",
    "coach: one student",
]


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def run_table(run: Run) -> str:
    stats = run.stats
    kinds = [k for k in KIND_ORDER if k in stats.ms or k in stats.errors]
    kinds += sorted(k for k in {*stats.ms, *stats.errors} if k not in kinds and k != FINAL)
    rows = [
        "| request | count | per s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    every: list[float] = []
    for kind in kinds:
        values = stats.ms.get(kind, [])
        every += values
        rows.append(
            f"| {kind} | {len(values)} | {len(values) / run.seconds:.1f} "
            f"| {percentile(values, 50):.0f} | {percentile(values, 95):.0f} "
            f"| {percentile(values, 99):.0f} | {stats.errors.get(kind, 0)} |"
        )
    rows.append(
        f"| **all** | **{len(every)}** | **{len(every) / run.seconds:.1f}** "
        f"| **{percentile(every, 50):.0f}** | **{percentile(every, 95):.0f}** "
        f"| **{percentile(every, 99):.0f}** | **{sum(stats.errors.values())}** |"
    )
    return "\n".join(rows)


def run_facts(run: Run) -> list[str]:
    s = run.stats
    lost = s.lost_at_once + s.lost_at_end
    return [
        f"- {run.students} students"
        + (f", {run.coaches} coaches" if run.coaches else "")
        + f", {run.workers} server process{'es' if run.workers > 1 else ''}, "
        f"{run.seconds:.0f} s; load average before / after: {loads(run.load_before)} -> "
        f"{loads(run.load_after)}",
        f"- autosaves acknowledged: {s.autosaves}; lost writes: {lost} "
        f"({s.lost_at_once} when read back at once, {s.lost_at_end} after the run)",
        f"- imports: {s.imports} of {s.import_rows:,} rows in all; lost: {s.lost_imports}; "
        f"uploads or confirms sent again when told the database was busy: {s.import_retries}",
        f"- server log: {run.server_errors} tracebacks, {run.locked} 'database is locked'; requests"
        f" sent again after the server closed a kept-alive connection under them: {s.resent}",
        f"- CPU during the run: server {run.server_cpu:.0f} s ({run.server_cpu / run.seconds:.2f}"
        f" cores), this client {run.client_cpu:.0f} s ({run.client_cpu / run.seconds:.2f} cores)",
        *(f"- {note}" for note in s.notes),
    ]


def all_requests(run: Run) -> list[float]:
    return [v for kind, values in run.stats.ms.items() if kind != FINAL for v in values]


def summary_table(runs: list[Run]) -> str:
    rows = [
        "| processes | students | requests/s | p50 ms | p95 ms | p99 ms | errors | lost writes "
        "| load before -> after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        every = all_requests(run)
        s = run.stats
        rows.append(
            f"| {run.workers} | {run.students} | {len(every) / run.seconds:.1f} "
            f"| {percentile(every, 50):.0f} | {percentile(every, 95):.0f} "
            f"| {percentile(every, 99):.0f} | {sum(s.errors.values())} "
            f"| {s.lost_at_once + s.lost_at_end + s.lost_imports} "
            f"| {run.load_before[0]:.2f} -> {run.load_after[0]:.2f} |"
        )
    return "\n".join(rows)


def breaks(run: Run, p95_limit: float) -> str:
    """Why this run is past what the server can take, or "" when it is not."""
    every = all_requests(run)
    s = run.stats
    reasons = []
    if sum(s.errors.values()):
        reasons.append(f"{sum(s.errors.values())} errors")
    if run.locked:
        reasons.append(f"{run.locked} 'database is locked'")
    if every and percentile(every, 95) > p95_limit * 1000:
        reasons.append(f"p95 {percentile(every, 95) / 1000:.1f} s > {p95_limit:g} s")
    return ", ".join(reasons)


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _spread(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--students", default="50", help="concurrent students; several (10,25,50) make a sweep"
    )
    parser.add_argument(
        "--workers", default="1", help="server processes (1: waitress; above: gunicorn); e.g. 1,4"
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run (60)")
    parser.add_argument(
        "--think", default="0.5-2", help="seconds between a student's steps, LOW-HIGH (0.5-2)"
    )
    parser.add_argument("--accounts", type=int, default=500, help="accounts in the database")
    parser.add_argument(
        "--contacts-per-account",
        type=int,
        default=300,
        help="average contacts per account (log-normal sizes, 50 at least; 300)",
    )
    parser.add_argument(
        "--import-rows", type=int, default=500, help="rows of each student's import (0: none)"
    )
    parser.add_argument("--coaches", type=int, default=0, help="coaches reading /coach/ (0)")
    parser.add_argument(
        "--p95-limit", type=float, default=1.0, help="seconds: a sweep's breaking point (1)"
    )
    parser.add_argument("--keep", metavar="DIR", help="data folder to keep (and reuse next time)")
    parser.add_argument(
        "--keep-runs", action="store_true", help="keep each run's copy of the data (debugging)"
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="a PostgreSQL server on 127.0.0.1, e.g. postgresql://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument(
        "--db-name",
        default=LOAD_DB,
        help=f"prefix of the PostgreSQL databases: NAME_built, NAME_run ({LOAD_DB})",
    )
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args(argv)
    try:
        args.student_counts = _ints(args.students)
        args.worker_counts = _ints(args.workers)
        args.think = _spread(args.think)
    except ValueError:
        parser.error("--students and --workers take numbers separated by commas")
    if not args.student_counts or not 1 <= min(args.student_counts):
        parser.error("--students: at least 1")
    if max(args.student_counts) > args.accounts:
        parser.error("--students: at most --accounts")
    if not args.worker_counts or min(args.worker_counts) < 1:
        parser.error("--workers: at least 1")
    if args.duration <= 0 or args.think[0] < 0 or args.think[1] < args.think[0]:
        parser.error("--duration above 0, --think LOW-HIGH with 0 <= LOW <= HIGH")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", args.db_name):
        parser.error("--db-name: lower-case letters, digits and underscores")
    if args.database_url:
        check_postgres_url(args.database_url)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    tmp = None
    if args.keep:
        root = Path(args.keep).expanduser().resolve()
    else:
        tmp = tempfile.TemporaryDirectory(prefix="coffeechat-load-")
        root = Path(tmp.name)
    runs: list[Run] = []
    built: Setup | None = None
    try:
        built, _ = build_data(args, root)
        for workers in args.worker_counts:
            for students in args.student_counts:
                run = one_run(built, args, workers, students)
                runs.append(run)
                print(f"\n### {run.workers} process(es), {run.students} students\n")
                print(run_table(run))
                print()
                print("\n".join(run_facts(run)))
                for failure in run.stats.failures[:8]:
                    print(
                        f"  error: {failure.kind}: {failure.method} {failure.url} -> "
                        f"{failure.status}: {failure.detail}"
                    )
                if run.log_tail:
                    print("  server log, last lines:\n" + run.log_tail)
                sys.stdout.flush()
    finally:
        if built and built.db_name and not args.keep:
            postgres_admin(
                args.database_url, f"DROP DATABASE IF EXISTS {built.db_name} WITH (FORCE)"
            )
        if tmp is not None:
            tmp.cleanup()

    db_label = (
        f"PostgreSQL {postgres_version(args.database_url)} (server defaults)"
        if args.database_url
        else f"SQLite {sqlite3.sqlite_version}"
    )
    print("\n### Summary\n")
    print(summary_table(runs))
    print()
    print("\n".join(machine_facts(db_label)))
    print(
        f"- data: {args.accounts} accounts, {args.accounts * args.contacts_per_account:,} contacts "
        f"in all; think time {args.think[0]:g}-{args.think[1]:g} s; each student imports "
        f"{args.import_rows} rows once; lost writes = autosaves not read back + imports not found"
    )
    failed = [(run, breaks(run, args.p95_limit)) for run in runs]
    broken = [(run, why) for run, why in failed if why]
    print()
    if not broken:
        print(f"Every run held: no error, no lost write, p95 under {args.p95_limit:g} s.")
        return 0
    for run, why in broken:
        print(f"- {run.workers} process(es), {run.students} students: {why}")
    lost = any(r.stats.lost_at_once + r.stats.lost_at_end + r.stats.lost_imports for r in runs)
    errors = any(sum(r.stats.errors.values()) for r in runs)
    return 1 if lost or errors else 0


if __name__ == "__main__":
    sys.exit(main())
