"""Issue 10 finding 15 (second half): organisations without a convenant read triage arguments and status
reasons. Decided: they are the house's reasoning, content of the house. An organisation outside the convenant
that takes part in a case (the house added it on purpose) sees the case, its decisions and statuses, but not
the arguments for the criteria, the override reasons or the reasons given for a status change; pages, the API
and the timeline alike. (The first half, lockout behind a proxy, is helper h10b's.)"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tafel.api.services import api_token_create
from tafel.cases.services import case_add_organisation, case_transition, triage_decide
from tafel.cases.tests.test_services_triage import triage_input
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import make_org, make_user

pytestmark = pytest.mark.django_db

STATUS_REASON = "Moeder-wil-eerst-rust"


@pytest.fixture
def decided(case, procesregisseur):
    triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com"))
    case.refresh_from_db()
    case_transition(actor=procesregisseur, case=case, to_status="volgen", reason=STATUS_REASON)
    return case


@pytest.fixture
def shelter_worker(decided, procesregisseur):
    shelter = make_org("Opvang zonder convenant", OrganisationType.ZORG, convenant=False)
    case_add_organisation(actor=procesregisseur, case=decided, organisation=shelter, reason="Opvang nodig.")
    return make_user(shelter, Role.PROFESSIONAL, username="opvang")


def _api(user) -> Client:
    from tafel.api.models import SCOPES

    key = api_token_create(actor=None, user=user, name="security", scopes=list(SCOPES), days=30).key
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_outside_the_convenant_the_case_page_and_api_show_no_triage_arguments_or_status_reasons(
    client, decided, shelter_worker
):
    client.force_login(shelter_worker)
    page = client.get(reverse("cases:detail", args=[decided.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Argument bij a." not in html and STATUS_REASON not in html
    body = _api(shelter_worker).get(f"/api/v1/cases/{decided.pk}").content.decode()
    assert "Argument bij a." not in body and STATUS_REASON not in body
    timeline = client.get(reverse("lifecycle:timeline", args=[decided.pk])).content.decode()
    assert STATUS_REASON not in timeline


def test_convenant_partners_still_read_the_reasoning(client, decided, professional):
    client.force_login(professional)
    html = client.get(reverse("cases:detail", args=[decided.pk])).content.decode()
    assert "Argument bij a." in html and STATUS_REASON in html
