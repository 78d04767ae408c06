"""GET /cases, GET /cases/{id}, POST /cases/{id}/triage, POST /cases/{id}/transitions."""

from __future__ import annotations

import pytest

from tafel.api.audit_events import ApiEvent
from tafel.api.tests.conftest import criteria, triage_payload
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import Case, CaseStatus, PersonRole, Triage
from tafel.cases.services import PersonInput, aanmelding_create
from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.organisations.models import Municipality
from tafel.persons.audit_events import PersonEvent
from tafel.testing import aanmelding_input, make_case, screen

pytestmark = pytest.mark.django_db


# --- list ---------------------------------------------------------------------------------------------------


def test_case_list_shows_visible_cases_and_audits_each_with_channel_api(as_user, professional, case):
    response = as_user(professional).get("/cases")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["reference"] == case.reference
    assert item["status"] == "aangemeld"
    assert item["municipality"]["name"] == "Hilversum"
    assert item["version"] == case.version
    event = AuditEvent.objects.get(event_type=CoreEvent.CASE_LIST)
    assert (event.case_id, event.channel) == (case.pk, "api")


def test_case_list_filters_and_paginates(token_client, procesregisseur, professional, municipality):
    other = Municipality.objects.create(name="Huizen")
    for _ in range(3):
        make_case(professional, municipality)
    make_case(professional, other)
    client = token_client(procesregisseur)
    body = client.get("/cases", {"municipality_id": municipality.pk, "limit": 2, "offset": 1}).json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    assert client.get("/cases", {"status": "actief"}).json()["count"] == 0
    assert client.get("/cases", {"q": "ZVH-"}).json()["count"] == 4
    assert client.get("/cases", {"mine": True}).json()["count"] == 0
    assert client.get("/cases", {"status": "onbekend"}).status_code == 400
    assert client.get("/cases", {"limit": 0}).status_code == 400


def test_outsider_and_analyst_see_an_empty_case_list(token_client, outsider, analyst, case):
    for user in (outsider, analyst):
        body = token_client(user).get("/cases").json()
        assert body == {"count": 0, "limit": 25, "offset": 0, "items": []}


def test_case_list_page_of_25_has_a_fixed_number_of_queries(
    token_client, professional, municipality, django_assert_max_num_queries
):
    for _ in range(30):
        make_case(professional, municipality)
    client = token_client(professional)
    client.get("/cases")  # the first call also records last_used_at
    with django_assert_max_num_queries(6):
        response = client.get("/cases")
    assert len(response.json()["items"]) == 25


def test_case_list_in_a_browser_session_has_a_fixed_number_of_queries(
    session_client, procesregisseur, professional, municipality, django_assert_max_num_queries
):
    for _ in range(30):
        make_case(professional, municipality)
    client = session_client(procesregisseur)
    with django_assert_max_num_queries(10):
        response = client.get("/cases")
    assert len(response.json()["items"]) == 25


# --- detail -------------------------------------------------------------------------------------------------


def test_case_detail_shows_persons_organisations_history_and_is_audited(as_user, professional, case):
    response = as_user(professional).get(f"/cases/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == case.reference
    assert body["persons"][0]["name"] == "Pieter Janssen"
    assert body["persons"][0]["role"] == "pleger"
    assert body["organisations"][0]["name"] == "Politie Test"
    assert [h["to_status"] for h in body["status_history"]] == ["aangemeld"]
    assert body["aanmeldingen"][0]["supplied_by_organisation"] == "Politie Test"
    assert body["triages"] == []
    event = AuditEvent.objects.get(event_type=CaseEvent.CASE_VIEW)
    assert (event.case_id, event.channel) == (case.pk, "api")


def test_case_detail_masks_the_bsn(token_client, professional, municipality):
    case = make_case(
        professional,
        municipality,
        persons=[PersonInput(first_names="An", last_name="Bos", bsn="111222333", role=PersonRole.SLACHTOFFER)],
    )
    body = token_client(professional).get(f"/cases/{case.pk}").json()
    assert body["persons"][0]["bsn_masked"] == "*****2333"
    assert "111222333" not in str(body)


def test_outsider_gets_404_on_a_case_and_the_refusal_is_audited(token_client, outsider, case):
    response = token_client(outsider).get(f"/cases/{case.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    # Indistinguishable from a case that does not exist.
    assert token_client(outsider).get("/cases/999999").json() == response.json()
    assert AuditEvent.objects.get(event_type=CoreEvent.ACCESS_DENIED, case_id=case.pk).channel == "api"


def test_analyst_gets_404_on_a_case(token_client, analyst, case):
    assert token_client(analyst).get(f"/cases/{case.pk}").status_code == 404


def test_case_detail_has_a_fixed_number_of_queries(
    token_client, procesregisseur, professional, outsider, municipality, django_assert_max_num_queries
):
    case = make_case(professional, municipality)
    person_id = case.case_persons.get().person_id
    screen(outsider, case.case_persons.get().person)
    for _ in range(3):
        aanmelding_create(
            actor=outsider,
            data=aanmelding_input(
                municipality,
                persons=[
                    PersonInput(existing_person_id=person_id, role=PersonRole.PLEGER),
                    PersonInput(first_names="Kind", last_name="Janssen", role=PersonRole.KIND),
                ],
            ),
        )
    client = token_client(procesregisseur)
    payload = triage_payload(mode="team", team_member_ids=[procesregisseur.pk], outcome="zvh_mda")
    assert client.post(f"/cases/{case.pk}/triage", payload).status_code == 201
    client.get(f"/cases/{case.pk}")
    # Issue 14: at most 12 whatever the case holds (tafel/cases/tests/test_case_page_queries.py).
    with django_assert_max_num_queries(10):
        body = client.get(f"/cases/{case.pk}").json()
    assert len(body["aanmeldingen"]) == 4
    assert len(body["persons"]) == 4
    assert len(body["triages"][0]["criteria"]) == 5
    assert body["triages"][0]["team_members"] == [str(procesregisseur)]


# --- triage -------------------------------------------------------------------------------------------------


def test_procesregisseur_triages_a_case(as_user, procesregisseur, case):
    payload = triage_payload(expected_version=case.version, feedback="Welkom in de ZVH-aanpak.")
    response = as_user(procesregisseur).post(f"/cases/{case.pk}/triage", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outcome"] == "zvh_com"
    assert [c["criterion"] for c in body["criteria"]] == list("abcde")
    assert body["case"]["status"] == "actief"
    case.refresh_from_db()
    assert body["case"]["version"] == case.version
    assert case.status == CaseStatus.ACTIEF
    assert AuditEvent.objects.get(event_type=CaseEvent.TRIAGE_DECIDE).channel == "api"


def test_outsider_gets_404_on_triage(token_client, outsider, case):
    response = token_client(outsider).post(f"/cases/{case.pk}/triage", triage_payload())
    assert response.status_code == 404
    assert not Triage.objects.exists()


def test_participant_who_is_not_procesregisseur_gets_403_on_triage(token_client, professional, case):
    response = token_client(professional).post(f"/cases/{case.pk}/triage", triage_payload())
    assert response.status_code == 403
    assert response.json()["code"] == "access_denied"


def test_incomplete_triage_gives_400_on_the_criteria_and_saves_nothing(token_client, procesregisseur, case):
    payload = triage_payload(criteria=criteria())
    payload["criteria"][1]["argument"] = " "
    payload["criteria"].pop()  # criterion e left out
    response = token_client(procesregisseur).post(f"/cases/{case.pk}/triage", payload)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"criteria.1.argument", "criteria"} <= fields
    assert not Triage.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.AANGEMELD


def test_triage_when_caseload_is_full_gives_409_caseload_full(token_client, procesregisseur, case, municipality):
    Municipality.objects.filter(pk=municipality.pk).update(max_caseload=0)
    client = token_client(procesregisseur)
    response = client.post(f"/cases/{case.pk}/triage", triage_payload())
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "caseload_full"
    assert body["errors"][0]["field"] == "caseload_override_reason"
    assert not Triage.objects.exists()
    # With a recorded reason the cap may be passed.
    payload = triage_payload(caseload_override_reason="Acuut gevaar voor de kinderen.")
    assert client.post(f"/cases/{case.pk}/triage", payload).status_code == 201


def test_triage_with_a_stale_version_gives_409_concurrent_edit(token_client, procesregisseur, case):
    response = token_client(procesregisseur).post(
        f"/cases/{case.pk}/triage", triage_payload(expected_version=case.version - 1 or 99)
    )
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_edit"
    assert not Triage.objects.exists()


def test_triaging_a_case_twice_gives_409(token_client, procesregisseur, case):
    client = token_client(procesregisseur)
    assert client.post(f"/cases/{case.pk}/triage", triage_payload()).status_code == 201
    response = client.post(f"/cases/{case.pk}/triage", triage_payload())
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


# --- transitions --------------------------------------------------------------------------------------------


def _active_case(client, case) -> Case:
    assert client.post(f"/cases/{case.pk}/triage", triage_payload()).status_code == 201
    case.refresh_from_db()
    return case


def test_house_moves_an_active_case_to_volgen(as_user, procesregisseur, case):
    client = as_user(procesregisseur)
    case = _active_case(client, case)
    payload = {"to_status": "volgen", "reason": "Plan loopt, op afstand volgen.", "expected_version": case.version}
    response = client.post(f"/cases/{case.pk}/transitions", payload)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "volgen"
    assert response.json()["version"] == case.version + 1
    assert AuditEvent.objects.filter(event_type=CaseEvent.CASE_TRANSITION, channel="api").count() == 2


def test_illegal_transition_gives_409(token_client, procesregisseur, case):
    client = token_client(procesregisseur)
    case = _active_case(client, case)
    payload = {"to_status": "aangemeld", "reason": "Terug.", "expected_version": case.version}
    response = client.post(f"/cases/{case.pk}/transitions", payload)
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_case_waiting_for_triage_cannot_be_activated_by_a_transition(token_client, procesregisseur, case):
    payload = {"to_status": "actief", "reason": "Snel.", "expected_version": case.version}
    response = token_client(procesregisseur).post(f"/cases/{case.pk}/transitions", payload)
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == CaseStatus.AANGEMELD


def test_transition_with_a_stale_version_gives_409_concurrent_edit(token_client, procesregisseur, case):
    client = token_client(procesregisseur)
    case = _active_case(client, case)
    payload = {"to_status": "afgesloten", "reason": "Klaar.", "expected_version": case.version - 1}
    response = client.post(f"/cases/{case.pk}/transitions", payload)
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_edit"
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF


def test_transition_needs_a_reason_and_a_version(token_client, procesregisseur, case):
    response = token_client(procesregisseur).post(f"/cases/{case.pk}/transitions", {"to_status": "afgesloten"})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"reason", "expected_version"}


def test_participant_gets_403_and_outsider_404_on_a_transition(token_client, professional, outsider, case):
    payload = {"to_status": "aangemeld", "reason": "X", "expected_version": case.version}
    assert token_client(professional).post(f"/cases/{case.pk}/transitions", payload).status_code == 403
    assert token_client(outsider).post(f"/cases/{case.pk}/transitions", payload).status_code == 404


def test_every_audit_event_written_during_api_calls_says_channel_api(as_user, procesregisseur, professional, case):
    first_new = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() + 1
    house, police = as_user(procesregisseur), as_user(professional)
    house.get("/cases")
    house.get(f"/cases/{case.pk}")
    police.get(f"/aanmeldingen/{case.aanmeldingen.get().pk}")
    police.post("/persons/match", {"first_names": "Pieter", "last_name": "Janssen"})
    house.post(f"/cases/{case.pk}/triage", triage_payload())
    # Issuing the test tokens (in as_user) is audited too, but outside any API call.
    events = AuditEvent.objects.filter(id__gte=first_new).exclude(event_type=ApiEvent.TOKEN_CREATE)
    assert {e.event_type for e in events} >= {
        CoreEvent.CASE_LIST,
        CaseEvent.CASE_VIEW,
        CaseEvent.AANMELDING_VIEW,
        PersonEvent.PERSON_MATCH,
        CaseEvent.TRIAGE_DECIDE,
    }
    assert {e.channel for e in events} == {"api"}
