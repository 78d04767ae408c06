"""Tafel settings: one module, every value from the environment, safe defaults for the embedded demo.

Every variable is documented in `.env.example` and docs/operations.md.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TAFEL_VAR_DIR", BASE_DIR / "var"))

_DEV_SECRET = "tafel-dev-only-secret-do-not-use-in-production"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


# Which kind of installation this is. Compared without regard to case or spaces ("Production" is production);
# an unknown value refuses to start rather than silently meaning "not production".
_ENVIRONMENTS = {"production", "acceptance", "test", "development", ""}
TAFEL_ENV = os.environ.get("TAFEL_ENV", "").strip().lower()
if TAFEL_ENV not in _ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"TAFEL_ENV must be one of production, acceptance, test, development (or unset), not {TAFEL_ENV!r}."
    )
PRODUCTION = TAFEL_ENV == "production"

DEBUG = env_bool("TAFEL_DEBUG", False)
# The demo mode relaxes what a real house must have (second factor) and shows demo logins.
DEMO_MODE = env_bool("TAFEL_DEMO", False)
SECRET_KEY = env_str("TAFEL_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or DEMO_MODE:
        SECRET_KEY = _DEV_SECRET
    else:
        raise ImproperlyConfigured(
            "TAFEL_SECRET_KEY is not set. Set it (50+ random characters) or run with TAFEL_DEBUG=true for development."
        )
if not DEBUG and not DEMO_MODE and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("Refusing to start in production mode with the development secret key.")

# Key for encrypting BSNs at rest and for keyed hashes of BSNs (lookup without decryption).
# Falls back to a key derived from SECRET_KEY; production should set its own and keep it in a vault.
FIELD_ENCRYPTION_KEY = env_str("TAFEL_FIELD_ENCRYPTION_KEY", "")

ALLOWED_HOSTS = env_list("TAFEL_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TAFEL_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    # TOTP second factor (issue 4 §9): devices and verification; the requirement is TwoFactorMiddleware.
    "django_otp",
    "django_otp.plugins.otp_totp",
    # django-ninja as an app only so /api/v1/docs serves its bundled Swagger UI files (no CDN).
    "ninja",
    # Background work on a database queue (issue 13 item 4; docs/decisions/0005): the Tasks API backport and
    # its database backend; `manage.py worker` runs the tasks.
    "django_tasks",
    "django_tasks_db",
    "tafel.core",
    "tafel.organisations",
    "tafel.access",
    "tafel.persons",
    "tafel.cases",
    "tafel.meetings",
    "tafel.api",
    "tafel.reports",
    "tafel.lifecycle",
    "tafel.privacy",
    "tafel.evaluations",
    "tafel.jobs",
    "tafel.integrations",
    "tafel.federation",
    # Demo and benchmark data and the `demo` / `demo_logins` commands: the top of the dependency graph.
    "tafel.demo",
]

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "reports", "periodic"],
    }
}
# A running task whose worker has not been heard of for this long is handed to another worker; after this many
# attempts it is marked failed.
TAFEL_WORKER_LEASE_SECONDS = env_int("TAFEL_WORKER_LEASE_SECONDS", 60)
TAFEL_WORKER_MAX_ATTEMPTS = env_int("TAFEL_WORKER_MAX_ATTEMPTS", 3)

MIDDLEWARE = [
    # First: the request id (W3C traceparent) and client address every audit event of the request carries.
    "tafel.core.middleware.RequestContextMiddleware",
    # Every answer under /api/v1/ carries `API-Version` (tafel.api.middleware.API_VERSION), error or not.
    "tafel.api.middleware.ApiVersionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tafel.core.middleware.SecurityHeadersMiddleware",
    # Every answer but the static files: `Cache-Control: no-store` (personal data never in a cache).
    "tafel.core.middleware.NoStoreMiddleware",
    # Before anything reads the body: an over-large API body gets the JSON 413, not an HTML 400.
    "tafel.api.middleware.ApiBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's middleware, reading the confirmed devices the user was loaded with (tafel.access.backends).
    "tafel.core.middleware.OTPMiddleware",
    "tafel.core.middleware.TwoFactorMiddleware",
    "tafel.core.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tafel.urls"
WSGI_APPLICATION = "tafel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tafel" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tafel.access.context_processors.tafel",
            ],
            # The one date format (issue 12, item 8): `|datum` and `|datumtijd` in every template.
            "builtins": ["tafel.core.templatetags.tafel_dates"],
        },
    },
]

# Django's widget templates, with the select, inputs and textarea built in Python: the same HTML without one
# template per <option> (issue 14 item 3: about a fifth of the case page's CPU).
FORM_RENDERER = "tafel.core.formrenderer.FormRenderer"

# SQLite (WAL, file under var/) by default; PostgreSQL through DATABASE_URL.
_default_sqlite = f"sqlite:///{VAR_DIR / 'tafel.sqlite3'}"
# A web process keeps its database connection for this many seconds (0: a new one per request), on SQLite as on
# PostgreSQL (docs/decisions/0010-persistent-database-connections.md): opening a SQLite connection costs its
# PRAGMAs and Django's functions, and closing the last one checkpoints the WAL, a few ms per request.
DB_CONN_MAX_AGE = env_int("TAFEL_DB_CONN_MAX_AGE", 60)
if DB_CONN_MAX_AGE < 0:
    raise ImproperlyConfigured("TAFEL_DB_CONN_MAX_AGE must be 0 or more (seconds).")
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite), conn_max_age=DB_CONN_MAX_AGE)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    # Tests use a database file, not Django's shared-cache in-memory database: shared cache takes table-level
    # locks, so a browser test's server thread and a background task could fail with "database table is locked".
    # The file lies in /dev/shm (memory) where the machine has it, named after this checkout and process so
    # that two test runs never share one (each pytest-xdist worker is its own process).
    _shm = Path("/dev/shm")  # noqa: S108 -- a test database only, named per checkout, never production data
    _test_dir = _shm if _shm.is_dir() and os.access(_shm, os.W_OK) else VAR_DIR
    _checkout = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:10]
    DATABASES["default"].setdefault("TEST", {})
    DATABASES["default"]["TEST"].setdefault("NAME", str(_test_dir / f"tafel-test-{_checkout}-{os.getpid()}.sqlite3"))

# --- scaling out (issue 14 item 6; docs/operations.md "Scaling out") ---------------------------------------
# PgBouncer between Tafel and PostgreSQL: unset (none, or PgBouncer in session mode: nothing changes) or
# "transaction". Statement mode cannot work (every write of Tafel is a transaction of several statements).
TAFEL_PGBOUNCER = env_str("TAFEL_PGBOUNCER", "").strip().lower()
if TAFEL_PGBOUNCER not in {"", "session", "transaction"}:
    raise ImproperlyConfigured(
        f"TAFEL_PGBOUNCER must be session or transaction (or unset), not {TAFEL_PGBOUNCER!r}: PgBouncer's "
        "statement mode cannot run Tafel, whose writes are transactions of several statements."
    )

# A read replica of PostgreSQL for the monitor's figures (dashboard, indicator API, report jobs): the alias
# `replica`, chosen by tafel.core.databases.MonitorRouter inside the monitor only; writes never go there.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
TAFEL_MONITOR_DATABASE = "default"
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=DB_CONN_MAX_AGE)
    # Tests never make a database on the replica: it stands for the primary's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if "postgresql" not in DATABASES["replica"]["ENGINE"] or "postgresql" not in DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs PostgreSQL for both DATABASE_URL and the replica (a streaming replica)."
        )
    TAFEL_MONITOR_DATABASE = "replica"
DATABASE_ROUTERS = ["tafel.core.databases.MonitorRouter"]

if TAFEL_PGBOUNCER == "transaction":
    for _alias, _db in DATABASES.items():
        if "postgresql" not in _db["ENGINE"]:
            raise ImproperlyConfigured(
                f"TAFEL_PGBOUNCER=transaction needs PostgreSQL; the database {_alias!r} is {_db['ENGINE']}."
            )
        # A server-side cursor (QuerySet.iterator()) lives on one server connection across statements; in
        # transaction pooling the next FETCH may reach another one. Django then reads in chunks client-side.
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
        # psycopg prepares no statements (Django's default, kept explicit): PgBouncer before 1.21 cannot pass
        # named prepared statements between server connections. tafel.core.checks refuses a value set here.
        _db.setdefault("OPTIONS", {}).setdefault("prepare_threshold", None)

# Sessions in the database (Django's engine, named so it is not swapped for a per-process one): every web
# process on every machine sees the same sessions, and the idle clock in them ("last_seen"). tafel.core.sessions
# is Django's database store with the read of every request composed once (issue 14 item 3).
SESSION_ENGINE = "tafel.core.sessions"
# The login lock-out counts failures in the database (django-axes' database handler, its default, named here):
# five wrong passwords count the same whichever process or machine received them. The second factor's
# throttling is kept on the TOTP device row (django-otp), the hub's nonces and rate windows in tables too.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"


def cache_from_url(url: str, *, var_dir: Path) -> dict:
    """The CACHES["default"] entry for TAFEL_CACHE_URL (docs/operations.md "Scaling out"):

    - `db` (default): Django's database cache in the table `tafel_cache`, made by `migrate`. Shared by every
      process on every machine, on SQLite and PostgreSQL, with no other server.
    - `file:` or `file:///absolute/path`: files under TAFEL_VAR_DIR/cache (or the path); shared by the
      processes of one machine only.
    - `redis://host:6379/0` (or `rediss://`): Django's Redis cache; needs the `redis` package, which Tafel
      does not install.
    - `locmem:`: in each process's memory, not shared. Only for one process (a test, `runserver`).
    """
    raw = url.strip()
    scheme = raw.split(":", 1)[0].lower() if raw else "db"
    common = {"KEY_PREFIX": "tafel", "TIMEOUT": 300}
    if scheme in {"db", "database"}:
        return {**common, "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "tafel_cache"}
    if scheme == "file":
        path = raw[len("file:") :].removeprefix("//")
        location = Path(path) if path else var_dir / "cache"
        if not location.is_absolute():
            raise ImproperlyConfigured(f"TAFEL_CACHE_URL {raw!r}: a file cache needs an absolute path (file:///...).")
        return {**common, "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(location)}
    if scheme in {"redis", "rediss"}:
        import importlib.util

        if importlib.util.find_spec("redis") is None:
            raise ImproperlyConfigured(
                "TAFEL_CACHE_URL names Redis, but the Python package `redis` is not installed (pip install redis)."
            )
        return {**common, "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
    if scheme == "locmem":
        return {**common, "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tafel"}
    raise ImproperlyConfigured(f"TAFEL_CACHE_URL must be db, file:, redis://… or locmem:, not {raw!r}.")


CACHES = {"default": cache_from_url(env_str("TAFEL_CACHE_URL", "db"), var_dir=VAR_DIR)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user with organisation, roles, second factor and unread count in one
    # query (tafel.access.backends; issue 14).
    "tafel.access.backends.UserBackend",
    # OpenID Connect login at a partner organisation's own identity provider (issue 15; tafel.integrations.oidc).
    "tafel.integrations.oidc.ProviderBackend",
]
# mozilla-django-oidc: the provider-specific values come from the IdentityProvider the beheerder configures;
# these are the protocol's fixed choices.
OIDC_AUTHENTICATION_CALLBACK_URL = "integrations:oidc_callback"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = env_int("TAFEL_OIDC_TIMEOUT_SECONDS", 10)
OIDC_VERIFY_SSL = True
OIDC_CREATE_USER = True


def env_secret(name: str) -> str:
    """A secret from NAME_FILE (a container secret) when set, else from NAME."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to {path!r}, which cannot be read") from exc
    return env_str(name, "")


# BRP lookup at intake (issue 15 item 5): Haal Centraal BRP bevragen v2. Empty URL: the lookup is switched off.
TAFEL_BRP_URL = env_str("TAFEL_BRP_URL", "").rstrip("/")
TAFEL_BRP_API_KEY = env_secret("TAFEL_BRP_API_KEY")
TAFEL_BRP_API_KEY_HEADER = env_str("TAFEL_BRP_API_KEY_HEADER", "X-API-KEY")
# PKIoverheid client certificate and key (files) when the BRP gateway asks for mutual TLS.
TAFEL_BRP_CLIENT_CERT = env_str("TAFEL_BRP_CLIENT_CERT", "")
TAFEL_BRP_CLIENT_KEY = env_str("TAFEL_BRP_CLIENT_KEY", "")
# Purpose binding (protocollering): the registered doelbinding and processing activity sent with every lookup.
TAFEL_BRP_DOELBINDING = env_str("TAFEL_BRP_DOELBINDING", "ZVH-intake")
TAFEL_BRP_VERWERKING = env_str("TAFEL_BRP_VERWERKING", "Aanmelding Zorg- en Veiligheidshuis")
# Organisation types whose aanmelders may look persons up (the ones with a legal basis for BRP access).
TAFEL_BRP_ORGANISATION_TYPES = env_list("TAFEL_BRP_ORGANISATION_TYPES", ["gemeente", "veilig_thuis", "zvh"])
TAFEL_BRP_TIMEOUT_SECONDS = env_int("TAFEL_BRP_TIMEOUT_SECONDS", 10)

# Events as NL GOV CloudEvents and webhooks (issue 15 item 2). The source names this Tafel as a URN (the house's
# OIN); the public URL makes `dataref` absolute (empty: a path).
TAFEL_CLOUDEVENTS_SOURCE = env_str("TAFEL_CLOUDEVENTS_SOURCE", "urn:nld:oin:00000000000000000000:systeem:tafel")
if not TAFEL_CLOUDEVENTS_SOURCE.startswith("urn:"):
    raise ImproperlyConfigured("TAFEL_CLOUDEVENTS_SOURCE must be a URN (urn:nld:oin:<OIN>:systeem:<naam>).")
TAFEL_PUBLIC_URL = env_str("TAFEL_PUBLIC_URL", "").rstrip("/")
# A failed delivery is tried again after BACKOFF, 2×, 4×… seconds (at most an hour), at most MAX_ATTEMPTS times;
# a subscription is paused after PAUSE_AFTER failed attempts in a row (the beheerder resumes it).
TAFEL_WEBHOOK_BACKOFF_SECONDS = env_int("TAFEL_WEBHOOK_BACKOFF_SECONDS", 30)
TAFEL_WEBHOOK_MAX_ATTEMPTS = env_int("TAFEL_WEBHOOK_MAX_ATTEMPTS", 10)
TAFEL_WEBHOOK_PAUSE_AFTER = env_int("TAFEL_WEBHOOK_PAUSE_AFTER", 5)
TAFEL_WEBHOOK_TIMEOUT_SECONDS = env_int("TAFEL_WEBHOOK_TIMEOUT_SECONDS", 10)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:werkvoorraad"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock an account/IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("TAFEL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("TAFEL_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("TAFEL_AXES_ENABLED", True)
# The address a lock-out is keyed on: the client's, behind TAFEL_TRUSTED_PROXY_COUNT proxies of our own (the
# same helper as the audit log's origin). Without it every login behind a proxy comes from the proxy's address,
# and five wrong passwords from anyone lock the user out for everyone (issue 10 finding 15).
AXES_CLIENT_IP_CALLABLE = "tafel.core.net.client_ip"

# Sessions end after inactivity (sensitive data on shared workstations).
SESSION_IDLE_TIMEOUT_SECONDS = env_int("TAFEL_SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("TAFEL_SECURE_COOKIES", not (DEBUG or DEMO_MODE))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS: browsers refuse plain HTTP to this host for this long. One year in production, off elsewhere (a
# development server on http://localhost must stay reachable).
SECURE_HSTS_SECONDS = env_int("TAFEL_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
# How many reverse proxies of our own stand in front of Tafel: the client's address is then read from
# X-Forwarded-For that far from the right (tafel/core/net.py); 0 ignores the header. Audit origin and lockout.
TAFEL_TRUSTED_PROXY_COUNT = env_int("TAFEL_TRUSTED_PROXY_COUNT", 0)
if TAFEL_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TAFEL_TRUSTED_PROXY_COUNT must be 0 or more.")
if env_bool("TAFEL_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "tafel" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The project-wide assets (vendored NL Design System CSS, htmx, theme, app.js) live outside any app.
STATICFILES_DIRS = [BASE_DIR / "tafel" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# WhiteNoise serves the static files in every mode (no separate web server needed for the embedded default);
# behind a proxy, run `collectstatic` and let the proxy serve STATIC_ROOT instead if preferred.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env_str("TAFEL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("TAFEL_FROM_EMAIL", "tafel@zvh.example")
EMAIL_HOST = env_str("TAFEL_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TAFEL_EMAIL_PORT", 25)

# Where people report accessibility problems (shown in the toegankelijkheidsverklaring, /toegankelijkheid/).
TAFEL_ACCESSIBILITY_CONTACT = env_str("TAFEL_ACCESSIBILITY_CONTACT", "") or DEFAULT_FROM_EMAIL
# The contact in the OpenAPI document (API Design Rules /core/doc-openapi-contact): who answers partners' API
# questions. Defaults: the house's sender address and the API's own documentation page.
TAFEL_API_CONTACT_NAME = env_str("TAFEL_API_CONTACT_NAME", "Functioneel beheer Tafel")
TAFEL_API_CONTACT_EMAIL = env_str("TAFEL_API_CONTACT_EMAIL", "") or DEFAULT_FROM_EMAIL
TAFEL_API_CONTACT_URL = (
    env_str("TAFEL_API_CONTACT_URL", "") or f"{TAFEL_PUBLIC_URL or 'http://127.0.0.1:8000'}/api/v1/docs"
)
# Name of the house shown in pages and letters.
TAFEL_HOUSE_NAME = env_str("TAFEL_HOUSE_NAME", "Zorg- en Veiligheidshuis")
# Page size of long lists.
TAFEL_PAGE_SIZE = env_int("TAFEL_PAGE_SIZE", 25)
# After the meeting (issue 5): a case without progress for this many days shows as stalled; after closure the
# house follows a case "op afstand" for this many months (SPEC §5.3).
TAFEL_STALLED_DAYS = env_int("TAFEL_STALLED_DAYS", 28)
# Issue 12, item 6b: the regie checklist's terms after a case is accepted (casusregisseur named; plan published).
TAFEL_CHECKLIST_CASUSREGIE_DAYS = env_int("TAFEL_CHECKLIST_CASUSREGIE_DAYS", 14)
TAFEL_CHECKLIST_PLAN_DAYS = env_int("TAFEL_CHECKLIST_PLAN_DAYS", 28)
TAFEL_FOLLOW_UP_MONTHS = env_int("TAFEL_FOLLOW_UP_MONTHS", 6)
# Overleg types (codes) on whose next meeting `tick` puts a follow-up case, and the days after a Veilig Thuis
# handover at which the responsible worker is reminded to check on the case.
TAFEL_FOLLOW_UP_OVERLEG_TYPES = env_list("TAFEL_FOLLOW_UP_OVERLEG_TYPES", ["com", "mda", "virtueel"])
TAFEL_VT_MONITOR_DAYS = env_int("TAFEL_VT_MONITOR_DAYS", 42)
# Issue 11: after that first check, again every this many days until Veilig Thuis closes the monitoring.
TAFEL_VT_MONITOR_INTERVAL_DAYS = env_int("TAFEL_VT_MONITOR_INTERVAL_DAYS", 14)
# Escalation steps 5 and 6 (SPEC §5.2): the directors' period and, after it, the openbaar bestuur's (days each).
TAFEL_ESCALATION_CLOCK_DAYS = env_int("TAFEL_ESCALATION_CLOCK_DAYS", 10)
if TAFEL_ESCALATION_CLOCK_DAYS < 1:
    raise ImproperlyConfigured("TAFEL_ESCALATION_CLOCK_DAYS must be at least 1.")
# Small-cell suppression in the monitor and its reports: counts below this are shown as "<5" (SPEC §6).
TAFEL_SMALL_CELL_THRESHOLD = env_int("TAFEL_SMALL_CELL_THRESHOLD", 5)
if TAFEL_SMALL_CELL_THRESHOLD < 1:
    raise ImproperlyConfigured("TAFEL_SMALL_CELL_THRESHOLD must be at least 1.")
# The research export is k-anonymous: every combination of age band, region and period holds at least this
# many persons (issue 10 finding 16; tafel/reports/anonymity.py). At least 2: k = 1 protects nobody.
TAFEL_RESEARCH_K = env_int("TAFEL_RESEARCH_K", 5)
if TAFEL_RESEARCH_K < 2:
    raise ImproperlyConfigured("TAFEL_RESEARCH_K must be at least 2.")
# The monitor computes its indicators on this many database connections side by side (PostgreSQL, or SQLite
# in a file; 1 = one after the other). Each page or report then holds this many extra connections for a moment.
TAFEL_MONITOR_WORKERS = env_int("TAFEL_MONITOR_WORKERS", 3)
if TAFEL_MONITOR_WORKERS < 1:
    raise ImproperlyConfigured("TAFEL_MONITOR_WORKERS must be at least 1.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("TAFEL_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 25

# --- privacy and security (issue 4; docs/privacy.md, docs/operations.md) -----------------------------------
# Retention after closure when no reglement applies to a case (months).
TAFEL_RETENTION_MONTHS = env_int("TAFEL_RETENTION_MONTHS", 60)
# The audit log itself is kept this many months (whole months; NEN 7513 asks for at least five years), then
# `manage.py audit_retention` removes the older months (a partition drop on PostgreSQL).
TAFEL_AUDIT_RETENTION_MONTHS = env_int("TAFEL_AUDIT_RETENTION_MONTHS", 84)
if TAFEL_AUDIT_RETENTION_MONTHS < 60:
    raise ImproperlyConfigured("TAFEL_AUDIT_RETENTION_MONTHS must be at least 60 (NEN 7513: five years).")
# Unusual access: a user who reads at least this many distinct cases without a task in them within a day.
TAFEL_UNUSUAL_ACCESS_THRESHOLD = env_int("TAFEL_UNUSUAL_ACCESS_THRESHOLD", 10)
# Screening fishing (issue 10, finding 3): a user who in one day makes at least this many screening queries
# without a date of birth or BSN, or at least TAFEL_SCREENING_BURST queries within ten minutes.
TAFEL_SCREENING_NAME_ONLY_THRESHOLD = env_int("TAFEL_SCREENING_NAME_ONLY_THRESHOLD", 20)
TAFEL_SCREENING_BURST = env_int("TAFEL_SCREENING_BURST", 30)
# Largest accepted upload (attachments).
TAFEL_UPLOAD_MAX_MB = env_int("TAFEL_UPLOAD_MAX_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(TAFEL_UPLOAD_MAX_MB, 3) * 1024 * 1024
# TOTP second factor for every role; off in the demo only.
TAFEL_REQUIRE_2FA = env_bool("TAFEL_REQUIRE_2FA", not DEMO_MODE)


def production_refusals() -> list[str]:
    """Why this configuration may not serve real people's files (issue 10 finding 10), empty when it may. Each
    line names the variable to fix; all are reported at once so an operator fixes them in one go."""
    problems = []
    if DEBUG:
        problems.append("TAFEL_DEBUG is on: a debug page shows settings and personal data from tracebacks.")
    if DEMO_MODE:
        problems.append("TAFEL_DEMO is on: demo logins and a relaxed second factor.")
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append("TAFEL_SECRET_KEY must be at least 50 random characters (not the development key).")
    if len(FIELD_ENCRYPTION_KEY) < 32 or FIELD_ENCRYPTION_KEY == SECRET_KEY:
        problems.append("TAFEL_FIELD_ENCRYPTION_KEY must be its own key of at least 32 random characters.")
    if not TAFEL_REQUIRE_2FA:
        problems.append("TAFEL_REQUIRE_2FA is off: every role needs the second factor.")
    if not (SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE):
        problems.append("TAFEL_SECURE_COOKIES is off: session and CSRF cookies would travel over plain HTTP.")
    if not os.environ.get("TAFEL_ALLOWED_HOSTS", "").strip() or any("*" in host for host in ALLOWED_HOSTS):
        problems.append("TAFEL_ALLOWED_HOSTS must name the host names served (no *).")
    if SECURE_HSTS_SECONDS < 24 * 3600:
        problems.append("TAFEL_HSTS_SECONDS must be at least 86400 (default in production: one year).")
    if not AXES_ENABLED:
        problems.append("TAFEL_AXES_ENABLED is off: nothing would stop password guessing.")
    return problems


if PRODUCTION and (_refusals := production_refusals()):
    raise ImproperlyConfigured(
        "Refusing to start with TAFEL_ENV=production:\n- " + "\n- ".join(_refusals) + "\nSee docs/operations.md."
    )

# --- federation (issue 16; docs/federation.md) ---------------------------------------------------------------
# The hub this house asks "is this person known in another house?" and publishes its tokens to. Empty: the
# house is not federated (screening shows only the local result).
TAFEL_FEDERATION_HUB_URL = env_str("TAFEL_FEDERATION_HUB_URL", "").rstrip("/")
# This house's code at the hub and the secret it shares with the hub only (signing, both ways).
TAFEL_FEDERATION_HOUSE_CODE = env_str("TAFEL_FEDERATION_HOUSE_CODE", "")
TAFEL_FEDERATION_HOUSE_SECRET = env_str("TAFEL_FEDERATION_HOUSE_SECRET", "")
# The key every house holds and the hub does not: it makes the pseudonymous tokens (docs/decisions/0006).
TAFEL_FEDERATION_KEY = env_str("TAFEL_FEDERATION_KEY", "")
# False: the house opts out of publishing (it may still ask); everything it published is withdrawn.
TAFEL_FEDERATION_PUBLISH = env_bool("TAFEL_FEDERATION_PUBLISH", True)
# How long a screening waits for the hub before showing "niet bereikbaar" (milliseconds).
TAFEL_FEDERATION_TIMEOUT_MS = env_int("TAFEL_FEDERATION_TIMEOUT_MS", 3000)
# Persons of cases closed this many months ago or less are still published ("closed within the period").
TAFEL_FEDERATION_CLOSED_MONTHS = env_int("TAFEL_FEDERATION_CLOSED_MONTHS", 12)
# Phone number given as contact when a case has no procesregisseur with a phone number.
TAFEL_FEDERATION_CONTACT_PHONE = env_str("TAFEL_FEDERATION_CONTACT_PHONE", "")
if TAFEL_FEDERATION_HUB_URL and not (
    TAFEL_FEDERATION_HOUSE_CODE and len(TAFEL_FEDERATION_HOUSE_SECRET) >= 32 and len(TAFEL_FEDERATION_KEY) >= 32
):
    raise ImproperlyConfigured(
        "TAFEL_FEDERATION_HUB_URL is set: TAFEL_FEDERATION_HOUSE_CODE, TAFEL_FEDERATION_HOUSE_SECRET and "
        "TAFEL_FEDERATION_KEY (each secret at least 32 characters) must be set too."
    )
if TAFEL_FEDERATION_TIMEOUT_MS < 100 or TAFEL_FEDERATION_CLOSED_MONTHS < 0:
    raise ImproperlyConfigured("TAFEL_FEDERATION_TIMEOUT_MS must be at least 100, TAFEL_FEDERATION_CLOSED_MONTHS 0+.")
