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
# The audit chain is sealed after every commit, as in production, on both databases (SQLite's test database
# is a file, where a second writer waits instead of failing).
TAFEL_AUDIT_SEAL_ON_COMMIT = True
# The federation hub (issue 16) is its own deployment; its models join the test database so the hub's
# services are tested here too, with the hub's default limits.
INSTALLED_APPS = [*INSTALLED_APPS, "tafel_hub"]  # noqa: F405
HUB_CHECKS_PER_MINUTE = 120
HUB_ANSWER_TIMEOUT_MS = 1500
HUB_FUZZY_THRESHOLD = 0.78
HUB_MAX_BATCH = 5000
# A second alias for the router's tests (issue 14 item 6): the replica stands for the primary's test database
# (Django's TEST MIRROR). The monitor uses it only in tests that set TAFEL_MONITOR_DATABASE = "replica".
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
