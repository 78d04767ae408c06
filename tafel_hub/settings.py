"""Settings of the federation hub: one module, every value from the environment (HUB_*), documented in
docs/federation.md. The hub has no users, sessions, templates or static files: only signed JSON."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HUB_VAR_DIR", BASE_DIR / "var"))


def _int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}.")
    return value


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        value = float(raw) if raw else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from exc
    if not 0.0 < value <= 1.0:
        raise ImproperlyConfigured(f"{name} must lie between 0 and 1.")
    return value


DEBUG = os.environ.get("HUB_DEBUG", "").lower() in {"1", "true", "yes", "on"}
SECRET_KEY = os.environ.get("HUB_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("HUB_SECRET_KEY is not set (or run with HUB_DEBUG=true for development).")
    SECRET_KEY = "hub-dev-only-secret-do-not-use-in-production"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("HUB_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = ["tafel_hub"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
ROOT_URLCONF = "tafel_hub.urls"
WSGI_APPLICATION = "tafel_hub.wsgi.application"
TEMPLATES: list = []

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("HUB_DATABASE_URL", f"sqlite:///{VAR_DIR / 'hub.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024

# Checks a house may ask per minute; beyond it the hub answers 429 (the house shows "niet bereikbaar").
HUB_CHECKS_PER_MINUTE = _int("HUB_CHECKS_PER_MINUTE", 120)
# How long the hub waits for an asked house's dat-informatie before reporting it as unreachable.
HUB_ANSWER_TIMEOUT_MS = _int("HUB_ANSWER_TIMEOUT_MS", 1500, minimum=50)
# Dice coefficient from which two Bloom filters in one block count as a (fuzzy) match.
HUB_FUZZY_THRESHOLD = _float("HUB_FUZZY_THRESHOLD", 0.78)
# Most entries one publish request may carry.
HUB_MAX_BATCH = _int("HUB_MAX_BATCH", 5000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HUB_LOG_LEVEL", "WARNING")},
}
