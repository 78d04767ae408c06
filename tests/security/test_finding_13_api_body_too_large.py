"""Issue 10 finding 13: an API body over the size limit answers the API's JSON error (413), not a 500 (debug)
or an HTML 400 (production)."""

from __future__ import annotations

import json

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from tafel.api.models import SCOPES
from tafel.api.services import api_token_create

pytestmark = pytest.mark.django_db

LIMIT = 2000


def _assert_json_413(response) -> None:
    assert response.status_code == 413, response.content[:200]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "payload_too_large" and body["detail"] and body["status"] == 413
    assert body["errors"] == [{"in": "body", "detail": body["detail"], "field": "body"}]


@pytest.mark.parametrize("debug", [False, True])
def test_an_over_large_body_with_a_token_gets_the_json_413(professional, settings, debug):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    settings.DEBUG = debug
    key = api_token_create(actor=None, user=professional, name="Systeem", scopes=list(SCOPES)).key
    response = Client().post(
        "/api/v1/aanmeldingen",
        json.dumps({"title": "x" * (LIMIT * 2)}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    _assert_json_413(response)


def test_an_over_large_form_body_on_a_browser_session_gets_the_json_413(professional, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    client = Client(enforce_csrf_checks=True)
    client.force_login(professional)
    token = get_token(RequestFactory().get("/"))
    client.cookies["csrftoken"] = token
    # Form-encoded: Django's CSRF check reads the body before ninja ever runs.
    response = client.post("/api/v1/aanmeldingen", {"title": "x" * (LIMIT * 2)}, headers={"X-CSRFToken": token})
    _assert_json_413(response)


def test_a_body_within_the_limit_still_reaches_validation(professional, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    key = api_token_create(actor=None, user=professional, name="Systeem", scopes=list(SCOPES)).key
    response = Client().post(
        "/api/v1/aanmeldingen",
        json.dumps({"title": "kort"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400 and response.json()["code"] == "validation_failed"
