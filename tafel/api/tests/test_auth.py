"""Authentication: tokens (scopes, expiry, revocation), browser sessions with CSRF, the token command."""

from __future__ import annotations

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tafel.api.models import APIToken
from tafel.api.services import api_token_authenticate, api_token_create, api_token_revoke
from tafel.api.tests.conftest import ApiClient, aanmelding_payload
from tafel.core.audit import _channel
from tafel.core.errors import AccessDenied, ValidationFailed
from tafel.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def bearer(key: str) -> ApiClient:
    return ApiClient(Client(), {"Authorization": f"Bearer {key}"})


def test_token_stores_only_a_hash_of_the_key_and_its_prefix(professional):
    new = api_token_create(actor=None, user=professional, name="Politiesysteem", scopes=["cases:read"])
    token = APIToken.objects.get()
    assert token.key_hash == hashlib.sha256(new.key.encode()).hexdigest()
    assert token.prefix == new.key[:8]
    assert new.key not in str(APIToken.objects.values().get())
    assert token.expires_at - timezone.now() > datetime.timedelta(days=89)


def test_valid_token_authenticates_and_records_last_use(professional, case):
    new = api_token_create(actor=None, user=professional, name="Politiesysteem", scopes=["cases:read"])
    response = bearer(new.key).get("/cases")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert APIToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense-key-that-does-not-exist", "Bearer short", "Bearer ", "Basic dXNlcjpwYXNz", ""],
)
def test_wrong_or_missing_credentials_give_401_with_json_body(header, professional):
    client = ApiClient(Client(), {"Authorization": header} if header else {})
    response = client.get("/cases")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] in {"invalid_token", "not_authenticated"}
    assert body["detail"]
    assert "errors" not in body and body["status"] == 401 and body["title"]
    assert "Bearer" in response["WWW-Authenticate"]


def test_unauthenticated_request_gives_not_authenticated():
    response = ApiClient(Client()).get("/cases")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_expired_token_gives_401(professional):
    new = api_token_create(actor=None, user=professional, name="Oud", scopes=["cases:read"], days=1)
    APIToken.objects.filter(pk=new.token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = bearer(new.key).get("/cases")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert "verlopen" in response.json()["detail"]


def test_revoked_token_gives_401(professional):
    new = api_token_create(actor=None, user=professional, name="Weg", scopes=["cases:read"])
    api_token_revoke(actor=professional, token=new.token)
    response = bearer(new.key).get("/cases")
    assert response.status_code == 401
    assert "ingetrokken" in response.json()["detail"]


def test_token_of_deactivated_user_gives_401(professional):
    new = api_token_create(actor=None, user=professional, name="Weg", scopes=["cases:read"])
    professional.is_active = False
    professional.save(update_fields=["is_active"])
    assert bearer(new.key).get("/cases").status_code == 401


def test_token_with_right_prefix_but_wrong_key_gives_401(professional):
    new = api_token_create(actor=None, user=professional, name="Echt", scopes=["cases:read"])
    forged = new.key[:8] + "x" * (len(new.key) - 8)
    assert bearer(forged).get("/cases").status_code == 401


def test_missing_scope_gives_403(professional, municipality):
    new = api_token_create(actor=None, user=professional, name="Alleen lezen", scopes=["cases:read"])
    response = bearer(new.key).post("/aanmeldingen", aanmelding_payload(municipality))
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert "aanmeldingen:write" in response.json()["detail"]


def test_session_get_needs_no_csrf_token(session_client, professional, case):
    response = session_client(professional, csrf=False).get("/cases")
    assert response.status_code == 200


def test_session_post_without_csrf_token_is_refused(session_client, professional, municipality):
    response = session_client(professional, csrf=False).post("/aanmeldingen", aanmelding_payload(municipality))
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_session_post_with_csrf_token_is_accepted(session_client, professional, municipality):
    response = session_client(professional).post("/aanmeldingen", aanmelding_payload(municipality))
    assert response.status_code == 201, response.json()


def test_anonymous_post_is_not_authenticated_rather_than_csrf_failure(municipality):
    client = ApiClient(Client(enforce_csrf_checks=True))
    response = client.post("/aanmeldingen", aanmelding_payload(municipality))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_audit_channel_is_api_during_a_call_and_restored_after(token_client, professional, case):
    assert _channel.get() == "web"
    token_client(professional).get(f"/cases/{case.pk}")
    assert AuditEvent.objects.filter(case_id=case.pk, event_type=100).get().channel == "api"
    assert _channel.get() == "web"


# --- the services -----------------------------------------------------------------------------------------


def test_token_create_refuses_unknown_scopes_and_bad_terms(professional):
    with pytest.raises(ValidationFailed) as exc:
        api_token_create(actor=None, user=professional, name="", scopes=["cases:delete"], days=0)
    assert set(exc.value.field_errors) == {"name", "scopes", "days"}
    assert not APIToken.objects.exists()


def test_token_create_for_someone_else_needs_a_beheerder(professional, outsider, beheerder):
    with pytest.raises(AccessDenied):
        api_token_create(actor=outsider, user=professional, name="X", scopes=["cases:read"])
    assert api_token_create(actor=beheerder, user=professional, name="X", scopes=["cases:read"]).key
    assert api_token_create(actor=professional, user=professional, name="Y", scopes=["cases:read"]).key


def test_authenticate_does_not_write_last_used_on_every_call(professional):
    new = api_token_create(actor=None, user=professional, name="X", scopes=["cases:read"])
    first = api_token_authenticate(new.key).last_used_at
    assert api_token_authenticate(new.key).last_used_at == first


def test_a_key_used_before_is_read_in_one_query_and_still_checked_on_every_call(
    professional, django_assert_num_queries
):
    from tafel.api.services import TokenRejected

    new = api_token_create(actor=None, user=professional, name="Vaak", scopes=["cases:read"])
    api_token_authenticate(new.key)
    # The second call finds the token by the key's known id, with the user's context, in one query.
    with django_assert_num_queries(1):
        token = api_token_authenticate(new.key)
    assert token.user == professional and token.user.role_codes == professional.role_codes
    # What may change is read from the row every time: a revocation or a deactivated user counts at once.
    api_token_revoke(actor=professional, token=new.token)
    with pytest.raises(TokenRejected, match="ingetrokken"):
        api_token_authenticate(new.key)
    other = api_token_create(actor=None, user=professional, name="Ander", scopes=["cases:read"])
    api_token_authenticate(other.key)
    professional.is_active = False
    professional.save(update_fields=["is_active"])
    with pytest.raises(TokenRejected, match="niet meer actief"):
        api_token_authenticate(other.key)


def test_a_removed_token_is_unknown_even_after_its_key_was_accepted(professional):
    from tafel.api.services import TokenRejected

    new = api_token_create(actor=None, user=professional, name="Weg", scopes=["cases:read"])
    api_token_authenticate(new.key)
    APIToken.objects.filter(pk=new.token.pk).delete()
    with pytest.raises(TokenRejected, match="Onbekend"):
        api_token_authenticate(new.key)


# --- the management command -------------------------------------------------------------------------------


def test_command_creates_lists_and_revokes_a_token(professional):
    out = StringIO()
    call_command(
        "api_token",
        "create",
        "--user",
        "agent",
        "--name",
        "Registratie",
        "--scopes",
        "cases:read,persons:match",
        "--days",
        "30",
        stdout=out,
    )
    key = out.getvalue().strip().splitlines()[-1]
    token = APIToken.objects.get()
    assert token.prefix == key[:8]
    assert token.scopes == ["cases:read", "persons:match"]
    assert bearer(key).get("/cases").status_code == 200

    out = StringIO()
    call_command("api_token", "list", stdout=out)
    assert token.prefix in out.getvalue()
    assert key not in out.getvalue()

    call_command("api_token", "revoke", f"--prefix={token.prefix}", stdout=StringIO())
    assert APIToken.objects.get().revoked_at is not None
    assert bearer(key).get("/cases").status_code == 401


def test_command_reports_bad_input_without_traceback(professional):
    with pytest.raises(CommandError, match="scope"):
        call_command("api_token", "create", "--user", "agent", "--name", "X", "--scopes", "alles", stdout=StringIO())
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("api_token", "create", "--user", "niemand", "--name", "X", "--scopes", "cases:read")
    with pytest.raises(CommandError, match="Geen token"):
        call_command("api_token", "revoke", "--prefix", "abcdefgh")


def test_a_new_key_never_starts_with_a_dash(monkeypatch):
    from tafel.api import services

    keys = iter(["-starts-with-dash" + "x" * 30, "Abcdefgh" + "y" * 35])
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: next(keys))
    assert services._new_key().startswith("Abcdefgh")
