"""Issue 10 finding 10: production refuses to start unsafe.

Before the change `TAFEL_ENV=production` started with a one-character secret, without a field key, with the
second factor off, insecure cookies and `ALLOWED_HOSTS=*`, without HSTS, and `TAFEL_ENV=Production` (capital P)
was not production at all, so DEBUG could be on.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

SAFE = {
    "TAFEL_ENV": "production",
    "TAFEL_SECRET_KEY": "k7#Qv9!mZ2@xL4$wR8%tY1^uI6&oP3*aS5(dF0)gH-jK_lB+nM=cV",
    "TAFEL_FIELD_ENCRYPTION_KEY": "f3Jq8Zr1Lm6Wx0Tn4Ys9Kc2Vb7Hd5Gp-",
    "TAFEL_ALLOWED_HOSTS": "tafel.zvh.example",
}

PRINT = (
    "import tafel.settings as s;"
    "print(s.PRODUCTION, s.DEBUG, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.TAFEL_REQUIRE_2FA, s.ALLOWED_HOSTS)"
)


def _run(env: dict[str, str], code: str = "import tafel.settings") -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_safe_production_configuration_starts_with_hsts_for_a_year():
    result = _run(SAFE, PRINT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "31536000", "True", "True", "['tafel.zvh.example']"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"TAFEL_SECRET_KEY": "x"}, "TAFEL_SECRET_KEY"),
        ({"TAFEL_SECRET_KEY": "ab" * 30}, "TAFEL_SECRET_KEY"),
        ({"TAFEL_FIELD_ENCRYPTION_KEY": ""}, "TAFEL_FIELD_ENCRYPTION_KEY"),
        ({"TAFEL_FIELD_ENCRYPTION_KEY": SAFE["TAFEL_SECRET_KEY"]}, "TAFEL_FIELD_ENCRYPTION_KEY"),
        ({"TAFEL_REQUIRE_2FA": "false"}, "TAFEL_REQUIRE_2FA"),
        ({"TAFEL_SECURE_COOKIES": "false"}, "TAFEL_SECURE_COOKIES"),
        ({"TAFEL_ALLOWED_HOSTS": "*"}, "TAFEL_ALLOWED_HOSTS"),
        ({"TAFEL_ALLOWED_HOSTS": "tafel.zvh.example,*"}, "TAFEL_ALLOWED_HOSTS"),
        ({"TAFEL_ALLOWED_HOSTS": ""}, "TAFEL_ALLOWED_HOSTS"),
        ({"TAFEL_HSTS_SECONDS": "0"}, "TAFEL_HSTS_SECONDS"),
        ({"TAFEL_AXES_ENABLED": "false"}, "TAFEL_AXES_ENABLED"),
        ({"TAFEL_DEBUG": "true"}, "TAFEL_DEBUG"),
        ({"TAFEL_DEMO": "true"}, "TAFEL_DEMO"),
    ],
)
def test_production_refuses_each_unsafe_setting(change, named):
    result = _run({**SAFE, **change})
    assert result.returncode != 0
    assert "Refusing to start" in result.stderr and named in result.stderr


@pytest.mark.parametrize("spelling", ["Production", "PRODUCTION", " production "])
def test_production_is_recognised_in_any_spelling(spelling):
    refused = _run({**SAFE, "TAFEL_ENV": spelling, "TAFEL_DEBUG": "true"})
    assert refused.returncode != 0 and "TAFEL_DEBUG" in refused.stderr
    started = _run({**SAFE, "TAFEL_ENV": spelling}, PRINT)
    assert started.returncode == 0, started.stderr
    assert started.stdout.split()[:2] == ["True", "False"]


def test_an_unknown_environment_name_refuses_rather_than_meaning_not_production():
    result = _run({**SAFE, "TAFEL_ENV": "prod"})
    assert result.returncode != 0 and "TAFEL_ENV must be one of" in result.stderr


def test_all_problems_are_reported_at_once():
    result = _run({"TAFEL_ENV": "production", "TAFEL_SECRET_KEY": "x"})
    for name in ("TAFEL_SECRET_KEY", "TAFEL_FIELD_ENCRYPTION_KEY", "TAFEL_ALLOWED_HOSTS"):
        assert name in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"TAFEL_DEMO": "true", "TAFEL_DEBUG": "true"},  # make run
        {"DJANGO_SETTINGS_MODULE": "tafel.test_settings"},  # the test suite
    ],
)
def test_demo_and_test_settings_still_start(env):
    code = "import django;from django.conf import settings;django.setup();print(settings.PRODUCTION)"
    result = _run({"DJANGO_SETTINGS_MODULE": "tafel.settings", **env}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]
