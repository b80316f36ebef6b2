"""The coffeechat command, run as a user runs it: a real process on a temporary data folder."""

from __future__ import annotations

import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import sqlite_data_dir

ROOT = Path(__file__).resolve().parent.parent


def user_env(data_dir: Path) -> dict[str, str]:
    """The environment of a user's shell: their data folder, SQLite, no test settings. The
    browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a "deployment"."""
    env = os.environ | {"COFFEECHAT_DATA_DIR": str(data_dir), "COFFEECHAT_TESTING": "0"}
    for leaked in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(leaked, None)
    return env


def run(
    *args: str, data_dir: Path, stdin: str | None = None, timeout: int = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coffeechat", *args],
        capture_output=True,
        text=True,
        env=user_env(data_dir),
        input=stdin,
        timeout=timeout,
    )


SAMPLES = ROOT / "tests" / "samples"
# The console script a user types, installed beside this Python by `pip install -e .`.
COFFEECHAT = Path(sys.executable).parent / "coffeechat"


def coffeechat(*args: str, data_dir: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [str(COFFEECHAT), *args],
        capture_output=True,
        text=True,
        env=env or user_env(data_dir),
        timeout=120,
    )


def _applied(database: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(database) as db:
        return set(db.execute("SELECT app, name FROM django_migrations"))


def test_demo_import_and_export_work_on_a_fresh_data_folder_without_migrate(
    tmp_path: Path,
) -> None:
    demo = coffeechat("demo", data_dir=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Demo account ready" in demo.stdout
    assert demo.stderr.startswith("Creating the database in ")
    imported = coffeechat(
        "import", str(SAMPLES / "linkedin-connections.csv"), "--user", "demo", data_dir=tmp_path
    )
    assert imported.returncode == 0, imported.stderr
    assert "Traceback" not in imported.stderr and "Creating" not in imported.stderr
    exported = coffeechat("export", "--format", "json", data_dir=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["schema"] == "coffeechat-export"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["export"], "There is no account yet: create one with 'coffeechat createuser'."),
        (
            ["import", str(SAMPLES / "linkedin-connections.csv"), "--user", "demo"],
            "No user named 'demo'.",
        ),
    ],
    ids=["export", "import"],
)
def test_a_command_on_a_fresh_data_folder_creates_the_tables_and_answers_in_a_sentence(
    tmp_path: Path, args: list[str], says: str
) -> None:
    result = coffeechat(*args, data_dir=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == f"CommandError: {says}"
    assert ("accounts", "0001_initial") in _applied(tmp_path / "coffeechat.sqlite3")


def test_a_database_from_an_older_version_is_upgraded_by_the_next_command(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    sqlite_data_dir(migrated_sqlite, tmp_path)  # as `coffeechat migrate` leaves it
    database = tmp_path / "coffeechat.sqlite3"
    latest = _applied(database)
    # As a coffeechat from before the accounts app's second migration left it.
    assert (
        coffeechat("migrate", "accounts", "0001", "--verbosity", "0", data_dir=tmp_path).returncode
        == 0
    )
    assert ("accounts", "0002_profile_country_digest_calendar") not in _applied(database)
    result = subprocess.run(
        [str(COFFEECHAT), "createuser", "maya", "--password-stdin"],
        capture_output=True,
        text=True,
        env=user_env(tmp_path),
        input="a long enough secret\n",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Updating the database for this version of coffeechat" in result.stderr
    assert _applied(database) == latest
    # Up to date now: the next command says nothing about the database.
    again = coffeechat("export", "--format", "json", data_dir=tmp_path)
    assert again.returncode == 0 and again.stderr == ""


def test_a_command_without_a_reachable_database_says_so_in_one_line(tmp_path: Path) -> None:
    env = user_env(tmp_path) | {"DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing"}
    result = coffeechat("export", data_dir=tmp_path, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("CommandError: Cannot reach the database: ")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="the PostgreSQL run checks server mode"
)
def test_on_postgresql_a_command_asks_for_migrate_instead_of_changing_the_tables(
    tmp_path: Path,
) -> None:
    """Server mode: a command never alters a shared schema as a side effect."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    scratch = f"coffeechat_fresh_{os.getpid()}"
    base, _, _ = url.rpartition("/")
    # The maintenance database: the configured one is only a name for the test database.
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        env = user_env(tmp_path) | {"DATABASE_URL": f"{base}/{scratch}"}
        result = coffeechat("export", data_dir=tmp_path, env=env)
        assert result.returncode == 1
        assert result.stderr.strip().startswith("CommandError: The database needs ")
        assert result.stderr.strip().endswith(
            "updates for this version of coffeechat: run 'coffeechat migrate' first."
        )
        with psycopg.connect(f"{base}/{scratch}") as fresh:
            tables = fresh.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()
        assert tables == (0,)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


def test_cli_reference_matches_the_commands_help() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import cli_docs
    finally:
        sys.path.pop(0)
    assert (ROOT / "docs" / "cli.md").read_text() == cli_docs.render(), "run `make docs`"


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for name in ("serve", "demo", "createuser", "migrate", "check"):
        assert f"  {name}" in result.stdout


def test_unknown_command_fails_clearly(tmp_path: Path) -> None:
    result = run("runserver", data_dir=tmp_path)
    assert result.returncode == 2
    assert "unknown command 'runserver'" in result.stderr


def test_data_dir_option_holds_the_database_and_secret(tmp_path: Path) -> None:
    result = run(
        "migrate",
        "--data-dir",
        str(tmp_path / "here"),
        "--verbosity",
        "0",
        data_dir=tmp_path / "env",
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "here" / "coffeechat.sqlite3").exists()
    assert (tmp_path / "here" / "secret_key").stat().st_mode & 0o077 == 0
    assert not (tmp_path / "env").exists()


def test_createuser_from_stdin_then_refuses_duplicates_and_weak_passwords(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    sqlite_data_dir(migrated_sqlite, tmp_path)  # as `coffeechat migrate` leaves it
    ok = run(
        "createuser", "maya", "--password-stdin", data_dir=tmp_path, stdin="a long enough secret\n"
    )
    assert ok.returncode == 0, ok.stderr
    assert "Created user maya." in ok.stdout
    again = run(
        "createuser", "MAYA", "--password-stdin", data_dir=tmp_path, stdin="a long enough secret\n"
    )
    assert again.returncode != 0 and "exists already" in again.stderr
    weak = run("createuser", "kim", "--password-stdin", data_dir=tmp_path, stdin="123\n")
    assert weak.returncode != 0 and "too short" in weak.stderr


def test_check_runs_the_deployment_checks(tmp_path: Path) -> None:
    result = run("check", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified" in result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_migrates_and_serves_pages_and_static_files(tmp_path: Path) -> None:
    port = _free_port()
    env = user_env(tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "coffeechat", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                page = urllib.request.urlopen(f"{base}/setup/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the server did not start")
                time.sleep(0.2)
        html = page.read().decode()
        assert "Welcome to coffeechat" in html
        assert page.headers["Server"] == "coffeechat"
        assert "nonce-" in page.headers["Content-Security-Policy"]
        css = urllib.request.urlopen(f"{base}/static/coffeechat/app.css", timeout=5)
        assert css.status == 200 and b"coffeechat" in css.read()
        # A fresh installation sends every page to the owner-account form.
        assert urllib.request.urlopen(f"{base}/contacts/", timeout=5).url.endswith("/setup/")
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert f"http://127.0.0.1:{port}/" in output


def _start_server(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "coffeechat", "serve", "--port", str(port), "--no-migrate"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/login/", timeout=2)
            return server, base
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the server did not start")
            time.sleep(0.2)


def test_a_100_mb_upload_in_flight_does_not_hold_up_other_pages(tmp_path: Path) -> None:
    """A slow client sending a 100 MB file: while its body is still arriving, the server
    answers other pages; once it has arrived, the upload is refused with a clear message and
    nothing is written. (Ordering, not timing: the page is asserted answered while the
    upload's body is provably incomplete.)"""
    import http.cookiejar
    import re

    assert run("migrate", "--verbosity", "0", data_dir=tmp_path).returncode == 0
    password = "a long enough secret"
    assert (
        run("createuser", "maya", "--password-stdin", data_dir=tmp_path, stdin=password).returncode
        == 0
    )
    env = user_env(tmp_path) | {
        "COFFEECHAT_SECURE_COOKIES": "0",
        "COFFEECHAT_LOGIN_THROTTLING": "0",
    }
    server, base = _start_server(env)
    try:
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def token(path: str) -> str:
            html = browser.open(base + path, timeout=10).read().decode()
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            assert found, path
            return found.group(1)

        login = urllib.parse.urlencode(
            {"username": "maya", "password": password, "csrfmiddlewaretoken": token("/login/")}
        ).encode()
        browser.open(
            urllib.request.Request(
                base + "/login/", data=login, headers={"Referer": base + "/login/"}
            ),
            timeout=10,
        )
        csrf = token("/import/")
        cookies = "; ".join(f"{c.name}={c.value}" for c in jar)

        boundary = "coffeechatboundary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\n'
            f'auto\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="Connections.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        chunk = b"First Name,Last Name,Company\r\n" + b"Ana,Ruiz,Kestrel Labs\r\n" * 43_000
        chunks = 100 * 1024 * 1024 // len(chunk)
        tail = f"\r\n--{boundary}--\r\n".encode()
        length = len(head) + chunks * len(chunk) + len(tail)
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as upload:
            upload.sendall(
                (
                    f"POST /import/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    f"Cookie: {cookies}\r\nReferer: {base}/import/\r\n"
                    f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                    f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
                ).encode()
                + head
            )
            for _ in range(chunks // 2):
                upload.sendall(chunk)
            # Half of the body is out: other pages are answered meanwhile.
            for path in ("/contacts/", "/", "/import/"):
                page = browser.open(base + path, timeout=30)
                assert page.status == 200 and not page.url.endswith("/login/")
            for _ in range(chunks - chunks // 2):
                upload.sendall(chunk)
            upload.sendall(tail)
            answer = b""
            while data := upload.recv(65536):
                answer += data
        status_line = answer.split(b"\r\n", 1)[0]
        assert b" 302 " in status_line, status_line
        # The message travels in the answer's cookie, as a browser would carry it.
        head_lines = answer.split(b"\r\n\r\n", 1)[0].decode().split("\r\n")
        set_cookies = [
            line.split(":", 1)[1].split(";", 1)[0].strip()
            for line in head_lines
            if line.lower().startswith("set-cookie:")
        ]
        follow = urllib.request.Request(
            base + "/import/", headers={"Cookie": "; ".join([cookies, *set_cookies])}
        )
        page = urllib.request.urlopen(follow, timeout=10).read().decode()
        assert "larger than 40 MB" in page and "Nothing was imported" in page
        assert "None yet." in page  # no import batch was recorded
    finally:
        server.terminate()
        server.communicate(timeout=10)


@pytest.mark.django_db
def test_the_models_and_their_migrations_agree() -> None:
    """A model change without its migration would fail on the first user's database."""
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exit_:  # --check exits 1 when a migration is missing
        raise AssertionError(f"Missing migrations:\n{out.getvalue()}") from exit_
