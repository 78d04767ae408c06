"""Settings for bench/federation.py: the house's settings plus the hub's app and limits, in one SQLite file
under var/bench/federation/ (never the demo's database)."""

import os

from tafel.settings import *  # noqa: F403
from tafel.settings import BASE_DIR

BENCH_DIR = BASE_DIR / "var" / "bench" / "federation"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("FEDERATION_BENCH_DB", str(BENCH_DIR / "bench.sqlite3")),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        },
    }
}
INSTALLED_APPS = [*INSTALLED_APPS, "tafel_hub"]  # noqa: F405
TAFEL_AUDIT_SEAL_ON_COMMIT = False
TAFEL_FEDERATION_HUB_URL = "http://hub.bench"
TAFEL_FEDERATION_HOUSE_CODE = "bench-25"
TAFEL_FEDERATION_HOUSE_SECRET = "bench-house-secret-" + "x" * 32
TAFEL_FEDERATION_KEY = "bench-federation-key-" + "y" * 32
TAFEL_FEDERATION_TIMEOUT_MS = 10_000
HUB_CHECKS_PER_MINUTE = 10**9
HUB_ANSWER_TIMEOUT_MS = 1500
HUB_FUZZY_THRESHOLD = 0.78
HUB_MAX_BATCH = 5000
LOGGING = {"version": 1, "disable_existing_loggers": False}
