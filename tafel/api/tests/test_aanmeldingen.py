"""POST/GET /aanmeldingen, GET /aanmeldingen/{id}, POST /aanmeldingen/{id}/informatie."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tafel.api.tests.conftest import aanmelding_payload, triage_payload
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import Aanmelding, AanmeldingStatus, Case, CaseStatus
from tafel.core.models import AuditEvent
from tafel.persons.models import Person
from tafel.testing import screen

pytestmark = pytest.mark.django_db


def counts():
    return Case.objects.count(), Aanmelding.objects.count(), Person.objects.count()


def test_submitting_an_aanmelding_creates_a_case(as_user, professional, municipality):
    response = as_user(professional).post("/aanmeldingen", aanmelding_payload(municipality))
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get()
    assert body["case_id"] == case.pk
    assert body["case_reference"] == case.reference
    assert body["joined_existing"] is False
    assert body["status"] == "ingediend"
    assert body["route"] == "veld"
    assert body["urgency"] == "hoog"
    assert body["supplied_by_organisation"] == "Politie Test"
    person = Person.objects.get()
    assert person.bsn == "111222333"
    assert person.date_of_birth == datetime.date(1979, 5, 2)
    events = AuditEvent.objects.filter(event_type=CaseEvent.AANMELDING_CREATE)
    assert [e.channel for e in events] == ["api"]


def test_aanmelding_about_a_person_in_an_open_case_joins_it_and_hides_the_case_from_an_outsider(
    token_client, professional, outsider, municipality, case
):
    person_id = case.case_persons.get().person_id
    screen(outsider, case.case_persons.get().person)
    payload = aanmelding_payload(municipality, persons=[{"role": "pleger", "existing_person_id": person_id}])
    response = token_client(outsider).post("/aanmeldingen", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["joined_existing"] is True
    assert body["status"] == "gekoppeld"
    # The GGZ does not take part in the police's case: it learns its aanmelding joined one, not which.
    assert body["case_id"] is None
    assert body["case_reference"] == ""
    assert Case.objects.count() == 1


def test_missing_required_fields_give_400_and_save_nothing(token_client, professional, municipality):
    before = counts()
    response = token_client(professional).post("/aanmeldingen", {"route": "veld", "persons": []})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    fields = {e["field"] for e in body["errors"]}
    assert {"theme", "municipality_id", "reason", "summary"} <= fields
    assert all(e["detail"] == "Dit veld is verplicht." for e in body["errors"])
    assert counts() == before


def test_empty_content_is_refused_by_the_service_with_field_names_of_the_api(token_client, professional, municipality):
    payload = aanmelding_payload(municipality, reason="  ", persons=[], municipality_id=999999)
    response = token_client(professional).post("/aanmeldingen", payload)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"reason", "persons", "municipality_id"} <= fields
    assert counts() == (0, 0, 0)


def test_future_date_of_birth_gives_400_on_the_person(token_client, professional, municipality):
    payload = aanmelding_payload(municipality)
    payload["persons"][0]["date_of_birth"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = token_client(professional).post("/aanmeldingen", payload)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {
        "in": "body",
        "location": "#/persons/0/date_of_birth",
        "detail": "De geboortedatum kan niet in de toekomst liggen.",
        "field": "persons.0.date_of_birth",
    } in errors
    assert counts() == (0, 0, 0)


def test_invalid_bsn_gives_400_and_nothing_half_saved(token_client, professional, municipality):
    payload = aanmelding_payload(municipality)
    payload["persons"].append({"role": "slachtoffer", "first_names": "Els", "last_name": "Appel"})
    payload["persons"][1]["bsn"] = "123456789"
    response = token_client(professional).post("/aanmeldingen", payload)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["persons.1.bsn"]
    assert "elfproef" in response.json()["errors"][0]["detail"]
    assert counts() == (0, 0, 0)


def test_malformed_date_and_unknown_choice_give_400_with_paths(token_client, professional, municipality):
    payload = aanmelding_payload(municipality, route="fax", extra_field=1)
    payload["persons"][0]["date_of_birth"] = "2-5-1979"
    response = token_client(professional).post("/aanmeldingen", payload)
    assert response.status_code == 400
    errors = {e["field"]: e["detail"] for e in response.json()["errors"]}
    assert errors["persons.0.date_of_birth"].startswith("Verwacht een datum")
    assert errors["route"].startswith("Kies een van:")
    assert errors["extra_field"] == "Onbekend veld."


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "42", '"tekst"', "null"])
def test_body_that_is_not_a_json_object_gives_400(raw, token_client, professional):
    response = token_client(professional).post("/aanmeldingen", raw=raw)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"


def test_nul_characters_are_refused_before_the_database(token_client, professional, municipality):
    response = token_client(professional).post("/aanmeldingen", aanmelding_payload(municipality, title="a\x00b"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "title"


def test_analyst_may_not_submit(token_client, analyst, municipality):
    response = token_client(analyst).post("/aanmeldingen", aanmelding_payload(municipality))
    assert response.status_code == 403
    assert response.json()["code"] == "access_denied"


def test_list_shows_the_organisations_own_aanmeldingen(as_user, professional, outsider, municipality, case):
    as_user(outsider).post("/aanmeldingen", aanmelding_payload(municipality))
    response = as_user(professional).get("/aanmeldingen", {"limit": 10})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["limit"] == 10
    item = body["items"][0]
    assert item["case_reference"] == case.reference
    assert item["joined_existing"] is False


def test_analyst_sees_an_empty_aanmelding_list(token_client, analyst, case):
    body = token_client(analyst).get("/aanmeldingen").json()
    assert body["count"] == 0
    assert body["items"] == []


def test_list_limit_above_100_gives_400(token_client, professional):
    response = token_client(professional).get("/aanmeldingen", {"limit": 101})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"


def test_detail_is_audited_with_channel_api(as_user, professional, case):
    aanmelding = case.aanmeldingen.get()
    response = as_user(professional).get(f"/aanmeldingen/{aanmelding.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["reason"] == aanmelding.reason
    assert body["persons"][0]["name"] == "Pieter Janssen"
    event = AuditEvent.objects.get(event_type=CaseEvent.AANMELDING_VIEW)
    assert (event.case_id, event.channel, event.actor_id) == (case.pk, "api", professional.pk)


def test_outsider_gets_404_on_someone_elses_aanmelding(token_client, outsider, case):
    aanmelding = case.aanmeldingen.get()
    response = token_client(outsider).get(f"/aanmeldingen/{aanmelding.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert token_client(outsider).get("/aanmeldingen/987654").json() == response.json()


def test_supplying_requested_information_returns_the_case_to_triage(
    as_user, token_client, professional, procesregisseur, case
):
    verrijken = triage_payload(outcome="verrijken", missing_info="Wat zegt de school?", criteria=None)
    verrijken["criteria"] = [{"criterion": c, "met": c != "e", "argument": f"Onderbouwing {c}."} for c in "abcde"]
    assert token_client(procesregisseur).post(f"/cases/{case.pk}/triage", verrijken).status_code == 201
    aanmelding = case.aanmeldingen.get()

    response = as_user(professional).post(
        f"/aanmeldingen/{aanmelding.pk}/informatie", {"text": "School: veel verzuim."}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == AanmeldingStatus.INGEDIEND
    case.refresh_from_db()
    assert case.status == CaseStatus.AANGEMELD


def test_supplying_information_nobody_asked_for_gives_409(token_client, professional, case):
    aanmelding = case.aanmeldingen.get()
    response = token_client(professional).post(f"/aanmeldingen/{aanmelding.pk}/informatie", {"text": "Extra."})
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
