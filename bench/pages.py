"""Page benchmark: do the main pages stay fast as an account grows, and on a busy server?

Builds a job seeker (``bench-<contacts>``) with realistic rows (bench/pagedata.py) beside a
small second account, or beside hundreds of other accounts (``--server-users``, PostgreSQL),
starts the real server (``coffeechat serve``) on a free port of 127.0.0.1, logs in over HTTP
and times each page. It reports, per page, the time spent inside Django (the ``Server-Timing:
app;dur=<ms>`` header: median and p95), the client wall time and the HTML size, then the
server's peak resident memory. ``--growth`` does it at 3,000, 30,000 and 300,000 contacts and
prints the growth table (page x size, and the ratio of the largest to the smallest) in
Markdown, with the baseline of every figure: machine, load, database versions, commit.

    .venv/bin/python bench/pages.py [--contacts 30000] [--requests 30] [--keep DIR]
        [--database-url postgresql://...] [--db-name NAME] [--server-users 500]
        [--growth [3000,30000,300000]]

Nothing here talks to anything but 127.0.0.1. See docs/benchmarks.md for the figures.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pagedata import (
    COMMON_WORD,
    MEDIUM_WORD,
    PASSWORD,
    RARE_WORD,
    Built,
    Plan,
)

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
WARMUP = 3
MIN_REQUESTS = 5
BENCH_DB = "coffeechat_bench"
META_FILE = "bench-meta.json"
HOST = "127.0.0.1"
GROWTH_SIZES = "3000,30000,300000"

# Targets from docs/benchmarks.md (SQLite, 2 cores).
TARGET_SERVER_MS = 50.0
TARGET_HTML_KB = 100.0
TARGET_MEMORY_MB = 200.0
# Pages held to the 50 ms target; the others are measured only.
TIMED_PAGE_PREFIXES = ("dashboard", "contacts", "contact detail", "funnel", "weekly review")


# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------


def page_list(built: Built, per_page: int) -> list[tuple[str, str]]:
    """(name, path): the name is the same at every size, so that the growth table can line
    the sizes up; the path says which page it was."""
    last_page = max(1, -(-built.contacts // per_page))
    middle = max(1, (last_page + 1) // 2)
    q = urllib.parse.quote
    return [
        ("dashboard", "/"),
        ("contacts, page 1", "/contacts/"),
        ("contacts, middle page", f"/contacts/?page={middle}"),
        ("contacts, last page", f"/contacts/?page={last_page}"),
        ("contacts, ?q= common surname", f"/contacts/?q={q(built.surname)}"),
        ("contacts, tag filter", f"/contacts/?tag={built.tag_id}"),
        ("contacts, connection alumni", "/contacts/?connection=alumni"),
        ("contacts, sort recent", "/contacts/?sort=recent"),
        ("contacts, sort added, middle page", f"/contacts/?sort=added&page={middle}"),
        ("contact detail (busiest)", f"/contacts/{built.hub_contact_id}/"),
        ("contact detail (random)", f"/contacts/{built.random_contact_id}/"),
        ("organizations, page 1", "/organizations/"),
        ("search, rare word", f"/search/?q={RARE_WORD}"),
        ("search, word in 5% of notes", f"/search/?q={MEDIUM_WORD}"),
        ("search, word in half of notes", f"/search/?q={COMMON_WORD}"),
        (
            "network, introduction paths",
            f"/network/?organization={built.network_organization_id}",
        ),
        ("network, home", "/network/"),
        ("conversation board", "/conversations/"),
        ("conversation detail", f"/conversations/{built.conversation_id}/"),
        ("prep page (with plan)", f"/prep/{built.prep_conversation_id}/"),
        ("fit compare", "/fit/"),
        ("weekly review", "/review/"),
        ("funnel, 12 weeks", "/funnel/"),
        ("funnel, 24 months", "/funnel/?by=month&months=24"),
        # Forms with the long selects (600 time zones, 150 countries): core.forms.LongSelect.
        ("settings", "/settings/"),
        ("conversation edit", f"/conversations/{built.conversation_id}/edit/"),
    ]


# --------------------------------------------------------------------------------------
# Server and HTTP client
# --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def coffeechat_bin() -> str:
    candidate = Path(sys.executable).parent / "coffeechat"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("coffeechat")
    if not found:
        raise SystemExit("coffeechat console script not found; run `make` or pip install -e .")
    return found


class Client:
    """urllib with a cookie jar: enough of a browser to log in and fetch pages."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(
        self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str], bytes, float]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=600) as resp:
                content = resp.read()
                wall = (time.perf_counter() - started) * 1000
                return resp.status, resp.geturl(), dict(resp.headers), content, wall
        except urllib.error.HTTPError as exc:
            content = exc.read()
            wall = (time.perf_counter() - started) * 1000
            return exc.code, exc.geturl(), dict(exc.headers), content, wall

    def login_token(self) -> str:
        """The CSRF token of the login page (the first half of a login)."""
        status, _, _, html, _ = self.request("/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html) or re.search(
            rb'value="([^"]+)" name="csrfmiddlewaretoken"', html
        )
        if status != 200 or not match:
            raise SystemExit(f"GET /login/ answered {status} without a CSRF token")
        return match.group(1).decode()

    def login_post(self, username: str, token: str) -> float:
        """Posts the login form with ``token``; the wall milliseconds it took."""
        status, url, _, _, wall = self.request(
            "/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.base + "/login/"},
        )
        if status != 200 or urllib.parse.urlparse(url).path.startswith("/login"):
            raise SystemExit(f"{username} could not log in: {status} at {url}")
        return wall

    def login(self, username: str) -> None:
        self.login_post(username, self.login_token())


@dataclass
class Result:
    page: str
    path: str
    server_ms: list[float]
    wall_ms: list[float]
    html_bytes: int

    @staticmethod
    def _p95(values: list[float]) -> float:
        if len(values) < 2:
            return values[0]
        return statistics.quantiles(values, n=20, method="inclusive")[18]

    @property
    def median_server(self) -> float:
        return statistics.median(self.server_ms)

    @property
    def p95_server(self) -> float:
        return self._p95(self.server_ms)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def html_kb(self) -> float:
        return self.html_bytes / 1024


SERVER_TIMING = re.compile(r"app;dur=([0-9.]+)")


def measure(client: Client, page: str, path: str, requests: int, budget: float) -> Result:
    """``requests`` timed requests after the warm-ups, fewer when the page is slow: about
    ``budget`` seconds per page, but never under 5 (the table says how many were made)."""
    server, wall = [], []
    size = 0
    wanted = WARMUP + requests
    i = 0
    while i < wanted:
        status, url, headers, content, wall_ms = client.request(path)
        if status != 200:
            raise SystemExit(f"{page}: GET {path} answered {status}")
        if urllib.parse.urlparse(url).path.startswith("/login"):
            raise SystemExit(f"{page}: GET {path} was sent to the login page")
        timing = next((v for k, v in headers.items() if k.lower() == "server-timing"), "")
        found = SERVER_TIMING.search(timing)
        if not found:
            raise SystemExit(f"{page}: no Server-Timing header on {path}")
        if i == 0 and wall_ms > budget * 1000 / (WARMUP + requests):
            # A slow page: one warm-up, then as many as the budget allows.
            fits = int(budget * 1000 / wall_ms)
            wanted = WARMUP + max(MIN_REQUESTS, min(requests, fits))
            i = WARMUP - 1
        if i >= WARMUP:
            server.append(float(found.group(1)))
            wall.append(wall_ms)
            size = len(content)
        i += 1
    return Result(page, path, server, wall, size)


def read_proc_status(pid: int) -> dict[str, int]:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmHWM:", "VmRSS:")):
                name, rest = line.split(":", 1)
                values[name] = int(rest.split()[0])  # kB
    except OSError:
        pass
    return values


def peak_mb(pid: int) -> str:
    """The process's peak resident memory so far (VmHWM), for the progress lines."""
    kb = read_proc_status(pid).get("VmHWM")
    return f"{kb / 1024:.0f} MB" if kb else "?"


def wait_until_up(proc: subprocess.Popen, base: str, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"The server exited ({proc.returncode}):\n{tail(log_path)}")
        try:
            with urllib.request.urlopen(base + "/login/", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"The server did not answer within {timeout:.0f} s:\n{tail(log_path)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def die_with_parent() -> None:
    """In the server's process, before exec: ask Linux to send it SIGTERM if this script dies
    without running its cleanup (kill -9). Elsewhere the finally block is the only guard."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# --------------------------------------------------------------------------------------
# PostgreSQL (optional)


# --------------------------------------------------------------------------------------
# PostgreSQL (optional)
# --------------------------------------------------------------------------------------


def postgres_url(admin_url: str, db_name: str) -> str:
    """The same server as the admin URL, with the benchmark's own database."""
    parsed = urllib.parse.urlparse(admin_url)
    return urllib.parse.urlunparse(parsed._replace(path="/" + db_name))


def check_postgres_url(admin_url: str) -> None:
    parsed = urllib.parse.urlparse(admin_url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise SystemExit("--database-url must be a postgresql:// URL")
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("--database-url must point at this machine (127.0.0.1)")


def postgres_admin(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def postgres_has_db(admin_url: str, db_name: str) -> bool:
    import psycopg

    with psycopg.connect(admin_url, connect_timeout=10) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
        return row is not None


def postgres_version(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, connect_timeout=10) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"


# --------------------------------------------------------------------------------------
# Setups: one database each, built once (or reused with --keep), then measured
# --------------------------------------------------------------------------------------


@dataclass
class Setup:
    data_dir: Path
    db_name: str | None  # None: SQLite in data_dir
    plan: Plan


@dataclass
class SizeRun:
    """The measurement of one account size."""

    contacts: int
    built: Built
    setup: Setup
    meta: dict[str, Any]
    results: list[Result]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    requests: int  # asked for per page; a slow page may have had fewer
    peak_mb: float | None = None  # the setup's server, after all its sizes


def setups_for(args: argparse.Namespace, sizes: list[int], root: Path) -> list[Setup]:
    """One database per size; with --server-users one database for all sizes, because the
    other accounts (a million contacts) are the expensive part and every measured account
    should see the same server."""
    common: dict[str, Any] = {
        "conversations": args.conversations,
        "notes": args.notes,
        "knows": args.knows,
        "seed": args.seed,
    }
    if args.server_users:
        plan = Plan(
            measured=tuple(sizes),
            server_users=args.server_users,
            server_contacts=args.server_contacts,
            **common,
        )
        return [Setup(root, args.db_name, plan)]
    if len(sizes) == 1:
        db = args.db_name if args.database_url else None
        return [Setup(root, db, Plan(measured=(sizes[0],), **common))]
    return [
        Setup(
            root / f"c{size}",
            f"{args.db_name}_{size}" if args.database_url else None,
            Plan(measured=(size,), **common),
        )
        for size in sizes
    ]


def setup_env(setup: Setup, admin_url: str | None) -> dict[str, str]:
    env = os.environ.copy()
    for name in ("COFFEECHAT_TESTING", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env["COFFEECHAT_DATA_DIR"] = str(setup.data_dir)
    env["COFFEECHAT_LOGIN_THROTTLING"] = "0"
    env["COFFEECHAT_SECURE_COOKIES"] = "0"
    env["COFFEECHAT_DEBUG"] = "0"
    if setup.db_name:
        assert admin_url
        env["DATABASE_URL"] = postgres_url(admin_url, setup.db_name)
    return env


def describe(plan: Plan) -> str:
    sizes = ", ".join(f"{n:,}" for n in plan.measured)
    others = (
        f"{plan.server_users} other accounts with {plan.server_contacts:,} contacts"
        if plan.server_users
        else "a small second account"
    )
    if not plan.measured:  # bench/load.py: the accounts alone
        return others.replace("other accounts", "accounts")
    return f"measured account(s) of {sizes} contacts beside {others}"


def prepare(setup: Setup, admin_url: str | None) -> dict[str, Any]:
    """Builds the setup's database, or reuses it when its folder records the same plan."""
    setup.data_dir.mkdir(parents=True, exist_ok=True)
    meta_path = setup.data_dir / META_FILE
    env = setup_env(setup, admin_url)
    where = f"PostgreSQL database {setup.db_name}" if setup.db_name else str(setup.data_dir)
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("spec") != setup.plan.spec():
            raise SystemExit(f"{meta_path} records other data; use a fresh --keep DIR.")
        present = (
            postgres_has_db(admin_url, setup.db_name)
            if setup.db_name and admin_url
            else (setup.data_dir / "coffeechat.sqlite3").exists()
        )
        if present:
            # Migrations added since the build apply to the kept data, as they would to a
            # user's database (the rows stay those of the recorded build).
            started = time.perf_counter()
            subprocess.run(
                [coffeechat_bin(), "migrate", "--verbosity", "0"], env=env, check=True, timeout=7200
            )
            meta["reused"] = True
            meta["build"]["migrated_on_reuse_seconds"] = round(time.perf_counter() - started, 1)
            print(
                f"Reusing {where}: {describe(setup.plan)}, built {meta['build']['date']} in "
                f"{meta['build']['seconds']:.0f} s (delete {meta_path} to rebuild).",
                flush=True,
            )
            return meta
        meta_path.unlink()
    print(f"Building {where}: {describe(setup.plan)}", flush=True)
    if setup.db_name and admin_url:
        postgres_admin(admin_url, f"DROP DATABASE IF EXISTS {setup.db_name} WITH (FORCE)")
        postgres_admin(admin_url, f"CREATE DATABASE {setup.db_name}")
    load_before = os.getloadavg()
    started = time.perf_counter()
    subprocess.run(
        [coffeechat_bin(), "migrate", "--verbosity", "0"], env=env, check=True, timeout=1200
    )
    migrated = time.perf_counter() - started
    built_path = setup.data_dir / (META_FILE + ".new")
    plan_json = json.dumps({**setup.plan.__dict__, "measured": list(setup.plan.measured)})
    done = subprocess.run(
        [sys.executable, str(BENCH_DIR / "pagedata.py"), "--plan", plan_json, "--meta"]
        + [str(built_path)],
        env=env,
        timeout=6 * 3600,
    )
    if done.returncode != 0:
        raise SystemExit(f"The data build failed (exit status {done.returncode}).")
    meta = json.loads(built_path.read_text())
    built_path.unlink()
    meta["build"].update(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=commit(),
        migrate_seconds=round(migrated, 1),
        load_before=load_before,
        load_after=os.getloadavg(),
    )
    meta_path.write_text(json.dumps(meta, indent=1))
    print(
        f"Built in {meta['build']['seconds']:.1f} s (+ {migrated:.1f} s of migrations): "
        f"{sum(meta['build']['rows'].values()):,} rows.",
        flush=True,
    )
    meta["reused"] = False
    return meta


def measure_setup(
    setup: Setup,
    meta: dict[str, Any],
    admin_url: str | None,
    requests: int,
    budget: float,
    only: tuple[str, ...] = (),
) -> list[SizeRun]:
    env = setup_env(setup, admin_url)
    port = free_port()
    base = f"http://{HOST}:{port}"
    log_path = setup.data_dir / "bench-server.log"
    runs: list[SizeRun] = []
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen(
            [coffeechat_bin(), "serve", "--host", HOST, "--port", str(port), "--no-migrate"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        try:
            wait_until_up(proc, base, log_path)
            for contacts in setup.plan.measured:
                built = Built(**meta["built"][str(contacts)])
                print(f"\n{built.username} ({contacts:,} contacts):", flush=True)
                client = Client(base)
                print(f"  (server peak {peak_mb(proc.pid)} before login)", flush=True)
                client.login(built.username)
                print(f"  (server peak {peak_mb(proc.pid)} after login)", flush=True)
                load_before = os.getloadavg()
                results = []
                for page, path in page_list(built, meta["per_page"]):
                    if only and not any(word in page for word in only):
                        continue
                    result = measure(client, page, path, requests, budget)
                    print(
                        f"  {page:<36} {result.median_server:8.1f} ms "
                        f"(p95 {result.p95_server:7.1f})  {result.html_kb:6.1f} KB  "
                        # The server's peak so far: the page that raises it shows here.
                        f"peak {peak_mb(proc.pid)}",
                        flush=True,
                    )
                    results.append(result)
                runs.append(
                    SizeRun(
                        contacts,
                        built,
                        setup,
                        meta,
                        results,
                        load_before,
                        os.getloadavg(),
                        requests,
                    )
                )
            mem = read_proc_status(proc.pid)
        finally:
            stop(proc)
    peak = mem["VmHWM"] / 1024 if "VmHWM" in mem else None
    for run in runs:
        run.peak_mb = peak
    return runs


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def commit() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "?"
    changed = [line[3:] for line in dirty if line.strip()]
    return f"{head} + uncommitted changes to {', '.join(changed)}" if changed else head


def loads(values: tuple[float, float, float] | list[float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def size_table(run: SizeRun) -> str:
    rows = [
        "| page | path | median server ms | p95 server ms | median wall ms | HTML KB | n |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in run.results:
        rows.append(
            f"| {r.page} | `{r.path}` | {r.median_server:.1f} | {r.p95_server:.1f} "
            f"| {r.median_wall:.1f} | {r.html_kb:.1f} | {len(r.server_ms)} |"
        )
    return "\n".join(rows)


def short(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"{n:,}"


def cell(result: Result, requests: int) -> str:
    """median / p95, and how many requests when the page budget cut them short."""
    text = f"{result.median_server:.1f} / {result.p95_server:.1f}"
    n = len(result.server_ms)
    return text if n >= requests else f"{text} (n={n})"


def growth_table(runs: list[SizeRun]) -> str:
    """Page x size, median / p95 server ms, and the largest size's median over the smallest's."""
    runs = sorted(runs, key=lambda r: r.contacts)
    first, last = runs[0], runs[-1]
    header = "| page | " + " | ".join(f"{r.contacts:,}: median / p95 ms" for r in runs)
    header += f" | {short(last.contacts)}/{short(first.contacts)} (median) |"
    rows = [header, "|---|" + "---:|" * (len(runs) + 1)]
    by_size = [{res.page: res for res in r.results} for r in runs]
    for page in [res.page for res in first.results]:
        cells = [
            cell(s[page], run.requests) if page in s else "-"
            for s, run in zip(by_size, runs, strict=True)
        ]
        small, large = by_size[0].get(page), by_size[-1].get(page)
        ratio = (
            f"{large.median_server / small.median_server:.1f}x"
            if small and large and small.median_server > 0
            else "-"
        )
        rows.append(f"| {page} | " + " | ".join(cells) + f" | {ratio} |")
    return "\n".join(rows)


def misses(run: SizeRun) -> list[str]:
    out = []
    label = f"{run.contacts:,} contacts"
    for r in run.results:
        if r.page.startswith(TIMED_PAGE_PREFIXES) and r.median_server > TARGET_SERVER_MS:
            out.append(
                f"{label}, {r.page}: median {r.median_server:.1f} ms > {TARGET_SERVER_MS:.0f}"
            )
        if r.html_kb > TARGET_HTML_KB:
            out.append(f"{label}, {r.page}: HTML {r.html_kb:.1f} KB > {TARGET_HTML_KB:.0f} KB")
    if run.peak_mb is not None and run.peak_mb > TARGET_MEMORY_MB:
        out.append(f"{label}: server peak memory {run.peak_mb:.0f} MB > {TARGET_MEMORY_MB:.0f} MB")
    return out


def machine_facts(db_label: str) -> list[str]:
    cpu, mem_gb = "?", "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        from importlib.metadata import version

        django = version("django")
    except Exception:  # noqa: BLE001
        django = "?"
    return [
        f"- machine: {cores} cores (nproc), {cpu}, {mem_gb} RAM, shared with other work",
        f"- Python {platform.python_version()}, Django {django}, on {platform.system()} "
        f"{platform.release()}",
        f"- database: {db_label}",
        f"- commit measured: {commit()}",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
    ]


def baseline_lines(run: SizeRun) -> list[str]:
    build = run.meta["build"]
    counts = run.built.counts
    how = "reused (kept with --keep), built" if run.meta.get("reused") else "built"
    where = f"database {run.setup.db_name}" if run.setup.db_name else "SQLite file"
    others = (
        f"beside {run.setup.plan.server_users} other accounts holding "
        f"{run.setup.plan.server_contacts:,} contacts"
        if run.setup.plan.server_users
        else "beside a 300-contact second account"
    )
    words = ", ".join(
        f"{k.removeprefix('notes with ')} {v:,}"
        for k, v in counts.items()
        if k.startswith("notes with")
    )
    return [
        f"- **{run.contacts:,} contacts** ({where}, {others}): "
        f"{counts['notes']:,} notes (with {words}), {counts['knows links']:,} knows links, "
        f"{counts['conversations']:,} conversations, {counts['organizations']:,} organizations; "
        f"{how} {build['date']} at commit {build['commit']} in {build['seconds']:.0f} s "
        f"(load before the build {loads(build['load_before'])}); "
        f"load average before / after measuring: {loads(run.load_before)} -> "
        f"{loads(run.load_after)}; server peak {run.peak_mb or 0:.0f} MB"
    ]


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--contacts", type=int, help="the measured account's size (30000)")
    parser.add_argument(
        "--growth",
        nargs="?",
        const=GROWTH_SIZES,
        metavar="SIZES",
        help=f"measure several sizes and print the growth table (default {GROWTH_SIZES})",
    )
    parser.add_argument(
        "--conversations", type=int, help="the measured account's (default contacts / 6)"
    )
    parser.add_argument(
        "--notes", type=int, help="the measured account's (default contacts x 10/3)"
    )
    parser.add_argument("--knows", type=int, help="knows links (default contacts x 10/3)")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per page (30)")
    parser.add_argument(
        "--page-budget",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="about this long per page: a slower page gets fewer requests, never under 5 (60)",
    )
    parser.add_argument("--keep", metavar="DIR", help="data folder to keep (and reuse next time)")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="a PostgreSQL server on 127.0.0.1 (e.g. postgresql://postgres@127.0.0.1:5432/postgres);"
        " the benchmark creates its database there and drops it (kept with --keep)",
    )
    parser.add_argument(
        "--db-name",
        default=BENCH_DB,
        help=f"the PostgreSQL database to create ({BENCH_DB}; with --growth and no --server-users,"
        " one per size: NAME_3000, ...)",
    )
    parser.add_argument(
        "--server-users",
        type=int,
        default=0,
        metavar="N",
        help="PostgreSQL: N other accounts of realistic sizes beside the measured one(s)",
    )
    parser.add_argument(
        "--server-contacts",
        type=int,
        metavar="TOTAL",
        help="contacts of the other accounts in all (default 2,000 per account)",
    )
    parser.add_argument(
        "--pages",
        metavar="WORDS",
        default="",
        help="only the pages whose name holds one of these comma-separated words"
        " (e.g. network,organizations); all pages by default",
    )
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args(argv)
    args.only = tuple(word.strip() for word in args.pages.split(",") if word.strip())
    if args.growth and args.contacts:
        parser.error("give --contacts or --growth, not both")
    try:
        args.sizes = sorted(
            {int(s) for s in (args.growth or str(args.contacts or 30000)).split(",")}
        )
    except ValueError:
        parser.error("--growth takes sizes separated by commas, e.g. 3000,30000")
    if min(args.sizes) < 10 or not 1 <= args.requests <= 1000:
        parser.error("use at least 10 contacts, and 1-1000 requests")
    if args.conversations is not None and args.conversations < 10:
        parser.error("use at least 10 conversations")
    if args.server_users and not args.database_url:
        parser.error("--server-users runs on PostgreSQL: give --database-url")
    if args.server_users < 0:
        parser.error("--server-users must be positive")
    if args.server_contacts is None:
        args.server_contacts = 2000 * args.server_users
    if args.server_users and args.server_contacts < 50 * args.server_users:
        parser.error("--server-contacts: at least 50 per account")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", args.db_name):
        parser.error("--db-name: lower-case letters, digits and underscores")
    if args.database_url:
        check_postgres_url(args.database_url)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Stopping the script (Ctrl+C, or kill) still runs the finally blocks that stop the
    # server, even when the shell started it in the background with SIGINT ignored.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)

    tmp = None
    if args.keep:
        root = Path(args.keep).expanduser().resolve()
    else:
        tmp = tempfile.TemporaryDirectory(prefix="coffeechat-bench-")
        root = Path(tmp.name)
    admin_url = args.database_url
    setups = setups_for(args, args.sizes, root)
    runs: list[SizeRun] = []
    try:
        for setup in setups:
            meta = prepare(setup, admin_url)
            runs += measure_setup(
                setup, meta, admin_url, args.requests, args.page_budget, args.only
            )
    finally:
        if admin_url and not args.keep:
            for setup in setups:
                try:
                    postgres_admin(
                        admin_url, f"DROP DATABASE IF EXISTS {setup.db_name} WITH (FORCE)"
                    )
                except Exception as exc:  # noqa: BLE001
                    print(f"Could not drop {setup.db_name}: {exc}", file=sys.stderr)
        if tmp is not None:
            tmp.cleanup()

    if admin_url:
        db_label = f"PostgreSQL {postgres_version(admin_url)} (server defaults)"
    else:
        db_label = f"SQLite {sqlite3.sqlite_version} (the library Python and the server use)"
    print()
    print(f"{WARMUP} warm-up + {args.requests} measured requests per page, one at a time; server")
    print("ms = the Server-Timing header (all of Django), wall ms = what the client waited.")
    for run in runs:
        print(f"\n### {run.contacts:,} contacts\n")
        print(size_table(run))
    if len(runs) > 1:
        print("\n### Growth: median / p95 server ms per page\n")
        print(growth_table(runs))
    print("\nBaselines:\n")
    print("\n".join(machine_facts(db_label)))
    for run in runs:
        print("\n".join(baseline_lines(run)))
    failed = [line for run in runs for line in misses(run)]
    print()
    if failed:
        print("Targets missed:")
        print("\n".join(f"- {line}" for line in failed))
        return 1
    print(
        "All targets met: dashboard, contact, funnel and weekly review pages under "
        f"{TARGET_SERVER_MS:.0f} ms median server time, HTML under {TARGET_HTML_KB:.0f} KB, "
        f"server under {TARGET_MEMORY_MB:.0f} MB."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
