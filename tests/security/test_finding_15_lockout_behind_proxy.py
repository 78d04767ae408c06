"""Issue 10 finding 15 (first half): behind a reverse proxy every login came from the proxy's address, so five
wrong passwords from anyone locked the user out for everyone. The lock-out is now keyed on the client's
address behind `TAFEL_TRUSTED_PROXY_COUNT` proxies of our own; a forged `X-Forwarded-For` does not escape it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "testpass-Tafel-2026"  # tafel.testing.make_user
PROXY = "10.0.0.2"


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    return settings


def _login(user, password: str, *, forwarded: str | None = None, remote: str = PROXY):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    client = Client()
    return client.post(reverse("login"), {"username": user.username, "password": password}, **meta)


def test_behind_a_trusted_proxy_one_attacker_does_not_lock_out_the_others(professional, lockout):
    lockout.TAFEL_TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        _login(professional, "fout-wachtwoord", forwarded="198.51.100.7")
    assert _login(professional, PASSWORD, forwarded="198.51.100.7").status_code == 429
    # The user at another address, through the same proxy, signs in.
    response = _login(professional, PASSWORD, forwarded="203.0.113.20")
    assert response.status_code == 302 and response["Location"] != reverse("login")


def test_the_client_cannot_escape_the_lockout_by_forging_the_header(professional, lockout):
    lockout.TAFEL_TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        # The client puts its own entries left of what the proxy appends; only the proxy's entry counts.
        _login(professional, "fout-wachtwoord", forwarded=f"192.0.2.{n}, 198.51.100.7")
    assert _login(professional, PASSWORD, forwarded="192.0.2.99, 198.51.100.7").status_code == 429


def test_without_trusted_proxies_the_header_is_ignored(professional, lockout):
    lockout.TAFEL_TRUSTED_PROXY_COUNT = 0
    for n in range(3):
        _login(professional, "fout-wachtwoord", forwarded=f"192.0.2.{n}", remote="198.51.100.7")
    assert _login(professional, PASSWORD, forwarded="192.0.2.99", remote="198.51.100.7").status_code == 429
    response = _login(professional, PASSWORD, remote="203.0.113.20")
    assert response.status_code == 302
