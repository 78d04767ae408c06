"""Issue 10 finding 14: no answer with personal data may be kept in a cache (`Cache-Control: no-store`):
pages, PDFs, exports and API answers, for sessions and tokens alike. Static files keep their caching."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tafel.api.models import SCOPES
from tafel.api.services import api_token_create
from tafel.organisations.models import Role
from tafel.testing import make_user

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_exports_and_api_answers_are_never_cached(client, case, professional, house):
    client.force_login(professional)
    person = case.case_persons.first().person
    answers = {
        "case page": client.get(reverse("cases:detail", args=[case.pk])),
        "werkvoorraad": client.get(reverse("cases:werkvoorraad")),
        "api (session)": client.get(f"/api/v1/cases/{case.pk}"),
        "not found": client.get(reverse("cases:detail", args=[999999])),
    }
    fg = make_user(house, Role.FG, username="fg")
    client.force_login(fg)
    answers["audit csv"] = client.get(reverse("privacy:audit_export"))
    answers["inzage pdf"] = client.get(reverse("privacy:person_export_pdf", args=[person.pk]))
    answers["inzage json"] = client.get(reverse("privacy:person_export_json", args=[person.pk]))
    key = api_token_create(actor=None, user=professional, name="Systeem", scopes=list(SCOPES)).key
    answers["api (token)"] = Client().get(f"/api/v1/cases/{case.pk}", headers={"Authorization": f"Bearer {key}"})
    answers["login page"] = Client().get(reverse("login"))

    assert {name: r.status_code for name, r in answers.items()} == {
        "case page": 200,
        "werkvoorraad": 200,
        "api (session)": 200,
        "not found": 404,
        "audit csv": 200,
        "inzage pdf": 200,
        "inzage json": 200,
        "api (token)": 200,
        "login page": 200,
    }
    assert [name for name, r in answers.items() if not _no_store(r)] == []


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/tafel/app.js")
    assert response.status_code == 200 and not _no_store(response)
