"""Bench: restore a JSON export of 300,000 contacts (with organizations, tags, notes,
conversations, learnings, follow-ups, "knows" links and earlier jobs) into an empty account,
on SQLite by default, through what `coffeechat restore` runs: read the file, check every row,
write.

The export is written as account_export writes one (same sections, same field names, ids as a
real account's), built directly rather than through the database so that the bench spends its
time on the restore. The restore runs in a child process, which prints its own seconds and
peak resident memory (the parent's memory, holding the file it built, does not count).

    .venv/bin/python bench/restore.py [--contacts 300000]
    DATABASE_URL=postgres://... .venv/bin/python bench/restore.py   # PostgreSQL
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _setup import ROOT, setup_django

STAMP = "2026-03-11T14:00:00+00:00"
FIRST = "Ana Ben Chloé Dev Eli Fatima Gus Hana Ivan Jia Kofi Lena Mateo Nia Omar Pia".split()
LAST = "Abara Bianchi Castillo Dube Eriksen García Haddad Ito Kaur Mensah Novak Okafor".split()
TITLE = ["Medical Science Liaison", "Territory Sales Representative", "Scientist II"]


def _stamps(rng: random.Random) -> dict[str, str]:
    day = f"20{rng.randint(15, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {"created_at": f"{day}T09:00:00+00:00", "updated_at": STAMP}


def build_export(contacts: int, seed: int = 300) -> dict[str, Any]:
    from coffeechat.portability.selectors import SCHEMA, VERSION, relations

    rng = random.Random(seed)
    orgs = max(1, contacts // 150)
    models: dict[str, list[dict[str, Any]]] = {}
    models["organizations.organization"] = [
        {
            "id": 10_000 + i,
            **_stamps(rng),
            "name": f"Organization {i} Labs",
            "key": f"organization {i} labs",
            "industry": "Biotechnology",
            "website": f"https://org{i}.example",
            "notes": "",
        }
        for i in range(orgs)
    ]
    models["contacts.tag"] = [
        {"id": 500 + i, **_stamps(rng), "name": f"tag {i}"} for i in range(20)
    ]
    rows = []
    for i in range(contacts):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append(
            {
                "id": 100_000 + i,
                **_stamps(rng),
                "first_name": first,
                "last_name": f"{last}-{i}",
                "organization": 10_000 + rng.randrange(orgs) if i % 4 else None,
                "title": rng.choice(TITLE),
                "email": f"{first.lower()}.{i}@mail.example" if i % 3 == 0 else "",
                "phone": "+1 919 555 0100" if i % 10 == 0 else "",
                "linkedin_url": f"https://www.linkedin.com/in/{last.lower()}-{i:x}",
                "how_connected": "online",
                "connection_detail": "LinkedIn connection since 8 Feb 2026",
                "introduced_by": 100_000 + rng.randrange(i) if i and i % 50 == 0 else None,
                "notes": "Met at the regional meeting." if i % 20 == 0 else "",
                "last_interaction": "2026-02-08" if i % 5 == 0 else None,
                "tags": sorted(rng.sample(range(500, 520), 2)) if i % 7 == 0 else [],
            }
        )
    models["contacts.contact"] = rows
    people = [row["id"] for row in rows]
    conversations = max(1, contacts // 30)
    models["conversations.conversation"] = [
        {
            "id": 900_000 + i,
            **_stamps(rng),
            "contact": people[rng.randrange(contacts)],
            "status": "held",
            "idea_at": STAMP,
            "requested_at": STAMP,
            "scheduled_at": STAMP,
            "held_at": STAMP,
            "thanked_at": None,
            "following_up_at": None,
            "declined_at": None,
            "no_reply_at": None,
            "cancelled_at": None,
            "starts_at": STAMP,
            "time_zone": "America/New_York",
            "planned_minutes": 30,
            "medium": "video",
            "place": "",
            "notes": "Ask about territories.",
            "sequence": 1,
            "targets": [],
        }
        for i in range(conversations)
    ]
    talks = [row["id"] for row in models["conversations.conversation"]]
    models["conversations.learning"] = [
        {
            "id": 950_000 + i,
            **_stamps(rng),
            "conversation": talks[i % conversations],
            "kind": "reality",
            "text": "Territories are large and travel is heavy.",
        }
        for i in range(conversations * 2)
    ]
    models["notes.note"] = [
        {
            "id": 2_000_000 + i,
            **_stamps(rng),
            "contact": people[rng.randrange(contacts)],
            "conversation": None,
            "text": "Prefers mornings; mentioned the formulary review.",
        }
        for i in range(contacts // 3)
    ]
    models["followups.followup"] = [
        {
            "id": 3_000_000 + i,
            **_stamps(rng),
            "contact": people[rng.randrange(contacts)],
            "conversation": None,
            "due_on": "2026-04-01",
            "what": "Send the article",
            "done_at": None,
            "kind": "manual",
            "source": None,
        }
        for i in range(conversations)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < contacts // 6:
        a, b = rng.sample(people, 2)
        pairs.add((a, b))
    models["network.knows"] = [
        {"id": 4_000_000 + i, **_stamps(rng), "contact": a, "other": b, "how": "Same lab"}
        for i, (a, b) in enumerate(sorted(pairs))
    ]
    models["contacts.jobhistory"] = [
        {
            "id": 5_000_000 + i,
            **_stamps(rng),
            "contact": people[rng.randrange(contacts)],
            "organization": 10_000 + rng.randrange(orgs),
            "title": "Intern",
            "started_on": None,
            "ended_on": "2025-06-30",
            "source": "linkedin",
        }
        for i in range(contacts // 10)
    ]
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "exported_at": STAMP,
        "account": {"username": "bench", "email": "", "first_name": "", "last_name": ""},
        "profile": {"display_name": "Bench", "time_zone": "America/New_York"},
        "relations": relations(),
        "models": models,
        "through": {},
    }


def _memory_mb(key: str) -> float:
    """VmRSS (now) or VmHWM (the peak so far) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def restore_child(path: str, user_id: int) -> None:
    """In the child: the restore command's work, timed, with the peak memory it reached. The
    database is the parent's (migrated, with the empty account), so nothing else runs here."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from coffeechat.contacts.models import Contact
    from coffeechat.portability.services import account_restore

    user = User.objects.get(pk=user_id)
    baseline = _memory_mb("VmRSS")
    cpu = time.process_time()
    start = time.perf_counter()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    loaded = time.perf_counter()
    counts = account_restore(user=user, data=data)
    done = time.perf_counter()
    assert Contact.objects.filter(owner=user).count() == counts["contacts.contact"]
    print(
        json.dumps(
            {
                "rows": sum(counts.values()),
                "contacts": counts["contacts.contact"],
                "read_s": round(loaded - start, 2),
                "restore_s": round(done - loaded, 2),
                "total_s": round(done - start, 2),
                # This process's own CPU (SQLite runs in it): what the wall time would be on
                # an idle machine, near enough, when other work shares the cores.
                "cpu_s": round(time.process_time() - cpu, 2),
                "baseline_mb": round(baseline),
                "peak_mb": round(_memory_mb("VmHWM")),
                "database": connection.vendor,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=300_000)
    parser.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--user", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        restore_child(args.child, args.user)
        return
    data_dir = setup_django()
    from django.contrib.auth.models import User

    from coffeechat.accounts.services import account_delete, user_create

    for earlier in User.objects.filter(username="restored"):  # an earlier run on PostgreSQL
        account_delete(user=earlier)
    user = user_create(username="restored", password="bench-password")
    data = build_export(args.contacts)
    path = data_dir / "export.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rows = sum(len(rows) for rows in data["models"].values())
    del data
    print(f"export: {args.contacts:,} contacts, {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB")
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--user", str(user.pk)],
        env=dict(os.environ),  # the same COFFEECHAT_DATA_DIR or DATABASE_URL
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(
        f"restore on {result['database']}: {result['total_s']} s "
        f"(reading the JSON {result['read_s']} s, checking and writing {result['restore_s']} s), "
        f"{result['rows']:,} rows, {result['cpu_s']} s of CPU; peak memory {result['peak_mb']} MB "
        f"(process baseline {result['baseline_mb']} MB)"
        + (
            ("  PASS" if result["total_s"] < 30 else "  FAIL (limit 30 s)")
            if result["database"] == "sqlite"
            else "  (the 30 s target is SQLite's)"
        )
    )


if __name__ == "__main__":
    main()
