"""Two versions of coffeechat side by side: which is faster, on a machine whose speed drifts?

This machine's speed changes from minute to minute (a pure-Python loop takes 220 to 380 ms),
so two bench/pages.py runs made a few minutes apart compare the machine as much as the code.
This starts two servers on the same data (``A`` and ``B``: two checkouts' ``coffeechat``, or
one with two environments) and sends each page's requests to them in turns, A B B A A B...,
so that both meet the same moments of the machine. It prints each page's median server time
(``Server-Timing``) for A and B, and their ratio.

    .venv/bin/python bench/ab.py --data DIR [--a-bin PATH] [--b-bin PATH]
        [--a-env NAME=VALUE ...] [--b-env NAME=VALUE ...] [--requests 40] [PATH ...]

DIR is a data folder kept by ``bench/pages.py --keep DIR`` (its account ``bench-30000`` or
the one it records); with ``--a-env DATABASE_URL=...`` both read the same PostgreSQL database.
Both servers start with ``--no-migrate``: migrate the data with the newer version first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
from pathlib import Path

from pages import (
    HOST,
    SERVER_TIMING,
    WARMUP,
    Client,
    coffeechat_bin,
    die_with_parent,
    free_port,
    setup_env,
    stop,
    wait_until_up,
)

DEFAULT_PAGES = ["/", "/review/", "/funnel/", "/funnel/?by=month&months=24"]


class _Setup:
    """What setup_env needs of a bench/pages.py setup: the data folder, no database name."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir, self.db_name = data_dir, None


def _env(data_dir: Path, pairs: list[str]) -> dict[str, str]:
    env = setup_env(_Setup(data_dir), None)  # type: ignore[arg-type]
    for pair in pairs:
        name, _, value = pair.partition("=")
        env[name] = value
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PAGES, metavar="PATH")
    parser.add_argument("--data", type=Path, required=True, help="a folder kept by pages.py")
    parser.add_argument("--a-bin", default=coffeechat_bin(), help="A's coffeechat script")
    parser.add_argument("--b-bin", default=coffeechat_bin(), help="B's coffeechat script")
    parser.add_argument("--a-env", nargs="*", default=[], metavar="NAME=VALUE")
    parser.add_argument("--b-env", nargs="*", default=[], metavar="NAME=VALUE")
    parser.add_argument("--requests", type=int, default=40, help="per page and server (40)")
    args = parser.parse_args(argv)
    meta = json.loads((args.data / "bench-meta.json").read_text())
    username = next(iter(meta["built"].values()))["username"]
    servers, clients = [], []
    try:
        for binary, pairs in ((args.a_bin, args.a_env), (args.b_bin, args.b_env)):
            port = free_port()
            log = args.data / f"bench-ab-{len(servers)}.log"
            servers.append(
                subprocess.Popen(
                    [binary, "serve", "--host", HOST, "--port", str(port), "--no-migrate"],
                    env=_env(args.data, pairs),
                    stdout=log.open("w"),
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    preexec_fn=die_with_parent,
                )
            )
            base = f"http://{HOST}:{port}"
            wait_until_up(servers[-1], base, log)
            clients.append(Client(base))
            clients[-1].login(username)
        print(f"{'page':34} {'A ms':>7} {'B ms':>7}  B/A")
        for path in args.paths:
            times: tuple[list[float], list[float]] = ([], [])
            for turn in range(WARMUP + args.requests):
                # A B, then B A: neither always goes first.
                for side in (0, 1) if turn % 2 else (1, 0):
                    status, _, headers, _, _ = clients[side].request(path)
                    if status != 200:
                        raise SystemExit(f"{'AB'[side]}: GET {path} answered {status}")
                    timing = next(
                        (v for k, v in headers.items() if k.lower() == "server-timing"), ""
                    )
                    found = SERVER_TIMING.search(timing)
                    if not found:
                        raise SystemExit(f"{'AB'[side]}: no Server-Timing header on {path}")
                    if turn >= WARMUP:
                        times[side].append(float(found.group(1)))
            a, b = (statistics.median(t) for t in times)
            print(f"{path:34} {a:7.1f} {b:7.1f}  {b / a:.2f}", flush=True)
    finally:
        for server in servers:
            stop(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
