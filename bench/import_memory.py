"""Bench: the peak memory of an import preview (what the upload page does with a file), for a
20 MB vCard and for 100 MB CSV files (a Google Contacts export with notes, and a LinkedIn
Connections.csv), each in a fresh child process that reports its resident memory before the
preview (after Django's start) and its peak during it. Also six 20 MB vCard previews at once,
by six users in six threads of one process, as six people uploading to one server would.

Budget: under 100 MB above the baseline for each single file.

    .venv/bin/python bench/import_memory.py [--only vcard|google|linkedin|six]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

from _setup import ROOT, setup_django

FIRST = "Ana Ben Chloé Dev Eli Fatima Gus Hana Ivan Jia Kofi Lena Mateo Nia Omar Pia".split()
LAST = "Abara Bianchi Castillo Dube Eriksen García Haddad Ito Kaur Mensah Novak Okafor".split()
NOTE = (
    "Met at the regional meeting; spoke about the formulary review and the territory "
    "realignment. Follow up after the launch, ask about the medical affairs rotation."
)


def vcard(megabytes: int) -> bytes:
    rng = random.Random(20)
    out = io.StringIO()
    i = 0
    while out.tell() < megabytes * 1_000_000:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        out.write(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{last}-{i};{first};;;\r\nFN:{first} {last}-{i}\r\n"
            f"ORG:Organization {i % 3000}\r\nTITLE:Medical Science Liaison\r\n"
            f"EMAIL;TYPE=INTERNET:{first.lower()}.{i}@mail.example\r\nTEL:+1 919 555 0100\r\n"
            f"URL:https://www.linkedin.com/in/{last.lower()}-{i:x}\r\n"
            f"NOTE:{NOTE[: 40 + i % 100]}\r\nCATEGORIES:pharma,alumni\r\nEND:VCARD\r\n"
        )
        i += 1
    return out.getvalue().encode()


def google_csv(megabytes: int) -> bytes:
    rng = random.Random(100)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = [
        "First Name", "Middle Name", "Last Name", "Organization Name", "Organization Title",
        "Notes", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label",
        "E-mail 2 - Value", "Phone 1 - Label", "Phone 1 - Value", "Website 1 - Label",
        "Website 1 - Value",
    ]  # fmt: skip
    writer.writerow(header)
    i = 0
    while out.tell() < megabytes * 1_000_000:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        writer.writerow(
            [
                first, "", f"{last}-{i}", f"Organization {i % 5000}", "Medical Science Liaison",
                NOTE * (1 + i % 3), "* myContacts ::: Pharma", "Work",
                f"{first.lower()}.{i}@mail.example", "", "", "Mobile", "+1 919 555 0100",
                "Profile", f"https://www.linkedin.com/in/{last.lower()}-{i:x}",
            ]
        )  # fmt: skip
        i += 1
    return out.getvalue().encode()


def linkedin_csv(megabytes: int) -> bytes:
    rng = random.Random(30)
    out = io.StringIO()
    out.write('Notes:\n"Some addresses are blank when a member does not share them."\n\n')
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    i = 0
    while out.tell() < megabytes * 1_000_000:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        writer.writerow(
            [
                first,
                f"{last}-{i}",
                f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i:x}",
                f"{first.lower()}.{i}@mail.example" if i % 3 == 0 else "",
                f"Organization {i % 5000} Inc.",
                "Medical Science Liaison",
                "08 Feb 2026",
            ]
        )
        i += 1
    return out.getvalue().encode()


def _memory_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(path: str, users: int) -> None:
    """One preview of the file at ``path`` per user, at once, in this process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from coffeechat.imports.services import import_preview

    people = list(User.objects.filter(username__startswith="bench").order_by("pk")[:users])
    connection.close()
    baseline = _memory_mb("VmRSS")
    summaries: list[dict] = [{} for _ in people]

    def preview(index: int) -> None:
        with open(path, "rb") as upload:  # as Django hands over an upload past 2.5 MB
            batch = import_preview(owner=people[index], upload=upload, filename="file")
        summaries[index] = batch.summary
        connection.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=preview, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        json.dumps(
            {
                "seconds": round(time.perf_counter() - start, 1),
                "baseline_mb": round(baseline),
                "peak_mb": round(_memory_mb("VmHWM")),
                "created": [s.get("created") for s in summaries],
            }
        )
    )


def measure(label: str, data: bytes, data_dir: Path, users: int = 1) -> None:
    path = data_dir / "upload"
    path.write_bytes(data)
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--users", str(users)],
        env=dict(os.environ),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    above = result["peak_mb"] - result["baseline_mb"]
    verdict = "" if users > 1 else ("  PASS" if above < 100 else "  FAIL (limit 100 MB)")
    print(
        f"{label}: {len(data) / 1e6:.0f} MB, {result['created'][0]:,} new contacts, "
        f"{result['seconds']} s; peak {result['peak_mb']} MB, baseline {result['baseline_mb']} "
        f"MB, {above} MB above it{verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["vcard", "google", "linkedin", "six"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.users)
        return
    data_dir = setup_django()
    from coffeechat.accounts.services import user_create

    for i in range(6):
        user_create(username=f"bench{i}", password="bench-password")
    cases = {
        "vcard": ("20 MB vCard preview", lambda: vcard(20), 1),
        "google": ("100 MB Google Contacts CSV preview", lambda: google_csv(100), 1),
        "linkedin": ("100 MB LinkedIn Connections.csv preview", lambda: linkedin_csv(100), 1),
        "six": ("six 20 MB vCard previews at once", lambda: vcard(20), 6),
    }
    for name, (label, build, users) in cases.items():
        if args.only in (None, name):
            measure(label, build(), data_dir, users)


if __name__ == "__main__":
    main()
