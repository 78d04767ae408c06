"""Settings for the test suite: the real settings with a test secret and fast password hashing."""

import os

os.environ.setdefault("TAFEL_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("TAFEL_SECURE_COOKIES", "false")

from tafel.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests log in with force_login; the lock-out itself has its own test that switches axes on.
AXES_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Existing tests and the browser tests log in with a password; the 2FA flow has its own tests that switch it on.
TAFEL_REQUIRE_2FA = False
# SQLite's test database lives in memory with a shared cache, which refuses a second writer at once instead of
# waiting: sealing the audit chain after every commit would make parallel live-server requests fail. There the
# chain is sealed by the tests that check it (seal_pending, audit_verify); PostgreSQL seals on commit as in
# production.
TAFEL_AUDIT_SEAL_ON_COMMIT = DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"  # noqa: F405
# The federation hub (issue 16) is its own deployment; its models join the test database so the hub's
# services are tested here too, with the hub's default limits.
INSTALLED_APPS = [*INSTALLED_APPS, "tafel_hub"]  # noqa: F405
HUB_CHECKS_PER_MINUTE = 120
HUB_ANSWER_TIMEOUT_MS = 1500
HUB_FUZZY_THRESHOLD = 0.78
HUB_MAX_BATCH = 5000
