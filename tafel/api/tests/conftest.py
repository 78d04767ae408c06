"""Helpers for API tests: tokens, JSON requests, browser sessions with a CSRF token."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from tafel.api.models import SCOPES
from tafel.api.services import api_token_create


class ApiClient:
    """A test client speaking JSON to /api/v1/, as a system (token) or as a browser (session)."""

    def __init__(self, client: Client, headers: dict | None = None):
        self.client = client
        self.headers = headers or {}

    def get(self, path: str, params: dict | None = None, **headers):
        return self.client.get(f"/api/v1{path}", params or {}, headers={**self.headers, **headers})

    def post(self, path: str, data=None, *, raw: str | None = None, **headers):
        body = raw if raw is not None else json.dumps(data if data is not None else {}, default=str)
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers={**self.headers, **headers}
        )


def make_key(user, scopes=None, days: int = 90) -> str:
    scopes = list(SCOPES) if scopes is None else list(scopes)
    return api_token_create(actor=None, user=user, name="Testsysteem", scopes=scopes, days=days).key


@pytest.fixture
def token_client(db):
    """token_client(user, scopes=None) → an ApiClient sending `Authorization: Bearer <key>`."""

    def make(user, scopes=None) -> ApiClient:
        return ApiClient(Client(), {"Authorization": f"Bearer {make_key(user, scopes)}"})

    return make


@pytest.fixture
def session_client(db):
    """session_client(user) → an ApiClient with a logged-in session that enforces CSRF and sends a valid
    CSRF token (pass csrf=False to leave it out)."""

    def make(user, csrf: bool = True) -> ApiClient:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        request = RequestFactory().get("/")
        masked = get_token(request)
        client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
        return ApiClient(client, {"X-CSRFToken": masked} if csrf else {})

    return make


@pytest.fixture(params=["token", "session"])
def as_user(request, token_client, session_client):
    """Runs a test once with token auth and once with a browser session (+ CSRF)."""

    def make(user) -> ApiClient:
        return token_client(user) if request.param == "token" else session_client(user)

    return make


def criteria(met: bool = True, **overrides) -> list[dict]:
    return [{"criterion": c, "met": overrides.get(c, met), "argument": f"Onderbouwing criterium {c}."} for c in "abcde"]


def triage_payload(**overrides) -> dict:
    data = {"criteria": criteria(), "outcome": "zvh_com"}
    data.update(overrides)
    return data


def aanmelding_payload(municipality, **overrides) -> dict:
    data = {
        "route": "veld",
        "theme": "huiselijk_geweld",
        "municipality_id": municipality.pk,
        "title": "Gezin met zorgen",
        "reason": "Herhaald huiselijk geweld, meerdere meldingen in drie maanden.",
        "summary": "Vader pleegt geweld, moeder en kinderen onveilig; hulp komt niet van de grond.",
        "life_domains": {"huisvesting": "Dreigende uithuiszetting"},
        "predictive_factors": ["middelen"],
        "client_knows": True,
        "urgency": "hoog",
        "persons": [
            {
                "role": "pleger",
                "first_names": "Karel",
                "last_name": "Appel",
                "date_of_birth": "1979-05-02",
                "gender": "m",
                "bsn": "111222333",
                "own_view": "Vindt dat het wel meevalt.",
            }
        ],
    }
    data.update(overrides)
    return data
