"""The authorization matrix (issue 4): every URL pattern and every API operation, for each actor kind
(house procesregisseur, professional in the case, professional of a partner not in the case, a
non-convenant organisation in the case, an analyst, anonymous; plus the FG and the beheerder), must answer
exactly the expected status. Entries live per app in `tafel/<app>/tests/matrix.py` (see tafel.testing.matrix).

Every request runs inside a savepoint that is rolled back, so a POST that succeeds cannot change what the
next request sees."""

from __future__ import annotations

import os

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tafel.testing import matrix
from tafel.testing.world import ACTORS, build_world, client_for, token_for

# The admin site: one rule for the whole `admin:` namespace (its index stands for it).
ADMIN_RULE = {
    "regisseur": 302,
    "member": 302,
    "partner": 302,
    "nonconvenant": 302,
    "analyst": 302,
    "anonymous": 302,
    "fg": 302,
    "beheerder": 200,
    "reporter": 302,
    "family": 302,
}


def test_every_url_and_api_operation_has_a_matrix_entry(db):
    entries = matrix.load_entries()
    missing = sorted(name for name in [*matrix.url_names(), *matrix.api_operations()] if name not in entries)
    assert not missing, (
        "These URLs/API operations have no entry in the authorization matrix; add one to "
        f"tafel/<app>/tests/matrix.py: {missing}"
    )
    stale = sorted(set(entries) - set(matrix.url_names()) - set(matrix.api_operations()))
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"
    for key, entry in entries.items():
        assert set(entry["expect"]) == set(ACTORS), f"{key}: expectations must name exactly {ACTORS}"


def _request(w, key: str, entry: dict, actor: str, clients: dict, tokens: dict) -> int:
    urls = matrix.url_names()
    if key in urls:
        url = reverse(key, kwargs=matrix.kwargs_for(entry, matrix.route_params(urls[key]), w))
        client = clients[actor]
        if entry.get("isolated"):
            # Logging out (or switching language) changes the client's session: use a throwaway client.
            client = client_for(w, actor)
        method = entry.get("method", "get")
        if method == "post":
            return client.post(url, entry.get("data", {})).status_code
        return client.get(url).status_code
    method, path = matrix.api_operations()[key]
    kwargs = matrix.kwargs_for(entry, matrix.api_params(path), w)
    for name, value in kwargs.items():
        path = path.replace("{" + name + "}", str(value))
    headers = {"Authorization": f"Bearer {tokens[actor]}"} if tokens[actor] else {}
    client = Client()
    if method == "get":
        return client.get(path, headers=headers).status_code
    return client.generic(
        method.upper(), path, entry.get("body", "{}"), content_type="application/json", headers=headers
    ).status_code


def run_matrix(w, entries: dict, timings: dict | None = None) -> dict[tuple[str, str], int]:
    import time

    clients = {actor: client_for(w, actor) for actor in ACTORS}
    tokens = {actor: token_for(w, actor) for actor in ACTORS}
    actual = {}
    for key in sorted(entries):
        for actor in ACTORS:
            sid = transaction.savepoint()
            started = time.monotonic()
            try:
                actual[(key, actor)] = _request(w, key, entries[key], actor, clients, tokens)
            finally:
                transaction.savepoint_rollback(sid)
                if timings is not None:
                    timings[key] = timings.get(key, 0) + time.monotonic() - started
    return actual


@pytest.fixture
def fast_pdf(monkeypatch):
    """The matrix tests who gets in, not how a PDF looks: skip WeasyPrint's layout work."""
    import weasyprint

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *args, **kwargs: b"%PDF-1.7 matrix")


def test_every_actor_gets_exactly_the_expected_answer_everywhere(db, settings, fast_pdf):
    settings.TAFEL_REQUIRE_2FA = False
    w = build_world()
    entries = matrix.load_entries()
    known = {*matrix.url_names(), *matrix.api_operations()}
    entries = {k: v for k, v in entries.items() if k in known}
    actual = run_matrix(w, entries)
    if os.environ.get("MATRIX_DISCOVER"):
        for key in sorted(entries):
            print(key, {a: actual[(key, a)] for a in ACTORS})
    wrong = [
        f"{key} as {actor}: expected {entries[key]['expect'][actor]}, got {actual[(key, actor)]}"
        for key in sorted(entries)
        for actor in ACTORS
        if entries[key]["expect"][actor] != actual[(key, actor)]
    ]
    assert not wrong, "\n".join(wrong)


CASE_SCOPED = {
    "case_id",
    "item_id",
    "plan_id",
    "action_id",
    "aanmelding_id",
    "attachment_id",
    "consent_id",
    "section_id",
    "invitation_id",
}


def test_the_matrix_never_lets_an_outsider_into_a_case(db):
    """A guard on the matrix itself: no entry may expect a success for the partner outside the case, the
    analyst or anonymous on a URL that names the case or one of its items."""
    urls, ops = matrix.url_names(), matrix.api_operations()
    for key, entry in matrix.load_entries().items():
        params = matrix.route_params(urls[key]) if key in urls else matrix.api_params(ops.get(key, ("", ""))[1])
        if CASE_SCOPED & set(params):
            for actor in ("partner", "analyst", "anonymous", "reporter", "family"):
                assert not 200 <= entry["expect"][actor] < 300, f"{key}: {actor} must not succeed"


def test_admin_site_is_for_the_beheerder_only(db):
    w = build_world()
    for actor in ACTORS:
        code = client_for(w, actor).get(reverse("admin:index")).status_code
        assert code == ADMIN_RULE[actor], (actor, code)


# --- the actor with a password but no second factor (issue 10 finding 1) ------------------------------------

# Pages a session must reach before it has passed the second factor, and what they answer.
SECOND_FACTOR_EXEMPT = {
    "login": 302,  # already signed in: sent on, to the second factor
    "logout": 302,
    "set_language": 302,
    "health": 200,
    "privacy:otp_verify": 200,
    "privacy:otp_setup": 200,
    # Logging in through the organisation's identity provider is a front door too (issue 15): an unknown
    # provider is a 404, a callback without a login in progress goes back to the login page.
    "integrations:oidc_start": 404,
    "integrations:oidc_callback": 302,
}


def _second_factor_request(w, key: str, entry: dict, client: Client):
    urls = matrix.url_names()
    if key in urls:
        url = reverse(key, kwargs=matrix.kwargs_for(entry, matrix.route_params(urls[key]), w))
        if entry.get("method", "get") == "post":
            return client.post(url, entry.get("data", {}))
        return client.get(url)
    method, path = matrix.api_operations()[key]
    for name, value in matrix.kwargs_for(entry, matrix.api_params(path), w).items():
        path = path.replace("{" + name + "}", str(value))
    # The browser's session, not a token: a password alone gives a session, never a token.
    return client.generic(method.upper(), path, entry.get("body", "{}"), content_type="application/json")


@pytest.mark.parametrize("actor", ["regisseur", "beheerder"])
def test_a_password_without_the_second_factor_reads_nothing(db, settings, fast_pdf, actor):
    """Every page redirects to the second factor and every API operation answers 401, for a user who has an
    authenticator but has only typed the password (regisseur, the broadest reader of cases) and for one who
    has not enrolled yet (beheerder)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TAFEL_REQUIRE_2FA = True
    w = build_world()
    user = w.users[actor]
    enrolled = actor == "regisseur"
    if enrolled:
        TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
        exempt = {**SECOND_FACTOR_EXEMPT, "privacy:otp_setup": 302}
    else:
        exempt = {**SECOND_FACTOR_EXEMPT, "privacy:otp_verify": 302}
    target = "/privacy/tweede-factor/" if enrolled else "/privacy/tweede-factor/instellen/"
    entries = matrix.load_entries()
    known = {*matrix.url_names(), *matrix.api_operations()}
    wrong, checked = [], 0
    for key in sorted(k for k in entries if k in known):
        client = Client()
        client.force_login(user)
        sid = transaction.savepoint()
        try:
            response = _second_factor_request(w, key, entries[key], client)
        finally:
            transaction.savepoint_rollback(sid)
        if key in exempt:
            ok = response.status_code == exempt[key]
        elif key.startswith("api:"):
            ok = response.status_code == 401 and response.json()["code"] == "not_authenticated"
        else:
            ok = response.status_code == 302 and response["Location"].startswith(target + "?")
        if not ok:
            wrong.append(f"{key}: {response.status_code} {response.get('Location', '')}")
        checked += 1
    admin = Client()
    admin.force_login(user)
    response = admin.get(reverse("admin:index"))
    if not (response.status_code == 302 and response["Location"].startswith(target + "?")):
        wrong.append(f"admin:index: {response.status_code}")
    assert checked > 100 and not wrong, "\n".join(wrong)
