"""Every 4xx (and the 500) the API can give is an RFC 9457 problem (`application/problem+json`), as the NL API
Design Rules ask (issue 15 item 1): each status is provoked by a real request, 401 and 400 on every operation of
every router, and each answer is checked for the content type, the members and the absence of internals."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client, override_settings

from tafel.api.api import api
from tafel.api.middleware import API_VERSION

from .conftest import ApiClient, triage_payload

PROBLEM_JSON = "application/problem+json"


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM_JSON
    assert response["API-Version"] == API_VERSION
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:tafel:problem:") and body["title"] and body["detail"]
    if code:
        assert body["code"] == code
    assert "Traceback" not in response.content.decode()
    for error in body.get("errors", []):
        assert error["in"] in {"body", "query", "path", "header"} and error["detail"]
        if error["in"] == "body" and "location" in error:
            assert error["location"].startswith("#/")
    return body


def _operations():
    spec = api.get_openapi_schema()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield method, path, op


def _concrete(path: str) -> str:
    return "/api/v1" + re.sub(r"\{[^}]+\}", "1", path)


def _router(path: str) -> str:
    return path.split("/")[1]


@pytest.mark.django_db
def test_every_operation_answers_an_anonymous_caller_with_a_401_problem():
    client = Client()
    routers = set()
    for method, path, _op in _operations():
        response = client.generic(method.upper(), _concrete(path), "{}", content_type="application/json")
        assert_problem(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"] == "Bearer"
        routers.add(_router(path))
    assert {"aanmeldingen", "cases", "meetings", "lifecycle", "evaluations", "corv", "brp"} <= routers


@pytest.mark.django_db
def test_every_operation_with_a_json_body_answers_invalid_input_with_a_400_problem(token_client, procesregisseur):
    client = token_client(procesregisseur)
    checked = set()
    for method, path, op in _operations():
        if "application/json" not in op.get("requestBody", {}).get("content", {}):
            continue
        # Input is checked before any record is looked up: an unknown member (or a missing required one, for
        # the few input schemas that ignore unknown members) is a 400 naming the member in the body.
        response = client.client.generic(
            method.upper(),
            _concrete(path),
            json.dumps({"no_such_member": 1}),
            content_type="application/json",
            headers=client.headers,
        )
        body = assert_problem(response, 400, "validation_failed")
        assert body["errors"] and all(e["in"] == "body" and e["code"] for e in body["errors"]), path
        assert all(e["location"] == "#/" + e["field"].replace(".", "/") for e in body["errors"]), path
        checked.add(_router(path))
    assert {"aanmeldingen", "cases", "meetings", "lifecycle", "evaluations", "brp"} <= checked


@pytest.mark.django_db
def test_invalid_query_parameters_are_all_reported_at_once(token_client, procesregisseur):
    response = token_client(procesregisseur).get("/cases", {"limit": 0, "offset": -1, "status": "onbekend"})
    body = assert_problem(response, 400, "validation_failed")
    assert {(e["in"], e["location"]) for e in body["errors"]} == {
        ("query", "limit"),
        ("query", "offset"),
        ("query", "status"),
    }


def test_a_body_that_is_not_json_is_a_400_problem_about_the_whole_body(token_client, procesregisseur):
    response = token_client(procesregisseur).post("/aanmeldingen", raw="{not json")
    body = assert_problem(response, 400, "validation_failed")
    assert body["errors"] == [
        {"in": "body", "code": "json_invalid", "detail": "De body is geen geldig JSON-object.", "field": "body"}
    ]


def test_a_token_or_scope_or_csrf_refusal_is_a_problem(token_client, session_client, professional):
    wrong = ApiClient(Client(), {"Authorization": "Bearer not-a-key"}).get("/cases")
    assert_problem(wrong, 401, "invalid_token")
    scope = token_client(professional, scopes=["cases:read"]).post("/aanmeldingen", {})
    assert_problem(scope, 403, "insufficient_scope")
    csrf = session_client(professional, csrf=False).post("/aanmeldingen", {})
    assert_problem(csrf, 403, "csrf_failed")


def test_not_found_is_a_problem_for_a_record_and_for_an_unknown_path(token_client, professional):
    assert_problem(token_client(professional).get("/cases/999999999"), 404, "not_found")
    assert_problem(token_client(professional).get("/no-such-thing"), 404, "not_found")
    assert_problem(Client().get("/api/v1/no-such-thing"), 404, "not_found")


def test_a_wrong_method_is_a_405_problem_that_names_the_allowed_methods(token_client, professional):
    response = token_client(professional).client.delete("/api/v1/cases", headers=token_client(professional).headers)
    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_a_conflict_is_a_409_problem(token_client, procesregisseur, case):
    client = token_client(procesregisseur)
    assert client.post(f"/cases/{case.pk}/triage", triage_payload()).status_code == 201
    assert_problem(client.post(f"/cases/{case.pk}/triage", triage_payload()), 409, "transition_not_allowed")


def test_an_over_large_body_is_a_413_problem(token_client, professional):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        response = token_client(professional).post("/aanmeldingen", raw=json.dumps({"x": "y" * 500}))
    assert_problem(response, 413, "payload_too_large")


def test_a_crash_is_a_500_problem_without_internals(token_client, professional, monkeypatch):
    from tafel.cases import api_casefile as cases

    def crash(**kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(cases.selectors, "case_list", crash)
    client = token_client(professional)
    raw = Client(raise_request_exception=False)
    with override_settings(DEBUG=True):
        response = raw.get("/api/v1/cases", headers=client.headers)
    body = assert_problem(response, 500, "server_error")
    assert "secret internal detail" not in response.content.decode()
    assert "RuntimeError" not in response.content.decode() and "errors" not in body


def test_the_second_factor_gate_answers_with_a_401_problem(professional, settings):
    settings.TAFEL_REQUIRE_2FA = True
    client = Client()
    client.force_login(professional)
    assert_problem(client.get("/api/v1/cases"), 401, "not_authenticated")


def test_the_old_snake_case_query_names_still_work(token_client, procesregisseur, case):
    client = token_client(procesregisseur)
    new = client.get("/cases", {"municipalityId": case.municipality_id}).json()
    old = client.get("/cases", {"municipality_id": case.municipality_id}).json()
    assert new == old and new["items"]
    other = client.get("/cases", {"municipalityId": 999999}).json()
    assert other["items"] == []
