"""Issue 11 part 5, finding work: case search by a person's name (tolerant) and BSN, and the triage queue
ordered by urgency and desired response deadline — on pages and through the API."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tafel.api.tests.conftest import as_user, session_client, token_client  # noqa: F401
from tafel.cases import selectors
from tafel.cases.audit_events import CaseEvent
from tafel.cases.services import PersonInput
from tafel.core.errors import AccessDenied
from tafel.core.models import AuditEvent
from tafel.testing import make_case

pytestmark = pytest.mark.django_db


def _person(first, last, bsn=""):
    return PersonInput(
        first_names=first, last_name=last, date_of_birth=datetime.date(1985, 6, 1), bsn=bsn, role="slachtoffer"
    )


@pytest.fixture
def two_cases(professional, municipality, procesregisseur):
    janssen = make_case(professional, municipality, persons=[_person("Pieter", "Janssen", bsn="111222333")])
    other = make_case(professional, municipality, persons=[_person("Fatima", "El Amrani")])
    return janssen, other


def test_name_search_is_tolerant_of_spelling(two_cases, procesregisseur):
    janssen, other = two_cases
    for typed in ("Jansen", "Janssen", "pieter jansen", "Piet Janssen"):
        found = list(selectors.case_list(viewer=procesregisseur, person=typed))
        assert found == [janssen], typed
    assert list(selectors.case_list(viewer=procesregisseur, person="Amrani")) == [other]
    assert list(selectors.case_list(viewer=procesregisseur, person="Verhoeven")) == []
    event = AuditEvent.objects.filter(event_type=CaseEvent.CASE_SEARCH).latest("id")
    assert event.details == {"query": "naam", "cases": 0}


def test_name_search_never_reaches_cases_the_viewer_does_not_see(two_cases, outsider):
    assert list(selectors.case_list(viewer=outsider, person="Janssen")) == []


def test_bsn_search_is_for_the_house_only(two_cases, procesregisseur, professional):
    janssen, _ = two_cases
    assert list(selectors.case_list(viewer=procesregisseur, bsn="111222333")) == [janssen]
    assert list(selectors.case_list(viewer=procesregisseur, bsn="999999990")) == []
    with pytest.raises(AccessDenied):
        selectors.case_list(viewer=professional, bsn="111222333")


def test_case_list_page_searches_by_name_and_bsn(client, two_cases, procesregisseur, professional):
    janssen, other = two_cases
    client.force_login(procesregisseur)
    html = client.get(reverse("cases:list"), {"person": "Jansen"}).content.decode()
    assert janssen.reference in html and other.reference not in html
    html = client.get(reverse("cases:list"), {"bsn": "111222333"}).content.decode()
    assert janssen.reference in html and other.reference not in html
    response = client.get(reverse("cases:list"), {"bsn": "12ab"})
    assert "Een BSN bestaat uit 9 cijfers." in response.content.decode()
    client.force_login(professional)
    html = client.get(reverse("cases:list"), {"bsn": "111222333"}).content.decode()
    assert 'name="bsn"' not in html
    assert other.reference in html  # the BSN field is ignored for who may not use it


def test_api_searches_by_name_and_refuses_bsn_outside_the_house(as_user, two_cases, procesregisseur, professional):  # noqa: F811
    janssen, _ = two_cases
    body = as_user(procesregisseur).get("/cases?person=Jansen").json()
    assert [c["id"] for c in body["items"]] == [janssen.pk]
    body = as_user(procesregisseur).get("/cases?bsn=111222333").json()
    assert [c["id"] for c in body["items"]] == [janssen.pk]
    assert as_user(procesregisseur).get("/cases?bsn=12ab").status_code == 400
    assert as_user(professional).get("/cases?bsn=111222333").status_code == 403


@pytest.fixture
def queue(professional, municipality, procesregisseur):
    old_normal = make_case(professional, municipality, urgency="normaal", title="Oud normaal")
    late_high = make_case(professional, municipality, urgency="hoog", desired_response_days=30, title="Hoog laat")
    soon_high = make_case(professional, municipality, urgency="hoog", desired_response_days=7, title="Hoog snel")
    acute = make_case(professional, municipality, urgency="acuut", title="Acuut")
    return [acute, soon_high, late_high, old_normal]


def test_triage_queue_orders_by_urgency_then_deadline(queue, procesregisseur, client):
    assert [c.pk for c in selectors.triage_queue(viewer=procesregisseur)] == [c.pk for c in queue]
    client.force_login(procesregisseur)
    html = client.get(reverse("cases:werkvoorraad")).content.decode()
    positions = [html.index(c.reference) for c in queue]
    assert positions == sorted(positions)
    assert "Reageren vóór" in html
    deadline = datetime.date.today() + datetime.timedelta(days=7)
    assert queue[1].aanmeldingen.get().desired_response_days == 7
    assert str(deadline.day) in html


def test_triage_queue_api(queue, as_user, procesregisseur, professional):  # noqa: F811
    body = as_user(procesregisseur).get("/my-work/triage-queue").json()
    assert [c["id"] for c in body["items"]] == [c.pk for c in queue]
    assert body["items"][1]["response_deadline"] is not None
    assert body["items"][0]["response_deadline"] is None
    assert as_user(professional).get("/my-work/triage-queue").status_code == 403
