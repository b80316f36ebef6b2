"""Bench: the server's memory when people log in at once (issue 13, item 7).

Starts a real ``coffeechat serve`` (waitress, 8 threads) on a fresh SQLite data folder with
``--users`` accounts made by ``coffeechat createuser`` (so their hashes are those of the code
measured), fetches each one's login page, then has every account log in at the same moment
(one thread each, released together), ``--rounds`` times. Reports the server's resident memory
after start, its peak (``VmHWM``) before the logins and after them, against the 200 MB budget.

    .venv/bin/python bench/login_memory.py [--users 8] [--rounds 3]
    .venv/bin/python bench/login_memory.py --src /tmp/old-checkout/src   # another version

``--src`` runs another checkout's code with this virtualenv (see bench/cli_start.py).
``--legacy-hashes`` gives the accounts hashes at Django's own Argon2 cost (m=102400, t=2, p=8),
as a database from before issue 13 has them: the first round then replaces them.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pages import (
    HOST,
    PASSWORD,
    Client,
    die_with_parent,
    free_port,
    read_proc_status,
    stop,
    wait_until_up,
)

TARGET_MB = 200.0


def login(client: Client, username: str, start: threading.Barrier) -> float:
    token = client.login_token()
    start.wait()  # every thread posts at the same moment
    return client.login_post(username, token)


def legacy_hashes(database: Path) -> None:
    """Every account's hash made again as Django's Argon2PasswordHasher makes it."""
    from argon2.low_level import Type, hash_secret

    with sqlite3.connect(database) as db:
        for (pk,) in db.execute("SELECT id FROM auth_user").fetchall():
            salt = base64.b64encode(secrets.token_bytes(16)).decode().rstrip("=")
            encoded = hash_secret(
                PASSWORD.encode(),
                salt.encode(),
                time_cost=2,
                memory_cost=102400,
                parallelism=8,
                hash_len=32,
                type=Type.ID,
            )
            db.execute(
                "UPDATE auth_user SET password = ? WHERE id = ?", ["argon2" + encoded.decode(), pk]
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--src", metavar="DIR", help="another checkout's src folder to measure")
    parser.add_argument("--legacy-hashes", action="store_true", help="Django's default cost")
    args = parser.parse_args()
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="coffeechat-login-bench-") as tmp:
        env = os.environ | {
            "COFFEECHAT_DATA_DIR": tmp,
            "COFFEECHAT_TESTING": "0",
            "COFFEECHAT_LOGIN_THROTTLING": "0",
            "COFFEECHAT_SECURE_COOKIES": "0",
            "COFFEECHAT_DEBUG": "0",
        }
        for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
            env.pop(name, None)
        if args.src:
            env["PYTHONPATH"] = str(Path(args.src).resolve())
        coffeechat = [sys.executable, "-m", "coffeechat"]
        subprocess.run([*coffeechat, "migrate", "--verbosity", "0"], env=env, check=True)
        usernames = [f"bench{i}" for i in range(args.users)]
        for username in usernames:
            subprocess.run(
                [*coffeechat, "createuser", username, "--password-stdin"],
                env=env,
                input=PASSWORD + "\n",
                text=True,
                capture_output=True,
                check=True,
            )
        database = Path(tmp) / "coffeechat.sqlite3"
        if args.legacy_hashes:
            legacy_hashes(database)
        with sqlite3.connect(database) as db:
            hashes = db.execute("SELECT password FROM auth_user LIMIT 1").fetchone()[0]
        port = free_port()
        base = f"http://{HOST}:{port}"
        log_path = Path(tmp) / "server.log"
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [*coffeechat, "serve", "--host", HOST, "--port", str(port), "--no-migrate"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent,
            )
            try:
                wait_until_up(proc, base, log_path)
                started = read_proc_status(proc.pid)
                walls: list[float] = []
                for _ in range(args.rounds):
                    clients = [Client(base) for _ in usernames]
                    barrier = threading.Barrier(len(usernames))
                    threads = [
                        threading.Thread(
                            target=lambda c=client, u=username, b=barrier: walls.append(
                                login(c, u, b)
                            )
                        )
                        for client, username in zip(clients, usernames, strict=True)
                    ]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()
                    time.sleep(0.2)
                after = read_proc_status(proc.pid)
            finally:
                stop(proc)

    print(
        f"{args.users} concurrent logins x {args.rounds} rounds, coffeechat serve (8 threads), "
        f"SQLite; load average before {load_before[0]:.2f}{'; src ' + args.src if args.src else ''}"
    )
    print(f"  hash stored: {hashes.split('$')[0]}${hashes.split('$')[1]}${hashes.split('$')[3]}")
    rss, hwm = started["VmRSS"] / 1024, started["VmHWM"] / 1024
    print(f"  after start: resident {rss:.0f} MB, peak {hwm:.0f} MB")
    peak = after["VmHWM"] / 1024
    print(f"  after the logins: resident {after['VmRSS'] / 1024:.0f} MB, peak {peak:.0f} MB")
    walls.sort()
    print(f"  login wall time: median {walls[len(walls) // 2]:.0f} ms, max {walls[-1]:.0f} ms")
    ok = peak < TARGET_MB
    print(f"  target: peak under {TARGET_MB:.0f} MB: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
