"""deploy/: the compose file, the Caddyfile and the systemd units, checked against the app.

Docker is not on the test machines, so `docker compose config` cannot run here: the compose
file is read as YAML, its ${...} references filled in as compose fills them, and what it says
is checked against what coffeechat reads (settings.py's environment variables, the commands'
own argument parsers) and against the Caddyfile it mounts.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import get_commands, load_command_class
from ruamel.yaml import YAML

from coffeechat.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SETTINGS = ROOT / "src" / "coffeechat" / "settings.py"

# What an operator's deploy/.env holds once filled in: the example, with the secrets set.
FILLED = {
    "POSTGRES_PASSWORD": "s3cretpassw0rd",
    "COFFEECHAT_SECRET_KEY": "f2Q9vX7kLp3mZr8TnW4yHc6BdJ1sGa5UeKq0oViRtYx-_NbMlPw",
}


def settings_variables() -> set[str]:
    """Every environment variable settings.py reads, by any of its helpers."""
    text = SETTINGS.read_text()
    found = set(re.findall(r'(?:os\.environ\.get|envbool|envint|envlist)\(\s*"([A-Z0-9_]+)"', text))
    found |= set(re.findall(r'os\.environ\[\s*"([A-Z0-9_]+)"\s*\]', text))
    return found


def env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


_REFERENCE = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, applied to every string."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def fill(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        current = env.get(name)
        empty = current is None or (
            operator is not None and operator.startswith(":") and not current
        )
        if operator and operator.endswith("?") and empty:
            raise KeyError(f"{name}: {argument}")
        if operator and operator.endswith("-") and empty:
            return argument
        return current or ""

    return _REFERENCE.sub(fill, value)


def compose_raw() -> dict[str, Any]:
    yaml = YAML(typ="safe", pure=True)
    return yaml.load((DEPLOY / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    env = env_file(DEPLOY / "compose.env.example") | FILLED
    return interpolate(compose_raw(), env)


def parse_command(argv: list[str]) -> tuple[str, Any]:
    """Parses a command line the way `coffeechat` would: the subcommand must exist and its
    options must be accepted by the command's own parser."""
    assert Path(argv[0]).name == "coffeechat", argv
    name, *rest = argv[1:]
    assert name in COMMANDS, f"{name!r} is not a coffeechat command"
    django_name, extra, _ = COMMANDS[name]
    command = load_command_class(get_commands()[django_name], django_name)
    parser = command.create_parser("coffeechat", django_name)
    return name, parser.parse_args([*extra, *rest])


def test_compose_has_the_database_the_app_the_worker_and_the_proxy(compose: dict) -> None:
    assert set(compose["services"]) == {"db", "app", "worker", "proxy"}
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["proxy"]["image"].startswith("caddy:")
    # The app serves in several processes and the worker runs as a process of its own.
    app_name, app_args = parse_command(services["app"]["command"])
    assert app_name == "serve" and app_args.workers > 1 and app_args.host == "0.0.0.0"
    worker_name, _ = parse_command(services["worker"]["command"])
    assert worker_name == "worker"


def test_app_and_worker_share_the_image_and_the_database(compose: dict) -> None:
    app, worker, db = (compose["services"][name] for name in ("app", "worker", "db"))
    assert app["image"] == worker["image"] and app["build"] == worker["build"]
    assert app["environment"] == worker["environment"]
    assert (DEPLOY / app["build"]["context"] / app["build"]["dockerfile"]).is_file()
    url = app["environment"]["DATABASE_URL"]
    database = db["environment"]
    assert url == (
        f"postgres://{database['POSTGRES_USER']}:{database['POSTGRES_PASSWORD']}"
        f"@db:5432/{database['POSTGRES_DB']}"
    )
    assert database["POSTGRES_PASSWORD"] == FILLED["POSTGRES_PASSWORD"]
    # The worker starts once the app has applied the migrations.
    assert worker["depends_on"]["app"]["condition"] == "service_healthy"
    assert app["depends_on"]["db"]["condition"] == "service_healthy"


def test_every_variable_compose_gives_the_app_is_one_its_settings_read(compose: dict) -> None:
    read = settings_variables()
    assert {"DATABASE_URL", "COFFEECHAT_SECRET_KEY", "COFFEECHAT_BEHIND_PROXY"} <= read
    for service in ("app", "worker"):
        unknown = set(compose["services"][service]["environment"]) - read
        assert not unknown, f"{service} sets variables coffeechat never reads: {unknown}"


def test_the_secrets_must_be_set_before_compose_starts() -> None:
    env = env_file(DEPLOY / "compose.env.example")
    for secret in FILLED:
        with pytest.raises(KeyError, match=secret):
            interpolate(compose_raw(), env | {k: v for k, v in FILLED.items() if k != secret})


def test_the_compose_settings_load_and_pass_the_deployment_checks(
    compose: dict, tmp_path: Path
) -> None:
    """The app's environment, as compose gives it, read by the real settings module in a
    process of its own: no value is refused, and Django's deployment checks find nothing."""
    environment = {k: str(v) for k, v in compose["services"]["app"]["environment"].items()}
    # Nothing of this test process's own settings: the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE in the worker they share, which the deployment checks refuse.
    own = ("COFFEECHAT_", "DATABASE", "DJANGO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    env |= environment | {"COFFEECHAT_TESTING": "0", "HOME": str(tmp_path)}
    probe = (
        "import json, django; from django.conf import settings; django.setup();"
        "db = settings.DATABASES['default'];"
        "print(json.dumps({'engine': db['ENGINE'], 'host': db['HOST'], 'name': db['NAME'],"
        "'hosts': settings.ALLOWED_HOSTS, 'proxy': settings.SECURE_PROXY_SSL_HEADER,"
        "'redirect': settings.SECURE_SSL_REDIRECT, 'signup': settings.SIGNUP_OPEN}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env | {"DJANGO_SETTINGS_MODULE": "coffeechat.settings"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["engine"].endswith("postgresql") and seen["host"] == "db"
    assert seen["name"] == "coffeechat"
    assert seen["hosts"] == ["coffeechat.example.edu", "localhost"]
    assert seen["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert seen["redirect"] is True and seen["signup"] is True
    # The deployment checks of `coffeechat check` (they need no database connection). HSTS
    # for every subdomain, and preloading, are the institution's choice for its whole domain,
    # not coffeechat's: a career center's server is often one name under a university's.
    checked = subprocess.run(
        [sys.executable, "-m", "coffeechat", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    found = set(re.findall(r"\(([a-z_.]+\.[EW]\d+)\)", checked.stdout + checked.stderr))
    assert found == {"security.W005", "security.W021"}, checked.stdout + checked.stderr


def test_the_proxy_passes_requests_to_the_apps_port(compose: dict) -> None:
    proxy = compose["services"]["proxy"]
    mounted = {
        volume.split(":")[1]: volume.split(":")[0]
        for volume in proxy["volumes"]
        if volume.startswith("./")
    }
    caddyfile = DEPLOY / mounted["/etc/caddy/Caddyfile"]
    text = caddyfile.read_text()
    upstreams = re.findall(r"^\s*reverse_proxy\s+([\w.-]+):(\d+)\s*$", text, re.MULTILINE)
    _, app_args = parse_command(compose["services"]["app"]["command"])
    assert upstreams == [("app", str(app_args.port))]
    # The site address comes from the proxy's environment, set from the same .env.
    for variable in re.findall(r"\{\$([A-Z0-9_]+)\}", text):
        assert proxy["environment"][variable] == "coffeechat.example.edu"
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    # Only the proxy is reachable from outside.
    for name in ("db", "app", "worker"):
        assert "ports" not in compose["services"][name], name


def test_the_image_runs_the_app_by_default() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    found = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert found
    name, args = parse_command(json.loads(found.group(1)))
    assert name == "serve" and args.host == "0.0.0.0"
    assert re.search(r"^USER coffeechat$", dockerfile, re.MULTILINE), "the app must not run as root"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


@pytest.mark.parametrize(
    ("name", "command"),
    [("coffeechat.service", "serve"), ("coffeechat-worker.service", "worker")],
)
def test_the_systemd_units_run_existing_coffeechat_commands(name: str, command: str) -> None:
    service = unit(name)["Service"]
    found, args = parse_command(shlex.split(service["ExecStart"]))
    assert found == command
    if command == "serve":
        assert args.workers > 1
        # Behind the proxy on the same machine: never listening on a public address.
        assert args.host == "127.0.0.1"
    assert service["EnvironmentFile"] == "/etc/coffeechat/coffeechat.env"
    assert service["User"] == "coffeechat" and service["KillSignal"] == "SIGTERM"
    assert unit(name)["Install"]["WantedBy"] == "multi-user.target"


def test_the_systemd_environment_example_sets_only_what_the_settings_read() -> None:
    example = env_file(DEPLOY / "systemd" / "coffeechat.env.example")
    assert not set(example) - settings_variables()
    assert example["COFFEECHAT_BEHIND_PROXY"] == "1"
    assert example["DATABASE_URL"].startswith("postgres://")


def test_the_deploy_readme_names_every_file_it_ships() -> None:
    readme = (DEPLOY / "README.md").read_text()
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file() and path.name not in {
            ".gitignore",
            ".env",
            "README.md",
            "Dockerfile.dockerignore",
        }:
            assert path.name in readme, path.name
