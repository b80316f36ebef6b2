"""Bench: import a LinkedIn Connections.csv (30,000 rows by default) end to end (parse,
normalize, dedupe, write, index for search, commit), against the bare baseline of issue 13,
then re-import it, then import it once more in a child process for its peak memory.

The compass (issue 13, item 6) is the bare job on the same file with no coffeechat code:
Python's csv module and one executemany into a table of seven text columns without indexes,
on the same database. On PostgreSQL the same table is filled with one COPY (the fast way to
do that bare job there, and what the importer itself uses); one executemany is printed too.
For reference, the same rows written straight into coffeechat's contacts table, with its
indexes (and, on PostgreSQL, its GIN and trigram indexes), show what the table alone costs.

    .venv/bin/python bench/import_contacts.py [--rows 30000] [--runs 5] [--profile]
    .venv/bin/python bench/import_contacts.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

With --database-url the script creates its own database on that server
(coffeechat_import_bench_<pid>) and drops it at the end. Times: wall (perf_counter) and CPU:
the Python process's, plus on PostgreSQL the server backend's (read from /proc, the server
being on this machine), since that is where most of the work happens there.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from _setup import ROOT, setup_django

FIRST = (
    "Ana Ben Chloé Dev Eli Fatima Gus Hana Ivan Jia Kofi Lena Mateo Nia Omar Pia "
    "Quinn Rosa Sami Tomás Uma Vik Wen Xavi Yara Zoe"
).split()
LAST = (
    "Abara Bianchi Castillo Dube Eriksen Fontaine García Haddad Ito Jovanović Kaur "
    "Lindqvist Mensah Novak Okafor Petrov Quispe Rossi Sato Tran Ueda Varga Wójcik Xu "
    "Yilmaz Zhang"
).split()
COMPANY = (
    "Kestrel Halvorsen Corvane Brightwater Nordlight Tidewater Amberline Cobalt "
    "Fernhill Granite Harbor Ironwood Juniper Lumen Meridian Northgate Oakridge "
    "Pinecrest Quarry Redwood Summit Trillium"
).split()
KIND = [
    "Labs",
    "Biologics",
    "Pharmaceuticals",
    "Devices",
    "Clinical Research",
    "Health",
    "Diagnostics",
    "Therapeutics",
]
SUFFIX = ["", " Inc.", " Inc", ", Inc.", " LLC", " GmbH", " Ltd."]
TITLE = [
    "Medical Science Liaison",
    "Territory Sales Representative",
    "Clinical Research Associate",
    "Scientist II, Assay Development",
    "Director, Market Access",
    "Regulatory Affairs Manager",
    "Field Clinical Engineer",
    "Associate, Life Sciences",
]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
NOW = "2026-11-25 12:00:00+00:00"


def connections_csv(rows: int, seed: int = 30000) -> bytes:
    rng = random.Random(seed)
    companies = [f"{a} {b}" for a in COMPANY for b in KIND]  # 176 employers, many spellings
    out = io.StringIO()
    out.write('Notes:\n"Some addresses are blank when a member does not share them."\n\n')
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for i in range(rows):
        if i % 97 == 0:  # hidden profiles: a date and nothing else
            writer.writerow(["", "", "", "", "", "", "08 Feb 2026"])
            continue
        first, last = rng.choice(FIRST), rng.choice(LAST)
        writer.writerow(
            [
                first,
                f"{last}-{i}",
                f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i:x}",
                f"{first.lower()}.{i}@mail.example" if i % 3 == 0 else "",
                rng.choice(companies) + rng.choice(SUFFIX),
                rng.choice(TITLE),
                f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2012, 2026)}",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _file_rows(data: bytes) -> Iterator[list[str]]:
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text[text.index("First Name") :]))
    next(reader)
    return reader


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


class Server:
    """CPU seconds of a PostgreSQL backend, from /proc (the server runs on this machine)."""

    def __init__(self, pid: int | None) -> None:
        self.path = Path(f"/proc/{pid}/stat") if pid else None

    def cpu(self) -> float:
        if self.path is None:
            return 0.0
        try:
            fields = self.path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    fn: Callable[[], object],
    runs: int,
    before: Callable[[], object] | None = None,
    server: Callable[[], Server] | None = None,
) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run (CPU: this process's, plus the server backend's)."""
    walls, cpus = [], []
    for _ in range(runs):
        if before:
            before()
        backend = server() if server else Server(None)
        wall, cpu, cpu_server = time.perf_counter(), time.process_time(), backend.cpu()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu + backend.cpu() - cpu_server)
    return walls, cpus


def show(label: str, times: tuple[list[float], list[float]]) -> tuple[float, float]:
    walls, cpus = times
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(
        f"{label}: wall median {wall:.3f} s (min {min(walls):.3f}, max {max(walls):.3f}), "
        f"CPU median {cpu:.3f} s, {len(walls)} runs"
    )
    return wall, cpu


def load() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


# ---------------------------------------------------------------------------------------------
# The baselines
# ---------------------------------------------------------------------------------------------

COMPASS_TABLE = (
    "CREATE TABLE compass (first_name text, last_name text, url text, email text, "
    "company text, position text, connected_on text)"
)
COMPASS_INSERT = (
    "INSERT INTO compass (first_name, last_name, url, email, company, position, connected_on) "
    "VALUES ({0}, {0}, {0}, {0}, {0}, {0}, {0})"
)
CONTACT_COLUMNS = (
    "owner_id, created_at, updated_at, first_name, last_name, linkedin_url, email, title, "
    "phone, notes, how_connected, connection_detail"
)


class SqliteBaselines:
    """The compass in its own file; the contacts-table reference in a copy of the migrated
    database (the same indexes the import writes through; search triggers dropped)."""

    def __init__(self, data_dir: Path, owner_id: int) -> None:
        from django.conf import settings
        from django.db import connection

        self.init = settings.DATABASES["default"]["OPTIONS"]["init_command"]  # the app's own
        self.compass_path = str(data_dir / "compass.sqlite3")
        self.table_path = str(data_dir / "contacts-baseline.sqlite3")
        self.owner_id = owner_id
        connection.close()  # a consistent file to copy
        source = data_dir / "coffeechat.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                shutil.copyfile(f"{source}{suffix}", f"{self.table_path}{suffix}")
        db = self._connect(self.table_path)
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
            ["contacts_contact"],
        ).fetchall():
            db.execute(f"DROP TRIGGER {name}")
        db.commit()
        db.close()

    def _connect(self, path: str) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        db.executescript(self.init)
        return db

    def compass_empty(self) -> None:
        db = self._connect(self.compass_path)
        db.execute("DROP TABLE IF EXISTS compass")
        db.execute(COMPASS_TABLE)
        db.commit()
        db.close()

    def compass(self, data: bytes) -> None:
        db = self._connect(self.compass_path)
        db.executemany(COMPASS_INSERT.format("?"), _file_rows(data))
        db.commit()
        db.close()

    def table_empty(self) -> None:
        db = self._connect(self.table_path)
        db.execute("DELETE FROM contacts_contact")
        db.commit()
        db.close()

    def table(self, data: bytes) -> None:
        db = self._connect(self.table_path)
        db.executemany(
            f"INSERT INTO contacts_contact ({CONTACT_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', 'online', ?)",
            (
                (self.owner_id, NOW, NOW, first, last, url, email, position, connected)
                for first, last, url, email, _company, position, connected in _file_rows(data)
            ),
        )
        db.commit()
        db.close()


class PostgresBaselines:
    """The compass table and the contacts table in the bench's own database, through a
    psycopg connection of their own, opened before the clock starts."""

    def __init__(self, url: str, owner_id: int) -> None:
        import psycopg

        self.db = psycopg.connect(url)
        self.owner_id = owner_id

    def server(self) -> Server:
        return Server(self.db.info.backend_pid)

    def _autocommit(self, *statements: str) -> None:
        self.db.autocommit = True
        for statement in statements:
            self.db.execute(statement)  # type: ignore[arg-type]
        self.db.autocommit = False

    def compass_empty(self) -> None:
        self._autocommit("DROP TABLE IF EXISTS compass", COMPASS_TABLE)

    def compass(self, data: bytes) -> None:
        with self.db.cursor() as cursor, cursor.copy("COPY compass FROM STDIN") as copy:
            for row in _file_rows(data):
                copy.write_row(row)
        self.db.commit()

    def compass_executemany(self, data: bytes) -> None:
        with self.db.cursor() as cursor:
            cursor.executemany(COMPASS_INSERT.format("%s"), _file_rows(data))  # type: ignore[arg-type]
        self.db.commit()

    def table_empty(self) -> None:
        self._autocommit(
            f"DELETE FROM contacts_contact WHERE owner_id = {int(self.owner_id)}",
            "VACUUM contacts_contact",
        )

    def table(self, data: bytes) -> None:
        with (
            self.db.cursor() as cursor,
            cursor.copy(f"COPY contacts_contact ({CONTACT_COLUMNS}) FROM STDIN") as copy,
        ):
            for first, last, url, email, _company, position, connected in _file_rows(data):
                copy.write_row(
                    (self.owner_id, NOW, NOW, first, last, url, email, position, "", "")
                    + ("online", connected)
                )
        self.db.commit()

    def close(self) -> None:
        self.db.close()


# ---------------------------------------------------------------------------------------------
# One import in a child process: its peak memory
# ---------------------------------------------------------------------------------------------


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child() -> None:
    """Wait for the parent's word (the environment to use and the file), then import the file
    into the account ``bench-child`` as `coffeechat import` does (an open file, read row by
    row), and print what it took."""
    order = json.loads(sys.stdin.readline())
    os.environ.update(order["env"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User

    from coffeechat.imports.services import import_file

    # Made by the parent: hashing a password here would add Argon2's 100 MB to the peak.
    user = User.objects.get(username="bench-child")
    before = _rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    with open(order["path"], "rb") as data:
        plan = import_file(owner=user, data=data, filename="Connections.csv")
    print(
        json.dumps(
            {
                "wall": time.perf_counter() - wall,
                "cpu": time.process_time() - cpu,
                "rss_before_mb": before,
                "created": plan.created,
            }
        )
    )


class Child:
    """The child process of the memory figure, started before the parent grows: a forked
    child's maxrss counts the parent's resident memory at the fork (Linux copies the
    high-water mark with the address space), so it is forked while the parent is small and
    only told later what to import."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--child"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, path: Path) -> dict[str, Any]:
        keys = ("COFFEECHAT_DATA_DIR", "COFFEECHAT_TESTING", "DATABASE_URL")
        order = {"env": {k: os.environ[k] for k in keys if k in os.environ}, "path": str(path)}
        assert self.process.stdin is not None and self.process.stdout is not None
        start = time.perf_counter()
        self.process.stdin.write(json.dumps(order) + "\n")
        self.process.stdin.close()
        out = self.process.stdout.read()
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        if self.process.returncode:
            raise SystemExit(f"the child import failed ({self.process.returncode})")
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        result["process_wall"] = time.perf_counter() - start
        result["process_cpu"] = usage.ru_utime + usage.ru_stime
        result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
        return result

    def stop(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            self.process.wait()


# ---------------------------------------------------------------------------------------------
# PostgreSQL: the bench's own database
# ---------------------------------------------------------------------------------------------


def postgres_database(admin_url: str) -> tuple[str, str]:
    parsed = urllib.parse.urlparse(admin_url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise SystemExit("--database-url must be a postgresql:// URL")
    name = f"coffeechat_import_bench_{os.getpid()}"
    return name, urllib.parse.urlunparse(parsed._replace(path="/" + name))


def postgres_admin(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as db:
        db.execute(sql)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, url: str | None, memory: Child) -> None:
    data_dir = setup_django()
    try:
        measure_all(args, url, memory, data_dir)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)  # 400 MB after a 300,000-row run


def measure_all(args: argparse.Namespace, url: str | None, memory: Child, data_dir: Path) -> None:

    from django.contrib.auth.models import User
    from django.db import connection

    from coffeechat.accounts.services import account_delete, user_create
    from coffeechat.imports.services import import_file

    data = connections_csv(args.rows)
    path = data_dir / "Connections.csv"
    path.write_bytes(data)
    if url:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            where = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        where = f"SQLite {sqlite3.sqlite_version}"
    print(
        f"Connections.csv: {args.rows:,} rows, {len(data) / 1e6:.1f} MB; {where}; "
        f"{len(os.sched_getaffinity(0))} cores; load average {load()}"
    )

    reference = user_create(username="bench-reference", password="bench-password")
    baselines: Any = (
        PostgresBaselines(url, reference.pk) if url else SqliteBaselines(data_dir, reference.pk)
    )
    server = baselines.server if url else None
    compass = show(
        "compass: csv + "
        + ("one COPY" if url else "one executemany")
        + " into seven text columns, no indexes",
        measure(lambda: baselines.compass(data), args.runs, baselines.compass_empty, server),
    )
    if url:
        show(
            "  the same with one executemany instead of COPY, for reference",
            measure(
                lambda: baselines.compass_executemany(data),
                args.runs,
                baselines.compass_empty,
                server,
            ),
        )
    table = show(
        "reference: csv + "
        + ("one COPY" if url else "one executemany")
        + " into coffeechat's contacts table (its indexes, no search triggers)",
        measure(lambda: baselines.table(data), args.runs, baselines.table_empty, server),
    )
    if url:
        baselines.table_empty()
        baselines.close()

    state: dict[str, Any] = {}

    def fresh_account() -> None:
        for user in User.objects.filter(username="bench"):
            account_delete(user=user)
        if url:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")  # as autovacuum would, between two imports
        state["user"] = user_create(username="bench", password="bench-password")

    def django_server() -> Server:
        if not url:
            return Server(None)
        connection.ensure_connection()
        return Server(connection.connection.info.backend_pid)  # type: ignore[union-attr]

    def one_import() -> None:
        state["plan"] = import_file(owner=state["user"], data=data)

    if args.profile:
        import cProfile
        import pstats

        fresh_account()
        profile = cProfile.Profile()
        profile.runcall(one_import)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)

    times = measure(one_import, args.runs, fresh_account, django_server)
    wall, cpu = show("coffeechat import, new account", times)
    plan = state["plan"]
    print(f"  created {plan.created:,}, skipped {len(plan.skipped):,}")
    limit = 5 if url else 3
    print(
        f"  ratio to the compass: wall {wall / compass[0]:.2f}x, CPU {cpu / compass[1]:.2f}x "
        f"(limit {limit}x)" + ("  PASS" if wall / compass[0] <= limit else "  FAIL")
    )
    print(
        f"  ratio to the contacts-table reference: wall {wall / table[0]:.2f}x, "
        f"CPU {cpu / table[1]:.2f}x"
    )
    show("re-import of the same file", measure(one_import, args.runs, None, django_server))
    plan = state["plan"]
    print(f"  created {plan.created}, unchanged {plan.unchanged:,}")

    for user in User.objects.filter(username="bench"):
        account_delete(user=user)
    user_create(username="bench-child", password="bench-password")
    connection.close()
    result = memory.run(path)
    print(
        f"one import in a child process: import {result['wall']:.2f} s wall, "
        f"{result['cpu']:.2f} s CPU of the Python process; peak memory {result['peak_mb']:.0f} MB "
        f"(resident {result['rss_before_mb']:.0f} MB before the import); whole child "
        f"{result['process_wall']:.2f} s wall, {result['process_cpu']:.2f} s CPU "
        f"(created {result['created']:,})"
    )
    print(f"load average at the end: {load()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one import first")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (postgresql://...): the bench creates its own database there",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    memory = Child()
    try:
        if not args.database_url:
            os.environ.pop("DATABASE_URL", None)
            run(args, None, memory)
            return
        name, url = postgres_database(args.database_url)
        postgres_admin(args.database_url, f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
        try:
            run(args, url, memory)
        finally:
            from django.db import connections

            connections.close_all()
            postgres_admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        memory.stop()


if __name__ == "__main__":
    main()
