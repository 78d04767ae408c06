"""The Veilig Thuis decision on the case page: the responsible worker is chosen by name from the Veilig Thuis
organisation of the melding, and anyone else is refused at the field."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tafel.lifecycle import services
from tafel.lifecycle.models import RiskLevel, VtDecision, VtOrigin, VtRoute
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import aanmelding_input, make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def vt(db):
    return make_org("Veilig Thuis Test", OrganisationType.VEILIG_THUIS)


@pytest.fixture
def vt_worker(vt):
    return make_user(vt, Role.PROFESSIONAL, username="vtmedewerker", first_name="Vera", last_name="Veilig")


@pytest.fixture
def melding(professional, municipality, vt):
    return services.vt_melding_create(actor=professional, origin=VtOrigin.POLITIE, data=aanmelding_input(municipality))


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _worker_select(user, case) -> str:
    html = login(user).get(reverse("lifecycle:case", args=[case.pk])).content.decode()
    match = re.search(r'<select class="utrecht-select" id="vt-worker".*?</select>', html, re.S)
    assert match, "the page has no select for the responsible worker"
    return match.group(0)


def _decide(user, case, worker):
    return login(user).post(
        reverse("lifecycle:case_action", args=[case.pk, "veilig-thuis"]),
        {
            "risk_level": RiskLevel.HOOG,
            "route": VtRoute.ONDERZOEK,
            "reason": "Wapens in huis",
            "responsible_worker": str(worker.pk),
        },
    )


def test_the_page_offers_the_active_workers_of_veilig_thuis_by_name_and_function(melding, vt, vt_worker, professional):
    colleague = make_user(
        vt, Role.CASUSREGISSEUR, username="vtcollega", first_name="Karel", job_title="Gedragsdeskundige"
    )
    gone = make_user(vt, Role.PROFESSIONAL, username="vtweg", first_name="Oud", is_active=False)
    html = _worker_select(vt_worker, melding.case)
    assert f'<option value="{colleague.pk}">Karel Test (Gedragsdeskundige)</option>' in html
    assert f'<option value="{vt_worker.pk}">Vera Veilig (Professional)</option>' in html
    assert f'value="{gone.pk}"' not in html
    assert f'value="{professional.pk}"' not in html


def test_the_house_sees_the_workers_of_the_veilig_thuis_organisation_in_the_case(melding, vt_worker, procesregisseur):
    html = _worker_select(procesregisseur, melding.case)
    assert f'<option value="{vt_worker.pk}">Vera Veilig' in html
    assert f'value="{procesregisseur.pk}"' not in html


def test_a_worker_chosen_from_the_list_becomes_responsible(melding, vt_worker):
    response = _decide(vt_worker, melding.case, vt_worker)
    assert response.status_code == 302
    assert VtDecision.objects.get(case=melding.case).responsible_worker == vt_worker


def test_a_worker_outside_veilig_thuis_is_refused_at_the_field_and_the_form_is_kept(melding, vt_worker, professional):
    # The police professional takes part in the case (and the API's wider rule would accept them), but the
    # page names the responsible worker from Veilig Thuis only.
    response = _decide(vt_worker, melding.case, professional)
    html = response.content.decode()
    assert response.status_code == 200
    assert not VtDecision.objects.filter(case=melding.case).exists()
    assert 'id="vt-worker_error"' in html
    assert "Kies een medewerker van de Veilig Thuis-organisatie van deze melding." in html
    assert "Wapens in huis</textarea>" in html
    assert f'<option value="{RiskLevel.HOOG}" selected>' in html


def test_an_unknown_worker_id_is_refused_at_the_field(melding, vt_worker):
    response = login(vt_worker).post(
        reverse("lifecycle:case_action", args=[melding.case.pk, "veilig-thuis"]),
        {"risk_level": RiskLevel.LAAG, "route": VtRoute.ONDERZOEK, "reason": "x", "responsible_worker": "999999"},
    )
    assert response.status_code == 200
    assert 'id="vt-worker_error"' in response.content.decode()
    assert not VtDecision.objects.filter(case=melding.case).exists()
