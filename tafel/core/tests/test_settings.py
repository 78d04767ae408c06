"""Settings refuse unsafe production starts; health check and security headers (STYLE.md Settings)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from tafel import settings as tafel_settings


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    """Import tafel.settings in a fresh interpreter with nothing but `env` (and PATH) set."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run(
        [sys.executable, "-c", "import tafel.settings"],
        cwd=django_settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_refuses_to_start():
    result = _import_settings()

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "TAFEL_SECRET_KEY" in result.stderr


def test_production_with_development_secret_refuses_to_start():
    result = _import_settings(TAFEL_SECRET_KEY=tafel_settings._DEV_SECRET)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"TAFEL_SECRET_KEY": "a-real-secret-key-with-enough-randomness-0123456789abcdef"},
        {"TAFEL_DEBUG": "true"},
        {"TAFEL_DEMO": "1"},
    ],
)
def test_starts_with_secret_or_in_development_or_demo(env):
    result = _import_settings(**env)
    assert result.returncode == 0, result.stderr


def test_junk_boolean_in_environment_refuses_to_start():
    result = _import_settings(TAFEL_DEBUG="misschien")

    assert result.returncode != 0
    assert "TAFEL_DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("TRUE", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("False", False),
        ("no", False),
        ("off", False),
    ],
)
def test_env_bool_accepts_plain_words(monkeypatch, raw, expected):
    monkeypatch.setenv("TAFEL_TEST_FLAG", raw)
    assert tafel_settings.env_bool("TAFEL_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("raw", ["misschien", "2", "ja", "truee", "-"])
def test_env_bool_rejects_junk(monkeypatch, raw):
    monkeypatch.setenv("TAFEL_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="TAFEL_TEST_FLAG"):
        tafel_settings.env_bool("TAFEL_TEST_FLAG", False)


@pytest.mark.parametrize("raw", [None, ""])
def test_env_bool_unset_gives_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("TAFEL_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("TAFEL_TEST_FLAG", raw)
    assert tafel_settings.env_bool("TAFEL_TEST_FLAG", True) is True


def test_env_int_rejects_junk(monkeypatch):
    monkeypatch.setenv("TAFEL_TEST_NUMBER", "twintig")
    with pytest.raises(ImproperlyConfigured, match="TAFEL_TEST_NUMBER"):
        tafel_settings.env_int("TAFEL_TEST_NUMBER", 1)
    monkeypatch.setenv("TAFEL_TEST_NUMBER", "20")
    assert tafel_settings.env_int("TAFEL_TEST_NUMBER", 1) == 20


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("TAFEL_TEST_LIST", " a.example, b.example ,,")
    assert tafel_settings.env_list("TAFEL_TEST_LIST", []) == ["a.example", "b.example"]


def test_healthz_returns_ok_json(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_login_page_sends_security_headers(client, db):
    response = client.get("/login/")

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_http_only_and_same_site():
    assert django_settings.SESSION_COOKIE_HTTPONLY
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert django_settings.CSRF_COOKIE_SAMESITE == "Lax"
