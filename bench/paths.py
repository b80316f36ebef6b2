"""Bench: the best introduction paths to an organization over 1,000,000 "knows" links
(100,000 contacts, 2% known directly, the rest reachable only through others).

    .venv/bin/python bench/paths.py [--links 1000000] [--runs 20] [--per-request]

With ``--per-request`` each run gets a new database connection, the previous one closed first,
as the server does for each request and the CLI for each command: what a connection's close does
(on SQLite, ``PRAGMA optimize``: statistics for the tables its queries used) shows in the runs
after the first, which is reported apart. Without it, one connection serves every run and no
statistics are ever gathered, since the links are written here with bare INSERTs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from _setup import report, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--per-request", action="store_true", help="a new connection per run")
    args = parser.parse_args()
    setup_django()
    from django.db import connection, transaction
    from django.utils import timezone

    from coffeechat.accounts.services import user_create
    from coffeechat.contacts.models import Contact
    from coffeechat.network.selectors import introduction_paths
    from coffeechat.organizations.models import Organization
    from coffeechat.search.services import search_bulk

    rng = random.Random(11)
    user = user_create(username="bench", password="bench-password")
    orgs = Organization.objects.bulk_create(
        [Organization(owner=user, name=f"Org {i}", key=f"org {i}") for i in range(2_000)]
    )
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    with (
        transaction.atomic(),
        search_bulk(owner_id=user.pk, since=now),
        connection.cursor() as cursor,
    ):
        cursor.executemany(
            "INSERT INTO contacts_contact (owner_id, first_name, last_name, title, email, phone, "
            "linkedin_url, how_connected, connection_detail, notes, organization_id, created_at, "
            "updated_at) VALUES (%s, %s, %s, '', '', '', '', %s, '', '', %s, %s, %s)",
            [
                (
                    user.pk,
                    f"P{i}",
                    "Bench",
                    "friend" if rng.random() < 0.02 else "cold",
                    rng.choice(orgs).pk,
                    stamp,
                    stamp,
                )
                for i in range(args.contacts)
            ],
        )
    ids = list(Contact.objects.filter(owner=user).values_list("id", flat=True))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < args.links:
        a, b = rng.sample(ids, 2)
        if (b, a) not in pairs:  # one row per pair, whichever way round (knows_one_per_pair)
            pairs.add((a, b))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO network_knows (owner_id, contact_id, other_id, how, created_at, "
            "updated_at) VALUES (%s, %s, %s, '', %s, %s)",
            [(user.pk, a, b, stamp, stamp) for a, b in pairs],
        )
    print(f"{args.contacts:,} contacts, {len(pairs):,} knows links")
    targets = rng.sample(orgs, 50)
    index = [0]
    lengths = []

    def one() -> None:
        org = targets[index[0] % len(targets)]
        index[0] += 1
        paths = introduction_paths(user=user, organization=org)
        lengths.append(paths[0].length if paths else 0)

    if args.per_request:
        closes: list[float] = []

        def close() -> None:
            # Not counted in the runs: a server closes after the response has gone out.
            start = time.perf_counter()
            connection.close()
            closes.append(time.perf_counter() - start)

        close()
        first = timed(one, 1)
        print(f"first run, on a new connection: {first[0] * 1000:.1f} ms")
        times = timed(one, args.runs, before=close)
        slowest = max(range(len(closes)), key=closes.__getitem__)
        print(
            f"closing the connection: median {statistics.median(closes) * 1000:.2f} ms, "
            f"slowest {closes[slowest] * 1000:.0f} ms (close {slowest + 1} of {len(closes)}: "
            "the one that gathered statistics)"
        )
    else:
        times = timed(one, args.runs)
    report("introduction paths to one organization", times, limit=100, unit="ms")
    print(f"  shortest path lengths found: {sorted(set(lengths))}")
    # Where someone at the organization is known directly, the answer needs no link at all:
    # the runs that had to walk the links say what the links' queries cost.
    walked = [t for t, n in zip(times, lengths[-len(times) :], strict=True) if n != 1]
    if walked:
        report("  of which walking the links (no one known there)", walked, unit="ms")
        order = [i + 1 for i, n in enumerate(lengths[-len(times) :]) if n != 1]
        print("  those runs, in order (run number: ms): ", end="")
        print(", ".join(f"{i}: {t * 1000:.0f}" for i, t in zip(order, walked, strict=True)))


if __name__ == "__main__":
    main()
