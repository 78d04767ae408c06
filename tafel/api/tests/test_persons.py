"""POST /persons/match: screening with dat-informatie."""

from __future__ import annotations

import pytest

from tafel.core.models import AuditEvent
from tafel.persons.audit_events import PersonEvent

pytestmark = pytest.mark.django_db


def test_match_finds_the_person_with_dat_informatie(as_user, professional, case):
    person = case.case_persons.get().person
    response = as_user(professional).post(
        "/persons/match", {"first_names": "Pieter", "last_name": "Janssen", "date_of_birth": "1980-03-14"}
    )
    assert response.status_code == 200, response.json()
    candidates = response.json()
    assert candidates[0]["person_id"] == person.pk
    assert candidates[0]["name"] == "Pieter Janssen"
    assert candidates[0]["level"] == "hoog"
    assert candidates[0]["reasons"]
    known = candidates[0]["known"]
    assert len(known) == 1
    # The police take part in the case: they may see which one it is.
    assert known[0]["case_id"] == case.pk
    assert known[0]["case_reference"] == case.reference
    assert AuditEvent.objects.filter(event_type=PersonEvent.PERSON_MATCH, channel="api").exists()


def test_match_gives_an_outsider_only_the_fact_and_the_contact(token_client, outsider, case):
    response = token_client(outsider).post(
        "/persons/match", {"first_names": "Pieter", "last_name": "Janssen", "date_of_birth": "1980-03-14"}
    )
    known = response.json()[0]["known"][0]
    assert known["case_id"] is None
    assert known["case_reference"] == ""
    assert known["status_label"]


def test_match_masks_the_bsn(token_client, professional, municipality):
    from tafel.api.tests.conftest import aanmelding_payload

    client = token_client(professional)
    assert client.post("/aanmeldingen", aanmelding_payload(municipality)).status_code == 201
    response = client.post("/persons/match", {"last_name": "Appel", "bsn": "111 222 333"})
    assert response.status_code == 200
    assert response.json()[0]["bsn_masked"] == "*****2333"
    assert "111222333" not in response.content.decode()


def test_match_refuses_a_malformed_bsn(token_client, professional):
    response = token_client(professional).post("/persons/match", {"last_name": "Appel", "bsn": "12ab"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "in": "body",
            "location": "#/bsn",
            "code": "value_error",
            "detail": "Een BSN bestaat uit 9 cijfers.",
            "field": "bsn",
        }
    ]


def test_analyst_may_not_screen_persons(token_client, analyst, case):
    response = token_client(analyst).post("/persons/match", {"last_name": "Janssen"})
    assert response.status_code == 403
