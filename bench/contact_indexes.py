"""Which pages read each index of the contacts table: every page that shows contacts (and the
deletions that clear references to them) is requested through the real views, every statement
they run on contacts_contact is EXPLAINed, and the indexes the plans use are listed, per
index. An index no page reads is only a cost to every write (an import writes 30,000 rows
through each; issue 13, item 6).

    .venv/bin/python bench/contact_indexes.py [--rows 30000] [--analyze]
    .venv/bin/python bench/contact_indexes.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Data: two accounts, each with the bench's Connections.csv imported (30,000 rows, 176
employers), 300 contacts introduced by others, 3,000 tagged, a target, "knows" links. On
SQLite the plans are taken as the app runs, without statistics, and with --analyze after
ANALYZE (what `PRAGMA optimize` may give); on PostgreSQL after VACUUM ANALYZE.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
from collections import defaultdict
from typing import Any

from _setup import setup_django
from import_contacts import connections_csv, postgres_admin, postgres_database


def build(rows: int) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from coffeechat.accounts.services import user_create
    from coffeechat.contacts.models import Contact, Tag
    from coffeechat.imports.services import import_file
    from coffeechat.network.models import Knows
    from coffeechat.organizations.models import Organization
    from coffeechat.targets.models import Target

    data = connections_csv(rows)
    other = user_create(username="other", password="bench-password")
    import_file(owner=other, data=data)
    user = user_create(username="bench", password="bench-password")
    import_file(owner=user, data=data)
    ids = list(Contact.objects.filter(owner=user).order_by("id").values_list("id", flat=True))
    introducer = ids[10]
    Contact.objects.filter(pk__in=ids[100:400]).update(introduced_by=introducer)
    tag = Tag.objects.create(owner=user, name="pharma")
    Contact.tags.through.objects.bulk_create(
        [Contact.tags.through(contact_id=pk, tag_id=tag.pk) for pk in ids[::10]]
    )
    Knows.objects.bulk_create(
        [
            Knows(owner=user, contact_id=ids[i], other_id=ids[i + 1])
            for i in range(min(2000, len(ids) - 1))
        ]
    )
    organization = Organization.objects.filter(owner=user).order_by("-pk").first()
    assert organization is not None
    target = Target.objects.create(owner=user, name=organization.name, organization=organization)
    return {
        "user": User.objects.get(pk=user.pk),
        "contact": ids[len(ids) // 2],
        "introducer": introducer,
        "organization": organization.pk,
        "target": target.pk,
        "tag": tag.pk,
    }


def pages(built: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, method, path)."""
    org, contact = built["organization"], built["contact"]
    return [
        ("dashboard", "GET", "/"),
        ("contact list", "GET", "/contacts/"),
        ("contact list, page 300", "GET", "/contacts/?page=300"),
        ("contact list, sort recent", "GET", "/contacts/?sort=recent"),
        ("contact list, sort added", "GET", "/contacts/?sort=added&page=50"),
        ("contact list, connection filter", "GET", "/contacts/?connection=referral"),
        ("contact list, organization filter", "GET", f"/contacts/?organization={org}"),
        ("contact list, tag filter", "GET", f"/contacts/?tag={built['tag']}"),
        ("contact list, search box, a common word", "GET", "/contacts/?q=ana"),
        ("contact list, search box, a rare word", "GET", "/contacts/?q=12345"),
        ("contact list, search box, an address", "GET", "/contacts/?q=mail.example"),
        ("contact picker", "GET", "/contacts/pick/?q=kaur"),
        ("contact picker, a rare word", "GET", "/contacts/pick/?q=23456"),
        ("duplicates", "GET", "/contacts/duplicates/"),
        ("contact detail", "GET", f"/contacts/{contact}/"),
        ("contact detail, an introducer", "GET", f"/contacts/{built['introducer']}/"),
        ("organization list", "GET", "/organizations/"),
        ("organization detail", "GET", f"/organizations/{org}/"),
        ("search", "GET", "/search/?q=kestrel"),
        ("network paths", "GET", f"/network/?organization={org}"),
        ("target detail", "GET", f"/targets/{built['target']}/"),
        ("keep in touch", "GET", "/outreach/keep-in-touch/"),
        ("delete an introducer", "POST", f"/contacts/{built['introducer']}/delete/"),
        ("delete an organization", "POST", f"/organizations/{org}/delete/"),
    ]


# SQLite's "USING (COVERING) INDEX x", PostgreSQL's index, index-only and bitmap scans.
USING = re.compile(
    r"(?:USING (?:COVERING )?INDEX|Index (?:Only )?Scan (?:Backward )?using"
    r"|Bitmap Index Scan on) (\w+)"
)


def plan_indexes(sql: str) -> tuple[set[str], list[str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            lines = [row[-1] for row in cursor.fetchall()]
        else:
            cursor.execute("EXPLAIN " + sql)
            lines = [row[0] for row in cursor.fetchall()]
    return set(USING.findall("\n".join(lines))), lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--analyze", action="store_true", help="SQLite: ANALYZE first")
    parser.add_argument("--database-url", help="a PostgreSQL server: its own database there")
    args = parser.parse_args()
    name = None
    if args.database_url:
        name, url = postgres_database(args.database_url)
        postgres_admin(args.database_url, f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        run(args)
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            postgres_admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: argparse.Namespace) -> None:
    data_dir = setup_django()
    try:
        explain_pages(args)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)


def explain_pages(args: argparse.Namespace) -> None:
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    built = build(args.rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        elif args.analyze:
            cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
                ["contacts_contact"],
            )
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s", ["contacts_contact"]
            )
        indexes = sorted(row[0] for row in cursor.fetchall())
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(built["user"], backend="django.contrib.auth.backends.ModelBackend")
    readers: dict[str, set[str]] = defaultdict(set)
    for label, method, path in pages(built):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            response = client.get(path) if method == "GET" else client.post(path)
            assert response.status_code in (200, 302), (label, response.status_code)
            statements = [
                q["sql"]
                for q in queries.captured_queries
                if "contacts_contact" in q["sql"]
                and q["sql"].lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH"))
            ]
            for sql in statements:
                used, _ = plan_indexes(sql)
                for index in used:
                    readers[index].add(label)
            transaction.set_rollback(True)  # the deletions are undone
    where = connection.vendor + (" (after ANALYZE)" if args.analyze else "")
    print(f"Indexes of contacts_contact read by pages, {where}, {args.rows:,} rows per account:")
    for index in indexes:
        if index.startswith("sqlite_autoindex"):
            continue
        pages_reading = sorted(readers.get(index, ()))
        print(f"- {index}: " + ("; ".join(pages_reading) if pages_reading else "NOTHING"))
    other = sorted(set(readers) - set(indexes))
    if other:
        print("Other tables' indexes in these plans: " + ", ".join(other))


if __name__ == "__main__":
    main()
