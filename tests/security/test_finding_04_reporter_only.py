"""Issue 10 finding 4: the reporter saw everything.

An organisation that only submitted the melding (a school, a GP, a housing corporation) became a participant
and then read what others add. Participation now has a kind: an organisation outside the convenant that
submits a melding takes part as `melder` (reporter only). It sees its own melding and the feedback it is
owed, not the case: not the other persons, organisations and reasons, bodemeisen, interventions or Veilig
Thuis' assessment. The case page shows each organisation's kind and the procesregisseur can turn a reporter
into a partner (page and API, audited, with a reason).
"""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tafel.api.services import api_token_create
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import CaseOrganisation, ParticipationKind
from tafel.cases.services import PersonInput, aanmelding_create, case_add_note, triage_decide
from tafel.cases.tests.test_services_triage import triage_input
from tafel.core.models import AuditEvent
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import aanmelding_input, make_org, make_user

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    from tafel.api.models import SCOPES

    key = api_token_create(actor=None, user=user, name="security", scopes=list(SCOPES), days=30).key
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def school(db):
    org = make_org("Basisschool De Linde", OrganisationType.ZORG, convenant=False)
    return make_user(org, Role.AANMELDER, username="juf")


@pytest.fixture
def reported(school, municipality, procesregisseur, professional):
    """The school reports a family; the house accepts it, the police joins and writes a note."""
    result = aanmelding_create(
        actor=school,
        data=aanmelding_input(municipality, persons=[PersonInput(first_names="Sem", last_name="Bakker", role="kind")]),
    )
    case = result.case
    triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com"))
    from tafel.cases.services import case_add_organisation

    case_add_organisation(
        actor=procesregisseur, case=case, organisation=professional.organisation, reason="Politie kent het gezin."
    )
    case_add_note(actor=professional, case=case, text="Vader is bekend bij de politie.")
    return result


def test_a_melding_from_outside_the_convenant_makes_a_reporter_only_participation(reported, school):
    link = CaseOrganisation.objects.get(case=reported.case, organisation=school.organisation)
    assert link.kind == ParticipationKind.REPORTER


def test_the_reporter_sees_its_melding_and_the_decision_but_not_the_case(client, reported, school):
    client.force_login(school)
    case = reported.case
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("lifecycle:timeline", args=[case.pk])).status_code == 404
    page = client.get(reverse("cases:aanmelding_detail", args=[reported.aanmelding.pk]))
    assert page.status_code == 200
    assert "Vader is bekend bij de politie" not in page.content.decode()
    api = _api(school)
    assert api.get(f"/api/v1/cases/{case.pk}").status_code == 404
    body = api.get(f"/api/v1/aanmeldingen/{reported.aanmelding.pk}").json()
    assert body["case_id"] is None
    assert body["status"]


def test_a_convenant_partner_that_submits_stays_a_partner(case, professional):
    link = CaseOrganisation.objects.get(case=case, organisation=professional.organisation)
    assert link.kind == ParticipationKind.PARTNER


def test_the_case_page_names_each_kind_and_the_procesregisseur_makes_the_reporter_a_partner(
    client, reported, school, procesregisseur
):
    case = reported.case
    client.force_login(procesregisseur)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "alleen melder" in html and "Partner maken" in html

    url = reverse("cases:participation_partner", args=[case.pk, school.organisation_id])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Waarom wordt deze organisatie partner" in refused.content.decode()

    done = client.post(url, {"reason": "School is nodig voor het plan."})
    assert done.status_code == 302
    link = CaseOrganisation.objects.get(case=case, organisation=school.organisation)
    assert link.kind == ParticipationKind.PARTNER and link.reason == "School is nodig voor het plan."
    event = AuditEvent.objects.filter(event_type=CaseEvent.CASE_PARTICIPANT_ADD, case_id=case.pk).order_by("pk").last()
    assert event.details == {"organisation": school.organisation_id, "kind": "partner", "from": "melder"}

    client.force_login(school)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_the_api_makes_a_reporter_a_partner_and_refuses_others(reported, school, procesregisseur, professional):
    case = reported.case
    url = f"/api/v1/cases/{case.pk}/organisations/{school.organisation_id}/partner"
    body = json.dumps({"reason": "Nodig voor het plan."})
    assert _api(professional).post(url, body, content_type="application/json").status_code == 403
    done = _api(procesregisseur).post(url, body, content_type="application/json")
    assert done.status_code == 200, done.json()
    assert done.json()["kind"] == "partner"
    again = _api(procesregisseur).post(url, body, content_type="application/json")
    assert again.status_code == 409
    detail = _api(procesregisseur).get(f"/api/v1/cases/{case.pk}").json()
    assert {o["kind"] for o in detail["organisations"]} == {"partner"}


def test_the_migration_makes_past_meldingen_from_outside_the_convenant_reporter_only(reported, school, case):
    CaseOrganisation.objects.update(kind=ParticipationKind.PARTNER)
    migration = importlib.import_module("tafel.cases.migrations.0005_participation_kind")
    migration.reporters_without_covenant(apps, None)
    kinds = dict(CaseOrganisation.objects.values_list("organisation__name", "kind"))
    assert kinds["Basisschool De Linde"] == ParticipationKind.REPORTER
    # The police submitted `case` inside the convenant and was added to the school's case on purpose.
    assert set(kinds.values()) == {ParticipationKind.REPORTER, ParticipationKind.PARTNER}
    assert CaseOrganisation.objects.filter(kind=ParticipationKind.REPORTER).count() == 1
