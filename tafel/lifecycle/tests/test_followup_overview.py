"""The follow-up overview (issue 11 item 5): filtered by kind, owner and organisation, "mine" by default,
paginated on the page and in the API, only cases the viewer may see, a constant number of queries."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tafel.api.tests.conftest import ApiClient, make_key
from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.lifecycle.models import CaseRappel
from tafel.organisations.models import Role
from tafel.testing import make_case, make_user

from .factories import running_case

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> ApiClient:
    return ApiClient(Client(), {"Authorization": f"Bearer {make_key(user)}"})


def rappels(case, user, n, note="Terugbellen"):
    now = timezone.now()
    CaseRappel.objects.bulk_create(
        CaseRappel(
            case=case,
            due_on=timezone.localdate() + datetime.timedelta(days=1),
            note=f"{note} {i}",
            set_by=user,
            set_at=now,
        )
        for i in range(n)
    )


@pytest.fixture
def colleague(house):
    return make_user(house, Role.PROCESREGISSEUR, username="collega", first_name="Cora")


def test_overview_shows_mine_by_default_and_filters_by_kind_owner_and_organisation(
    case, procesregisseur, professional, colleague, police
):
    case, _ = running_case(case, procesregisseur, professional)
    rappels(case, procesregisseur, 1, note="Mijn rappel")
    rappels(case, colleague, 1, note="Rappel van Cora")
    client = login(procesregisseur)
    html = client.get(reverse("lifecycle:dashboard")).content.decode()
    assert "Mijn rappel" in html
    assert "Rappel van Cora" not in html
    # The form keeps its values: "Mijzelf" is selected by default.
    assert '<option value="mij" selected>' in html

    everyone = client.get(reverse("lifecycle:dashboard"), {"eigenaar": "alle", "soort": "rappel"}).content.decode()
    assert "Mijn rappel" in everyone and "Rappel van Cora" in everyone
    assert '<option value="rappel" selected>' in everyone
    assert '<option value="alle" selected>' in everyone

    cora = client.get(reverse("lifecycle:dashboard"), {"eigenaar": str(colleague.pk)}).content.decode()
    assert "Rappel van Cora" in cora and "Mijn rappel" not in cora

    # The overdue action of the police professional: found by organisation, not as the regisseur's own.
    with_time = timezone.now() + datetime.timedelta(days=20)
    import time_machine

    with time_machine.travel(with_time, tick=False):
        police_items = login(procesregisseur).get(
            reverse("lifecycle:dashboard"), {"eigenaar": "alle", "organisatie": str(police.pk), "soort": "actie"}
        )
        mine = login(professional).get(reverse("lifecycle:dashboard")).content.decode()
    assert "Huisbezoek afleggen" in police_items.content.decode()
    assert "Huisbezoek afleggen" in mine
    assert "Mijn rappel" not in mine  # the house's own rappels are not the partner's


def test_unknown_filter_value_is_a_field_error_and_the_default_applies(case, procesregisseur):
    rappels(case, procesregisseur, 1, note="Mijn rappel")
    response = login(procesregisseur).get(reverse("lifecycle:dashboard"), {"soort": "onzin"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mijn rappel" in html
    assert "Kies een van de mogelijkheden in de lijst." in html


def test_overview_paginates_with_a_constant_number_of_queries(
    professional, municipality, procesregisseur, django_assert_max_num_queries
):
    for _ in range(8):
        rappels(make_case(professional, municipality), procesregisseur, 4)
    client = login(procesregisseur)
    client.get(reverse("lifecycle:dashboard"))  # warm the session and the translation catalogue
    with django_assert_max_num_queries(22):
        first = client.get(reverse("lifecycle:dashboard"), {"soort": "rappel"})
    html = first.content.decode()
    assert "32 punten" in html
    assert html.count('data-kind="rappel"') == 25
    assert "Pagina 1 van 2" in html
    assert 'href="?soort=rappel&amp;pagina=2"' in html
    with django_assert_max_num_queries(22):
        second = client.get(reverse("lifecycle:dashboard"), {"soort": "rappel", "pagina": "2"})
    assert second.content.decode().count('data-kind="rappel"') == 7
    # Every case shown is audited as a list read.
    assert AuditEvent.objects.filter(
        actor=procesregisseur, event_type=CoreEvent.CASE_LIST, reason="list.opvolging"
    ).exists()


def test_partner_sees_only_cases_it_takes_part_in(case, procesregisseur, professional, outsider, analyst):
    case, _ = running_case(case, procesregisseur, professional)
    rappels(case, procesregisseur, 2)
    for user in (outsider,):
        page = login(user).get(reverse("lifecycle:dashboard"), {"eigenaar": "alle"})
        assert page.status_code == 200
        assert case.reference not in page.content.decode()
        assert api(user).get("/follow-up", {"owner": "alle"}).json()["count"] == 0
    assert login(analyst).get(reverse("lifecycle:dashboard")).status_code == 403
    assert api(analyst).get("/follow-up").status_code == 403


def test_api_lists_mine_by_default_with_total_and_next_links(professional, municipality, procesregisseur, colleague):
    for _ in range(3):
        rappels(make_case(professional, municipality), procesregisseur, 2)
    other = make_case(professional, municipality)
    rappels(other, colleague, 1, note="Van Cora")
    client = api(procesregisseur)
    first = client.get("/follow-up", {"limit": 4})
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["count"] == 6 and body["counts"]["rappel"] == 6
    assert len(body["items"]) == 4 and body["previous"] is None
    assert "offset=4" in body["next"] and "owner=mij" in body["next"]
    assert {i["kind"] for i in body["items"]} == {"rappel"}
    second = client.get(body["next"].removeprefix("/api/v1"))
    assert len(second.json()["items"]) == 2 and second.json()["next"] is None
    everyone = client.get("/follow-up", {"owner": "alle", "kind": "rappel"}).json()
    assert everyone["count"] == 7
    by_user = client.get("/follow-up", {"owner": str(colleague.pk)}).json()
    assert [i["text"] for i in by_user["items"]] == ["Van Cora 0"]
    assert client.get("/follow-up", {"owner": "iemand"}).status_code == 400
    assert client.get("/follow-up", {"kind": "onzin"}).status_code == 400
