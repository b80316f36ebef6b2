"""What one page costs PostgreSQL: each of its queries run under EXPLAIN (ANALYZE, BUFFERS).

Reads a database that ``bench/pages.py --keep DIR --database-url ...`` built and kept, logs in
as its ``bench`` user in-process (Django's test client, no server) and, for each path, runs the
page once to capture its queries with their parameters, then each query under ``EXPLAIN
(ANALYZE, BUFFERS)`` ``--runs`` times. It reports, per page, the number of queries, the
buffers they touch (8 kB pages read from shared buffers or disk: the same from run to run, so a
noisy machine does not blur it), the median of the summed execution times, and the queries
that touch the most buffers, with any table they read whole (Seq Scan).

    .venv/bin/python bench/page_queries.py --keep DIR \\
        --database-url postgresql://postgres@127.0.0.1:5432/coffeechat_bench \\
        /contacts/1/ /contacts/21557/ [--runs 5]

Nothing here talks to anything but the database named.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
from pathlib import Path
from typing import Any

USERNAME = "bench"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--keep", metavar="DIR", required=True, help="the bench's data folder")
    parser.add_argument("--database-url", metavar="URL", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=3, help="costliest queries shown per page")
    args = parser.parse_args(argv)

    os.environ.update(
        COFFEECHAT_DATA_DIR=str(Path(args.keep).expanduser().resolve()),
        DATABASE_URL=args.database_url,
        COFFEECHAT_TESTING="0",
        COFFEECHAT_DEBUG="0",
        COFFEECHAT_SECURE_COOKIES="0",
        COFFEECHAT_LOGIN_THROTTLING="0",
        DJANGO_SETTINGS_MODULE="coffeechat.settings",
    )
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        raise SystemExit("--database-url must name a PostgreSQL database")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(
        User.objects.get(username=USERNAME), backend="django.contrib.auth.backends.ModelBackend"
    )

    def explained(sql: str, params: tuple[Any, ...]) -> dict[str, Any]:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
            ((document,),) = cursor.fetchall()
        return (json.loads(document) if isinstance(document, str) else document)[0]

    def whole(plan: dict[str, Any]) -> list[str]:
        found = [plan["Relation Name"]] if plan.get("Node Type") == "Seq Scan" else []
        return found + [t for child in plan.get("Plans", ()) for t in whole(child)]

    print(f"{'page':<34} {'queries':>7} {'buffers':>8} {'DB ms (median)':>15}")
    for path in args.paths:
        queries: list[tuple[str, tuple[Any, ...]]] = []

        def record(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
            if not many and re.match(r"\s*(SELECT|WITH)\b", sql, re.I):
                queries.append((sql, tuple(params or ())))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            status = client.get(path).status_code
        if status != 200:
            print(f"{path}: answered {status}", file=sys.stderr)
            return 1
        totals, costs = [], []
        for run in range(args.runs):
            total = 0.0
            for index, (sql, params) in enumerate(queries):
                result = explained(sql, params)
                total += result["Execution Time"]
                if run == 0:
                    plan = result["Plan"]
                    buffers = plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]
                    costs.append((buffers, index, whole(plan)))
            totals.append(total)
        print(
            f"{path:<34} {len(queries):>7} {sum(c[0] for c in costs):>8,} "
            f"{statistics.median(totals):>15.1f}"
        )
        for buffers, index, tables in sorted(costs, reverse=True)[: args.top]:
            scans = f" (Seq Scan on {', '.join(sorted(set(tables)))})" if tables else ""
            print(f"    {buffers:>7,} buffers{scans}: {queries[index][0][:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
