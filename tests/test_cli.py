"""The coffeechat command, run as a user runs it: a real process on a temporary data folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


def test_createuser_from_stdin_then_refuses_duplicates_and_weak_passwords(tmp_path: Path) -> None:
    assert run("migrate", "--verbosity", "0", data_dir=tmp_path).returncode == 0
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
