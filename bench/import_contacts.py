"""Bench: import a 30,000-row LinkedIn Connections.csv end to end (parse, normalize, dedupe,
write, index for search), against a bare baseline on the same file: Python's csv module and one
executemany into a SQLite table. Then re-import the same file (every row matches, nothing is
written).

    .venv/bin/python bench/import_contacts.py [--rows 30000] [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sqlite3

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


def baseline(data: bytes, path: str) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("DROP TABLE IF EXISTS c")
    db.execute(
        "CREATE TABLE c (id integer PRIMARY KEY, first text, last text, url text, email text, "
        "company text, position text, connected text)"
    )
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text[text.index("First Name") :]))
    next(reader)
    db.executemany(
        "INSERT INTO c (first, last, url, email, company, position, connected) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        reader,
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
    base_median = report("bare baseline (csv + one executemany into SQLite)", base)

    state: dict[str, object] = {}

    def fresh_account() -> None:
        User.objects.filter(username="bench").delete()
        state["user"] = user_create(username="bench", password="bench-password")

    def run() -> None:
        state["plan"] = import_file(owner=state["user"], data=data)  # type: ignore[arg-type]

    times = timed(run, args.runs, before=fresh_account)
    median = report("coffeechat import, new account", times, limit=2.0)
    plan = state["plan"]
    print(f"  created {len(plan.new):,}, skipped {len(plan.skipped):,}")  # type: ignore[attr-defined]
    print(
        f"  ratio to the bare baseline: {median / base_median:.2f}x (limit 3x)"
        + ("  PASS" if median / base_median <= 3 else "  FAIL")
    )
    again = timed(run, args.runs)
    report("re-import of the same file", again, limit=2.0)
    plan = state["plan"]
    print(f"  created {len(plan.new)}, unchanged {plan.unchanged:,}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
