"""Bench: one search over 30,000 contacts and 100,000 notes (SQLite FTS5, the local default).

.venv/bin/python bench/search.py [--runs 50]
"""

from __future__ import annotations

import argparse
import random

from _setup import report, setup_django, timed
from import_contacts import connections_csv

WORDS = (
    "pipeline territory oncology assay reimbursement cardiac mentor hiring shadowing "
    "rotation budget launch formulary liaison regulatory sales biotech devices"
).split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    from django.db import connection, transaction
    from django.utils import timezone

    from coffeechat.accounts.services import user_create
    from coffeechat.contacts.models import Contact
    from coffeechat.imports.services import import_file
    from coffeechat.search.selectors import search
    from coffeechat.search.services import search_bulk

    user = user_create(username="bench", password="bench-password")
    import_file(owner=user, data=connections_csv(30_000))
    ids = list(Contact.objects.filter(owner=user).values_list("id", flat=True))
    rng = random.Random(7)
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    # Notes read like notes: mostly everyday words (3,000 made-up ones here), and now and then
    # a domain word, so that a query word appears in a few percent of them, not in all.
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "do", "fu", "ga", "hi"]
    vocabulary = list({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(4000)})[
        :3000
    ]

    def note() -> str:
        words = rng.choices(vocabulary, k=14)
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(WORDS))
        return " ".join(words)

    rows = [(user.pk, rng.choice(ids), note(), stamp, stamp) for _ in range(100_000)]
    with transaction.atomic(), search_bulk(owner_id=user.pk, since=now):
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO notes_note (owner_id, contact_id, text, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, %s)",
                rows,
            )
    print("30,000 contacts and 100,000 notes in the account")
    queries = [
        "oncology",
        "ana",
        "cardiac liaison",
        "kaur",
        "halvorsen",
        "reimb",
        "sales territory",
    ]
    index = [0]

    def one() -> None:
        q = queries[index[0] % len(queries)]
        index[0] += 1
        search(user=user, q=q, limit=20)

    report("search, 20 best hits", timed(one, args.runs), limit=30, unit="ms")


if __name__ == "__main__":
    main()
