"""Bench: the search box over one account of many contacts and notes, on SQLite (a fresh
temporary database, the local default) or on PostgreSQL (DATABASE_URL, an empty database of
your own), with words of known frequency in the notes.

    .venv/bin/python bench/search.py [--contacts 30000] [--notes 100000] [--runs 50]
    createdb -h 127.0.0.1 -U postgres search_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_bench .venv/bin/python bench/search.py

An account already there (a database from an earlier run: PostgreSQL's, or SQLite's kept with
``--data-dir DIR``) is measured as it is, after ``migrate``: build once, for instance with
an older commit's code, then measure that commit and this one on the same rows.

The notes read like notes: 14 everyday words (3,000 made-up ones), now and then a domain word
(each of 17 in about 1.8% of the notes), "formulary" in 5%, "meeting" in 50%, "zanzibar" in
one note in 50,000. Contacts come from a generated LinkedIn export through the real import,
notes through the bulk writer (COPY on PostgreSQL) inside ``search_bulk``; then ANALYZE, as
autovacuum would (VACUUM ANALYZE on PostgreSQL), and two unmeasured searches per query
before its runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from _setup import setup_django
from import_contacts import connections_csv

WORDS = (
    "pipeline territory oncology assay reimbursement cardiac mentor hiring shadowing "
    "rotation budget launch liaison regulatory sales biotech devices"
).split()
# (label, query): the three frequencies the target names, then what else a user types.
QUERIES = [
    ("rare word, 1 note in 50,000", "zanzibar"),
    ("word in 5% of notes", "formulary"),
    ("word in 50% of notes", "meeting"),
    ("prefix of the 50% word", "meet"),
    ("two words, 5% and 50%", "formulary meeting"),
    ("word in 1.8% of notes", "oncology"),
    ("last name (people)", "kaur"),
    ("employer (organizations, then people)", "halvorsen"),
    ("short prefix", "reimb"),
]


def _notes(count: int, owner_id: int, contact_ids: list[int], stamp: object) -> Iterator[tuple]:
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "do", "fu", "ga", "hi"]
    vocabulary = list({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(4000)})[
        :3000
    ]
    for n in range(count):
        words = rng.choices(vocabulary, k=14)
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(WORDS))
        if rng.random() < 0.05:
            words.insert(rng.randrange(len(words)), "formulary")
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words)), "meeting")
        if n % 50_000 == 49_999:
            words.insert(rng.randrange(len(words)), "zanzibar")
        yield (owner_id, rng.choice(contact_ids), " ".join(words), stamp, stamp)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]


def _build(contacts: int, notes: int) -> Any:
    from django.db import connection, transaction
    from django.utils import timezone

    from coffeechat.accounts.services import user_create
    from coffeechat.contacts.models import Contact
    from coffeechat.core.bulk import rows_insert
    from coffeechat.imports.services import import_file
    from coffeechat.search.services import search_bulk

    start = time.perf_counter()
    user = user_create(username="bench", password="bench-password")
    import_file(owner=user, data=connections_csv(contacts))
    ids = list(Contact.objects.filter(owner=user).values_list("id", flat=True))
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(), search_bulk(owner_id=user.pk, since=now):
        rows_insert(
            "notes_note",
            ["owner_id", "contact_id", "text", "created_at", "updated_at"],
            _notes(notes, user.pk, ids, stamp),
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"built in {time.perf_counter() - start:.0f} s")
    return user


def _server_cpu(connection: Any) -> Callable[[], float] | None:
    """On a PostgreSQL server on this machine: the CPU time (ms) its backend serving this
    connection has used, from /proc (ticks of 10 ms: read as a mean over many searches).
    The machine is shared, so wall-clock times carry everyone else's load; this does not."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    if not stat.exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def used() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / tick

    return used


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--limit", type=int, default=50, help="hits kept (the page keeps 50)")
    parser.add_argument("--data-dir", type=Path, help="SQLite: keep the database here")
    args = parser.parse_args()
    start = time.perf_counter()
    setup_django(args.data_dir)
    from django.contrib.auth.models import User
    from django.db import connection

    from coffeechat.contacts.models import Contact
    from coffeechat.notes.models import Note
    from coffeechat.search.selectors import search

    print(f"database: {connection.vendor}, load average at start: {os.getloadavg()}")
    print(f"migrated in {time.perf_counter() - start:.1f} s")
    user = User.objects.filter(username="bench").first()
    if user is None:
        user = _build(args.contacts, args.notes)
    print(
        f"{Contact.objects.filter(owner=user).count():,} contacts and "
        f"{Note.objects.filter(owner=user).count():,} notes in the account"
    )
    server = _server_cpu(connection)
    print(
        f"search, {args.limit} best hits, {args.runs} runs each (ms; CPU: this process's median"
        + (", and the PostgreSQL backend's mean, from /proc)" if server else ")")
    )
    print("| Query | Hits | Median | p95 | Max | CPU | Server CPU |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, q in QUERIES:
        for _ in range(2):
            hits = search(user=user, q=q, limit=args.limit)
        times, cpu = [], []
        server_start = server() if server else 0.0
        for _ in range(args.runs):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            search(user=user, q=q, limit=args.limit)
            times.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
        served = f"{(server() - server_start) / args.runs:.1f}" if server else ""
        print(
            f"| {label}: {q!r} | {len(hits)} | {statistics.median(times):.1f} | "
            f"{p95(times):.1f} | {max(times):.1f} | {statistics.median(cpu):.1f} | {served} |"
        )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
