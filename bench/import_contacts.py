"""Bench: import a 30,000-row LinkedIn Connections.csv end to end (parse, normalize, dedupe,
write, index for search), against two bare baselines on the same file, each Python's csv module
and one executemany into SQLite with no other code:

- into coffeechat's own contacts table (its indexes, no search triggers, empty columns for what
  the file lacks): the rows' unavoidable cost, which the 3x limit is measured against;
- into a table of seven text columns without indexes: for reference, what the indexes cost.

Then re-import the same file (every row matches, nothing is written).

    .venv/bin/python bench/import_contacts.py [--rows 30000] [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from _setup import report, setup_django, timed

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


def _connect(path: str) -> sqlite3.Connection:
    from django.conf import settings

    db = sqlite3.connect(path)
    db.executescript(settings.DATABASES["default"]["OPTIONS"]["init_command"])  # the app's own
    return db


def baseline(data: bytes, path: str) -> None:
    db = _connect(path)
    db.execute("DROP TABLE IF EXISTS c")
    db.execute(
        "CREATE TABLE c (id integer PRIMARY KEY, first text, last text, url text, email text, "
        "company text, position text, connected text)"
    )
    db.executemany(
        "INSERT INTO c (first, last, url, email, company, position, connected) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        _file_rows(data),
    )
    db.commit()
    db.close()


class ContactsTableBaseline:
    """csv + one executemany into a copy of the migrated database's contacts table: the same
    indexes the import writes through, but no parsing beyond the csv module, no organizations,
    no matching and no search index (its triggers are dropped in the copy)."""

    def __init__(self, source: Path, path: Path, owner_id: int) -> None:
        from django.db import connection

        connection.close()  # a consistent file to copy
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                shutil.copyfile(f"{source}{suffix}", f"{path}{suffix}")
        self.path, self.owner_id = str(path), owner_id
        db = _connect(self.path)
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name = 'contacts_contact'"
        ).fetchall():
            db.execute(f"DROP TRIGGER {name}")
        db.commit()
        db.close()

    def empty(self) -> None:
        db = _connect(self.path)
        db.execute("DELETE FROM contacts_contact")
        db.commit()
        db.close()

    def run(self, data: bytes) -> None:
        db = _connect(self.path)
        now = "2026-11-25 12:00:00"
        db.executemany(
            "INSERT INTO contacts_contact (owner_id, created_at, updated_at, first_name, "
            "last_name, linkedin_url, email, title, phone, notes, how_connected, "
            "connection_detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', 'online', ?)",
            (
                (self.owner_id, now, now, first, last, url, email, position, connected)
                for first, last, url, email, _company, position, connected in _file_rows(data)
            ),
        )
        db.commit()
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data_dir = setup_django()

    from django.contrib.auth.models import User

    from coffeechat.accounts.services import user_create
    from coffeechat.imports.services import import_file

    data = connections_csv(args.rows)
    print(f"Connections.csv: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")
    base = timed(lambda: baseline(data, str(data_dir / "baseline.sqlite3")), args.runs)
    bare_median = report("bare table (csv + one executemany, no indexes)", base)

    state: dict[str, object] = {}

    def fresh_account() -> None:
        User.objects.filter(username="bench").delete()
        state["user"] = user_create(username="bench", password="bench-password")

    fresh_account()
    table = ContactsTableBaseline(
        data_dir / "coffeechat.sqlite3",
        data_dir / "contacts-baseline.sqlite3",
        state["user"].pk,  # type: ignore[attr-defined]
    )
    base = timed(lambda: table.run(data), args.runs, before=table.empty)
    base_median = report("contacts table (csv + one executemany, the app's indexes)", base)

    def run() -> None:
        state["plan"] = import_file(owner=state["user"], data=data)  # type: ignore[arg-type]

    times = timed(run, args.runs, before=fresh_account)
    median = report("coffeechat import, new account", times, limit=2.0)
    plan = state["plan"]
    print(f"  created {len(plan.new):,}, skipped {len(plan.skipped):,}")  # type: ignore[attr-defined]
    print(
        f"  ratio to the contacts-table baseline: {median / base_median:.2f}x (limit 3x)"
        + ("  PASS" if median / base_median <= 3 else "  FAIL")
    )
    print(f"  ratio to the bare table, for reference: {median / bare_median:.2f}x")
    again = timed(run, args.runs)
    report("re-import of the same file", again, limit=2.0)
    plan = state["plan"]
    print(f"  created {len(plan.new)}, unchanged {plan.unchanged:,}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
