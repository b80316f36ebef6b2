"""What a CLI command loads before its work (issue 13, item 5), and where the system checks
still run. Its CPU cost is measured in bench/cli_start.py, never here."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import SystemCheckError

from coffeechat.cli import COMMANDS
from tests.test_cli import run, user_env

# Run in a new interpreter: the coffeechat entry point with the arguments given, then which of
# the watched modules it loaded, as JSON on the last line of standard output.
PROBE = """
import json, sys
from coffeechat.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
watched = ("fpdf", "fontTools", "coffeechat.urls", "coffeechat.prep.views", "django")
print(json.dumps(sorted(m for m in sys.modules if m in watched)))
"""


def loaded_by(*args: str, data_dir: Path) -> tuple[set[str], str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=user_env(data_dir),
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    *output, modules = result.stdout.strip().splitlines()
    return set(json.loads(modules)), "\n".join(output)


def test_help_loads_neither_django_nor_the_pdf_writer(tmp_path: Path) -> None:
    loaded, output = loaded_by("--help", data_dir=tmp_path)
    assert "usage: coffeechat" in output
    assert loaded == set()


def test_a_command_help_loads_django_but_not_the_views_or_the_pdf_writer(tmp_path: Path) -> None:
    loaded, output = loaded_by("import", "--help", data_dir=tmp_path)
    assert "--dry-run" in output
    assert loaded == {"django"}


def test_a_one_row_import_skips_the_system_checks_and_the_pdf_writer(tmp_path: Path) -> None:
    created = run(
        "createuser", "ada", "--password-stdin", data_dir=tmp_path, stdin="a long enough secret\n"
    )
    assert created.returncode == 0, created.stderr
    one_row = tmp_path / "Connections.csv"
    one_row.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Grace,Hopper,https://www.linkedin.com/in/grace-h,grace@example.com,Navy,Admiral,"
        "08 Feb 2026\n"
    )
    loaded, output = loaded_by("import", str(one_row), "--user", "ada", data_dir=tmp_path)
    assert "1 new" in output
    # The URL configuration is what the system checks load, and it imports every view.
    assert loaded == {"django"}


@pytest.fixture
def broken_configuration() -> Iterator[None]:
    """A system check that fails, as a wrong setting would."""

    def broken(app_configs: object, **kwargs: object) -> list[checks.CheckMessage]:
        return [checks.Error("broken on purpose", id="tests.E001")]

    checks.register(broken)
    try:
        yield
    finally:
        checks.registry.registry.registered_checks.discard(broken)


@pytest.mark.django_db
@pytest.mark.usefixtures("broken_configuration")
@pytest.mark.parametrize(
    "args",
    [
        # An impossible port: were the checks skipped, serve would fail at once, not serve.
        ["serve", "--no-migrate", "--port", "-1", "--skip-checks=0"],
        ["check"],
        ["migrate", "--skip-checks=0"],
    ],
    ids=["serve", "check", "migrate"],
)
def test_serve_check_and_migrate_still_refuse_a_broken_configuration(args: list[str]) -> None:
    name, *rest = args
    options = {"skip_checks": False} if "--skip-checks=0" in rest else {}
    rest = [arg for arg in rest if arg != "--skip-checks=0"]
    with pytest.raises(SystemCheckError, match="broken on purpose"):
        call_command(name, *rest, **options, stdout=io.StringIO(), stderr=io.StringIO())


def test_every_command_of_ours_but_serve_skips_the_system_checks() -> None:
    """Django's check and migrate run them by themselves (the test above)."""
    commands = get_commands()
    ours = {name: django_name for name, (django_name, _, _) in COMMANDS.items()}
    for name, django_name in ours.items():
        if name in ("check", "migrate"):
            continue
        command = load_command_class(commands[django_name], django_name)
        assert command.requires_system_checks == ("__all__" if name == "serve" else []), name
