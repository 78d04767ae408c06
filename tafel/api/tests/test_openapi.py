"""The OpenAPI document: it loads, names every operation and declares every status the API returns."""

from __future__ import annotations

import pytest
from django.test import Client

OPERATIONS = {
    ("post", "/aanmeldingen"): "aanmelding_create",
    ("get", "/aanmeldingen"): "aanmelding_list",
    ("get", "/aanmeldingen/{aanmelding_id}"): "aanmelding_get",
    ("post", "/aanmeldingen/{aanmelding_id}/informatie"): "aanmelding_supply_info",
    ("post", "/persons/match"): "person_match",
    ("get", "/cases"): "case_list",
    ("get", "/cases/{case_id}"): "case_get",
    ("post", "/cases/{case_id}/triage"): "case_triage",
    ("post", "/cases/{case_id}/transitions"): "case_transition",
}


@pytest.fixture
def spec(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_lists_every_operation_with_a_stable_id(spec):
    found = {(method, path): op["operationId"] for path, ops in spec["paths"].items() for method, op in ops.items()}
    # Other areas (meetings, …) add their own routers; these are the intake and case operations.
    assert OPERATIONS.items() <= found.items()
    assert len(set(found.values())) == len(found), "operation ids must be unique"


def test_every_operation_is_documented_and_declares_its_error_responses(spec):
    for ops in spec["paths"].values():
        for method, op in ops.items():
            assert op["summary"] and op["description"]
            assert {"401", "403"} <= set(op["responses"])
            assert "422" not in op["responses"], "invalid input is a 400 (API Design Rules)"
            if method in {"post", "put", "patch"} or op.get("parameters"):
                assert "400" in op["responses"]
            for status, response in op["responses"].items():
                if status[0] in "45":
                    # The CORV endpoint (issue 15) may also answer a refused message with its XML acknowledgement.
                    assert set(response["content"]) - {"application/xml"} == {"application/problem+json"}
                    schema = response["content"]["application/problem+json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Problem"}
                else:
                    assert "API-Version" in response["headers"]
            assert {"TokenAuth", "SessionAuth"} == {name for item in op["security"] for name in item}


def test_the_document_carries_the_base_path_contact_and_problem_schema(spec):
    assert spec["servers"] == [{"url": "/api/v1", "description": "Deze installatie van Tafel"}]
    assert all(not path.startswith("/api/") for path in spec["paths"])
    assert set(spec["info"]["contact"]) == {"name", "url", "email"}
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])


def test_security_schemes_are_bearer_and_session_cookie(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_docs_page_loads_without_a_cdn(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html
    assert "/static/ninja/" in html


def test_the_dump_command_writes_the_served_document(spec, tmp_path):
    """tools/spectral/lint.sh lints the output of `openapi_dump`; it must be what clients get."""
    import json

    from django.core.management import call_command

    target = tmp_path / "openapi.json"
    call_command("openapi_dump", output=str(target))
    assert json.loads(target.read_text(encoding="utf-8")) == spec
