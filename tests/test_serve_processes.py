"""`coffeechat serve --workers N`: several real gunicorn processes on loopback, driven over
HTTP as a browser would, then stopped as systemd stops them (SIGTERM)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.test_cli import _free_port, run, user_env

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not Path("/proc").is_dir(),
    reason="gunicorn needs fork; the processes are read from /proc",
)

PASSWORD = "a long enough secret"


def _children(pid: int) -> set[int]:
    """The live processes whose parent is pid, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        # The command name sits in parentheses and may hold spaces; the parent follows it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(
    predicate: Callable[[], bool], what: str, server: subprocess.Popen[str], seconds: float = 30
) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if server.poll() is not None:
            pytest.fail(f"the server stopped while waiting for {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The server's database: its own SQLite file, or on the PostgreSQL run a scratch database
    of its own (the processes are real, outside the test's transaction)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield {}
        return
    import psycopg

    base, _, name = url.rpartition("/")
    # Named after the configured database, so that runs sharing a server never meet.
    scratch = f"{name}_serve_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        yield {"DATABASE_URL": f"{base}/{scratch}"}
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_serve_with_two_processes_logs_in_serves_the_dashboard_from_both_and_stops_on_sigterm(
    tmp_path: Path, database: dict[str, str]
) -> None:
    def coffeechat(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "coffeechat", *args],
            capture_output=True,
            text=True,
            env=user_env(tmp_path) | database,
            input=stdin,
            timeout=120,
        )

    migrated = coffeechat("migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    created = coffeechat("createuser", "maya", "--password-stdin", stdin=PASSWORD)
    assert created.returncode == 0, created.stderr
    port = _free_port()
    log = tmp_path / "server.log"
    env = (
        user_env(tmp_path)
        | database
        | {
            "COFFEECHAT_SECURE_COOKIES": "0",
            "COFFEECHAT_LOGIN_THROTTLING": "0",
            # An access log naming the process that answered each request: gunicorn's own
            # setting, read by `coffeechat serve` as any gunicorn reads it.
            "GUNICORN_CMD_ARGS": "--access-logfile - --access-logformat '%(p)s %(m)s %(U)s %(s)s'",
        }
    )
    # Threads 1: each process answers one connection at a time, so a connection held open
    # below occupies exactly one process and the next request must go to the other.
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coffeechat",
                "serve",
                "--port",
                str(port),
                "--workers",
                "2",
                "--threads",
                "1",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    workers: set[int] = set()
    try:
        _wait_for(lambda: len(_children(server.pid)) == 2, "two processes", server)
        workers = _children(server.pid)

        def answers() -> bool:
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2)
                return True
            except OSError:
                return False

        _wait_for(answers, "the first page", server)

        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = browser.open(f"{base}/login/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token
        form = {"username": "maya", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        landed = browser.open(
            urllib.request.Request(
                f"{base}/login/",
                data=urllib.parse.urlencode(form).encode(),
                headers={"Referer": f"{base}/login/"},
            ),
            timeout=10,
        )
        assert landed.status == 200 and urllib.parse.urlsplit(landed.url).path == "/"
        assert "This week" in landed.read().decode()

        # Hold one process with a request whose headers have not finished arriving...
        with socket.create_connection(("127.0.0.1", port), timeout=10) as held:
            held.sendall(f"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
            time.sleep(0.5)
            # ...the other one serves the logged-in dashboard meanwhile...
            page = browser.open(f"{base}/", timeout=10)
            assert page.status == 200 and "This week" in page.read().decode()
            css = browser.open(f"{base}/static/coffeechat/app.css", timeout=10)
            assert css.status == 200 and b"coffeechat" in css.read()
            # ...and the held request is answered once its headers end.
            held.sendall(b"Connection: close\r\n\r\n")
            answer = b""
            while data := held.recv(65536):
                answer += data
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:80]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            status = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            pytest.fail("the server did not stop within 10 s of SIGTERM")
    assert status == 0, log.read_text()
    assert not [pid for pid in workers if _alive(pid)], "a process outlived the server"

    lines = log.read_text().splitlines()
    assert f"coffeechat is running at {base}/ in 2 processes" in lines[0]
    served = {
        int(found.group(1))
        for line in lines
        if (found := re.match(r"<(\d+)> (GET|POST) (\S+) (\d+)", line))
    }
    # Both processes answered, and they are the master's children (the dashboard, the static
    # file and the held login page came from two of them).
    assert served == workers, (served, workers, lines)


@pytest.mark.parametrize("value", ["0", "-3", "two"])
def test_serve_refuses_a_number_of_processes_below_one_in_a_sentence(
    tmp_path: Path, value: str
) -> None:
    result = run("serve", "--workers", value, data_dir=tmp_path)
    assert result.returncode == 2
    assert "the number of processes must be a whole number, 1 or more." in result.stderr
    # Refused before anything was done: no database was made.
    assert not (tmp_path / "coffeechat.sqlite3").exists()
