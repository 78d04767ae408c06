"""NL API Design Rules (issue 15 item 1): `API-Version` on every answer under /api/v1/, and the OpenAPI document
readable without login under the base path, holding no personal data. Problems: test_problems.py."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from tafel.api.api import api
from tafel.api.middleware import API_BASE_PATH, API_VERSION
from tafel.persons.models import Person

from .conftest import ApiClient


def test_the_version_comes_from_one_constant():
    assert api.version == API_VERSION
    # Semantic versioning; the major version is the one in the base path.
    assert API_VERSION.count(".") == 2 and f"/api/v{API_VERSION.split('.')[0]}/" == API_BASE_PATH


@pytest.mark.django_db
def test_openapi_is_public_under_the_base_path_and_versioned():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["API-Version"] == API_VERSION
    assert response.json()["info"]["version"] == API_VERSION
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200 and docs["API-Version"] == API_VERSION


@pytest.mark.django_db
def test_openapi_holds_no_personal_data(case):
    """Only the schema: no example or default carries data from the database."""
    text = Client().get("/api/v1/openapi.json").content.decode()
    persons = list(Person.objects.all())
    assert persons
    assert case.reference not in text
    for person in persons:
        assert person.last_name not in text
        assert not person.bsn or person.bsn not in text


@pytest.mark.django_db
def test_every_api_answer_carries_the_version(token_client, session_client, professional, case):
    anonymous = ApiClient(Client())
    answers = {
        "401 no credentials": anonymous.get("/cases"),
        "404 unknown path": anonymous.get("/no-such-thing"),
        "200 token": token_client(professional).get(f"/cases/{case.pk}"),
        "404 domain": token_client(professional).get("/cases/999999999"),
        "400 invalid input": token_client(professional).post("/aanmeldingen", {"persons": "x"}),
        "403 csrf": session_client(professional, csrf=False).post("/aanmeldingen", {}),
    }
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        answers["413 too large"] = token_client(professional).post("/aanmeldingen", raw=json.dumps({"x": "y" * 500}))
    statuses = {name: r.status_code for name, r in answers.items()}
    assert statuses == {
        "401 no credentials": 401,
        "404 unknown path": 404,
        "200 token": 200,
        "404 domain": 404,
        "400 invalid input": 400,
        "403 csrf": 403,
        "413 too large": 413,
    }
    for name, response in answers.items():
        assert response["API-Version"] == API_VERSION, name


@pytest.mark.django_db
def test_pages_outside_the_api_carry_no_api_version():
    assert "API-Version" not in Client().get("/toegankelijkheid/")
