"""One settings module for every way coffeechat runs.

Local-first by default: SQLite in the user's data folder, no setup. Server mode (a career
center) is the same code with environment variables: DATABASE_URL for PostgreSQL,
COFFEECHAT_SECRET_KEY, COFFEECHAT_ALLOWED_HOSTS and friends. Bad values fail loudly at start
instead of half-working.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value (1/0, true/false), got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the SQLite file and the generated secret key live."""
    configured = os.environ.get("COFFEECHAT_DATA_DIR")
    path = Path(configured) if configured else Path(platformdirs.user_data_dir("coffeechat"))
    return path.expanduser().resolve()


DATA_DIR = data_dir()
# The files coffeechat keeps there: the database, its WAL, shared-memory and rollback
# journal files, and the generated secret key.
PRIVATE_FILES = tuple(
    f"coffeechat.sqlite3{suffix}" for suffix in ("", "-wal", "-shm", "-journal")
) + ("secret_key",)


def prepare_data_dir() -> None:
    """Creates the data folder readable by its user only (0700), and makes coffeechat's files
    in it 0600, those of an older install included. A folder that already existed keeps its
    mode unless it is the default one: COFFEECHAT_DATA_DIR may name a folder shared with
    other things, but the files are private whatever the folder."""
    created = not DATA_DIR.exists()
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    default = Path(platformdirs.user_data_dir("coffeechat")).expanduser().resolve()
    if created or DATA_DIR == default:
        _chmod(DATA_DIR, 0o700)
    for name in PRIVATE_FILES:
        if (DATA_DIR / name).exists():
            _chmod(DATA_DIR / name, 0o600)


def _chmod(path: Path, mode: int) -> None:
    try:
        path.chmod(mode)
    except PermissionError:  # another user's file: not ours to change, and it still opens
        pass


DEBUG = envbool("COFFEECHAT_DEBUG", False)
# Under pytest: fast hashing, a fixed key, nothing written to the user's data folder.
TESTING = envbool("COFFEECHAT_TESTING", "pytest" in sys.modules)


def _secret_key() -> str:
    configured = os.environ.get("COFFEECHAT_SECRET_KEY")
    if configured:
        return configured
    if TESTING:
        return "coffeechat-tests-only-" + "x" * 40
    # Local mode: make a key once and keep it beside the database, readable by the user only.
    prepare_data_dir()
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("COFFEECHAT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("COFFEECHAT_CSRF_TRUSTED_ORIGINS", [])

# Who may create an account: the first visit creates the owner; after that only when open.
SIGNUP_OPEN = os.environ.get("COFFEECHAT_SIGNUP", "closed").strip().lower() == "open"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # intcomma: "29,690 new", "30,000 in all"
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "coffeechat.core",
    "coffeechat.guide",
    "coffeechat.accounts",
    "coffeechat.organizations",
    "coffeechat.targets",
    "coffeechat.contacts",
    "coffeechat.conversations",
    "coffeechat.notes",
    "coffeechat.followups",
    "coffeechat.questions",
    "coffeechat.prep",
    "coffeechat.interview",
    "coffeechat.fit",
    "coffeechat.dashboard",
    "coffeechat.outreach",
    "coffeechat.calendar",
    "coffeechat.reminders",
    "coffeechat.demo",
    "coffeechat.imports",
    "coffeechat.network",
    "coffeechat.leads",
    "coffeechat.review",
    "coffeechat.funnel",
    "coffeechat.search",
    "coffeechat.portability",
    "coffeechat.coaching",
    "coffeechat.api",
]

MIDDLEWARE = [
    "coffeechat.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "coffeechat.accounts.middleware.FirstRunMiddleware",
    "coffeechat.accounts.middleware.UserTimeZoneMiddleware",
    # Last, so that it sees failed logins after the view ran.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coffeechat.urls"
# Widgets render with the project's templates too (the contact picker lives there).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "coffeechat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": [
                "django_htmx.templatetags.django_htmx",
                # A faster truncatechars, in place of Django's (see the module).
                "coffeechat.core.templatetags.short_text",
                # A faster {% url %} for a row's link (see the module).
                "coffeechat.core.templatetags.id_urls",
            ],
        },
    }
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or postgresql:// URL")
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=envint("COFFEECHAT_CONN_MAX_AGE", 60))
        )
        config["CONN_HEALTH_CHECKS"] = True
        return config
    if not TESTING:
        prepare_data_dir()
    return {
        # Django's SQLite backend, creating its files 0600 (coffeechat/core/sqlite/base.py).
        "ENGINE": "coffeechat.core.sqlite",
        # Tests run in memory, as with Django's own engine (pytest-django only recognises
        # that engine by name, and would otherwise make up a file name per worker).
        "TEST": {"NAME": ":memory:"},
        "NAME": DATA_DIR / "coffeechat.sqlite3",
        # Each server thread keeps its connection for the next request, as on PostgreSQL:
        # opening one per request (its pragmas, the schema read again, a cold page cache) cost
        # 4-10 ms a page at 30,000 contacts (bench, two servers in turns: 10-17% of the time).
        # A connection still closes within the age, which is when PRAGMA optimize keeps the
        # statistics up to date (core/sqlite/base.py).
        "CONN_MAX_AGE": envint("COFFEECHAT_CONN_MAX_AGE", 60),
        "OPTIONS": {
            # WAL lets the web server read while the worker writes; IMMEDIATE avoids
            # "database is locked" upgrades when two writers meet. A 4 MB page cache per
            # connection: each of the server's threads has its own connection, and the memory
            # a cache filled stays with the process after the connection closes, so 20 MB
            # each lifted the server from 86 to 240 MB once a few threads had served a deep
            # page at 300,000 contacts (the operating system caches the file anyway).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                " PRAGMA busy_timeout=5000; PRAGMA cache_size=-4000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
ON_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if ON_POSTGRES:
    # Full-text search on PostgreSQL (SearchVector, SearchRank, GIN). SQLite uses FTS5 instead,
    # so the app must not depend on this app's presence anywhere else.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Reminder emails over SMTP. Without COFFEECHAT_SMTP_HOST no mail is sent at all (a laptop has
# no mail server), and the worker queues no digest; COFFEECHAT_SMTP_TLS=1 means STARTTLS.
_SMTP_HOST = os.environ.get("COFFEECHAT_SMTP_HOST", "").strip()
MAIL_CONFIGURED = bool(_SMTP_HOST)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _SMTP_HOST or "localhost",
            "port": envint("COFFEECHAT_SMTP_PORT", 25),
            "username": os.environ.get("COFFEECHAT_SMTP_USER", ""),
            "password": os.environ.get("COFFEECHAT_SMTP_PASSWORD", ""),
            "use_tls": envbool("COFFEECHAT_SMTP_TLS", False),
            "timeout": 30,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("COFFEECHAT_MAIL_FROM", "coffeechat <coffeechat@localhost>")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id at OWASP's cost (19 MiB, t=2, p=1; see accounts/hashers.py): Django's own Argon2
# takes 100 MiB per check. It reads hashes made with Django's parameters and replaces them at
# the next login; PBKDF2 stays to read hashes from before Argon2.
PASSWORD_HASHERS = [
    "coffeechat.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing is deliberately slow; tests log in hundreds of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five wrong passwords for one username from one address lock that pair
# for 15 minutes, and twenty from one address, whatever the usernames, lock the address
# (password spraying); a success clears the pair's count. See accounts/throttling.py.
LOGIN_FAILURE_LIMIT = envint("COFFEECHAT_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = max(
    envint("COFFEECHAT_LOGIN_ADDRESS_FAILURE_LIMIT", 20), LOGIN_FAILURE_LIMIT
)
AXES_FAILURE_LIMIT = "coffeechat.accounts.throttling.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# The client's address: X-Forwarded-For only behind a proxy (COFFEECHAT_BEHIND_PROXY=1).
AXES_CLIENT_IP_CALLABLE = "coffeechat.accounts.throttling.client_address"
# Reset by accounts.views.LoginView for the pair alone: axes's own reset would clear every
# failure from the address, so a sprayer holding one account could log in to start over.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = envbool("COFFEECHAT_LOGIN_THROTTLING", True)

# Requests per minute that one API token may make, counted in the database (api/models.py)
# so that the limit holds across app processes; past it, 429 with Retry-After.
API_RATE_LIMIT_PER_MINUTE = envint("COFFEECHAT_API_RATE_LIMIT", 120)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Only for a server that runs collectstatic; local installs serve from the package directly.
STATIC_ROOT = os.environ.get("COFFEECHAT_STATIC_ROOT") or None
# Serve straight from the package's static folders: no collectstatic step for a local user.
WHITENOISE_USE_FINDERS = True
# Swagger UI for /api/v1/docs, from django-ninja's package rather than a CDN (no internet, and
# the CSP allows this site only). Found without importing ninja: as an installed app it would
# load pydantic in every command (0.15 s), where only the API's URLs need it.
_NINJA_SPEC = importlib.util.find_spec("ninja")
STATICFILES_DIRS = (
    [Path(_NINJA_SPEC.submodule_search_locations[0]) / "static"]
    if _NINJA_SPEC and _NINJA_SPEC.submodule_search_locations
    else []
)
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

# Uploads: an import file may be up to COFFEECHAT_IMPORT_MAX_MB (default 40 MB: a 300,000-row
# Connections.csv, about 32 MB, or a LinkedIn archive of 30,000 connections with years of
# messages). Files stream to a temporary file past 2.5 MB, and coffeechat.imports.uploads
# stops reading at the limit, so a 100 MB post is refused without being held in memory; the
# preview and the import then read the file row by row (memory does not grow with its size).
# Form fields other than files stay small.
IMPORT_MAX_BYTES = envint("COFFEECHAT_IMPORT_MAX_MB", 40) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Browsers accept Secure cookies from http://127.0.0.1 and http://localhost, so local mode keeps
# them too; COFFEECHAT_SECURE_COOKIES=0 exists for a browser that does not.
SECURE_COOKIES = envbool("COFFEECHAT_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("COFFEECHAT_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("COFFEECHAT_HSTS_SECONDS", 0)
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, and its X-Forwarded-For for
# login throttling (accounts/throttling.py). Without one, both headers are the client's word.
BEHIND_PROXY = envbool("COFFEECHAT_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COFFEECHAT_LOG_LEVEL", "WARNING")},
}
