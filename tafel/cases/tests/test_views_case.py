"""The case list and the case page: access, forms, and a query count that does not grow with history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import Case, CaseNote, CaseOrganisation, CaseStatus
from tafel.cases.services import CriterionInput, TriageInput, case_add_note, case_transition, triage_decide
from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.testing import make_case

pytestmark = pytest.mark.django_db


def detail_url(case):
    return reverse("cases:detail", args=[case.pk])


def activate(case, procesregisseur) -> Case:
    triage_decide(
        actor=procesregisseur,
        case=case,
        data=TriageInput(criteria=[CriterionInput(c, True, "ja") for c in "abcde"], outcome="zvh_com"),
    )
    return Case.objects.get(pk=case.pk)


# --- list -------------------------------------------------------------------------------------------------


def test_case_list_renders_filtered_and_audited(client, procesregisseur, case):
    client.force_login(procesregisseur)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html
    assert AuditEvent.objects.filter(event_type=CoreEvent.CASE_LIST, case_id=case.pk).exists()

    filtered = client.get(reverse("cases:list"), {"status": CaseStatus.ACTIEF}).content.decode()
    assert case.reference not in filtered
    searched = client.get(reverse("cases:list"), {"q": case.reference[-6:]}).content.decode()
    assert case.reference in searched
    by_municipality = client.get(reverse("cases:list"), {"municipality": case.municipality_id, "theme": case.theme})
    assert case.reference in by_municipality.content.decode()


def test_case_list_mine_shows_only_the_viewers_cases(client, procesregisseur, professional, municipality, case):
    other = activate(make_case(professional, municipality), procesregisseur)
    client.force_login(procesregisseur)
    html = client.get(reverse("cases:list"), {"mine": "on"}).content.decode()
    assert other.reference in html
    assert case.reference not in html


def test_case_list_hides_cases_of_other_organisations(client, outsider, case):
    client.force_login(outsider)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    assert case.reference not in response.content.decode()


def test_case_list_redirects_anonymous_to_login(client):
    assert client.get(reverse("cases:list")).status_code == 302


def test_case_list_is_paginated(client, settings, procesregisseur, professional, municipality):
    settings.TAFEL_PAGE_SIZE = 2
    for _ in range(3):
        make_case(professional, municipality)
    client.force_login(procesregisseur)
    html = client.get(reverse("cases:list"), {"status": "aangemeld"}).content.decode()
    assert "Pagina 1 van 2" in html
    assert "status=aangemeld&amp;page=2" in html


# --- detail -----------------------------------------------------------------------------------------------


def test_case_page_renders_for_a_participant(client, professional, case):
    client.force_login(professional)
    response = client.get(detail_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html
    assert "Pieter Janssen" in html and "Pleger" in html
    assert "Politie Test" in html  # participating organisation and supplier of the aanmelding
    assert "Herhaald huiselijk geweld" in html
    assert "Aangemeld." in html  # status history reason
    assert 'id="notitie-toevoegen"' in html
    # House-only forms are not offered to a partner.
    assert 'id="status-wijzigen"' not in html and 'id="organisatie-toevoegen"' not in html
    assert reverse("cases:triage", args=[case.pk]) not in html
    assert AuditEvent.objects.filter(event_type=CaseEvent.CASE_VIEW, case_id=case.pk).exists()
    assert " style=" not in html and "<script>" not in html


def test_case_page_is_not_found_for_an_outsider(client, outsider, case):
    client.force_login(outsider)
    assert client.get(detail_url(case)).status_code == 404
    assert client.post(reverse("cases:note_add", args=[case.pk]), {"text": "x"}).status_code == 404
    assert not CaseNote.objects.exists()


def test_case_page_redirects_anonymous_to_login(client, case):
    response = client.get(detail_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_case_page_offers_the_house_triage_and_management(client, procesregisseur, case):
    client.force_login(procesregisseur)
    html = client.get(detail_url(case)).content.decode()
    assert reverse("cases:triage", args=[case.pk]) in html
    assert 'id="organisatie-toevoegen"' in html
    # A case waiting for triage leaves that state only through the triage screen, not the status form.
    assert 'value="actief"' not in html
    case = activate(case, procesregisseur)
    html = client.get(detail_url(case)).content.decode()
    assert 'id="status-wijzigen"' in html
    assert f'name="version" value="{case.version}"' in html


def test_status_form_cannot_bypass_triage(client, procesregisseur, case):
    client.force_login(procesregisseur)
    response = client.post(
        reverse("cases:transition", args=[case.pk]),
        {"to_status": "actief", "reason": "Zonder triage", "version": case.version},
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.AANGEMELD


def test_masked_bsn_on_the_case_page(client, professional, municipality):
    from tafel.cases.services import PersonInput

    case = make_case(professional, municipality, persons=[PersonInput(last_name="Bakker", bsn="111222333")])
    client.force_login(professional)
    html = client.get(detail_url(case)).content.decode()
    assert "*****2333" in html and "111222333" not in html


def test_adding_a_note_shows_it_with_the_supplying_organisation(client, professional, case):
    client.force_login(professional)
    url = reverse("cases:note_add", args=[case.pk])
    empty = client.post(url, {"text": "  ", "category": "algemeen"})
    assert empty.status_code == 200
    assert "Vul de notitie in." in empty.content.decode()
    assert not CaseNote.objects.exists()

    response = client.post(url, {"text": "Gesprek met moeder gehad.", "category": "algemeen"}, follow=True)
    html = response.content.decode()
    assert "De notitie is toegevoegd." in html
    assert "Gesprek met moeder gehad." in html
    assert "aangeleverd door Politie Test" in html


def test_house_adds_an_organisation(client, procesregisseur, ggz, case):
    client.force_login(procesregisseur)
    url = reverse("cases:organisation_add", args=[case.pk])
    missing = client.post(url, {"organisation": str(ggz.pk), "reason": ""})
    assert "Waarom neemt deze organisatie deel?" in missing.content.decode()
    response = client.post(url, {"organisation": str(ggz.pk), "reason": "Behandelaar van vader."})
    assert response.status_code == 302
    assert CaseOrganisation.objects.filter(case=case, organisation=ggz).exists()


def test_partner_may_not_add_an_organisation_or_change_status(client, professional, ggz, case):
    client.force_login(professional)
    url = reverse("cases:organisation_add", args=[case.pk])
    assert client.post(url, {"organisation": str(ggz.pk), "reason": "x"}).status_code == 403
    url = reverse("cases:transition", args=[case.pk])
    assert client.post(url, {"to_status": "verrijken", "reason": "x", "version": case.version}).status_code == 403


def test_house_changes_the_status_with_a_reason(client, procesregisseur, case):
    case = activate(case, procesregisseur)
    client.force_login(procesregisseur)
    url = reverse("cases:transition", args=[case.pk])

    no_reason = client.post(url, {"to_status": "volgen", "reason": "", "version": case.version})
    assert "Vul een reden in." in no_reason.content.decode()

    not_allowed = client.post(url, {"to_status": "verrijken", "reason": "Terug", "version": case.version})
    assert not_allowed.status_code == 200
    assert "Selecteer een geldige keuze" in not_allowed.content.decode()

    ok = client.post(url, {"to_status": "volgen", "reason": "Stabiel; op afstand volgen.", "version": case.version})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.VOLGEN
    html = client.get(detail_url(case)).content.decode()
    assert "Stabiel; op afstand volgen." in html and "Volgen op afstand" in html


def test_status_change_on_a_stale_version_is_refused_clearly(client, procesregisseur, case):
    case = activate(case, procesregisseur)
    stale = case.version
    case_transition(actor=procesregisseur, case=case, to_status="volgen", reason="Ander besluit.")
    client.force_login(procesregisseur)
    response = client.post(
        reverse("cases:transition", args=[case.pk]),
        {"to_status": "afgesloten", "reason": "Doelen bereikt.", "version": stale},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft deze casus intussen gewijzigd." in html
    assert "Doelen bereikt." in html  # the input is kept
    assert f'name="version" value="{stale + 1}"' in html
    case.refresh_from_db()
    assert case.status == CaseStatus.VOLGEN


def _grow_history(case, procesregisseur, rounds: int) -> None:
    case = Case.objects.get(pk=case.pk)
    for i in range(rounds):
        case_transition(actor=procesregisseur, case=case, to_status="volgen", reason=f"Rustig {i}.")
        case_transition(actor=procesregisseur, case=case, to_status="actief", reason=f"Weer zorgen {i}.")
        case_add_note(actor=procesregisseur, case=case, text=f"Notitie {i}.")
        case_add_note(actor=procesregisseur, case=case, text=f"Nog een notitie {i}.")


def _page_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(detail_url(case))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_case_page_query_count_does_not_grow_with_history(
    client, procesregisseur, professional, municipality, django_assert_max_num_queries
):
    small = activate(make_case(professional, municipality), procesregisseur)
    _grow_history(small, procesregisseur, 1)
    large = activate(make_case(professional, municipality), procesregisseur)
    _grow_history(large, procesregisseur, 15)
    assert large.status_changes.count() >= 30 and large.notes.count() >= 30

    client.force_login(procesregisseur)
    client.get(detail_url(small))  # warm up the session
    small_count = _page_queries(client, small)
    large_count = _page_queries(client, large)
    assert large_count == small_count
    # Pinned (issue 14; the rich case is in test_case_page_queries.py): session, the user with organisation,
    # roles, devices and unread count, the case with its status and classification history, reglement and item
    # rules' rows, persons, organisations, aanmeldingen (+persons), triages (with criteria and team), notes,
    # proposals, the audit insert, the organisation choices and the regie checklist's ticks (issue 12).
    with django_assert_max_num_queries(12):
        client.get(detail_url(large))
