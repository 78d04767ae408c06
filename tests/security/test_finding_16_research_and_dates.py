"""Issue 10 finding 16.

1. The research export kept birth year, municipality and months in care per person, which together single
   people out. It now generalises age band, region and period until every combination holds at least k
   persons (`TAFEL_RESEARCH_K`, default 5), suppresses what still stands out and records the k achieved.
2. Dates like 0001-01-01 and 9999-12-31 were accepted for interventions and rappels; they are now refused
   with a clear Dutch message, on the page and through the API alike (one validator, tafel.core.dates).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict

import pytest
from django.test import Client
from django.urls import reverse

from tafel.api.tests.conftest import ApiClient, make_key
from tafel.lifecycle.models import CaseIntervention, CaseRappel, InterventionType
from tafel.lifecycle.tests.factories import running_case
from tafel.reports.anonymity import Subject, anonymise, generalise
from tafel.reports.models import ResearchExport
from tafel.reports.tests.conftest import history, ketenmanager  # noqa: F401 (fixtures: the monitor's history)

pytestmark = pytest.mark.django_db

QI = ("leeftijdsgroep", "regio", "begin", "einde")
FORM = {
    "researcher_name": "Dr. Onderzoeker",
    "researcher_organisation": "Universiteit Utrecht",
    "approval_reference": "METC-2025-017",
    "purpose": "Effect van de aanpak op herhaald huiselijk geweld.",
    "period_start": "2025-01-01",
    "period_end": "2026-12-31",
}


# --- 1. k-anonymity ---------------------------------------------------------------------------------------


def _subjects() -> list[Subject]:
    """Twenty adults of about 30 in Hilversum in 2025Q2, and one 81-year-old in Huizen in August."""
    crowd = [
        Subject(
            person_id=n, age=28 + n % 8, municipality="Hilversum", start=datetime.date(2025, 4 + n % 3, 3), end=None
        )
        for n in range(20)
    ]
    alone = Subject(person_id=99, age=81, municipality="Huizen", start=datetime.date(2025, 8, 14), end=None)
    return [*crowd, alone]


def test_every_released_combination_holds_at_least_k_persons():
    subjects = _subjects()
    result = anonymise(subjects, k=5)
    persons = defaultdict(set)
    for index, key in result.rows:
        persons[key].add(subjects[index].person_id)
    assert min(len(ids) for ids in persons.values()) == result.k_achieved >= 5
    # The one 81-year-old in Huizen is not in the file as someone recognisable.
    assert all(subjects[i].person_id != 99 for i, _ in result.rows)
    assert result.suppressed == 1


def test_the_same_person_twice_counts_once():
    same = [Subject(person_id=1, age=30, municipality="Hilversum", start=datetime.date(2025, 4, 1), end=None)] * 6
    assert anonymise(same, k=5).rows == []


def test_generalisation_climbs_until_k_holds_without_suppressing_too_much():
    subjects = [
        Subject(
            person_id=n,
            age=20 + 7 * n,
            municipality=["Hilversum", "Huizen"][n % 2],
            start=datetime.date(2025, 1 + n, 1),
            end=None,
        )
        for n in range(10)
    ]
    result = anonymise(subjects, k=5)
    assert result.k_achieved >= 5 and result.suppressed == 0
    assert result.level != (0, 0, 0)
    assert {generalise(subjects[i], result.level) for i, _ in result.rows} == {key for _, key in result.rows}


@pytest.fixture
def export_page(client, request, settings):
    settings.TAFEL_RESEARCH_K = 5
    request.getfixturevalue("history")
    client.force_login(request.getfixturevalue("ketenmanager"))
    response = client.post(reverse("reports:research_export"), FORM)
    assert response.status_code == 200
    return client, response


def test_the_export_file_is_k_anonymous_and_records_k(export_page):
    client, response = export_page
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    persons = defaultdict(set)
    for row in rows:
        persons[tuple(row[c] for c in QI)].add(row["persoon_pseudoniem"])
    assert all(len(ids) >= 5 for ids in persons.values()), persons

    record = ResearchExport.objects.get()
    assert record.k_required == 5
    assert record.row_count == len(rows)
    assert record.k_achieved == (min(len(ids) for ids in persons.values()) if persons else None)
    assert record.generalisation
    assert response["X-Tafel-K-Anonymity"] == f"k={record.k_achieved or 0}; vereist=5"
    page = client.get(reverse("reports:research_export")).content.decode()
    assert f'data-k-achieved="{record.k_achieved or ""}"' in page


# --- 2. implausible dates ---------------------------------------------------------------------------------

IMPLAUSIBLE = ["0001-01-01", "1899-12-31", "9999-12-31"]


@pytest.fixture
def running(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    return case


def _api(user) -> ApiClient:
    return ApiClient(Client(), {"Authorization": f"Bearer {make_key(user)}"})


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_an_implausible_intervention_date_is_refused_through_the_api(running, professional, day):
    itype = InterventionType.objects.filter(active=True).first()
    for field in ("started_on", "ended_on"):
        body = {"type_id": itype.pk, "started_on": "2025-01-01", field: day}
        response = _api(professional).post(f"/lifecycle/cases/{running.pk}/interventions", body)
        assert response.status_code == 400, response.content
        messages = {e["field"]: e["detail"] for e in response.json()["errors"]}
        assert "Deze datum kan niet kloppen" in messages[field]
    assert not CaseIntervention.objects.exists()


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_an_implausible_rappel_date_is_refused_through_the_api(running, procesregisseur, day):
    response = _api(procesregisseur).post(f"/lifecycle/cases/{running.pk}/rappels", {"due_on": day})
    assert response.status_code == 400
    assert "Deze datum kan niet kloppen" in response.json()["errors"][0]["detail"]
    assert not CaseRappel.objects.exists()


def test_implausible_dates_are_refused_on_the_pages_with_a_field_message(client, running, procesregisseur):
    client.force_login(procesregisseur)
    itype = InterventionType.objects.filter(active=True).first()
    refused = client.post(
        reverse("lifecycle:case_action", args=[running.pk, "interventie"]),
        {"type": itype.pk, "started_on": "0001-01-01"},
    )
    assert "Deze datum kan niet kloppen" in refused.content.decode()
    refused = client.post(reverse("lifecycle:case_action", args=[running.pk, "rappel"]), {"due_on": "9999-12-31"})
    assert "Deze datum kan niet kloppen" in refused.content.decode()
    assert not CaseIntervention.objects.exists() and not CaseRappel.objects.exists()


def test_plausible_dates_still_pass(running, procesregisseur):
    itype = InterventionType.objects.filter(active=True).first()
    soon = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    api = _api(procesregisseur)
    assert api.post(f"/lifecycle/cases/{running.pk}/rappels", {"due_on": soon}).status_code == 201
    body = {"type_id": itype.pk, "started_on": "1990-05-01", "ended_on": soon}
    assert api.post(f"/lifecycle/cases/{running.pk}/interventions", body).status_code == 201
